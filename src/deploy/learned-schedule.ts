/**
 * Polls that learn: with the durations of earlier runs of the same job (a bundle's deployment on one environment and
 * API, or one flow's job with `architect`), the schedule waits quietly until the shortest typical duration, polls
 * densely across the typical range, and backs off after the longest. Without enough history the plain backoff applies
 * (poll-schedule.ts). The dense polls are budgeted: a job that ends within its typical range costs no more status
 * requests than the plain backoff would have made by the end of that range. Pure.
 */
import { POLL_GROWTH } from './poll-schedule.js'

/** What history says of a job's duration. */
export interface LearnedTiming {
  /** The shortest and longest of the recent durations, in ms. */
  lowMs: number
  highMs: number
  /** How many durations it was learned from. */
  samples: number
}

/** Fewer earlier durations than this teach nothing: the plain backoff applies. */
export const MIN_HISTORY_SAMPLES = 3

/** Only the most recent durations count: a job that became slower or faster is followed within this many runs. */
export const HISTORY_WINDOW = 20

/** Tolerance for waits rounded to whole milliseconds. */
const ROUNDING_MS = 1

/**
 * One earlier run of a job as its polls saw it: when a poll first saw it ended, and when the poll before last saw it
 * still running. Its true duration lies between the two; the ended time alone would teach the old schedule's lag.
 */
export interface DurationSample {
  endedMs: number
  runningMs?: number
}

/**
 * When a run's first poll already saw it ended, its duration is known only to be shorter: the range then reaches
 * this much below, so a job that became faster is followed down rather than always found at the old first poll.
 */
const UNKNOWN_START_REACH = 0.9

/**
 * The typical range of a job from its earlier runs (oldest first): from the earliest any was still seen running (or a
 * little below an end seen at the first poll) to the latest any was seen ended. Undefined when there are too few.
 * A plain number is a duration known exactly.
 */
export function learnTiming(samples: readonly (number | DurationSample)[]): LearnedTiming | undefined {
  const recent = samples
    .map(sample => (typeof sample === 'number' ? { endedMs: sample, runningMs: sample } : sample))
    .filter(sample => Number.isFinite(sample.endedMs) && sample.endedMs > 0)
    .slice(-HISTORY_WINDOW)
  if (recent.length < MIN_HISTORY_SAMPLES) return undefined
  const lows = recent.map(sample =>
    sample.runningMs !== undefined && Number.isFinite(sample.runningMs) && sample.runningMs >= 0 && sample.runningMs <= sample.endedMs
      ? sample.runningMs
      : sample.endedMs * UNKNOWN_START_REACH
  )
  return { lowMs: Math.min(...lows), highMs: Math.max(...recent.map(sample => sample.endedMs)), samples: recent.length }
}

/** What the learned schedule needs to place the next poll. */
export interface LearnedPollInput {
  timing: LearnedTiming
  /** Time since the job started, in ms. */
  elapsedMs: number
  /** The plain schedule's first and largest interval, in ms: they set the request budget and the backoff's cap. */
  initialMs: number
  maxMs: number
  /** The shortest wait allowed (the poll floor), in ms. */
  floorMs: number
  /** Time left before the deadline, in ms: no wait runs past it. */
  remainingMs: number
}

/** The wait before the next poll of a job with a learned timing, in ms. */
export function learnedPollDelayMs(input: LearnedPollInput): number {
  const next = nextLearnedPollAt(input)
  const wait = Math.max(input.floorMs, next - input.elapsedMs)
  return Math.max(0, Math.round(Math.min(wait, input.remainingMs)))
}

/** When the next poll falls, in ms since the job started. */
export function nextLearnedPollAt(input: Omit<LearnedPollInput, 'remainingMs'>): number {
  const { timing } = input
  // Waits are whole milliseconds: a poll that landed within a millisecond of a grid point counts as on it.
  const elapsedMs = input.elapsedMs + ROUNDING_MS
  const grid = windowInterval(input)
  if (elapsedMs < timing.lowMs) return timing.lowMs
  if (elapsedMs < timing.highMs) {
    const step = Math.floor((elapsedMs - timing.lowMs) / grid) + 1
    return Math.min(timing.highMs, timing.lowMs + step * grid)
  }
  // Past the longest duration seen: back off from the dense interval up to the plain cap.
  let at = timing.highMs
  let interval = grid
  while (at <= elapsedMs) {
    interval = Math.min(input.maxMs, Math.max(interval * POLL_GROWTH, input.floorMs))
    at += interval
  }
  return at
}

/**
 * The interval of the dense polls: the typical range shared among the status requests the plain backoff would make
 * by its end, so the learned schedule never costs more for a job that behaves as before.
 */
function windowInterval(input: Omit<LearnedPollInput, 'remainingMs' | 'elapsedMs'>): number {
  const budget = plainPollsUntil(input.timing.highMs, input.initialMs, input.maxMs)
  const span = input.timing.highMs - input.timing.lowMs
  return Math.max(input.floorMs, span / Math.max(1, budget - 1))
}

/** How many polls the plain backoff (×1.5 from `initialMs`, capped at `maxMs`) makes until `untilMs`. */
export function plainPollsUntil(untilMs: number, initialMs: number, maxMs: number): number {
  let at = 0
  let polls = 0
  let interval = initialMs
  while (at < untilMs && polls < 100_000) {
    at += Math.min(maxMs, interval)
    interval *= POLL_GROWTH
    polls++
  }
  return polls
}
