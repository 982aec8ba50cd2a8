/** The printed form of the results: one aligned plain-text table in goal groups, then notes and the footer. Pure. */
import type { GoalGroup } from './goals.js'
import type { BenchRow, Figure, Reference } from './verdict.js'

const HEADERS = ['benchmark', 'measured', 'reference', 'ratio', 'goal', 'verdict', 'peak memory'] as const

/** Columns holding numbers are right-aligned. */
const RIGHT_ALIGNED = new Set([1, 3])

/** `123.4 ms` (one decimal below 100 ms, none above: the noise of a process start is larger). */
export function formatMs(ms: number): string {
  return ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`
}

/** A figure in its unit: `352 ms`, `13.98 s`, `218 MB`, `44 requests`. */
export function formatFigure(figure: Figure): string {
  switch (figure.unit) {
    case 'ms':
      return formatMs(figure.value)
    case 's':
      return `${figure.value.toFixed(2)} s`
    case 'MB':
      return `${Math.round(figure.value)} MB`
    case 'requests':
      return `${Math.round(figure.value)} requests`
  }
}

/** `7.2×`: two decimals below 10, one above (a ratio of noisy timings is not worth more). */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '-'
  return `${ratio < 10 ? ratio.toFixed(2) : ratio.toFixed(1)}×`
}

function formatReference(reference: Reference | undefined): string {
  return reference ? `${reference.name}: ${formatFigure(reference)}` : '-'
}

/** The cells of one row, in HEADERS order. */
export function rowCells(row: BenchRow): string[] {
  return [
    row.name,
    row.measured ? formatFigure(row.measured) : '-',
    formatReference(row.reference),
    row.ratio !== undefined ? formatRatio(row.ratio) : '-',
    row.goal?.text ?? '-',
    row.verdict,
    row.peakMemoryMb !== undefined ? `${Math.round(row.peakMemoryMb)} MB maxRSS` : (row.memory ?? '-')
  ]
}

/** Rows of cells as aligned lines (numbers right, text left), under a header and a rule. */
export function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map(cells => cells[column].length)))
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (RIGHT_ALIGNED.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd()
  return [line(rows[0]), widths.map(width => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)]
}

/**
 * The table: every group's heading and goal (in the issue's words), then its rows, columns aligned across the
 * whole table; then what each row measured and why a benchmark could not run.
 */
export function formatResultsTable(rows: readonly BenchRow[], groups: readonly GoalGroup[]): string {
  const ordered = orderedRows(rows, groups)
  const [header, rule, ...lines] = alignColumns([HEADERS, ...ordered.map(rowCells)])
  const out = [header, rule]
  let group: string | undefined
  ordered.forEach((entry, index) => {
    const heading = entry.group !== group ? groups.find(candidate => candidate.id === entry.group) : undefined
    if (heading) out.push(heading.title, `  goal: ${heading.goal}`)
    group = entry.group
    out.push(lines[index])
  })
  const section = (title: string, entries: string[]): string[] => (entries.length === 0 ? [] : ['', title, ...entries])
  return [
    ...out,
    ...section(
      'Measured:',
      ordered.flatMap(row => (row.note ? [`  ${row.name}: ${row.note}`] : []))
    ),
    ...section(
      'Could not run:',
      ordered.flatMap(row => (row.error ? [`  ${row.name}: ${row.error}`] : []))
    )
  ].join('\n')
}

/** The rows group by group in the groups' order (each group's rows as measured), then rows of no known group. Pure. */
export function orderedRows(rows: readonly BenchRow[], groups: readonly GoalGroup[]): BenchRow[] {
  const known = groups.filter(group => rows.some(row => row.group === group.id))
  const strays = rows.filter(row => !groups.some(group => group.id === row.group))
  return [...known.flatMap(group => rows.filter(row => row.group === group.id)), ...strays]
}

/** The footer: what the verdicts mean for the exit code. */
export function formatFooter(couldNotRun: number, failedGoals: number, resultsPath: string, elapsedMs: number): string {
  const outcome =
    couldNotRun > 0
      ? `${couldNotRun} benchmark(s) could not run: exit code 1.`
      : `${failedGoals === 0 ? 'Every goal met.' : `${failedGoals} goal(s) missed (FAIL).`} Exit code 0: a missed goal is reported, it does not fail the bench; only a benchmark that could not run does.`
  return [`Results written to ${resultsPath} (${Math.round(elapsedMs / 1000)} s in all).`, outcome].join('\n')
}
