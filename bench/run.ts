/**
 * `npm run bench`: the action's speed goals, measured on this machine. Prints a table (runs, median, p95, min,
 * goal, PASS / FAIL) and writes the same as JSON to bench/.results/latest.json.
 * Exit code 0 even when a goal is missed (the table says FAIL); 1 only when a benchmark could not run.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { arch, availableParallelism, cpus, platform } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { benchmarkColdStart } from './cold-start.js'
import { benchmarkDeploy } from './deploy-wall-time.js'
import { benchmarkLargeBundle } from './large-bundle.js'
import { resolveNode24, type NodeRuntime } from './node24-runtime.js'
import { checkDefaultPollSchedule } from './poll-schedule-count.js'
import { formatFooter, formatPollScheduleCheck, formatTimingTable } from './results-table.js'
import { errorRow, type TimingRow } from './verdict.js'

const RESULTS_PATH = join(dirname(fileURLToPath(import.meta.url)), '.results', 'latest.json')

/** Runs one benchmark; a throw becomes an ERROR row so that the others still run. */
async function attempt(name: string, benchmark: () => Promise<TimingRow | TimingRow[]>): Promise<TimingRow[]> {
  process.stderr.write(`running ${name} ...\n`)
  try {
    const rows = await benchmark()
    return Array.isArray(rows) ? rows : [rows]
  } catch (error) {
    return [errorRow(name, error)]
  }
}

/** JSON replacer: fractions rounded to 0.01 (ms), below the noise of any figure here. */
function roundMilliseconds(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value
}

async function main(): Promise<number> {
  const started = performance.now()
  const pollSchedule = checkDefaultPollSchedule()

  const rows: TimingRow[] = []
  process.stderr.write('resolving Node 24 ...\n')
  let node: NodeRuntime | undefined
  try {
    node = resolveNode24()
  } catch (error) {
    rows.push(errorRow('cold start: dist/index.js assess', error), errorRow('deploy: dist/index.js vs simulator', error))
  }
  if (node !== undefined) {
    const runtime = node
    rows.push(...(await attempt('cold start: dist/index.js assess', () => benchmarkColdStart(runtime))))
    rows.push(...(await attempt('deploy: dist/index.js vs simulator', () => benchmarkDeploy(runtime))))
  }
  rows.push(...(await attempt('large bundle', () => benchmarkLargeBundle())))

  const couldNotRun = rows.filter(row => row.verdict === 'ERROR').length
  const failedGoals = rows.filter(row => row.verdict === 'FAIL').length + (pollSchedule.verdict === 'FAIL' ? 1 : 0)
  const exitCode = couldNotRun > 0 ? 1 : 0
  const elapsedMs = performance.now() - started

  await mkdir(dirname(RESULTS_PATH), { recursive: true })
  const results = {
    generatedAt: new Date().toISOString(),
    elapsedMs: Math.round(elapsedMs),
    machine: {
      platform: platform(),
      arch: arch(),
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      benchNode: process.version,
      actionNode: node?.version ?? null
    },
    timings: rows,
    pollSchedule,
    failedGoals,
    couldNotRun,
    exitCode
  }
  await writeFile(RESULTS_PATH, `${JSON.stringify(results, roundMilliseconds, 2)}\n`, 'utf8')

  const machine = `${results.machine.cpus} CPUs (${results.machine.cpuModel}), ${platform()} ${arch()}, action under Node ${node?.version ?? '24 (not found)'}`
  console.log(
    [
      `Benchmarks on ${machine}`,
      '',
      formatTimingTable(rows),
      '',
      formatPollScheduleCheck(pollSchedule),
      '',
      formatFooter(couldNotRun, failedGoals, relative(process.cwd(), RESULTS_PATH) || RESULTS_PATH, elapsedMs)
    ].join('\n')
  )
  return exitCode
}

process.exitCode = await main()
