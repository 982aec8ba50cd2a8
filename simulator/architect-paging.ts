import { genesysError } from './responses.js'
import type { RouteRequest, RouteResponse } from './router.js'

/**
 * Paging and refusals shared by the simulated Architect, Routing and Integrations listings: the platform's
 * `…EntityListing` shape, and the 403 it answers when the OAuth client lacks a permission.
 */

const DEFAULT_PAGE_SIZE = 25
const MAX_PAGE_SIZE = 500

/**
 * One page of a listing, as the platform's `…EntityListing` models carry it. `pageNumber` and `pageSize` must be
 * whole numbers (`pageSize` up to 500).
 */
export function paged(entities: unknown[], request: RouteRequest, path: string): RouteResponse {
  const pageNumber = wholeNumber(request.query.get('pageNumber'), 1)
  const pageSize = wholeNumber(request.query.get('pageSize'), DEFAULT_PAGE_SIZE)
  if (pageNumber === undefined || pageSize === undefined || pageSize > MAX_PAGE_SIZE) {
    return genesysError(400, 'bad.request', `pageNumber and pageSize must be whole numbers from 1 (pageSize at most ${MAX_PAGE_SIZE}).`, request.correlationId)
  }
  const pageCount = Math.ceil(entities.length / pageSize)
  const uri = (page: number): string => {
    const query = new URLSearchParams(request.query)
    query.set('pageNumber', String(page))
    query.set('pageSize', String(pageSize))
    return `${path}?${query.toString()}`
  }
  return {
    status: 200,
    body: {
      entities: entities.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
      pageSize,
      pageNumber,
      total: entities.length,
      pageCount,
      firstUri: uri(1),
      selfUri: uri(pageNumber),
      lastUri: uri(Math.max(1, pageCount)),
      ...(pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
      ...(pageNumber > 1 ? { previousUri: uri(pageNumber - 1) } : {})
    }
  }
}

/**
 * The 403 the platform answers when the OAuth client's roles lack `permission` (the scenario's `missingPermissions`),
 * in its `missing.permissions` shape; undefined when the client has it.
 */
export function missingPermission(request: RouteRequest, permission: string): RouteResponse | undefined {
  if (!request.scenario.missingPermissions.includes(permission)) return undefined
  const message = `Unable to perform the requested action. You are missing the following permission(s): [${permission}]`
  return {
    status: 403,
    body: {
      message,
      code: 'missing.permissions',
      status: 403,
      messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
      messageParams: { permissions: `[${permission}]` },
      contextId: request.correlationId,
      details: [],
      errors: []
    }
  }
}

function wholeNumber(value: string | null, fallback: number): number | undefined {
  if (value === null) return fallback
  return /^\d+$/.test(value) && Number(value) >= 1 ? Number(value) : undefined
}
