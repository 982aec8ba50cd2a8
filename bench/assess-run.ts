/**
 * A whole assess run of the committed `dist/index.js` under Node 24 on the 10,000-flow bundle of the loading
 * benchmark (load-manifest-fixture.ts) with a YAML baseline under the change mix (the `baseline` input), no
 * credentials, `mode: assess`, started as the runner starts it (`runAction`: action.yml's defaults, `INPUT_*`,
 * command files, a pull_request event). The main step is timed; its peak memory (maxRSS) is read by GNU time
 * wrapped around the Node process. The reference is the same run on a 500-flow bundle of the same shape, interleaved
 * run by run; `node -e 0` of the same run is in the note. Goals: wall time ≤ 1.5 s, peak memory ≤ 300 MB.
 *
 *   npx tsx bench/assess-run.ts
 */
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import { runAction } from '../simulator/run-action.js'
import { PULL_REQUEST_EVENT } from './cold-start.js'
import { expectActionStatus } from './expect-action-status.js'
import { writeLoadWorkspace } from './load-manifest-fixture.js'
import { resolveNode24, type NodeRuntime } from './node24-runtime.js'
import { runStandalone } from './standalone.js'
import { summarize } from './stats.js'
import { formatMs } from './results-table.js'
import { row, timedFigure, type BenchRow, type Reference } from './verdict.js'

/** GNU time: `-f %M` prints the child's maxRSS in KiB on the last line of stderr. */
export const GNU_TIME = '/usr/bin/time'

const GOAL_FLOWS = 10_000
const REFERENCE_FLOWS = 500
const MAX_WALL_MS = 1500
const MAX_PEAK_MB = 300
const WARMUP_RUNS = 1
const RUNS = 5

/** One assess run: its wall time and the peak memory GNU time reported. */
interface AssessRun {
  wallMs: number
  maxRssMb: number
}

/** The maxRSS (KiB) GNU time printed as the last line of `stderr`, in MB; throws when it is not there. */
export function maxRssFromGnuTime(stderr: string): number {
  const last = stderr.trimEnd().split('\n').at(-1) ?? ''
  const match = /^RSS_KB=(\d+)$/.exec(last)
  if (!match) throw new Error(`GNU time did not report the peak memory (the last line of stderr is ${JSON.stringify(last)}); check ${GNU_TIME}.`)
  return Number(match[1]) / 1024
}

async function assessOnce(node: NodeRuntime, workspace: string): Promise<AssessRun> {
  const started = performance.now()
  const result = await runAction({
    workspace,
    node: [GNU_TIME, '-f', 'RSS_KB=%M', node.execPath],
    eventName: 'pull_request',
    event: PULL_REQUEST_EVENT,
    // `comment: false`: without a token there is no PR comment to post anyway; the figure is the action's own work.
    inputs: { mode: 'assess', bundle: 'bundle.yaml', baseline: 'changed-baseline.yaml', 'fail-on-risk': 'never', comment: 'false' },
    runPost: false,
    timeoutMs: 60_000
  })
  const wallMs = performance.now() - started
  expectActionStatus(result, 'ASSESSED', 0)
  return { wallMs, maxRssMb: maxRssFromGnuTime(result.stderr) }
}

/**
 * Goal 3 as two rows (wall time, peak memory). `nodeStart` is `node -e 0` of the same run, for the note; the rows
 * are judged without it.
 */
export async function benchmarkAssessRun(node: NodeRuntime, nodeStart?: Reference): Promise<BenchRow[]> {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: install GNU time (apt-get install time), which reads the action's peak memory.`)
  const large = await writeLoadWorkspace(GOAL_FLOWS, { changedBaseline: true })
  const small = await writeLoadWorkspace(REFERENCE_FLOWS, { changedBaseline: true })
  try {
    const runs = { large: [] as AssessRun[], small: [] as AssessRun[] }
    for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
      const largeRun = await assessOnce(node, large)
      const smallRun = await assessOnce(node, small)
      if (run < WARMUP_RUNS) continue
      runs.large.push(largeRun)
      runs.small.push(smallRun)
    }
    const wall = (list: AssessRun[]): ReturnType<typeof summarize> => summarize(list.map(entry => entry.wallMs))
    const peak = (list: AssessRun[]): number => Math.max(...list.map(entry => entry.maxRssMb))
    const reference = `same run, ${REFERENCE_FLOWS} flows`
    const start = nodeStart ? `; node -e 0 ${formatMs(nodeStart.value)}` : ''
    return [
      row({
        group: 'assess',
        name: `assess run, ${GOAL_FLOWS.toLocaleString('en-US')} flows: wall time`,
        measured: timedFigure(wall(runs.large)),
        reference: { ...timedFigure(wall(runs.small)), name: reference },
        goal: { kind: 'max-value', limit: MAX_WALL_MS, text: `≤ ${MAX_WALL_MS / 1000} s` },
        note: `${node.version}, main step, ${RUNS} runs after ${WARMUP_RUNS} warm-up, interleaved with the ${REFERENCE_FLOWS}-flow run${start}`
      }),
      row({
        group: 'assess',
        name: `assess run, ${GOAL_FLOWS.toLocaleString('en-US')} flows: peak memory`,
        measured: { value: peak(runs.large), unit: 'MB' },
        reference: { value: peak(runs.small), unit: 'MB', name: reference },
        goal: { kind: 'max-value', limit: MAX_PEAK_MB, text: `≤ ${MAX_PEAK_MB} MB` },
        peakMemoryMb: peak(runs.large),
        note: `the highest maxRSS of the ${RUNS} runs, from ${GNU_TIME} -f %M around node`
      })
    ]
  } finally {
    await rm(large, { recursive: true, force: true })
    await rm(small, { recursive: true, force: true })
  }
}

await runStandalone(import.meta.url, 'assess run', () => benchmarkAssessRun(resolveNode24()))
