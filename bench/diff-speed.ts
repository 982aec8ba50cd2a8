/**
 * `npx tsx bench/diff-speed.ts`: speed and memory of `computeDiff` + `assessImpact` on 10,000 and 50,000 Archy
 * flows (about 20 leaves each; 1 % modified, 0.5 % added, 0.5 % removed), next to references measured in the same
 * run on the same data, interleaved run by run, so that the ratios hold on a busy or slow machine:
 * - reading every value of both configurations once (a bare recursive walk): the floor of any comparison;
 * - `JSON.stringify` of both configurations;
 * - Node's `util.isDeepStrictEqual` of the baseline with an equal copy (a recursive compare that finds no
 *   difference, so it reads everything).
 * Prints median and minimum ms, peak heap above the starting heap, bytes allocated, and the run-by-run ratios to
 * the walk and to `JSON.stringify`. Exit code 0 even when the goal is missed (the line says FAIL); 1 when the diff
 * is not the generated change, as then the timing would flatter a broken diff.
 */
import { performance } from 'node:perf_hooks'
import { isDeepStrictEqual } from 'node:util'
import { GCProfiler, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { computeDiff, resourceChanges } from '../src/assess/diff.js'
import { assessImpact } from '../src/assess/impact.js'
import { formatMs } from './results-table.js'
import { summarize } from './stats.js'

/** The 10,000-flow case must stay under this median: planning should never be what a large run waits for. */
const GOAL_MS = 14
const GOAL_FLOWS = 10_000

const SIZES = [GOAL_FLOWS, 50_000]
const WARMUP_RUNS = 5
const RUNS = 21

type Config = Record<string, unknown>

/** What one flow index becomes: kept as is, modified (one prompt), added, or removed. */
type FlowFate = 'same' | 'modified' | 'added' | 'removed'

// 1 in 100 modified, 1 in 200 added, 1 in 200 removed, spread over the names rather than in blocks.
function fateOf(index: number): FlowFate {
  if (index % 100 === 7) return 'modified'
  if (index % 200 === 13) return 'added'
  if (index % 200 === 113) return 'removed'
  return 'same'
}

/**
 * One inbound call flow as Archy writes it: a menu with two choices and a task of three actions, 21 leaves. Each
 * call builds new objects, as two separately parsed documents are: no value is shared between the two sides.
 */
function archyFlow(index: number, transferPrompt: string): Config {
  return {
    inboundCall: {
      name: `Flow ${index}`,
      division: 'Home',
      defaultLanguage: 'en-us',
      startUpRef: '/inboundCall/menus/menu[Main Menu_10]',
      initialGreeting: { tts: `Welcome to line ${index}` },
      menus: [
        {
          menu: {
            name: 'Main Menu',
            refId: 'Main Menu_10',
            audio: { tts: 'Press 1 for sales' },
            choices: [
              { menuTransferToAcd: { name: 'Sales', dtmf: 'digit_1', targetQueue: { lit: { name: `Sales ${index % 40}` } } } },
              { menuDisconnect: { name: 'Disconnect', dtmf: 'digit_9' } }
            ]
          }
        }
      ],
      tasks: [
        {
          task: {
            name: 'Main',
            refId: 'Main_12',
            actions: [
              { playAudio: { name: 'Greeting', audio: { tts: 'Hello' } } },
              { transferToAcd: { name: 'Transfer to sales', targetQueue: { lit: { name: 'Sales' } }, preTransferAudio: { tts: transferPrompt } } },
              { disconnect: { name: 'Disconnect' } }
            ]
          }
        }
      ]
    }
  }
}

interface Case {
  flowCount: number
  before: Config
  after: Config
  /** Equal to `before`, built apart from it: what the recursive-compare reference walks. */
  beforeAgain: Config
  expected: { added: number; removed: number; modified: number }
}

function buildCase(flowCount: number): Case {
  const beforeFlows: Config = {}
  const afterFlows: Config = {}
  const beforeAgainFlows: Config = {}
  const expected = { added: 0, removed: 0, modified: 0 }
  for (let index = 0; index < flowCount; index++) {
    const name = `flow-${String(index).padStart(6, '0')}`
    const fate = fateOf(index)
    if (fate !== 'added') beforeFlows[name] = archyFlow(index, 'Transferring you now')
    if (fate !== 'added') beforeAgainFlows[name] = archyFlow(index, 'Transferring you now')
    if (fate !== 'removed') afterFlows[name] = archyFlow(index, fate === 'modified' ? 'Please hold while we transfer you' : 'Transferring you now')
    if (fate !== 'same') expected[fate]++
  }
  return { flowCount, before: { flows: beforeFlows }, after: { flows: afterFlows }, beforeAgain: { flows: beforeAgainFlows }, expected }
}

function diffAndImpact({ before, after }: Case): ReturnType<typeof assessImpact> {
  return assessImpact({ diff: computeDiff(before, after), remoteValidation: { ran: false, reason: 'benchmark' } })
}

function stringifyBoth({ before, after }: Case): number {
  return JSON.stringify(before).length + JSON.stringify(after).length
}

function readBoth({ before, after }: Case): number {
  return readEveryValue(before) + readEveryValue(after)
}

/** Visits every value once and counts the leaves: what any comparison of the whole data has to do at least. */
function readEveryValue(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 1
  let leaves = 0
  if (Array.isArray(value)) {
    for (const item of value) leaves += readEveryValue(item)
    return leaves
  }
  const mapping = value as Record<string, unknown>
  for (const key in mapping) leaves += readEveryValue(mapping[key])
  return leaves
}

/** Throws unless the diff finds exactly the generated flows added, removed and modified. */
function expectGeneratedChange(testCase: Case): void {
  const { resources } = resourceChanges(computeDiff(testCase.before, testCase.after))
  const found = { added: 0, removed: 0, modified: 0 }
  for (const resource of resources) found[resource.kind]++
  const { expected } = testCase
  if (found.added !== expected.added || found.removed !== expected.removed || found.modified !== expected.modified) {
    throw new Error(
      `The diff of ${testCase.flowCount} flows found ${JSON.stringify(found)} flows added/removed/modified; the case makes ` +
        `${JSON.stringify(expected)}. Check computeDiff or buildCase in bench/diff-speed.ts.`
    )
  }
}

interface Measured {
  medianMs: number
  minMs: number
  /** Highest heap use during one run, above the heap at its start (after a full collection), in bytes. */
  peakHeapBytes: number
  /** Bytes allocated by one run: what the collector had to reclaim plus what the run left on the heap. */
  allocatedBytes: number
}

// The collector is asked for a full collection before each memory run, so that the starting heap is the live data.
setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

/**
 * Times the steps run after run, one after the other within each run, so that they share whatever else the machine
 * is doing at the time: the ratio of two steps in the same run is what stays comparable on a busy machine.
 */
function measureInterleaved<Name extends string>(steps: Record<Name, () => unknown>): Record<Name, Measured & { samples: number[] }> {
  const names = Object.keys(steps) as Name[]
  for (let run = 0; run < WARMUP_RUNS; run++) for (const name of names) steps[name]()
  const samples = Object.fromEntries(names.map(name => [name, [] as number[]])) as Record<Name, number[]>
  for (let run = 0; run < RUNS; run++) {
    for (const name of names) {
      const begin = performance.now()
      steps[name]()
      samples[name].push(performance.now() - begin)
    }
  }
  return Object.fromEntries(
    names.map(name => {
      const { medianMs, minMs } = summarize(samples[name])
      return [name, { medianMs, minMs, samples: samples[name], ...measureHeap(steps[name]) }]
    })
  ) as Record<Name, Measured & { samples: number[] }>
}

/** The median of the run-by-run ratios `a / b`. */
function medianRatio(a: readonly number[], b: readonly number[]): number {
  return summarize(a.map((value, index) => value / b[index])).medianMs
}

function measureHeap(step: () => unknown): Pick<Measured, 'peakHeapBytes' | 'allocatedBytes'> {
  collectGarbage()
  const profiler = new GCProfiler()
  const start = process.memoryUsage().heapUsed
  profiler.start()
  const result = step()
  const end = process.memoryUsage().heapUsed
  const { statistics } = profiler.stop()
  let peak = end
  let reclaimed = 0
  for (const gc of statistics) {
    peak = Math.max(peak, gc.beforeGC.heapStatistics.usedHeapSize)
    reclaimed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize
  }
  keepAlive(result)
  return { peakHeapBytes: Math.max(0, peak - start), allocatedBytes: Math.max(0, end - start + reclaimed) }
}

let sink: unknown
function keepAlive(value: unknown): void {
  sink = value
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}

function main(): 0 {
  const header = `${'case'.padEnd(42)}   median      min   peak heap   allocated  ÷ walk  ÷ stringify`
  const lines = [header, '-'.repeat(header.length)]
  for (const flowCount of SIZES) {
    const testCase = buildCase(flowCount)
    expectGeneratedChange(testCase)
    const measured = measureInterleaved({
      diff: () => diffAndImpact(testCase),
      walk: () => readBoth(testCase),
      stringify: () => stringifyBoth(testCase),
      deepEqual: () => isDeepStrictEqual(testCase.before, testCase.beforeAgain)
    })
    const { diff, walk, stringify, deepEqual } = measured
    const row = (name: string, figures: Measured & { samples: number[] }, comment = ''): string =>
      `${name.padEnd(42)} ${formatMs(figures.medianMs).padStart(8)} ${formatMs(figures.minMs).padStart(8)} ` +
      `${mib(figures.peakHeapBytes).padStart(11)} ${mib(figures.allocatedBytes).padStart(11)} ` +
      `${medianRatio(figures.samples, walk.samples).toFixed(2).padStart(7)} ${medianRatio(figures.samples, stringify.samples).toFixed(2).padStart(12)}${comment}`
    const goal = flowCount === GOAL_FLOWS ? `  goal < ${GOAL_MS} ms: ${diff.medianMs < GOAL_MS ? 'PASS' : 'FAIL'}` : ''
    lines.push(
      row(`${flowCount} flows: computeDiff + assessImpact`, diff, goal),
      row(`${flowCount} flows: read every value (walk)`, walk, '  reference: the floor'),
      row(`${flowCount} flows: JSON.stringify of both`, stringify, '  reference'),
      row(`${flowCount} flows: util.isDeepStrictEqual`, deepEqual, '  reference: equal copies compared')
    )
  }
  keepAlive(undefined)
  process.stdout.write(`${lines.join('\n')}\n`)
  process.stdout.write(
    `${RUNS} runs after ${WARMUP_RUNS} warm-up runs, the four steps interleaved in each run; ratios are medians of the ` +
      `run-by-run ratios; Node ${process.version}; peak heap (above the heap at the start) and allocated bytes from one ` +
      'more run of each step after a full collection.\n'
  )
  return 0
}

try {
  process.exitCode = main()
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
void sink
