/**
 * The one error type for everything that goes wrong between the action and Genesys Cloud.
 * Its message says what failed, quotes what the platform said, and ends with what to do about it,
 * so that `core.setFailed(error.message)` is enough for an admin to act on.
 */

/** What kind of failure it was. */
export type GenesysFailureKind =
  /** The API answered with an error status. */
  | 'http'
  /** The token endpoint refused the OAuth client credentials. */
  | 'auth'
  /** No complete answer within the request timeout. */
  | 'timeout'
  /** The connection failed (refused, reset, DNS). */
  | 'network'
  /** An answer that is not what the Genesys Cloud API sends (not JSON, wrong shape, unknown status). */
  | 'invalid-response'

/** The error body Genesys Cloud sends (SDK model `ErrorBody`); every field optional. */
export interface GenesysErrorBody {
  message?: string
  code?: string
  status?: number
  contextId?: string
  messageWithParams?: string
  messageParams?: Record<string, string>
  details?: { errorCode?: string; fieldName?: string; entityId?: string; entityName?: string }[]
  errors?: GenesysErrorBody[]
}

/** Everything known about one failure. Only `kind`, `method` and `endpoint` are always known. */
export interface GenesysApiErrorInit {
  kind: GenesysFailureKind
  /** HTTP method, upper case. */
  method: string
  /** Path of the request (or URL without its query), with no query values: they could hold secrets. */
  endpoint: string
  /** HTTP status, when an answer came. */
  status?: number
  /** `inin-correlation-id` response header: Genesys support finds the request by it. */
  correlationId?: string
  /** Parsed Genesys error body, when the answer was one. */
  body?: GenesysErrorBody
  /** First characters of an answer that was not a Genesys error body (HTML, plain text). */
  bodySnippet?: string
  /** What was wrong with the answer (`invalid-response`) or the connection (`network`). */
  detail?: string
  /** Node error code of a network failure (`ECONNRESET`). */
  networkCode?: string
  /** Request timeout that expired, in ms. */
  timeoutMs?: number
  /** Attempts made, the first included. */
  attempts?: number
  /** Rate-limit (429) waits made before giving up. */
  rateLimitWaits?: number
  /** Why a temporary failure was not retried ("a POST that is not idempotent could apply twice"). */
  notRetriedBecause?: string
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  retryAfterSeconds?: number
  /** Guidance that replaces the default one, for failures only the caller understands. */
  hint?: string
}

/** Node error codes that mean the host or port could not be reached at all. */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

/** Genesys permission names look like `architect:flow:add` (domain:entity:action). */
const PERMISSION_PATTERN = /\b[a-zA-Z]+:[a-zA-Z*]+:[a-zA-Z*]+\b/g

/** A failed exchange with Genesys Cloud, with guidance on what to do about it. */
export class GenesysApiError extends Error {
  readonly kind: GenesysFailureKind
  readonly method: string
  readonly endpoint: string
  readonly status: number | undefined
  readonly correlationId: string | undefined
  /** Genesys error code (`missing.permissions`, `bad.request`), when the body had one. */
  readonly code: string | undefined
  /** The platform's own message, when the body had one. */
  readonly platformMessage: string | undefined
  readonly body: GenesysErrorBody | undefined
  readonly retryAfterSeconds: number | undefined
  readonly networkCode: string | undefined
  private readonly init: GenesysApiErrorInit

  constructor(init: GenesysApiErrorInit) {
    super(composeMessage(init))
    this.name = 'GenesysApiError'
    this.init = init
    this.kind = init.kind
    this.method = init.method
    this.endpoint = init.endpoint
    this.status = init.status
    this.correlationId = init.correlationId
    this.code = init.body?.code
    this.platformMessage = init.body?.message
    this.body = init.body
    this.retryAfterSeconds = init.retryAfterSeconds
    this.networkCode = init.networkCode
  }

  /** What the admin should do about this failure. */
  hint(): string {
    return hintFor(this.init)
  }

  /** Short reason for retry logs: `HTTP 503`, `ECONNRESET`, `timeout after 30000 ms`. */
  get reason(): string {
    return shortReason(this.init)
  }
}

/** A refusal the platform would repeat however often it is asked: an HTTP 4xx other than 408 and 429. */
export function isRefusal(error: unknown): error is GenesysApiError {
  if (!(error instanceof GenesysApiError) || error.kind !== 'http') return false
  const status = error.status ?? 0
  return status >= 400 && status < 500 && status !== 408 && status !== 429
}

/**
 * A failure worth asking again on a later poll, once the client's own retries are spent: connection faults,
 * timeouts, 408 / 429 / 5xx, and answers that could not be read (the caller's deadline bounds them). Refused
 * credentials, refusals, and anything that is not a GenesysApiError (a bug) are final.
 */
export function isWorthRetryingLater(error: unknown): boolean {
  return error instanceof GenesysApiError && error.kind !== 'auth' && !isRefusal(error)
}

/** True when `error` is a GenesysApiError with one of the given statuses. */
export function isGenesysStatus(error: unknown, ...statuses: number[]): error is GenesysApiError {
  return error instanceof GenesysApiError && error.status !== undefined && statuses.includes(error.status)
}

function shortReason(init: GenesysApiErrorInit): string {
  const correlation = init.correlationId ? `, inin-correlation-id ${init.correlationId}` : ''
  switch (init.kind) {
    case 'timeout':
      return `timeout after ${init.timeoutMs} ms`
    case 'network':
      return init.networkCode ?? init.detail ?? 'connection failed'
    default:
      return init.status === undefined ? init.kind : `HTTP ${init.status}${correlation}`
  }
}

/** The platform's messages, the nested `errors[]` ones included, without repeats. */
export function platformMessages(body: GenesysErrorBody | undefined): string[] {
  if (!body) return []
  const nested = (body.errors ?? []).flatMap(error => platformMessages(error))
  const fields = (body.details ?? []).filter(detail => detail.fieldName).map(detail => `${detail.fieldName}${detail.errorCode ? ` (${detail.errorCode})` : ''}`)
  const all = [body.message, ...nested, ...fields].filter((text): text is string => Boolean(text?.trim()))
  return [...new Set(all)]
}

function describeAnswer(init: GenesysApiErrorInit): string {
  const messages = platformMessages(init.body)
  const code = init.body?.code ? ` (${init.body.code})` : ''
  if (messages.length > 0) return `${code}: ${messages.join('; ')}`
  if (init.bodySnippet !== undefined) return `${code}: "${init.bodySnippet}"`
  return code
}

function describeWhatHappened(init: GenesysApiErrorInit): string {
  const request = `${init.method} ${init.endpoint}`
  switch (init.kind) {
    case 'auth': {
      const said = [init.body?.code, ...platformMessages(init.body)].filter(Boolean).join(': ') || init.bodySnippet
      return `Genesys Cloud refused the OAuth client credentials at ${init.endpoint} (HTTP ${init.status}${said ? `, ${said}` : ''})`
    }
    case 'timeout':
      // No time left at all: the request was never sent (what came before it used the time up).
      if (init.timeoutMs === 0) return `${request} was not sent: the time \`timeout-seconds\` allows had run out before it`
      return `${request} got no complete answer within ${init.timeoutMs} ms`
    case 'network':
      return `${request} failed: ${init.detail ?? init.networkCode ?? 'connection failed'}`
    case 'invalid-response':
      return `${request} answered${init.status === undefined ? '' : ` HTTP ${init.status}`} ${init.detail ?? 'something unexpected'}${init.bodySnippet === undefined ? '' : `: "${init.bodySnippet}"`}`
    case 'http':
      return `Genesys Cloud answered ${request} with HTTP ${init.status}${describeAnswer(init)}`
  }
}

function describeRetries(init: GenesysApiErrorInit): string {
  if (init.notRetriedBecause) return ` (not retried: ${init.notRetriedBecause})`
  if (init.status === 429 && init.rateLimitWaits) return ` (still rate limited after ${init.rateLimitWaits} waits)`
  if (init.attempts && init.attempts > 1) return ` (after ${init.attempts} attempts)`
  return ''
}

function composeMessage(init: GenesysApiErrorInit): string {
  const correlation = init.correlationId ? ` [inin-correlation-id: ${init.correlationId}]` : ''
  return `${describeWhatHappened(init)}${describeRetries(init)}${correlation}. ${hintFor(init)}`
}

/** Permission names the platform quoted in a 403 body, without repeats. */
export function missingPermissions(body: GenesysErrorBody | undefined): string[] {
  if (!body) return []
  const texts = [body.message, ...Object.values(body.messageParams ?? {}), ...platformMessages(body)]
  const found = texts.flatMap(text => (typeof text === 'string' ? (text.match(PERMISSION_PATTERN) ?? []) : []))
  return [...new Set(found)]
}

function hintForStatus(init: GenesysApiErrorInit): string {
  const status = init.status ?? 0
  if (status === 401) {
    return (
      'The API refused a freshly issued token: check that the OAuth client uses the Client Credentials grant, ' +
      'that it belongs to the org you deploy to, and that `region` (or `api-url` / `auth-url`) is that org’s region.'
    )
  }
  if (status === 403) {
    const permissions = missingPermissions(init.body)
    return permissions.length > 0
      ? `The OAuth client lacks the permission ${permissions.map(p => `\`${p}\``).join(', ')}: add a role that ` +
          'grants it to the OAuth client (Admin > Integrations > OAuth > Roles), with the target division.'
      : 'The OAuth client’s roles do not allow this request: add a role with the Architect permissions for ' +
          'bundles and flows to the OAuth client (Admin > Integrations > OAuth > Roles).'
  }
  if (status === 404) {
    // Real orgs have no bundle endpoints: a 404 there is almost always the wrong API, not a wrong id.
    return init.endpoint.includes('/bundles/')
      ? 'The org has no bundle API (`/api/v2/architect/bundles/...`, which `api: architecture-manager` uses): real ' +
          'Genesys Cloud orgs deploy Archy flow files with `api: architect` (give each flow a `file:` and set `api: architect` ' +
          'or leave `api: auto`). If your org or proxy does offer the bundle API, check the manifest’s `bundleId`, the ' +
          '`environment-id`, and that `api-url` / `region` point at it.'
      : 'Check the id in the path and that `region` / `api-url` is the region of the org you deploy to.'
  }
  if (status === 429) {
    return 'Genesys Cloud kept rate-limiting the OAuth client: run fewer jobs against this org at the same time, ' + 'or re-run later.'
  }
  if (status >= 500) {
    const effect = init.notRetriedBecause ? 'Check in Genesys Cloud whether the request took effect before re-running. ' : ''
    return `${effect}This is a platform-side failure: re-run later; if it persists, give the inin-correlation-id to Genesys Cloud support.`
  }
  if (status === 400 || status === 422) {
    return 'The platform rejected the request: fix what it names in the bundle manifest and re-run.'
  }
  return 'See the platform’s message above; the request was not retried because this status is not temporary.'
}

/** Guidance for a failure, by kind and status. Pure. */
export function hintFor(init: GenesysApiErrorInit): string {
  if (init.hint) return init.hint
  switch (init.kind) {
    case 'auth':
      return (
        'Check the `client-id` and `client-secret` inputs: they must be an OAuth client with the Client ' +
        'Credentials grant, in the org whose region `auth-url` / `region` names.'
      )
    case 'timeout':
      if (init.timeoutMs === 0) {
        return 'The log shows what took the time before it (GitHub requests, earlier platform requests): raise `timeout-seconds`, or re-run when they are faster.'
      }
      return 'Check that `api-url` / `region` points at a Genesys Cloud API the runner can reach; if the platform ' + 'is only slow, re-run later.'
    case 'network':
      return init.networkCode && UNREACHABLE_CODES.has(init.networkCode)
        ? 'The host could not be reached: check `region`, or `api-url` / `auth-url` when set.'
        : 'The connection kept failing: re-run later; check any proxy between the runner and Genesys Cloud.'
    case 'invalid-response':
      return (
        'This is not an answer the Genesys Cloud API sends: check that `api-url` points at the Platform API ' +
        '(https://api.{region}) and not at a web page or a proxy.'
      )
    case 'http':
      return hintForStatus(init)
  }
}
