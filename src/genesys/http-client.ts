import { parseRetryAfterSeconds, realSleep, type Sleep } from '../retry-helper.js'
import type { GenesysApiErrorInit } from './genesys-api-error.js'
import { ExchangeReporter, parseJson, toHttpLog, type HttpLog } from './exchange-reporter.js'
import { markFinal, markIfUnreadable, retryExchange, type AttemptState, type RetryPolicy } from './exchange-retry.js'
import {
  checkedBaseUrl,
  describeEndpoint,
  isSuccess,
  performExchange,
  queryString,
  TransportFailure,
  type Exchange,
  type HttpMethod,
  type QueryParameters,
  type RawAnswer
} from './http-transport.js'
import { OAuthToken } from './oauth-token.js'
import { PLATFORM_REQUESTS_PER_MINUTE, RateBudgetExhausted, RequestBudget } from './request-budget.js'

/**
 * The one way the action talks to Genesys Cloud: OAuth client-credentials token (oauth-token.ts), JSON requests with a
 * timeout each (http-transport.ts), retries of what is temporary (exchange-retry.ts) and one rate budget shared by
 * every request of the run (request-budget.ts); see the README's "Auth, HTTP and rate limits". Drivers build on
 * `request`; nothing here knows about bundles.
 */

export { describeEndpoint, type HttpMethod } from './http-transport.js'
export { genesysErrorBody } from './genesys-error-body.js'
export { rateLimitWaitMs } from './exchange-retry.js'
export type { HttpLog } from './exchange-reporter.js'

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
  /** Attempts for 5xx, connection resets, timeouts and unreadable answers, the first included. Default 5. */
  maxAttempts?: number
  /** Waits after a 429 before giving up; its own, larger budget so one 429 never fails a run. Default 10. */
  maxRateLimitWaits?: number
  /** Longest `Retry-After` honoured, in ms. Default 60000. */
  retryAfterCapMs?: number
  /** First backoff between attempts, in ms (doubles each attempt). Default 1000. */
  retryBaseDelayMs?: number
  /** Longest backoff between attempts, in ms. Default 15000. */
  retryMaxDelayMs?: number
  /**
   * The Platform API rate budget every request of this client shares: at most `limit` sends in any `windowMs`.
   * Default 300 a minute, Genesys Cloud's limit per OAuth client.
   */
  rateBudget?: { limit: number; windowMs: number }
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
   * it to the deployment's deadline, so that request timeouts, retry waits and rate-budget waits never run past
   * `timeout-seconds`.
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
  query?: QueryParameters
  /** JSON body. */
  body?: unknown
  /**
   * Whether a POST may be repeated safely. 5xx, resets and timeouts are retried only for GET, HEAD,
   * PUT, DELETE and POSTs marked idempotent: repeating any other POST could apply it twice.
   */
  idempotent?: boolean
  /**
   * Whether the request changes nothing on the platform (GET and HEAD always; a POST that only validates). An answer
   * to such a request that could not be parsed (cut short, garbled) is asked for again, within `maxAttempts`; for any
   * other request it fails at once, since the platform may have acted on it.
   */
  readOnly?: boolean
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

/** Methods that change nothing. */
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD'])

/** Genesys Cloud Platform API client. */
export class GenesysHttpClient implements GenesysRequester, PresignedTransfer {
  private readonly apiUrl: string
  private readonly requestTimeoutMs: number
  private readonly userAgent: string
  private readonly now: () => number
  private readonly deadline: (() => number | undefined) | undefined
  private readonly reporter: ExchangeReporter
  private readonly retryPolicy: RetryPolicy
  private readonly budget: RequestBudget
  private readonly token: OAuthToken

  constructor(options: GenesysHttpClientOptions) {
    this.apiUrl = checkedBaseUrl(options.apiUrl, 'api-url')
    const authUrl = checkedBaseUrl(options.authUrl, 'auth-url')
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs
    this.userAgent = options.userAgent ?? DEFAULTS.userAgent
    this.now = options.now ?? Date.now
    this.deadline = options.deadline
    const sleep = options.sleep ?? realSleep
    const random = options.random ?? Math.random
    this.reporter = new ExchangeReporter(toHttpLog(options.log), this.now, options.onSecret)
    const log = (message: string): void => this.reporter.log.info(message)
    this.budget = new RequestBudget({
      limit: options.rateBudget?.limit ?? PLATFORM_REQUESTS_PER_MINUTE,
      windowMs: options.rateBudget?.windowMs ?? 60_000,
      now: this.now,
      sleep,
      random,
      log
    })
    this.retryPolicy = {
      maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
      maxRateLimitWaits: options.maxRateLimitWaits ?? DEFAULTS.maxRateLimitWaits,
      retryAfterCapMs: options.retryAfterCapMs ?? DEFAULTS.retryAfterCapMs,
      retryBaseDelayMs: options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs,
      retryMaxDelayMs: options.retryMaxDelayMs ?? DEFAULTS.retryMaxDelayMs,
      sleep,
      random,
      now: this.now,
      deadline: options.deadline,
      log,
      currentPause: () => this.budget.currentPause
    }
    this.token = new OAuthToken(`${authUrl}/oauth/token`, options.clientId, options.clientSecret, {
      reporter: this.reporter,
      now: this.now,
      send: (exchange, state) => this.send(exchange, state),
      retry: (exchange, operation) => retryExchange(exchange, operation, this.retryPolicy)
    })
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
      url: `${this.apiUrl}${request.path}${queryString(request.query)}`,
      endpoint: describeEndpoint(request.path, request.query),
      headers: { accept: 'application/json' },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      retryTransient: SAFE_METHODS.has(method) || request.idempotent === true || request.readOnly === true,
      readOnly: READ_METHODS.has(method) || request.readOnly === true,
      rateLimited: true
    }
    if (exchange.body !== undefined) exchange.headers['content-type'] = 'application/json'
    // One fresh token per request at most: a second 401 is a real refusal, not an expired token.
    let reauthenticated = false
    return retryExchange(
      exchange,
      async state => {
        let sent = await this.sendWithToken(exchange, state)
        if (sent.answer.status === 401 && !reauthenticated) {
          reauthenticated = true
          this.reporter.log.debug(`${method} ${exchange.endpoint}: HTTP 401, fetching a new token once`)
          this.token.forget(sent.token)
          sent = await this.sendWithToken(exchange, state)
        }
        return this.interpretApiAnswer<T>(sent.answer, exchange, state, request.acceptStatuses ?? [])
      },
      this.retryPolicy
    )
  }

  /**
   * PUTs a file to a presigned upload URL (Architect flow jobs) with exactly the given headers and no
   * bearer token: the URL's signature is the credential. Retried like any PUT.
   */
  async uploadToPresignedUrl(url: string, body: string, headers: Record<string, string>): Promise<void> {
    const exchange: Exchange = { ...this.presignedExchange('PUT', url), headers: { ...headers }, body }
    await retryExchange(
      exchange,
      async state => {
        const answer = await this.send(exchange, state)
        if (isSuccess(answer.status)) return
        throw this.reporter.httpError(answer, exchange, state, {
          hint:
            'The upload URL refused the flow file: it may have expired, or a proxy changed the headers it ' +
            'was signed with; re-run, and check any proxy between the runner and the storage host.'
        })
      },
      this.retryPolicy
    )
  }

  /**
   * GETs a presigned download URL (the YAML an Architect export job leaves behind) with no bearer token: the URL's
   * signature is the credential. Retried like any GET; the signature never appears in a message.
   */
  async downloadFromPresignedUrl(url: string): Promise<string> {
    const exchange = this.presignedExchange('GET', url)
    return retryExchange(
      exchange,
      async state => {
        const answer = await this.send(exchange, state)
        if (isSuccess(answer.status)) return answer.text
        throw this.reporter.httpError(answer, exchange, state, {
          hint:
            'The download URL refused the exported flow: it may have expired, or a proxy changed the request; ' +
            're-run, and check any proxy between the runner and the storage host.'
        })
      },
      this.retryPolicy
    )
  }

  /** An exchange with a presigned storage URL, whose signature is kept out of every message. */
  private presignedExchange(method: 'GET' | 'PUT', url: string): Exchange {
    const parsed = new URL(url)
    // The signature lives in the query (storage errors may echo it alone): keep it out of every message.
    this.reporter.rememberSecret(parsed.search.slice(1))
    for (const value of parsed.searchParams.values()) this.reporter.rememberSecret(value)
    return {
      method,
      url,
      endpoint: `${parsed.origin}${parsed.pathname}`,
      headers: {},
      retryTransient: true,
      readOnly: method === 'GET',
      // Storage, not the Platform API: outside the API's rate budget.
      rateLimited: false
    }
  }

  private async sendWithToken(exchange: Exchange, state: AttemptState): Promise<{ answer: RawAnswer; token: string }> {
    const token = await this.token.value()
    const answer = await this.send({ ...exchange, headers: { ...exchange.headers, authorization: `Bearer ${token}` } }, state)
    return { answer, token }
  }

  /**
   * Sends one exchange, after waiting for its slot in the rate budget (API requests), within the caller's deadline;
   * broken connections and timeouts become GenesysApiError. A 429 with Retry-After pauses every request of the run.
   */
  private async send(exchange: Exchange, state: AttemptState): Promise<RawAnswer> {
    if (exchange.rateLimited) await this.waitForBudget(exchange, state)
    const startedAt = this.now()
    const callerDeadline = this.deadline?.()
    // A caller's deadline shortens the request timeout: no request outlives the deployment's own deadline.
    const remainingMs = callerDeadline === undefined ? Infinity : callerDeadline - startedAt
    if (remainingMs <= 0) throw this.reporter.failure(exchange, state, undefined, { kind: 'timeout', timeoutMs: 0 })
    let answer: RawAnswer
    try {
      answer = await performExchange(exchange, Math.min(this.requestTimeoutMs, remainingMs), this.userAgent)
    } catch (error) {
      if (error instanceof TransportFailure) throw this.reporter.transportError(error, exchange, state)
      throw error
    }
    this.reporter.log.debug(
      `${exchange.method} ${exchange.endpoint} → HTTP ${answer.status} in ${this.now() - startedAt} ms` +
        (answer.headers['inin-correlation-id'] ? ` (inin-correlation-id ${answer.headers['inin-correlation-id']})` : '')
    )
    if (answer.status === 429 && exchange.rateLimited) this.pauseEveryRequest(answer)
    return answer
  }

  private async waitForBudget(exchange: Exchange, state: AttemptState): Promise<void> {
    const waitingSince = this.now()
    try {
      await this.budget.acquire(this.deadline?.(), state.servedPause)
    } catch (error) {
      if (!(error instanceof RateBudgetExhausted)) throw error
      const init: Partial<GenesysApiErrorInit> = {
        // The request waited this long for its turn, up to the deadline, and was never sent.
        timeoutMs: this.now() - waitingSince,
        hint:
          error.reason === 'pause'
            ? 'Genesys Cloud rate-limited the OAuth client until past the deadline: run fewer jobs against this org at the same time, or raise `timeout-seconds`.'
            : `The run used its budget of ${this.budget.limit} requests per ${this.budget.windowMs / 1000} s (Genesys Cloud's limit per OAuth client) ` +
              'until past the deadline: lower `max-parallel-jobs`, raise `poll-interval-seconds`, or raise `timeout-seconds`.'
      }
      // The deadline has come: another attempt would only meet it again.
      throw markFinal(this.reporter.failure(exchange, state, undefined, { kind: 'timeout', ...init }))
    }
  }

  /** A 429 that says how long to wait holds back every request of the run, not only this one (capped like its own wait). */
  private pauseEveryRequest(answer: RawAnswer): void {
    const seconds = parseRetryAfterSeconds(answer.headers['retry-after'], this.now())
    if (seconds === undefined) return
    this.budget.pauseUntil(this.now() + Math.min(this.retryPolicy.retryAfterCapMs, Math.max(0, seconds * 1000)))
  }

  private interpretApiAnswer<T>(answer: RawAnswer, exchange: Exchange, state: AttemptState, acceptStatuses: readonly number[]): GenesysResponse<T> {
    if (!isSuccess(answer.status) && !acceptStatuses.includes(answer.status)) {
      throw this.reporter.httpError(answer, exchange, state)
    }
    if (answer.text.trim() === '') return { status: answer.status, body: undefined as T, headers: answer.headers }
    const parsed = parseJson(answer.text)
    if (!parsed.ok) {
      const error = this.reporter.failure(exchange, state, answer, {
        kind: 'invalid-response',
        detail: `a body that is not JSON (content-type ${answer.headers['content-type'] ?? 'not set'})`,
        bodySnippet: this.reporter.snippet(answer.text)
      })
      throw markIfUnreadable(error, answer)
    }
    return { status: answer.status, body: parsed.value as T, headers: answer.headers }
  }
}
