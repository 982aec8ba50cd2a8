/**
 * `npm run bench`: every speed goal of the action, each beside the reference it is judged against, measured in the
 * same run on this machine (shared and noisy: a ratio to a reference of the same moment holds where an absolute time
 * does not). Prints one table (measured, reference, ratio, goal, PASS / FAIL, peak memory) in goal groups with the
 * goals in the issues' words, and writes the same as JSON to bench/.results/latest.json.
 *
 *   npm run bench                    # every goal (a few minutes)
 *   npm run bench -- diff assess     # only these groups (ids in goals.ts); written to bench/.results/partial.json
 *
 * Runs itself under Node 24 (the action's runtime) when started on another Node. Exit code 0 even when a goal is
 * missed (the table says FAIL); 1 only when a benchmark could not run.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { arch, availableParallelism, cpus, loadavg, platform } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { benchmarkArchitectConcurrency } from './architect-concurrency.js'
import { benchmarkAssessRun } from './assess-run.js'
import { benchmarkBundleLoad } from './bundle-load-speed.js'
import { coldStartRow, measureStarts, nodeStartReference, type StartFigures } from './cold-start.js'
import { benchmarkDeploy } from './deploy-wall-time.js'
import { benchmarkDiff } from './diff-speed.js'
import { GOAL_GROUPS, selectedGroups, type GoalGroupId } from './goals.js'
import { benchmarkLargeBundle } from './large-bundle.js'
import { learnedPollingRows, measureLearnedPolling } from './learned-polling.js'
import { isNode24, rerunUnder, resolveNode24, type NodeRuntime } from './node24-runtime.js'
import { checkDefaultPollSchedule, pollScheduleRow } from './poll-schedule-count.js'
import { formatFooter, formatResultsTable, orderedRows } from './results-table.js'
import { errorRow, type BenchRow, type Reference } from './verdict.js'

const SELF = fileURLToPath(import.meta.url)
const RESULTS_FOLDER = join(dirname(SELF), '.results')

/** What the benchmarks share: the Node 24 runtime (or why there is none) and the start figures once measured. */
interface RunContext {
  node?: NodeRuntime
  nodeError?: unknown
  starts?: StartFigures
}

/** Runs one benchmark; a throw becomes an ERROR row so that the others still run. */
async function attempt(group: GoalGroupId, name: string, benchmark: () => Promise<BenchRow[]>): Promise<BenchRow[]> {
  process.stderr.write(`running ${name} ...\n`)
  try {
    return await benchmark()
  } catch (error) {
    return [errorRow(group, name, error)]
  }
}

/** Node 24, or a throw saying why it could not be resolved. */
function needNode(context: RunContext): NodeRuntime {
  if (context.node) return context.node
  throw context.nodeError instanceof Error ? context.nodeError : new Error(String(context.nodeError))
}

/** `node -e 0` of this run, measured with the cold start; undefined when that could not run. */
function nodeStartOf(context: RunContext): Reference | undefined {
  return context.starts && context.node ? nodeStartReference(context.starts, context.node) : undefined
}

/** The earlier goals: cold start and deploy (their references first), the 500-flow bundle, the poll schedule. */
async function runEarlierGoals(context: RunContext): Promise<BenchRow[]> {
  const rows = await attempt('earlier', 'cold start: dist/index.js assess', async () => {
    context.starts = await measureStarts(needNode(context))
    return [coldStartRow(context.starts, needNode(context))]
  })
  rows.push(
    ...(await attempt('earlier', 'deploy: dist/index.js vs simulator', async () => {
      if (!context.starts) throw new Error('its reference, the cold start, could not run (see above).')
      return [await benchmarkDeploy(needNode(context), context.starts.coldStart)]
    }))
  )
  rows.push(...(await attempt('earlier', 'large bundle', () => benchmarkLargeBundle(nodeStartOf(context)))))
  rows.push(pollScheduleRow(checkDefaultPollSchedule()))
  return rows
}

/** Each group's benchmarks, in the order they run: the earlier goals first, as they measure `node -e 0`. */
const RUN_ORDER: readonly { group: GoalGroupId; run: (context: RunContext) => Promise<BenchRow[]> }[] = [
  { group: 'earlier', run: runEarlierGoals },
  { group: 'load', run: () => attempt('load', 'load + check', () => benchmarkBundleLoad()) },
  { group: 'diff', run: () => attempt('diff', 'diff + impact', () => benchmarkDiff()) },
  { group: 'assess', run: context => attempt('assess', 'assess run', () => benchmarkAssessRun(needNode(context), nodeStartOf(context))) },
  { group: 'concurrency', run: () => attempt('concurrency', 'architect concurrency', benchmarkArchitectConcurrency) },
  { group: 'polls', run: () => attempt('polls', 'learned polling', async () => learnedPollingRows(measureLearnedPolling())) }
]

/** JSON replacer: fractions rounded to 0.01, below the noise of any figure here. */
function roundFractions(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value
}

async function main(args: readonly string[]): Promise<number> {
  const groups = selectedGroups(args)
  const context: RunContext = {}
  if (!isNode24()) {
    try {
      const node = resolveNode24()
      process.stderr.write(`running the bench under Node ${node.version}, the action's runtime ...\n`)
      return await rerunUnder(node, SELF, args)
    } catch (error) {
      context.nodeError = error
      process.stderr.write(`Node 24 could not be resolved, so the benchmarks run on ${process.version}: ${String(error)}\n`)
    }
  } else {
    context.node = resolveNode24()
  }

  const started = performance.now()
  const loadAtStart = loadavg()[0]
  const rows: BenchRow[] = []
  for (const step of RUN_ORDER) if (groups.includes(step.group)) rows.push(...(await step.run(context)))

  const couldNotRun = rows.filter(entry => entry.verdict === 'ERROR').length
  const failedGoals = rows.filter(entry => entry.verdict === 'FAIL').length
  const exitCode = couldNotRun > 0 ? 1 : 0
  const elapsedMs = performance.now() - started
  const machine = {
    platform: platform(),
    arch: arch(),
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] }
  }
  const resultsPath = join(RESULTS_FOLDER, groups.length === GOAL_GROUPS.length ? 'latest.json' : 'partial.json')
  const results = {
    generatedAt: new Date().toISOString(),
    elapsedMs: Math.round(elapsedMs),
    machine,
    groups: GOAL_GROUPS,
    rows: orderedRows(rows, GOAL_GROUPS),
    failedGoals,
    couldNotRun,
    exitCode
  }
  await mkdir(RESULTS_FOLDER, { recursive: true })
  await writeFile(resultsPath, `${JSON.stringify(results, roundFractions, 2)}\n`, 'utf8')

  const load = `load average ${machine.loadAverage.atStart.toFixed(1)} at the start, ${machine.loadAverage.atEnd.toFixed(1)} at the end`
  console.log(
    [
      `Benchmarks on ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.platform} ${machine.arch}, Node ${process.version}; ${load}`,
      '',
      formatResultsTable(rows, GOAL_GROUPS),
      '',
      formatFooter(couldNotRun, failedGoals, relative(process.cwd(), resultsPath) || resultsPath, elapsedMs)
    ].join('\n')
  )
  return exitCode
}

try {
  process.exitCode = await main(process.argv.slice(2))
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
}
