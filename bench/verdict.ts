/** Goals the timings are held to, and the verdict of one benchmark. Pure. */
import type { TimingSummary } from './stats.js'

/** A speed goal: the median must stay below `maxMedianMs`. */
export interface Goal {
  maxMedianMs: number
  /** Where the figure comes from, printed with the results. */
  why: string
}

/**
 * PASS / FAIL against the goal; INFO for a reference figure without a goal (a baseline, a part of a whole);
 * ERROR when the benchmark could not run.
 */
export type Verdict = 'PASS' | 'FAIL' | 'INFO' | 'ERROR'

/** One line of the results table. */
export interface TimingRow {
  name: string
  /** Absent when the benchmark could not run. */
  summary?: TimingSummary
  goal?: Goal
  verdict: Verdict
  /** What was measured, in a few words, printed under the table. */
  note?: string
  /** Why the benchmark could not run. */
  error?: string
}

/** The verdict of a summary against its goal (median strictly below the goal passes). */
export function judge(summary: TimingSummary, goal: Goal | undefined): Verdict {
  if (goal === undefined) return 'INFO'
  return summary.medianMs < goal.maxMedianMs ? 'PASS' : 'FAIL'
}

/** A measured row with its verdict. */
export function timingRow(name: string, summary: TimingSummary, goal?: Goal, note?: string): TimingRow {
  return { name, summary, verdict: judge(summary, goal), ...(goal ? { goal } : {}), ...(note ? { note } : {}) }
}

/** The row of a benchmark that threw before it could report. */
export function errorRow(name: string, error: unknown): TimingRow {
  return { name, verdict: 'ERROR', error: error instanceof Error ? error.message : String(error) }
}
