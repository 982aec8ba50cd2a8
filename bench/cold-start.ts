/**
 * Cold start of the committed `dist/index.js` as the runner starts it: a new Node 24 process per run, `INPUT_*`
 * variables, command files, an event payload; assess mode on a pull request without credentials, so no request
 * leaves the machine. The main step only: the goal is what a pull request waits for (start, checks, diff, report);
 * the post step is a second start at the end of the job that finds nothing to roll back. The reference is the start of an empty Node process (`node -e 0`), measured just before.
 */
import { spawn } from 'node:child_process'
import { runAction } from '../simulator/run-action.js'
import { exampleWorkspaces } from './example-workspace.js'
import { expectActionStatus } from './expect-action-status.js'
import { measureRuns } from './measure.js'
import { bareEnvironment, type NodeRuntime } from './node24-runtime.js'
import { summarize, type TimingSummary } from './stats.js'
import { row, timedFigure, type BenchRow, type Goal, type Reference } from './verdict.js'

/**
 * `node -e 0` (Node 24, bare environment) on an idle machine of this kind: 45–50 ms (the minimum of the runs here,
 * and TOOLCHAIN.md). The earlier absolute goals become ratios to the same run's `node -e 0` by this figure.
 */
export const IDLE_NODE_START_MS = 50

/** A goal of `absoluteMs` on an idle machine as a ratio to `node -e 0`. */
export function overIdleNodeStart(absoluteMs: number): Goal {
  const limit = absoluteMs / IDLE_NODE_START_MS
  return { kind: 'max-ratio', limit, text: `≤ ${limit}× node -e 0` }
}

/** The action's start is what every pull request waits for before it sees anything: 400 ms when idle. */
export const COLD_START_GOAL = overIdleNodeStart(400)

const RUNS = { warmupRuns: 2, runs: 20, budgetMs: 15_000 }

/** A pull_request payload as GitHub sends it, trimmed to what the action reads. */
export const PULL_REQUEST_EVENT = {
  action: 'synchronize',
  number: 12,
  pull_request: { number: 12, labels: [], head: { sha: 'abc' }, base: { sha: 'def' } },
  repository: { full_name: 'acme/contact-center' }
}

/** The two figures other rows compare with. */
export interface StartFigures {
  /** `node -e 0`. */
  nodeStart: TimingSummary
  /** The action's assess run on the example bundle. */
  coldStart: TimingSummary
}

/** Measures `node -e 0`, then the action's assess run on `examples/`. */
export async function measureStarts(node: NodeRuntime): Promise<StartFigures> {
  const nodeStart = summarize(await measureRuns(() => startEmptyProcess(node.execPath), RUNS))
  const workspaces = await exampleWorkspaces('cold-start')
  try {
    const coldStart = summarize(
      await measureRuns(workspace => assessWithoutCredentials(node.execPath, workspace), { ...RUNS, prepare: () => workspaces.next() })
    )
    return { nodeStart, coldStart }
  } finally {
    await workspaces.dispose()
  }
}

/** `node -e 0` as the reference of a row. */
export function nodeStartReference(figures: StartFigures, node: NodeRuntime): Reference {
  return { ...timedFigure(figures.nodeStart), name: `node -e 0 (${node.version})` }
}

/** The cold start row. */
export function coldStartRow(figures: StartFigures, node: NodeRuntime): BenchRow {
  return row({
    group: 'earlier',
    name: 'cold start: dist/index.js assess',
    measured: timedFigure(figures.coldStart),
    reference: nodeStartReference(figures, node),
    goal: COLD_START_GOAL,
    note: `examples/ bundle + baseline, no credentials, main step, ${Math.round(figures.coldStart.medianMs - figures.nodeStart.medianMs)} ms above node -e 0 (median)`
  })
}

/** `node -e 0` with the bare environment; resolves when the process has exited. */
function startEmptyProcess(execPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(execPath, ['-e', '0'], { env: bareEnvironment(), stdio: 'ignore' })
    child.once('error', reject)
    child.once('close', code =>
      code === 0 ? resolve() : reject(new Error(`\`${execPath} -e 0\` exited with ${code}; check that the Node 24 binary runs on this machine.`))
    )
  })
}

/** One assess run of dist/index.js; throws when it did not end ASSESSED, as then the timing means nothing. */
async function assessWithoutCredentials(execPath: string, workspace: string): Promise<void> {
  const result = await runAction({
    workspace,
    node: [execPath],
    eventName: 'pull_request',
    event: PULL_REQUEST_EVENT,
    // `comment: false`: the figure is the action's own work; posting a comment is a GitHub API round trip.
    inputs: { mode: 'assess', api: 'architecture-manager', bundle: 'bundle.yaml', baseline: 'baseline.yaml', 'fail-on-risk': 'never', comment: 'false' },
    runPost: false,
    timeoutMs: 30_000
  })
  expectActionStatus(result, 'ASSESSED', 0)
}
