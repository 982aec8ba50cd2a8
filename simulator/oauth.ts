import { randomBytes } from 'node:crypto'
import type { Route, RouteRequest, RouteResponse } from './router.js'

/**
 * The OAuth client-credentials grant of `login.{region}` (`POST /oauth/token`) and the bearer tokens it
 * issues. Tokens expire on the simulator's injected clock.
 */

/** Client credentials the simulator accepts when none are given: clientId -> secret. */
export const DEFAULT_CLIENTS: Readonly<Record<string, string>> = Object.freeze({ 'sim-client': 'sim-secret' })

/** Path of the token endpoint. */
export const TOKEN_PATH = '/oauth/token'

/** OAuth error codes (RFC 6749 §5.2) the token endpoint answers with. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type'

/** The token endpoint's error body; Genesys sends `description` next to the standard `error_description`. */
export interface OAuthErrorBody {
  error: OAuthErrorCode
  description: string
  error_description: string
}

/** The token endpoint's success body. */
export interface TokenResponseBody {
  access_token: string
  token_type: 'bearer'
  /** Lifetime in seconds. */
  expires_in: number
}

interface IssuedToken {
  clientId: string
  /** Injected clock time at which the token stops working, in ms. */
  expiresAt: number
}

/** The tokens issued so far. */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>()

  /** Issues a token for `clientId` that works until `now + lifetimeSeconds`. */
  issue(clientId: string, lifetimeSeconds: number, now: number): string {
    const token = randomBytes(32).toString('base64url')
    this.tokens.set(token, { clientId, expiresAt: now + lifetimeSeconds * 1000 })
    return token
  }

  /**
   * Why an `Authorization` header does not authenticate an API request at `now`, as the 401 message; undefined
   * when it carries a live bearer token. Messages never repeat the token.
   */
  bearerProblem(authorization: string | undefined, now: number): string | undefined {
    const match = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    if (!match) {
      return `No authentication bearer token specified in authorization header: send "Authorization: Bearer <access_token>" with a token from POST ${TOKEN_PATH}.`
    }
    const issued = this.tokens.get(match[1])
    if (!issued) {
      return `The bearer token was not issued by this server (or the server was restarted): request a new one at POST ${TOKEN_PATH}.`
    }
    if (now >= issued.expiresAt) {
      return `The bearer token expired at ${new Date(issued.expiresAt).toISOString()}: request a new one at POST ${TOKEN_PATH}.`
    }
    return undefined
  }
}

/** The token endpoint, accepting `clients` (clientId -> secret). */
export function oauthRoutes(clients: Readonly<Record<string, string>>, tokens: TokenStore): Route[] {
  return [
    {
      method: 'POST',
      pattern: TOKEN_PATH,
      operation: 'token',
      auth: 'none',
      handle: request => issueToken(request, clients, tokens)
    }
  ]
}

function issueToken(request: RouteRequest, clients: Readonly<Record<string, string>>, tokens: TokenStore): RouteResponse {
  const contentType = request.headers['content-type'] ?? ''
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType.trim())) {
    return oauthError(
      400,
      'invalid_request',
      `Content-Type must be application/x-www-form-urlencoded, not "${contentType}": send the body grant_type=client_credentials as a form.`
    )
  }
  const clientId = authenticateClient(request.headers.authorization, clients)
  if (clientId === undefined) {
    return oauthError(
      401,
      'invalid_client',
      'Client authentication failed: send "Authorization: Basic base64(client-id:client-secret)" with the credentials of an OAuth client of the organization.'
    )
  }
  const grantType = new URLSearchParams(request.body).get('grant_type')
  if (grantType === null) {
    return oauthError(400, 'invalid_request', 'The form body has no grant_type: send grant_type=client_credentials.')
  }
  if (grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', `grant_type "${grantType}" is not supported for this client: send grant_type=client_credentials.`)
  }
  const lifetimeSeconds = request.scenario.tokenLifetimeSeconds
  const body: TokenResponseBody = {
    access_token: tokens.issue(clientId, lifetimeSeconds, request.now),
    token_type: 'bearer',
    expires_in: lifetimeSeconds
  }
  return { status: 200, body, headers: { 'cache-control': 'no-store' } }
}

/** The client id of valid Basic credentials, or undefined. */
function authenticateClient(authorization: string | undefined, clients: Readonly<Record<string, string>>): string | undefined {
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '')
  if (!match) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const separator = decoded.indexOf(':')
  if (separator < 0) return undefined
  const clientId = decoded.slice(0, separator)
  const secret = decoded.slice(separator + 1)
  return Object.hasOwn(clients, clientId) && clients[clientId] === secret ? clientId : undefined
}

function oauthError(status: number, error: OAuthErrorCode, description: string): RouteResponse {
  const body: OAuthErrorBody = { error, description, error_description: description }
  const headers: Record<string, string> = { 'cache-control': 'no-store' }
  // RFC 6749 §5.2: a 401 from the token endpoint names the authentication scheme it expects.
  if (status === 401) headers['www-authenticate'] = 'Basic realm="oauth"'
  return { status, body, headers }
}
