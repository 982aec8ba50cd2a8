import { HttpClient } from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, RequestOptions } from 'node:http'
import { z } from 'zod'
import { redactSecrets, redactSecretsInText } from '../redact-secrets.js'
import { backoffDelayMs, parseRetryAfterSeconds, realSleep, withRetry, type RetryDecision, type Sleep } from '../retry-helper.js'
import { GenesysApiError, type GenesysApiErrorInit, type GenesysErrorBody } from './genesys-api-error.js'

/**
 * The one way the action talks to Genesys Cloud: OAuth client-credentials token (cached, renewed),
 * JSON requests with a timeout each, and retries of what is temporary (see the README's
 * "Auth, HTTP and rate limits"). Drivers build on `request`; nothing here knows about bundles.
 */

/** HTTP methods the Genesys Cloud API uses. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Where the client writes what it does. Lines never contain a token, a secret or an Authorization header. */
export interface HttpLog {
  /** Every exchange (method, endpoint, status, duration). */
  debug(message: string): void
  /** Retries and rate-limit waits. */
  info(message: string): void
}

export interface GenesysHttpClientOptions {
  /** Platform API base URL (`https://api.mypurecloud.com`, or a simulator / proxy). */
  apiUrl: string
  /** Login service base URL (`https://login.mypurecloud.com`). */
  authUrl: string
  /** OAuth client (Client Credentials grant). */
  clientId: string
  clientSecret: string
  /** Deadline for one complete exchange (headers and body), in ms. Default 30000. */
  requestTimeoutMs?: number
  /** Attempts for 5xx, connection resets and timeouts, the first included. Default 5. */
  maxAttempts?: number
  /** Waits after a 429 before giving up; its own, larger budget so one 429 never fails a run. Default 10. */
  maxRateLimitWaits?: number
  /** Longest `Retry-After` honoured, in ms. Default 60000. */
  retryAfterCapMs?: number
  /** First backoff between attempts, in ms (doubles each attempt). Default 1000. */
  retryBaseDelayMs?: number
  /** Longest backoff between attempts, in ms. Default 15000. */
  retryMaxDelayMs?: number
  /** Injected so tests need not wait. */
  sleep?: Sleep
  /** Returns [0, 1); jitter. Injected so tests are deterministic. */
  random?: () => number
  /** Current time in ms since the epoch; decides when the cached token is renewed. */
  now?: () => number
  /** A plain function receives the `info` lines only. */
  log?: HttpLog | ((message: string) => void)
  /** User-Agent header. */
  userAgent?: string
  /**
   * When answers must have come by (ms on `now`'s clock), read before every attempt: the deploy state machine sets
   * it to the deployment's deadline, so that request timeouts and retry waits never run past `timeout-seconds`.
   */
  deadline?: () => number | undefined
  /**
   * Told every credential the client learns (the Basic value, each access token, upload signatures), so that the
   * runner masks them in the job log and the records leave them out even when a server echoes one back.
   */
  onSecret?: (value: string) => void
}

/** One call to the Platform API. */
export interface GenesysRequest {
  method: HttpMethod
  /** Path under the API URL, starting with `/`; the caller encodes its segments. */
  path: string
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>
  /** JSON body. */
  body?: unknown
  /**
   * Whether a POST may be repeated safely. 5xx, resets and timeouts are retried only for GET, HEAD,
   * PUT, DELETE and POSTs marked idempotent: repeating any other POST could apply it twice.
   */
  idempotent?: boolean
  /** Error statuses answered as a response instead of thrown (a 422 that carries validation errors). */
  acceptStatuses?: readonly number[]
}

/** A successful answer. */
export interface GenesysResponse<T> {
  status: number
  /** Parsed JSON; undefined when the answer had no body. */
  body: T
  /** Response headers, names in lower case. */
  headers: Record<string, string>
}

/** What drivers need of the client; lets one driver share a client with another. */
export interface GenesysRequester {
  request<T = unknown>(request: GenesysRequest): Promise<GenesysResponse<T>>
}

/** The presigned-URL transfers the architect driver needs besides API requests. */
export interface PresignedTransfer {
  /** PUTs `body` to `url` with exactly `headers` and no bearer token. */
  uploadToPresignedUrl(url: string, body: string, headers: Record<string, string>): Promise<void>
  /** GETs `url` with no bearer token and returns the body as text. */
  downloadFromPresignedUrl(url: string): Promise<string>
}

interface ResolvedOptions {
  apiUrl: string
  authUrl: string
  clientId: string
  clientSecret: string
  requestTimeoutMs: number
  maxAttempts: number
  maxRateLimitWaits: number
  retryAfterCapMs: number
  retryBaseDelayMs: number
  retryMaxDelayMs: number
  sleep: Sleep
  random: () => number
  now: () => number
  log: HttpLog
  userAgent: string
  deadline?: () => number | undefined
  onSecret?: (value: string) => void
}

/** One HTTP exchange to perform. */
interface Exchange {
  method: HttpMethod
  url: string
  /** What messages call it: no query values, no credentials. */
  endpoint: string
  headers: OutgoingHttpHeaders
  body?: string
  /** Whether 5xx / resets / timeouts of this exchange will be retried. */
  retryTransient: boolean
}

/** Where an exchange stands in its retry budgets, for the error message. */
interface AttemptState {
  attempt: number
  rateLimitWaits: number
}

/** What came back. */
interface RawAnswer {
  status: number
  headers: Record<string, string>
  text: string
}

interface CachedToken {
  value: string
  /** When to fetch a new one (expiry minus a margin), ms since the epoch. */
  renewAt: number
}

const DEFAULTS = {
  requestTimeoutMs: 30_000,
  maxAttempts: 5,
  maxRateLimitWaits: 10,
  retryAfterCapMs: 60_000,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 15_000,
  userAgent: 'genesys-bundle-deploy'
} as const

/** Methods that do the same thing however often they are sent. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE'])

/** Node error codes of connections that broke mid-way: worth another attempt. */
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED'])

/** Random spread added to a Retry-After wait so parallel jobs do not come back in the same instant. */
const RATE_LIMIT_JITTER_MS = 1_000

/** The token is renewed this long before it expires (at most; 10 % of its lifetime for short ones). */
const TOKEN_RENEWAL_MARGIN_MS = 60_000

/** Lifetime assumed when the token answer has no `expires_in`. */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 300

/** Characters of an unexpected body quoted in an error. */
const SNIPPET_LENGTH = 200

/** Errors that already went through a retry loop: an enclosing loop must not retry them again. */
const settledErrors = new WeakSet<object>()

/** Genesys Cloud Platform API client. */
export class GenesysHttpClient implements GenesysRequester, PresignedTransfer {
  private readonly options: ResolvedOptions
  private readonly tokenEndpoint: string
  private readonly basicCredentials: string
  /** Values that must never reach a log line or an error message. */
  private readonly secrets = new Set<string>()
  private token: CachedToken | undefined
  private pendingToken: Promise<string> | undefined

  constructor(options: GenesysHttpClientOptions) {
    this.options = {
      ...DEFAULTS,
      ...withoutUndefined(options),
      apiUrl: checkedBaseUrl(options.apiUrl, 'api-url'),
      authUrl: checkedBaseUrl(options.authUrl, 'auth-url'),
      sleep: options.sleep ?? realSleep,
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
      log: this.redactingLog(toHttpLog(options.log))
    }
    this.tokenEndpoint = `${this.options.authUrl}/oauth/token`
    this.basicCredentials = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')
    this.rememberSecret(options.clientSecret)
    this.rememberSecret(this.basicCredentials)
  }

  /**
   * Sends one JSON request to the Platform API with a bearer token and returns the parsed answer.
   * Throws GenesysApiError for error statuses (except `acceptStatuses`), timeouts, broken
   * connections and answers that are not JSON.
   */
  async request<T = unknown>(request: GenesysRequest): Promise<GenesysResponse<T>> {
    const method = request.method
    const exchange: Exchange = {
      method,
      url: `${this.options.apiUrl}${request.path}${queryString(request.query)}`,
      endpoint: describeEndpoint(request.path, request.query),
      headers: { accept: 'application/json' },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      retryTransient: SAFE_METHODS.has(method) || request.idempotent === true
    }
    if (exchange.body !== undefined) exchange.headers['content-type'] = 'application/json'
    // One fresh token per request at most: a second 401 is a real refusal, not an expired token.
    let reauthenticated = false
    return this.retrying(exchange, async state => {
      let sent = await this.sendWithToken(exchange, state)
      if (sent.answer.status === 401 && !reauthenticated) {
        reauthenticated = true
        this.options.log.debug(`${method} ${exchange.endpoint}: HTTP 401, fetching a new token once`)
        this.forgetToken(sent.token)
        sent = await this.sendWithToken(exchange, state)
      }
      return this.interpretApiAnswer<T>(sent.answer, exchange, state, request.acceptStatuses ?? [])
    })
  }

  /**
   * PUTs a file to a presigned upload URL (Architect flow jobs) with exactly the given headers and no
   * bearer token: the URL's signature is the credential. Retried like any PUT.
   */
  async uploadToPresignedUrl(url: string, body: string, headers: Record<string, string>): Promise<void> {
    const parsed = new URL(url)
    // The signature lives in the query (storage errors may echo it alone): keep it out of every message.
    this.rememberSecret(parsed.search.slice(1))
    for (const value of parsed.searchParams.values()) this.rememberSecret(value)
    const exchange: Exchange = {
      method: 'PUT',
      url,
      endpoint: `${parsed.origin}${parsed.pathname}`,
      headers: { ...headers },
      body,
      retryTransient: true
    }
    await this.retrying(exchange, async state => {
      const answer = await this.send(exchange, state)
      if (isSuccess(answer.status)) return
      throw this.httpError(answer, exchange, state, {
        hint:
          'The upload URL refused the flow file: it may have expired, or a proxy changed the headers it ' +
          'was signed with; re-run, and check any proxy between the runner and the storage host.'
      })
    })
  }

  /**
   * GETs a presigned download URL (the YAML an Architect export job leaves behind) with no bearer token: the URL's
   * signature is the credential. Retried like any GET; the signature never appears in a message.
   */
  async downloadFromPresignedUrl(url: string): Promise<string> {
    const parsed = new URL(url)
    this.rememberSecret(parsed.search.slice(1))
    for (const value of parsed.searchParams.values()) this.rememberSecret(value)
    const exchange: Exchange = { method: 'GET', url, endpoint: `${parsed.origin}${parsed.pathname}`, headers: {}, retryTransient: true }
    return this.retrying(exchange, async state => {
      const answer = await this.send(exchange, state)
      if (isSuccess(answer.status)) return answer.text
      throw this.httpError(answer, exchange, state, {
        hint:
          'The download URL refused the exported flow: it may have expired, or a proxy changed the request; ' +
          're-run, and check any proxy between the runner and the storage host.'
      })
    })
  }

  /** Access token for the API: cached until shortly before it expires; concurrent callers share one fetch. */
  private async accessToken(): Promise<string> {
    if (this.token && this.options.now() < this.token.renewAt) return this.token.value
    this.pendingToken ??= this.fetchToken().finally(() => {
      this.pendingToken = undefined
    })
    return this.pendingToken
  }

  /** Drops the cached token the API refused, unless a concurrent request already replaced it. */
  private forgetToken(refused: string): void {
    if (this.token?.value === refused) this.token = undefined
  }

  private async fetchToken(): Promise<string> {
    const exchange: Exchange = {
      method: 'POST',
      url: this.tokenEndpoint,
      endpoint: this.tokenEndpoint,
      headers: {
        authorization: `Basic ${this.basicCredentials}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json'
      },
      body: 'grant_type=client_credentials',
      // Asking for a token twice only issues two tokens: safe to repeat.
      retryTransient: true
    }
    const issuedAt = this.options.now()
    const token = await this.retrying(exchange, async state => {
      const answer = await this.send(exchange, state)
      return this.interpretTokenAnswer(answer, exchange, state)
    })
    this.rememberSecret(token.accessToken)
    const lifetimeMs = (token.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS) * 1000
    this.token = {
      value: token.accessToken,
      renewAt: issuedAt + lifetimeMs - Math.min(TOKEN_RENEWAL_MARGIN_MS, lifetimeMs * 0.1)
    }
    this.options.log.debug(`Fetched an access token from ${this.tokenEndpoint}; valid for ${lifetimeMs / 1000} s`)
    return token.accessToken
  }

  private async sendWithToken(exchange: Exchange, state: AttemptState): Promise<{ answer: RawAnswer; token: string }> {
    const token = await this.accessToken()
    const answer = await this.send(
      { ...exchange, headers: { ...exchange.headers, authorization: `Bearer ${token}` } },
      state
    )
    return { answer, token }
  }

  /**
   * Runs `operation` under both retry budgets: 5xx / resets / timeouts (when the exchange is safe to
   * repeat) with backoff inside, 429 with Retry-After waits outside, so a long rate-limit storm does not
   * use up the attempts meant for real failures.
   */
  private async retrying<T>(exchange: Exchange, operation: (state: AttemptState) => Promise<T>): Promise<T> {
    const { maxAttempts, maxRateLimitWaits, retryBaseDelayMs, retryMaxDelayMs, sleep, random } = this.options
    const label = `${exchange.method} ${exchange.endpoint}`
    const log = (message: string): void => this.options.log.info(message)
    let rateLimitWaits = 0
    try {
      return await withRetry(
        () =>
          withRetry(attempt => operation({ attempt, rateLimitWaits }), {
            maxAttempts,
            baseDelayMs: retryBaseDelayMs,
            maxDelayMs: retryMaxDelayMs,
            classify: error => this.classifyTransient(error, exchange),
            sleep,
            random,
            log,
            label,
            deadline: this.options.deadline,
            now: this.options.now
          }),
        {
          maxAttempts: maxRateLimitWaits + 1,
          baseDelayMs: retryBaseDelayMs,
          maxDelayMs: retryMaxDelayMs,
          classify: error => {
            const decision = this.classifyRateLimit(error, rateLimitWaits + 1)
            if (decision.retry) rateLimitWaits++
            return decision
          },
          sleep,
          random,
          log,
          label: `${label} (rate limit)`,
          deadline: this.options.deadline,
          now: this.options.now
        }
      )
    } catch (error) {
      if (typeof error === 'object' && error !== null) settledErrors.add(error)
      throw error
    }
  }

  /** 5xx, broken connections and timeouts: retried when the exchange is safe to repeat. */
  private classifyTransient(error: unknown, exchange: Exchange): RetryDecision {
    if (!(error instanceof GenesysApiError) || settledErrors.has(error) || !exchange.retryTransient) {
      return { retry: false, reason: shortReason(error) }
    }
    if (!isTransient(error)) return { retry: false, reason: error.reason }
    const waitMs =
      error.retryAfterSeconds === undefined
        ? undefined
        : Math.min(this.options.retryAfterCapMs, error.retryAfterSeconds * 1000)
    return { retry: true, reason: error.reason, waitMs }
  }

  /** 429, whatever the method: the platform did not process the request, so repeating it is safe. */
  private classifyRateLimit(error: unknown, waitNumber: number): RetryDecision {
    if (!(error instanceof GenesysApiError) || settledErrors.has(error) || error.status !== 429) {
      return { retry: false, reason: shortReason(error) }
    }
    const waitMs = rateLimitWaitMs(error.retryAfterSeconds, waitNumber, this.options)
    return { retry: true, reason: `${error.reason}, wait ${waitNumber} of ${this.options.maxRateLimitWaits}`, waitMs }
  }

  private interpretApiAnswer<T>(
    answer: RawAnswer,
    exchange: Exchange,
    state: AttemptState,
    acceptStatuses: readonly number[]
  ): GenesysResponse<T> {
    if (!isSuccess(answer.status) && !acceptStatuses.includes(answer.status)) {
      throw this.httpError(answer, exchange, state)
    }
    if (answer.text.trim() === '') return { status: answer.status, body: undefined as T, headers: answer.headers }
    const parsed = parseJson(answer.text)
    if (!parsed.ok) {
      throw this.failure(exchange, state, answer, {
        kind: 'invalid-response',
        detail: `a body that is not JSON (content-type ${answer.headers['content-type'] ?? 'not set'})`,
        bodySnippet: this.snippet(answer.text)
      })
    }
    return { status: answer.status, body: parsed.value as T, headers: answer.headers }
  }

  private interpretTokenAnswer(answer: RawAnswer, exchange: Exchange, state: AttemptState): IssuedToken {
    if ([400, 401, 403].includes(answer.status)) {
      const parsed = parseJson(answer.text)
      const body = parsed.ok ? tokenErrorBody(parsed.value) : undefined
      throw this.failure(exchange, state, answer, {
        kind: 'auth',
        body,
        bodySnippet: body ? undefined : this.snippet(answer.text)
      })
    }
    if (!isSuccess(answer.status)) throw this.httpError(answer, exchange, state)
    const parsed = parseJson(answer.text)
    const token = parsed.ok ? TokenAnswerSchema.safeParse(parsed.value) : undefined
    if (!token?.success) {
      // Never quote a token answer: it may hold the token in a shape this parser did not expect.
      throw this.failure(exchange, state, answer, {
        kind: 'invalid-response',
        detail: parsed.ok
          ? `a token answer without \`access_token\` (keys: ${describeKeys(parsed.value)})`
          : 'a token answer that is not JSON'
      })
    }
    return { accessToken: token.data.access_token, expiresInSeconds: token.data.expires_in }
  }

  /** Sends one exchange with a deadline; broken connections and timeouts become GenesysApiError. */
  private async send(exchange: Exchange, state: AttemptState): Promise<RawAnswer> {
    const startedAt = this.options.now()
    const callerDeadline = this.options.deadline?.()
    // A caller's deadline shortens the request timeout: no request outlives the deployment's own deadline.
    const remainingMs = callerDeadline === undefined ? Infinity : callerDeadline - startedAt
    if (remainingMs <= 0) throw this.failure(exchange, state, undefined, { kind: 'timeout', timeoutMs: 0 })
    const timeoutMs = Math.min(this.options.requestTimeoutMs, remainingMs)
    const abort = new AbortController()
    // A fresh client per exchange carries this exchange's abort signal into node:http.
    const http = new HttpClient(this.options.userAgent, [abortSignalHandler(abort.signal)], {
      allowRedirects: false,
      // Backstop only: the timer below also covers a body that stops mid-way.
      socketTimeout: timeoutMs + 1_000
    })
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort()
        reject(this.failure(exchange, state, undefined, { kind: 'timeout', timeoutMs }))
      }, timeoutMs)
    })
    try {
      const answer = await Promise.race([exchangeOnce(http, exchange), deadline])
      this.options.log.debug(
        `${exchange.method} ${exchange.endpoint} → HTTP ${answer.status} in ${this.options.now() - startedAt} ms` +
          (answer.headers['inin-correlation-id'] ? ` (inin-correlation-id ${answer.headers['inin-correlation-id']})` : '')
      )
      return answer
    } catch (error) {
      if (error instanceof GenesysApiError) throw error
      throw this.networkFailure(error, exchange, state)
    } finally {
      clearTimeout(timer)
    }
  }

  private networkFailure(error: unknown, exchange: Exchange, state: AttemptState): GenesysApiError {
    const code = errorCode(error)
    const message = error instanceof Error ? error.message : String(error)
    // @actions/http-client's own socket timeout quotes the path with its query: never repeat it.
    if (message.startsWith('Request timeout')) {
      return this.failure(exchange, state, undefined, { kind: 'timeout', timeoutMs: this.options.requestTimeoutMs })
    }
    return this.failure(exchange, state, undefined, {
      kind: 'network',
      networkCode: code,
      detail: this.redact(code && !message.includes(code) ? `${code} (${message})` : message)
    })
  }

  private httpError(
    answer: RawAnswer,
    exchange: Exchange,
    state: AttemptState,
    extra: Partial<GenesysApiErrorInit> = {}
  ): GenesysApiError {
    const parsed = parseJson(answer.text)
    const body = parsed.ok ? genesysErrorBody(parsed.value) : undefined
    return this.failure(exchange, state, answer, {
      kind: 'http',
      body,
      bodySnippet: body ? undefined : this.snippet(answer.text),
      ...extra
    })
  }

  /** Builds the error with everything the exchange knows; redacts whatever the server echoed. */
  private failure(
    exchange: Exchange,
    state: AttemptState,
    answer: RawAnswer | undefined,
    init: Pick<GenesysApiErrorInit, 'kind'> & Partial<GenesysApiErrorInit>
  ): GenesysApiError {
    const status = answer?.status
    const temporary = init.kind === 'timeout' || init.kind === 'network' || (status !== undefined && status >= 500)
    return new GenesysApiError({
      method: exchange.method,
      endpoint: exchange.endpoint,
      status,
      correlationId: answer?.headers['inin-correlation-id'],
      retryAfterSeconds: answer ? parseRetryAfterSeconds(answer.headers['retry-after'], this.options.now()) : undefined,
      attempts: state.attempt,
      rateLimitWaits: state.rateLimitWaits,
      notRetriedBecause:
        temporary && !exchange.retryTransient
          ? `a ${exchange.method} that is not idempotent could apply twice if repeated`
          : undefined,
      ...init,
      body: init.body ? this.redactBody(init.body) : undefined
    })
  }

  private snippet(text: string): string {
    const collapsed = this.redact(text).replace(/\s+/g, ' ').trim()
    return collapsed.length > SNIPPET_LENGTH ? `${collapsed.slice(0, SNIPPET_LENGTH)}…` : collapsed
  }

  /** Every line passes through redaction, whatever a server echoed into it. */
  private redactingLog(log: HttpLog): HttpLog {
    return {
      debug: message => log.debug(this.redact(message)),
      info: message => log.info(this.redact(message))
    }
  }

  private rememberSecret(value: string): void {
    // Very short values would blank out ordinary words; they are not worth hiding.
    if (value.length < 4 || this.secrets.has(value)) return
    this.secrets.add(value)
    this.options.onSecret?.(value)
  }

  private redact(text: string): string {
    return redactSecretsInText(text, [...this.secrets])
  }

  private redactBody(body: GenesysErrorBody): GenesysErrorBody {
    return redactSecrets(body, [...this.secrets])
  }
}

interface IssuedToken {
  accessToken: string
  expiresInSeconds: number | undefined
}

/** A count the platform may send as a number or a numeric string. */
const countLike = z.union([z.number(), z.string().regex(/^\s*\d+(\.\d+)?\s*$/).transform(Number)])

const TokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  expires_in: countLike.optional().catch(undefined)
})

const optionalText = z.string().optional().catch(undefined)

const ErrorBodyFieldsSchema = z.object({
  message: optionalText,
  code: optionalText,
  status: countLike.optional().catch(undefined),
  contextId: optionalText,
  messageWithParams: optionalText,
  messageParams: z.record(z.string(), z.string()).optional().catch(undefined),
  details: z
    .array(
      z.object({
        errorCode: optionalText,
        fieldName: optionalText,
        entityId: optionalText,
        entityName: optionalText
      })
    )
    .optional()
    .catch(undefined),
  errors: z.array(z.unknown()).optional().catch(undefined)
})

/** The Genesys error body in `value`, or undefined when it is not one (a bare string, an array). */
export function genesysErrorBody(value: unknown): GenesysErrorBody | undefined {
  // Nested `errors` are sometimes plain strings rather than error bodies.
  if (typeof value === 'string') return value.trim() ? { message: value } : undefined
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const parsed = ErrorBodyFieldsSchema.safeParse(value)
  if (!parsed.success) return undefined
  const { errors, ...fields } = parsed.data
  const nested = (errors ?? []).map(genesysErrorBody).filter((body): body is GenesysErrorBody => body !== undefined)
  return { ...withoutUndefined(fields), ...(nested.length > 0 ? { errors: nested } : {}) }
}

/** The login service answers OAuth-style (`error`, `error_description`): map it onto the Genesys shape. */
function tokenErrorBody(value: unknown): GenesysErrorBody | undefined {
  const parsed = z
    .object({ error: optionalText, error_description: optionalText, description: optionalText, message: optionalText })
    .safeParse(value)
  if (!parsed.success) return undefined
  const { error, error_description: errorDescription, description, message } = parsed.data
  const text = errorDescription ?? description ?? message
  if (error === undefined && text === undefined) return genesysErrorBody(value)
  return withoutUndefined({ code: error, message: text })
}

type JsonParse = { ok: true; value: unknown } | { ok: false }

function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300
}

function isTransient(error: GenesysApiError): boolean {
  if (error.kind === 'timeout') return true
  if (error.kind === 'network') return error.networkCode !== undefined && TRANSIENT_NETWORK_CODES.has(error.networkCode)
  return error.kind === 'http' && error.status !== undefined && error.status >= 500
}

function shortReason(error: unknown): string {
  if (error instanceof GenesysApiError) return error.reason
  return error instanceof Error ? error.name : 'unknown error'
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

function describeKeys(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value
  const keys = Object.keys(value)
  return keys.length > 0 ? keys.join(', ') : 'none'
}

/**
 * How long to wait after the `waitNumber`-th 429: the server's Retry-After (capped) plus jitter,
 * or the usual backoff when it did not say.
 */
export function rateLimitWaitMs(
  retryAfterSeconds: number | undefined,
  waitNumber: number,
  options: Pick<ResolvedOptions, 'retryAfterCapMs' | 'retryBaseDelayMs' | 'retryMaxDelayMs' | 'random'>
): number {
  if (retryAfterSeconds === undefined) {
    return Math.min(
      options.retryAfterCapMs,
      backoffDelayMs(waitNumber, options.retryBaseDelayMs, options.retryMaxDelayMs, options.random)
    )
  }
  const asked = Math.min(options.retryAfterCapMs, Math.max(0, retryAfterSeconds * 1000))
  return Math.round(asked + RATE_LIMIT_JITTER_MS * options.random())
}

/**
 * `?a=1&b=2` from the defined query values, or ''. Percent-encoded (a space is `%20`, not the form
 * encoding's `+`, which not every server reads as a space in a query).
 */
function queryString(query: GenesysRequest['query']): string {
  const pairs = Object.entries(query ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
  return pairs.length > 0 ? `?${pairs.join('&')}` : ''
}

/**
 * The request as messages show it: the path and the query's names, never its values, which can hold
 * ids users consider private or signatures (`/api/v2/flows?name=…&type=…`).
 */
export function describeEndpoint(path: string, query?: GenesysRequest['query']): string {
  const [bare, inlineQuery] = path.split('?', 2)
  const names = [
    ...(inlineQuery ? [...new URLSearchParams(inlineQuery).keys()] : []),
    ...Object.entries(query ?? {})
      .filter(([, value]) => value !== undefined)
      .map(([key]) => key)
  ]
  return names.length > 0 ? `${bare}?${names.map(name => `${name}=…`).join('&')}` : bare
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

/** Performs the exchange and reads the whole body. */
async function exchangeOnce(http: HttpClient, exchange: Exchange): Promise<RawAnswer> {
  const response = await http.request(exchange.method, exchange.url, exchange.body ?? null, exchange.headers)
  const text = await readText(response.message)
  return { status: response.message.statusCode ?? 0, headers: flattenHeaders(response.message.headers), text }
}

/**
 * The body as text. Unlike HttpClientResponse.readBody this settles when the connection breaks
 * mid-body (or is aborted by the deadline) instead of waiting forever.
 */
function readText(message: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    message.on('data', (chunk: Buffer) => chunks.push(chunk))
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    message.on('error', reject)
  })
}

/** Hands an AbortSignal to node:http through the client's request-preparation hook. */
function abortSignalHandler(signal: AbortSignal): RequestHandler {
  return {
    prepareRequest: (options: RequestOptions) => {
      options.signal = signal
    },
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not an authentication handler'))
  }
}

function toHttpLog(log: GenesysHttpClientOptions['log']): HttpLog {
  if (typeof log === 'function') return { debug: () => {}, info: log }
  return log ?? { debug: () => {}, info: () => {} }
}

/** The base URL without trailing slashes; a clear error naming the input when it is not http(s). */
function checkedBaseUrl(value: string, inputName: string): string {
  let parsed: URL | undefined
  try {
    parsed = new URL(value)
  } catch {
    parsed = undefined
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new Error(`\`${inputName}\` must be an absolute http(s) URL such as https://api.mypurecloud.com; got "${value}".`)
  }
  return value.replace(/\/+$/, '')
}

function withoutUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>
  }
}
