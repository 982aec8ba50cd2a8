/**
 * How many status requests the poll schedule makes over a long deployment: not a timing, a sanity check of the
 * backoff. Replays `nextPollDelayMs` the way the deploy runner's poll loop calls it (wait, then poll), on a
 * virtual clock.
 */
import { nextPollDelayMs } from '../src/deploy/poll-schedule.js'
import { DEFAULTS } from '../src/settings.js'
import { Inputs } from '../src/constants.js'
import { row, type BenchRow } from './verdict.js'

/** A deployment to replay the schedule over. */
export interface PollReplayInput {
  /** When the deployment reaches its terminal state, in ms after the deploy request. */
  deploymentMs: number
  /** The action's deadline (`timeout-seconds`), in ms: no wait runs past it. */
  timeoutMs: number
  initialMs: number
  maxMs: number
  /** Jitter source; a constant picks one edge of the jitter band. */
  random: () => number
}

/** The polls of one replay. */
export interface PollReplay {
  /** Status requests, the one that sees the terminal state included. */
  requests: number
  /** When the last one was made, in ms after the deploy request. */
  lastPollAtMs: number
  /** Longest wait between two polls, in ms. */
  longestWaitMs: number
}

/** Upper bound on replayed polls, so that a schedule that stops growing (a 0 ms wait) cannot loop for ever. */
const MAX_REPLAYED_POLLS = 100_000

/**
 * Replays the schedule: before poll n the runner waits `nextPollDelayMs(n)`, cut at the deadline; polling stops at
 * the first poll at or after `deploymentMs`, or when the deadline has passed. Pure.
 */
export function replayPollSchedule(input: PollReplayInput): PollReplay {
  let elapsedMs = 0
  let requests = 0
  let longestWaitMs = 0
  for (let pollNumber = 1; pollNumber <= MAX_REPLAYED_POLLS; pollNumber++) {
    const remainingMs = input.timeoutMs - elapsedMs
    if (remainingMs <= 0) break
    const waitMs = nextPollDelayMs({ pollNumber, initialMs: input.initialMs, maxMs: input.maxMs, remainingMs, random: input.random })
    elapsedMs += waitMs
    longestWaitMs = Math.max(longestWaitMs, waitMs)
    requests++
    if (elapsedMs >= input.deploymentMs) break
  }
  return { requests, lastPollAtMs: elapsedMs, longestWaitMs }
}

/** The sanity check's figures. */
export interface PollScheduleCheck {
  deploymentMs: number
  initialMs: number
  maxMs: number
  timeoutMs: number
  /** Without jitter (random = 0.5). */
  nominal: PollReplay
  /** Jitter always at its longest wait: the fewest requests. */
  fewest: PollReplay
  /** Jitter always at its shortest wait: the most requests. */
  most: PollReplay
  /** What polling every `initialMs` without backoff would cost. */
  fixedIntervalRequests: number
  /** The most requests allowed. */
  maxRequests: number
  why: string
  verdict: 'PASS' | 'FAIL'
}

/**
 * A 10-minute deployment needs at least 40 polls at the 15 s cap; the ramp from 2 s adds a few and jitter up to
 * 10 %. 50 keeps the backoff honest: a schedule that stopped growing early would exceed it.
 */
export const MAX_STATUS_REQUESTS_PER_10_MINUTES = 50

/** Replays a 10-minute deployment with the action's default poll interval, cap and timeout. Pure. */
export function checkDefaultPollSchedule(): PollScheduleCheck {
  const deploymentMs = 10 * 60_000
  const base = {
    deploymentMs,
    timeoutMs: Number(DEFAULTS[Inputs.TimeoutSeconds]) * 1000,
    initialMs: Number(DEFAULTS[Inputs.PollIntervalSeconds]) * 1000,
    maxMs: Number(DEFAULTS[Inputs.MaxPollIntervalSeconds]) * 1000
  }
  const most = replayPollSchedule({ ...base, random: () => 0 })
  return {
    ...base,
    nominal: replayPollSchedule({ ...base, random: () => 0.5 }),
    fewest: replayPollSchedule({ ...base, random: () => 1 - Number.EPSILON }),
    most,
    fixedIntervalRequests: Math.ceil(deploymentMs / base.initialMs),
    maxRequests: MAX_STATUS_REQUESTS_PER_10_MINUTES,
    why: '40 polls at the 15 s cap, plus the ramp from 2 s and 10 % jitter',
    verdict: most.requests <= MAX_STATUS_REQUESTS_PER_10_MINUTES ? 'PASS' : 'FAIL'
  }
}

/**
 * The check as a row: the most requests jitter can cause against `maxRequests` (a count, judged as it is), with
 * polling every `initialMs` for scale.
 */
export function pollScheduleRow(check: PollScheduleCheck): BenchRow {
  const seconds = (ms: number): string => `${+(ms / 1000).toFixed(2)} s`
  return row({
    group: 'earlier',
    name: `poll schedule: ${seconds(check.deploymentMs)} deployment`,
    measured: { value: check.most.requests, unit: 'requests' },
    reference: { value: check.fixedIntervalRequests, unit: 'requests', name: `polling every ${seconds(check.initialMs)}` },
    goal: { kind: 'max-value', limit: check.maxRequests, text: `≤ ${check.maxRequests} requests` },
    note:
      `not timed: interval ${seconds(check.initialMs)} → ${seconds(check.maxMs)}, ${check.nominal.requests} requests without jitter, ` +
      `${check.fewest.requests} to ${check.most.requests} with it; longest wait ${seconds(check.nominal.longestWaitMs)}; goal: ${check.why}`
  })
}
