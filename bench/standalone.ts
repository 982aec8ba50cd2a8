/** Running one benchmark file on its own (`npx tsx bench/<file>.ts`): the same table as `npm run bench`, its rows only. */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GOAL_GROUPS } from './goals.js'
import { formatResultsTable } from './results-table.js'
import { errorRow, type BenchRow } from './verdict.js'

/** True when the module at `moduleUrl` is the script node was started with, not an import. */
export function isEntryPoint(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(moduleUrl) === resolve(process.argv[1])
}

/**
 * Runs `benchmark` when `moduleUrl` is the entry point and prints its rows as a table; exit code 1 when it could not
 * run (a missed goal keeps 0, as in `npm run bench`).
 */
export async function runStandalone(moduleUrl: string, name: string, benchmark: () => Promise<BenchRow[]>): Promise<void> {
  if (!isEntryPoint(moduleUrl)) return
  let rows: BenchRow[]
  try {
    rows = await benchmark()
  } catch (error) {
    rows = [errorRow('', name, error)]
  }
  console.log(formatResultsTable(rows, GOAL_GROUPS))
  if (rows.some(row => row.verdict === 'ERROR')) process.exitCode = 1
}
