/**
 * When the HTTP client tries an exchange again (README "Auth, HTTP and rate limits"): 5xx, broken connections and
 * timeouts of exchanges that are safe to repeat, with backoff; answers that could not be read, for exchanges that
 * change nothing; and 429s, always, on a budget of their own, waiting what `Retry-After` asks.
 */
import { backoffDelayMs, withRetry, type RetryDecision, type Sleep } from '../retry-helper.js'
import { GenesysApiError } from './genesys-api-error.js'
import type { Exchange, RawAnswer } from './http-transport.js'
import type { PauseId } from './request-budget.js'

/** Where an exchange stands in its retry budgets, for the error message and the rate budget. */
export interface AttemptState {
  attempt: number
  rateLimitWaits: number
  /** The shared pause this exchange waited out itself after its own 429, so that the budget does not hold it again. */
  servedPause?: PauseId
}

/** The limits and collaborators of the retry loops. */
export interface RetryPolicy {
  /** Attempts for 5xx, connection resets, timeouts and unreadable answers, the first included. */
  maxAttempts: number
  /** Waits after a 429 before giving up. */
  maxRateLimitWaits: number
  /** Longest `Retry-After` honoured, in ms. */
  retryAfterCapMs: number
  retryBaseDelayMs: number
  retryMaxDelayMs: number
  sleep: Sleep
  random: () => number
  now: () => number
  deadline?: () => number | undefined
  log: (message: string) => void
  /** The pause a 429 just started, which the exchange that met it waits out in its own retry wait. */
  currentPause: () => PauseId
}

/** Random spread added to a Retry-After wait so parallel jobs do not come back in the same instant. */
const RATE_LIMIT_JITTER_MS = 1_000

/** Node error codes of connections that broke mid-way: worth another attempt. */
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED'])

/** Errors that already went through a retry loop: an enclosing loop must not retry them again. */
const settledErrors = new WeakSet<object>()

/** Answers that claimed to be JSON (or did not say) but could not be parsed: cut short or garbled on the way. */
const unreadableAnswers = new WeakSet<GenesysApiError>()

/** Marks an error no retry loop should repeat (a wait for the rate budget that already reached the caller's deadline). */
export function markFinal<E extends object>(error: E): E {
  settledErrors.add(error)
  return error
}

/**
 * Marks the error of an answer that did not parse as one a read-only exchange may ask for again, when the answer
 * said it was JSON or did not say (truncated or garbled on the way). An answer of another kind (a proxy's HTML page,
 * a login form) is not marked: it would come back the same.
 */
export function markIfUnreadable(error: GenesysApiError, answer: RawAnswer): GenesysApiError {
  const contentType = answer.headers['content-type']
  if (contentType === undefined || /json/i.test(contentType)) unreadableAnswers.add(error)
  return error
}

/**
 * Runs `operation` under both retry budgets: temporary failures (when the exchange is safe to repeat) with backoff
 * inside, 429 with Retry-After waits outside, so a long rate-limit storm does not use up the attempts meant for real
 * failures.
 */
export async function retryExchange<T>(exchange: Exchange, operation: (state: AttemptState) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const { maxAttempts, maxRateLimitWaits, retryBaseDelayMs, retryMaxDelayMs, sleep, random, log } = policy
  const label = `${exchange.method} ${exchange.endpoint}`
  let rateLimitWaits = 0
  let servedPause: PauseId | undefined
  const common = { baseDelayMs: retryBaseDelayMs, maxDelayMs: retryMaxDelayMs, sleep, random, log, deadline: policy.deadline, now: policy.now }
  try {
    return await withRetry(
      () =>
        withRetry(attempt => operation({ attempt, rateLimitWaits, ...(servedPause === undefined ? {} : { servedPause }) }), {
          ...common,
          maxAttempts,
          classify: error => classifyTransient(error, exchange, policy),
          label
        }),
      {
        ...common,
        maxAttempts: maxRateLimitWaits + 1,
        classify: error => {
          const decision = classifyRateLimit(error, rateLimitWaits + 1, policy)
          if (decision.retry) {
            rateLimitWaits++
            servedPause = policy.currentPause()
          }
          return decision
        },
        label: `${label} (rate limit)`
      }
    )
  } catch (error) {
    if (typeof error === 'object' && error !== null) settledErrors.add(error)
    throw error
  }
}

/**
 * 5xx, broken connections and timeouts when the exchange is safe to repeat; an answer that could not be parsed when
 * the exchange changes nothing (repeating a read is harmless, and a cut-off answer is usually whole the next time).
 */
function classifyTransient(error: unknown, exchange: Exchange, policy: RetryPolicy): RetryDecision {
  if (!(error instanceof GenesysApiError) || settledErrors.has(error) || !exchange.retryTransient) {
    return { retry: false, reason: shortReason(error) }
  }
  if (unreadableAnswers.has(error)) {
    return exchange.readOnly ? { retry: true, reason: 'an answer that could not be parsed' } : { retry: false, reason: error.reason }
  }
  if (!isTransient(error)) return { retry: false, reason: error.reason }
  const waitMs = error.retryAfterSeconds === undefined ? undefined : Math.min(policy.retryAfterCapMs, error.retryAfterSeconds * 1000)
  return { retry: true, reason: error.reason, waitMs }
}

/** 429, whatever the method: the platform did not process the request, so repeating it is safe. */
function classifyRateLimit(error: unknown, waitNumber: number, policy: RetryPolicy): RetryDecision {
  if (!(error instanceof GenesysApiError) || settledErrors.has(error) || error.status !== 429) {
    return { retry: false, reason: shortReason(error) }
  }
  const waitMs = rateLimitWaitMs(error.retryAfterSeconds, waitNumber, policy)
  return { retry: true, reason: `${error.reason}, wait ${waitNumber} of ${policy.maxRateLimitWaits}`, waitMs }
}

/**
 * How long to wait after the `waitNumber`-th 429: the server's Retry-After (capped) plus jitter,
 * or the usual backoff when it did not say.
 */
export function rateLimitWaitMs(
  retryAfterSeconds: number | undefined,
  waitNumber: number,
  options: Pick<RetryPolicy, 'retryAfterCapMs' | 'retryBaseDelayMs' | 'retryMaxDelayMs' | 'random'>
): number {
  if (retryAfterSeconds === undefined) {
    return Math.min(options.retryAfterCapMs, backoffDelayMs(waitNumber, options.retryBaseDelayMs, options.retryMaxDelayMs, options.random))
  }
  const asked = Math.min(options.retryAfterCapMs, Math.max(0, retryAfterSeconds * 1000))
  return Math.round(asked + RATE_LIMIT_JITTER_MS * options.random())
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
