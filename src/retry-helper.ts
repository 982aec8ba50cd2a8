/**
 * The one retry loop of the action: Genesys requests and the webhook both go through it.
 * Clock, sleep and randomness are injected so tests run instantly and deterministically.
 */

/** Sleeps for `ms` milliseconds. Injected so tests need not wait. */
export type Sleep = (ms: number) => Promise<void>

/** The real sleep. */
export const realSleep: Sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** What the caller decides about one failed attempt. */
export interface RetryDecision {
  /** Retry this failure? Only temporary failures (429, 5xx, resets, timeouts) should be. */
  retry: boolean
  /** Short reason for the log ("HTTP 503", "ECONNRESET"). */
  reason: string
  /** Wait this long before the next attempt instead of the backoff (Retry-After), in ms. */
  waitMs?: number
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number
  /** First backoff in ms; doubles each attempt, up to maxDelayMs. */
  baseDelayMs: number
  maxDelayMs: number
  /** Classifies a thrown error. */
  classify: (error: unknown) => RetryDecision
  sleep?: Sleep
  /** Returns [0, 1); jitter spreads retries of parallel jobs apart. */
  random?: () => number
  /** Receives "attempt n of max failed (reason); retrying in X ms". */
  log?: (message: string) => void
  /** Name of the operation, for the log. */
  label?: string
  /**
   * When the caller must have an answer by (ms on `now`'s clock), if any: a wait that would end past it is not
   * made, and the last failure is thrown instead, so that retries never outlast the caller's deadline.
   */
  deadline?: () => number | undefined
  now?: () => number
}

/**
 * Backoff before attempt `attempt + 1` (attempt is 1-based): exponential, capped, with "equal jitter"
 * (half fixed, half random) so that the wait never collapses to zero.
 */
export function backoffDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
  return Math.round(exponential / 2 + (exponential / 2) * random())
}

/** Runs `operation` until it succeeds, fails with a permanent error, or runs out of attempts. */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep
  const random = options.random ?? Math.random
  const label = options.label ? `${options.label}: ` : ''
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt)
    } catch (error) {
      const decision = options.classify(error)
      if (!decision.retry || attempt >= options.maxAttempts) throw error
      const waitMs = decision.waitMs ?? backoffDelayMs(attempt, options.baseDelayMs, options.maxDelayMs, random)
      const deadline = options.deadline?.()
      if (deadline !== undefined && (options.now ?? Date.now)() + waitMs >= deadline) throw error
      options.log?.(`${label}attempt ${attempt} of ${options.maxAttempts} failed (${decision.reason}); retrying in ${waitMs} ms`)
      await sleep(waitMs)
    }
  }
}

/**
 * `Retry-After` as seconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Every client that waits out
 * a 429 (Genesys, GitHub, the webhook receiver) reads it here.
 */
export function parseRetryAfterSeconds(value: string | number | undefined, nowMs: number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  if (value === undefined || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, (date - nowMs) / 1000)
}
