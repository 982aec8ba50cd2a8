/** The printed form of the results: an aligned plain-text table, notes, the poll check and the footer. Pure. */
import type { PollScheduleCheck } from './poll-schedule-count.js'
import type { TimingRow } from './verdict.js'

const HEADERS = ['benchmark', 'runs', 'median', 'p95', 'min', 'goal (median)', 'verdict'] as const

/** Columns holding numbers are right-aligned. */
const RIGHT_ALIGNED = new Set([1, 2, 3, 4])

/** `123.4 ms` (one decimal below 100 ms, none above: the noise of a process start is larger). */
export function formatMs(ms: number): string {
  return ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

/** The cells of one row, in HEADERS order. */
export function rowCells(row: TimingRow): string[] {
  const goal = row.goal ? `< ${formatMs(row.goal.maxMedianMs)}` : '-'
  if (!row.summary) return [row.name, '-', '-', '-', '-', goal, row.verdict]
  const { runs, medianMs, p95Ms, minMs } = row.summary
  return [row.name, String(runs), formatMs(medianMs), formatMs(p95Ms), formatMs(minMs), goal, row.verdict]
}

/** Rows of cells as aligned columns, a rule under the header. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map(cells => cells[column].length)))
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (RIGHT_ALIGNED.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd()
  return [line(rows[0]), widths.map(width => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)]
}

/** The timing table, then what each row measured, why each goal is what it is, and why a benchmark could not run. */
export function formatTimingTable(rows: readonly TimingRow[]): string {
  const table = alignColumns([HEADERS, ...rows.map(rowCells)])
  const section = (title: string, lines: string[]): string[] => (lines.length === 0 ? [] : ['', title, ...lines])
  return [
    ...table,
    ...section('Measured:', rows.flatMap(row => (row.note ? [`  ${row.name}: ${row.note}`] : []))),
    ...section('Goals:', rows.flatMap(row => (row.goal ? [`  ${row.name} < ${formatMs(row.goal.maxMedianMs)}: ${row.goal.why}`] : []))),
    ...section('Could not run:', rows.flatMap(row => (row.error ? [`  ${row.name}: ${row.error}`] : [])))
  ].join('\n')
}

/** The poll schedule check as a few lines. */
export function formatPollScheduleCheck(check: PollScheduleCheck): string {
  const seconds = (ms: number): string => `${+(ms / 1000).toFixed(2)} s`
  return [
    `Poll schedule (not timed): a ${seconds(check.deploymentMs)} deployment, interval ${seconds(check.initialMs)} -> ${seconds(check.maxMs)}, timeout ${seconds(check.timeoutMs)}`,
    `  status requests: ${check.nominal.requests} without jitter, ${check.fewest.requests} to ${check.most.requests} with jitter ` +
      `(fixed ${seconds(check.initialMs)} polling: ${check.fixedIntervalRequests})`,
    `  longest wait ${seconds(check.nominal.longestWaitMs)}, last poll at ${seconds(check.nominal.lastPollAtMs)}`,
    `  goal: at most ${check.maxRequests} (${check.why}): ${check.verdict}`
  ].join('\n')
}

/** The footer: what the verdicts mean for the exit code. */
export function formatFooter(couldNotRun: number, failedGoals: number, resultsPath: string, elapsedMs: number): string {
  const outcome =
    couldNotRun > 0
      ? `${couldNotRun} benchmark(s) could not run: exit code 1.`
      : `${failedGoals === 0 ? 'Every goal met.' : `${failedGoals} goal(s) missed (FAIL).`} Exit code 0: a missed goal is reported, it does not fail the bench; only a benchmark that could not run does.`
  return [`Results written to ${resultsPath} (${formatMs(elapsedMs)} in all).`, outcome].join('\n')
}
