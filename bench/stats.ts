/** Summary statistics of timing samples. Pure. */

/** What one timed benchmark measured, in milliseconds. */
export interface TimingSummary {
  runs: number
  medianMs: number
  p95Ms: number
  minMs: number
}

/**
 * The `p`-th percentile (0 < p ≤ 100) of ascending `sorted` values, by the nearest-rank method: always one of
 * the measured values, so a p95 of few runs is an actual run rather than an interpolation between two.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples: measure at least one run first.')
  if (!(p > 0 && p <= 100)) throw new Error(`percentile ${p} is out of range; use a value in (0, 100].`)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[rank - 1]
}

/** Median of ascending `sorted` values: the mean of the middle two when the count is even. */
export function median(sorted: readonly number[]): number {
  if (sorted.length === 0) throw new Error('median of no samples: measure at least one run first.')
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Runs, median, p95 and minimum of the samples (any order). */
export function summarize(samplesMs: readonly number[]): TimingSummary {
  const sorted = [...samplesMs].sort((a, b) => a - b)
  return { runs: sorted.length, medianMs: median(sorted), p95Ms: percentile(sorted, 95), minMs: sorted[0] }
}
