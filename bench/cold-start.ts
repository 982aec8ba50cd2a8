/**
 * Cold start of the committed `dist/index.js` as the runner starts it: a new Node 24 process per run, `INPUT_*`
 * variables, command files, an event payload; assess mode on a pull request without credentials, so no request
 * leaves the machine. Compared with the start of an empty Node process.
 */
import { spawn } from 'node:child_process'
import { runAction } from '../simulator/run-action.js'
import { exampleWorkspaces } from './example-workspace.js'
import { expectActionStatus } from './expect-action-status.js'
import { measureRuns } from './measure.js'
import { bareEnvironment, type NodeRuntime } from './node24-runtime.js'
import { summarize } from './stats.js'
import { timingRow, type Goal, type TimingRow } from './verdict.js'

/** The action's start is what every pull request waits for before it sees anything. */
export const COLD_START_GOAL: Goal = {
  maxMedianMs: 400,
  why: 'assess on a pull request should feel instant: start, local checks, diff and report within 400 ms'
}

const RUNS = { warmupRuns: 2, runs: 20, budgetMs: 15_000 }

/** A pull_request payload as GitHub sends it, trimmed to what the action reads. */
const PULL_REQUEST_EVENT = {
  action: 'synchronize',
  number: 12,
  pull_request: { number: 12, labels: [], head: { sha: 'abc' }, base: { sha: 'def' } },
  repository: { full_name: 'acme/contact-center' }
}

/** The two rows: `node -e 0` (reference) and the action's assess run. */
export async function benchmarkColdStart(node: NodeRuntime): Promise<TimingRow[]> {
  const baseline = summarize(await measureRuns(() => startEmptyProcess(node.execPath), RUNS))
  const workspaces = await exampleWorkspaces('cold-start')
  try {
    const action = summarize(
      await measureRuns(workspace => assessWithoutCredentials(node.execPath, workspace), { ...RUNS, prepare: () => workspaces.next() })
    )
    return [
      timingRow(`node -e 0 (${node.version})`, baseline, undefined, 'empty Node process, the floor of any start'),
      timingRow(
        'cold start: dist/index.js assess',
        action,
        COLD_START_GOAL,
        `examples/ bundle + baseline, no credentials, ${Math.round(action.medianMs - baseline.medianMs)} ms above node -e 0 (median)`
      )
    ]
  } finally {
    await workspaces.dispose()
  }
}

/** `node -e 0` with the bare environment; resolves when the process has exited. */
function startEmptyProcess(execPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(execPath, ['-e', '0'], { env: bareEnvironment(), stdio: 'ignore' })
    child.once('error', reject)
    child.once('close', code => (code === 0 ? resolve() : reject(new Error(`\`${execPath} -e 0\` exited with ${code}; check that the Node 24 binary runs on this machine.`))))
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
    timeoutMs: 30_000
  })
  expectActionStatus(result, 'ASSESSED', 0)
}
