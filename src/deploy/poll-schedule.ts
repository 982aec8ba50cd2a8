/**
 * When to look at a deployment again. A pure function of the poll count, the configured bounds and what
 * the platform said about rate limits, so that it can later also take the audit history into account.
 */

/** Factor by which the interval grows after each poll. */
export const POLL_GROWTH = 1.5

/** Share of the interval that jitter may add or remove, so parallel jobs do not poll in lockstep. */
export const POLL_JITTER = 0.1

export interface PollScheduleInput {
  /** 1 for the wait before the second poll, 2 for the next, ... */
  pollNumber: number
  /** First and largest interval, in ms. */
  initialMs: number
  maxMs: number
  /** The platform asked to wait at least this long (Retry-After), in ms. */
  retryAfterMs?: number
  /** Time left before the deadline, in ms: no wait runs past it. */
  remainingMs: number
  /** Returns [0, 1). */
  random: () => number
}

/** The wait before the next poll, in ms. */
export function nextPollDelayMs(input: PollScheduleInput): number {
  const grown = Math.min(input.maxMs, input.initialMs * POLL_GROWTH ** (input.pollNumber - 1))
  const jittered = grown * (1 + POLL_JITTER * (2 * input.random() - 1))
  const bounded = Math.min(input.maxMs, Math.max(input.initialMs, jittered))
  const honoured = Math.max(bounded, input.retryAfterMs ?? 0)
  return Math.max(0, Math.round(Math.min(honoured, input.remainingMs)))
}
