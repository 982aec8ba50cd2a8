/**
 * Polls that learn, measured (counted on a virtual clock, not timed): jobs whose typical durations spread over
 * 5–300 s, each with a history of earlier durations around its typical one, and a new run that follows that history.
 * The reference is the plain schedule a careful deploy script uses: 5 s, ×1.5, capped at 30 s. The goal: the learned
 * schedule's mean detection lag (time from the job's end to the poll that sees it) at most 1/4 of the reference's,
 * with no more status requests in all. Deterministic (seeded).
 */
import { learnedPollDelayMs, learnTiming } from '../src/deploy/learned-schedule.js'
import { MIN_POLL_INTERVAL_MS } from '../src/settings.js'
import { runStandalone } from './standalone.js'
import { row, type BenchRow } from './verdict.js'

/** The reference schedule. */
export const REFERENCE = { initialMs: 5000, growth: 1.5, maxMs: 30_000 } as const

/** What one schedule did over the whole set of jobs. */
export interface ScheduleTotals {
  meanLagMs: number
  requests: number
}

export interface LearnedPollingResult {
  jobs: number
  reference: ScheduleTotals
  learned: ScheduleTotals
  lagRatio: number
  requestRatio: number
}

/** Park–Miller: the same jobs on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 16807) % 2147483647
    return state / 2147483647
  }
}

function referenceRun(durationMs: number): { lagMs: number; requests: number } {
  let at = 0
  let requests = 0
  let interval: number = REFERENCE.initialMs
  while (at < durationMs) {
    at += Math.min(REFERENCE.maxMs, interval)
    interval *= REFERENCE.growth
    requests++
  }
  return { lagMs: at - durationMs, requests }
}

function learnedRun(history: number[], durationMs: number): { lagMs: number; requests: number } {
  const timing = learnTiming(history)
  if (!timing) return referenceRun(durationMs)
  let at = 0
  let requests = 0
  while (at < durationMs) {
    at += learnedPollDelayMs({
      timing,
      elapsedMs: at,
      initialMs: REFERENCE.initialMs,
      maxMs: REFERENCE.maxMs,
      floorMs: MIN_POLL_INTERVAL_MS,
      remainingMs: Infinity
    })
    requests++
  }
  return { lagMs: at - durationMs, requests }
}

/**
 * Runs `jobs` jobs: typical durations log-uniform over 5–300 s, a history of 10 earlier runs and the new run each
 * within ±`spread` of the typical duration.
 */
export function measureLearnedPolling(jobs = 5000, spread = 0.15, seed = 42): LearnedPollingResult {
  const random = seededRandom(seed)
  const around = (typical: number): number => typical * (1 - spread + 2 * spread * random())
  const totals = { reference: { lag: 0, requests: 0 }, learned: { lag: 0, requests: 0 } }
  for (let job = 0; job < jobs; job++) {
    const typical = Math.exp(Math.log(5000) + random() * (Math.log(300_000) - Math.log(5000)))
    const history = Array.from({ length: 10 }, () => around(typical))
    const duration = around(typical)
    const reference = referenceRun(duration)
    const learned = learnedRun(history, duration)
    totals.reference.lag += reference.lagMs
    totals.reference.requests += reference.requests
    totals.learned.lag += learned.lagMs
    totals.learned.requests += learned.requests
  }
  const reference = { meanLagMs: totals.reference.lag / jobs, requests: totals.reference.requests }
  const learned = { meanLagMs: totals.learned.lag / jobs, requests: totals.learned.requests }
  const lagRatio = learned.meanLagMs / reference.meanLagMs
  const requestRatio = learned.requests / reference.requests
  return {
    jobs,
    reference,
    learned,
    lagRatio,
    requestRatio
  }
}

/** The two judged figures as rows: the learned schedule's against the plain one's, over the same jobs. */
export function learnedPollingRows(result: LearnedPollingResult): BenchRow[] {
  const plain = '5 s ×1.5 cap 30 s'
  const note = `${result.jobs} jobs of 5–300 s, each new run within ±15 % of its history; deterministic (seeded)`
  return [
    row({
      group: 'polls',
      name: 'learned polls: mean detection lag',
      measured: { value: result.learned.meanLagMs / 1000, unit: 's' },
      reference: { value: result.reference.meanLagMs / 1000, unit: 's', name: plain },
      goal: { kind: 'max-ratio', limit: 0.25, text: '≤ 0.25× the plain schedule’s' },
      note: `${note}; lag = time from the job's end to the poll that sees it`
    }),
    row({
      group: 'polls',
      name: 'learned polls: status requests',
      measured: { value: result.learned.requests, unit: 'requests' },
      reference: { value: result.reference.requests, unit: 'requests', name: plain },
      goal: { kind: 'max-ratio', limit: 1, text: '≤ 1× the plain schedule’s' },
      note: `all ${result.jobs} jobs`
    })
  ]
}

await runStandalone(import.meta.url, 'learned polling', async () => learnedPollingRows(measureLearnedPolling()))
