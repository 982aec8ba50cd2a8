/**
 * When to look at a deployment again. A pure function of the poll count, the configured bounds and what
 * the platform said about rate limits, so that it can later also take the audit history into account.
 */

import { MIN_POLL_INTERVAL_MS } from '../settings.js'
import { learnedPollDelayMs, type LearnedTiming } from './learned-schedule.js'

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

/**
 * The shortest wait between two steps of a deployment whose driver says when to come back (`nextPollInMs`): the
 * floor of `poll-interval-seconds`, which keeps status reads at 5 a second or fewer.
 */
export { MIN_POLL_INTERVAL_MS as POLL_FLOOR_MS } from '../settings.js'

/** The bounds each poll timer grows within. */
export interface PollTimerBounds {
  /** First interval, in ms (`poll-interval-seconds`). */
  initialMs: number
  /** Largest interval, in ms (`max-poll-interval-seconds`). */
  maxMs: number
  now: () => number
  random: () => number
  /** What history says of an item's usual duration (learned-schedule.ts): it is then polled around it. */
  timingFor?: (key: string) => LearnedTiming | undefined
}

/**
 * One poll schedule per item (a flow job, a republish), each starting over at the first interval when its item
 * starts, instead of one schedule that keeps growing across a whole deployment: a job that starts late is still
 * seen soon after it ends. The deployment reads only the items that are due, and tells the runner when the next is.
 */
export class PollTimers {
  private readonly timers = new Map<string, { pollNumber: number; startedAt: number; dueAt: number }>()

  constructor(private readonly bounds: PollTimerBounds) {}

  /** Starts `key`'s schedule: first due one initial interval from now. */
  start(key: string): void {
    const startedAt = this.bounds.now()
    this.timers.set(key, { pollNumber: 1, startedAt, dueAt: startedAt + this.delay(key, 1, 0) })
  }

  /** `key` was just read and is still running: due again after its next, longer interval. */
  polled(key: string): void {
    const timer = this.timers.get(key)
    if (timer === undefined) return this.start(key)
    timer.pollNumber++
    const now = this.bounds.now()
    timer.dueAt = now + this.delay(key, timer.pollNumber, now - timer.startedAt)
  }

  /** `key` has ended: it is due no more. */
  stop(key: string): void {
    this.timers.delete(key)
  }

  /** Whether `key` is due now (an item without a schedule always is). */
  isDue(key: string): boolean {
    const timer = this.timers.get(key)
    return timer === undefined || timer.dueAt <= this.bounds.now()
  }

  /** Milliseconds until the first of `keys` is due (0 when one is due already); undefined when none has a schedule. */
  nextDueInMs(keys: Iterable<string>): number | undefined {
    let earliest: number | undefined
    for (const key of keys) {
      const dueAt = this.timers.get(key)?.dueAt
      if (dueAt !== undefined && (earliest === undefined || dueAt < earliest)) earliest = dueAt
    }
    return earliest === undefined ? undefined : Math.max(0, earliest - this.bounds.now())
  }

  private delay(key: string, pollNumber: number, elapsedMs: number): number {
    const { initialMs, maxMs } = this.bounds
    const timing = this.bounds.timingFor?.(key)
    if (timing) return learnedPollDelayMs({ timing, elapsedMs, initialMs, maxMs, floorMs: MIN_POLL_INTERVAL_MS, remainingMs: Infinity })
    return nextPollDelayMs({ pollNumber, initialMs, maxMs, remainingMs: Infinity, random: this.bounds.random })
  }
}
