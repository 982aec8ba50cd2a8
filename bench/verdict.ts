/**
 * One line of the results: a figure, the reference measured beside it in the same run, their ratio, the goal and
 * the verdict. Speed goals are ratios (the machines are shared and noisy, so an absolute time says more about the
 * neighbours than about the action); a few goals are stated in absolute units by their issue and are judged so,
 * with a reference shown for scale. Pure.
 */

/** Units of a figure. */
export type Unit = 'ms' | 's' | 'MB' | 'requests'

/** A measured figure: a median of timed runs, a peak, or a count. */
export interface Figure {
  value: number
  unit: Unit
  /** For a median of timed runs: how many runs, their p95 and their minimum (in `unit`). */
  runs?: number
  p95?: number
  min?: number
}

/** The figure a row is compared with, and what it is. */
export interface Reference extends Figure {
  /** What was measured (`JSON.parse of the same data`). */
  name: string
}

/**
 * A goal: `max-ratio` holds measured ÷ reference to at most `limit`; `min-speedup` holds reference ÷ measured (how
 * many times faster) to at least `limit`; `max-value` holds the measured figure itself to at most `limit`, in its
 * unit; `info` states a target that is not judged here (an absolute time meant for an idle machine).
 */
export interface Goal {
  kind: 'max-ratio' | 'min-speedup' | 'max-value' | 'info'
  limit?: number
  /** The goal in a few words, as printed in the table (`≤ 10× JSON.parse`). */
  text: string
}

/**
 * PASS / FAIL against the goal; INFO for a figure without a judged goal; ERROR when the benchmark could not run
 * (the only verdict that makes the exit code 1).
 */
export type Verdict = 'PASS' | 'FAIL' | 'INFO' | 'ERROR'

/** One line of the results table. */
export interface BenchRow {
  /** The goal group (see goals.ts) the row belongs to. */
  group: string
  name: string
  measured?: Figure
  reference?: Reference
  /** measured ÷ reference, or reference ÷ measured for a `min-speedup` goal. */
  ratio?: number
  goal?: Goal
  verdict: Verdict
  /** Peak memory (maxRSS) of the process that ran what was measured, in MB, when it is part of the goal. */
  peakMemoryMb?: number
  /** Memory figures in words when they are not a process's maxRSS (`heap +1.3 MiB, 1.3 MiB allocated`). */
  memory?: string
  /** What was measured, in a few words, printed under the table. */
  note?: string
  /** Why the benchmark could not run. */
  error?: string
}

/** What a benchmark reports for one row; `row` adds the ratio and the verdict. */
export interface RowInput {
  group: string
  name: string
  measured: Figure
  reference?: Reference
  goal?: Goal
  peakMemoryMb?: number
  memory?: string
  note?: string
}

/** The ratio the goal compares: reference ÷ measured for a speed-up, else measured ÷ reference. */
export function ratioOf(measured: Figure, reference: Figure, goal: Goal | undefined): number {
  return goal?.kind === 'min-speedup' ? reference.value / measured.value : measured.value / reference.value
}

/** The verdict of a measured row (a goal that needs a ratio but has none is an ERROR, see `row`). */
export function judge(measured: Figure, ratio: number | undefined, goal: Goal | undefined): Verdict {
  if (goal === undefined || goal.kind === 'info' || goal.limit === undefined) return 'INFO'
  if (goal.kind === 'max-value') return measured.value <= goal.limit ? 'PASS' : 'FAIL'
  if (ratio === undefined || !Number.isFinite(ratio)) return 'ERROR'
  return goal.kind === 'max-ratio' ? (ratio <= goal.limit ? 'PASS' : 'FAIL') : ratio >= goal.limit ? 'PASS' : 'FAIL'
}

/** A measured row with its ratio and verdict. */
export function row(input: RowInput): BenchRow {
  const ratio = input.reference ? ratioOf(input.measured, input.reference, input.goal) : undefined
  const verdict = judge(input.measured, ratio, input.goal)
  const result: BenchRow = { ...input, ...(ratio !== undefined ? { ratio } : {}), verdict }
  if (verdict === 'ERROR') {
    result.error = input.reference
      ? `the reference ${input.reference.name} measured ${input.reference.value} ${input.reference.unit}, so the ratio means nothing; run the bench again.`
      : `the goal "${input.goal?.text}" is a ratio, but no reference was measured; run the benchmark that measures it in the same run.`
  }
  return result
}

/** The row of a benchmark that threw before it could report. */
export function errorRow(group: string, name: string, error: unknown): BenchRow {
  return { group, name, verdict: 'ERROR', error: error instanceof Error ? error.message : String(error) }
}

/** A timed figure: the median of the summary, with its runs, p95 and minimum. */
export function timedFigure(summary: { runs: number; medianMs: number; p95Ms: number; minMs: number }, unit: 'ms' | 's' = 'ms'): Figure {
  const scale = unit === 's' ? 1 / 1000 : 1
  return { value: summary.medianMs * scale, unit, runs: summary.runs, p95: summary.p95Ms * scale, min: summary.minMs * scale }
}
