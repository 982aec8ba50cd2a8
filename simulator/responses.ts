import type { RouteResponse } from './router.js'

/**
 * Genesys Cloud's error body, shared by every simulated API: `{message, code, status, contextId, details,
 * errors}`, where `contextId` repeats the `inin-correlation-id` header.
 */

/** Error codes the simulator answers with, as the platform spells them. */
export type GenesysErrorCode =
  | 'bad.request'
  | 'invalid.request.body'
  | 'not.found'
  | 'method.not.allowed'
  | 'conflict'
  | 'unsupported.media.type'
  | 'authentication.required'
  | 'too.many.requests'
  | 'internal.server.error'
  | 'bad.gateway'
  | 'service.unavailable'
  | 'gateway.timeout'

/** Genesys Cloud's error body. */
export interface GenesysErrorBody {
  message: string
  code: GenesysErrorCode
  status: number
  contextId: string
  details: unknown[]
  /** The platform puts nested error objects here; the simulator lists validation problems as plain text. */
  errors: string[]
}

/** Builds an error answer in the Genesys shape. */
export function genesysError(
  status: number,
  code: GenesysErrorCode,
  message: string,
  contextId: string,
  options: { errors?: string[]; headers?: Record<string, string> } = {}
): RouteResponse {
  const body: GenesysErrorBody = { message, code, status, contextId, details: [], errors: options.errors ?? [] }
  return { status, body, headers: options.headers }
}

/** Whether a Content-Type header announces JSON (`application/json; charset=utf-8` included). */
export function isJsonContentType(contentType: string | undefined): boolean {
  return /^application\/([\w.+-]+\+)?json\b/i.test(contentType?.trim() ?? '')
}

/** A JSON object, as opposed to an array, a scalar or null. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The request's JSON object body, or the error answer to send instead: 415 when the body is not announced as
 * JSON, 400 when it does not parse or is not an object.
 */
export function requireJsonObjectBody(request: {
  headers: Record<string, string>
  json: unknown
  correlationId: string
}): { body: Record<string, unknown> } | { response: RouteResponse } {
  const contentType = request.headers['content-type']
  if (!isJsonContentType(contentType)) {
    return {
      response: genesysError(
        415,
        'unsupported.media.type',
        `Content-Type must be application/json, not "${contentType ?? ''}": send the body as JSON.`,
        request.correlationId
      )
    }
  }
  if (!isJsonObject(request.json)) {
    return {
      response: genesysError(
        400,
        'bad.request',
        'The request body is not a JSON object: send a JSON object such as {"bundleId": "..."}.',
        request.correlationId
      )
    }
  }
  return { body: request.json }
}
