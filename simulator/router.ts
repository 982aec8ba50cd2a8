import type { Scenario, SimulatedOperation } from './scenario.js'

/**
 * The simulator's route table: each simulated API contributes a list of routes (see bundle-api.ts, oauth.ts);
 * the server matches a request against them, applies faults and auth, then calls the handler.
 */

/** HTTP methods the simulated APIs use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH'

/** What a handler sees of a request. */
export interface RouteRequest {
  method: HttpMethod
  /** Values of the pattern's `:name` segments, URL-decoded. */
  params: Record<string, string>
  query: URLSearchParams
  /** Lower-case header names. */
  headers: Record<string, string>
  /** Raw body text. */
  body: string
  /** The body parsed as JSON when its content type is JSON and it parses; else undefined. */
  json: unknown
  /** Injected clock at arrival, in ms since the epoch. */
  now: number
  /** `inin-correlation-id` of the answer; Genesys error bodies repeat it as `contextId`. */
  correlationId: string
  /** Scenario of the request's bundle (its `bundleId` parameter), or the default scenario. */
  scenario: Scenario
}

/** A handler's answer; the server sends `body` as JSON, or `text` as it is. */
export interface RouteResponse {
  status: number
  body: unknown
  /**
   * A body sent as it is instead of JSON (what presigned storage URLs answer), with `content-type` taken from
   * `headers`.
   */
  text?: string
  /** Extra headers (`Retry-After`, `WWW-Authenticate`). */
  headers?: Record<string, string>
}

/** One endpoint of a simulated API. */
export interface Route {
  method: HttpMethod
  /** Path with `:name` segments, e.g. `/api/v2/architect/bundles/:bundleId/validate`. */
  pattern: string
  /** Name fault injection selects this route by. */
  operation: SimulatedOperation
  /** `bearer`: needs a live access token; `none`: the handler authenticates (or nothing does). */
  auth: 'bearer' | 'none'
  handle(request: RouteRequest): RouteResponse
}

/** The result of matching a request line against a route table. */
export type RouteMatch<R> =
  { kind: 'found'; route: R; params: Record<string, string> } | { kind: 'method-not-allowed'; allowed: HttpMethod[] } | { kind: 'not-found' }

/** Finds the route for a method and path; tells 405 (path known, method not) from 404. */
export function matchRoute<R extends { method: HttpMethod; pattern: string }>(routes: readonly R[], method: string, path: string): RouteMatch<R> {
  const allowed: HttpMethod[] = []
  for (const route of routes) {
    const params = matchPattern(route.pattern, path)
    if (!params) continue
    if (route.method === method) return { kind: 'found', route, params }
    allowed.push(route.method)
  }
  return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' }
}

/** Parameters of `path` under `pattern`, or undefined when it does not match. Empty segments never match. */
export function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const patternSegments = pattern.split('/')
  const pathSegments = path.split('/')
  if (patternSegments.length !== pathSegments.length) return undefined
  const params: Record<string, string> = {}
  for (const [index, expected] of patternSegments.entries()) {
    const actual = pathSegments[index]
    if (expected.startsWith(':')) {
      const value = safeDecode(actual)
      if (!value) return undefined
      params[expected.slice(1)] = value
    } else if (expected !== actual) {
      return undefined
    }
  }
  return params
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}
