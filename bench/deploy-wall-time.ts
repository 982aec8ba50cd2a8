/**
 * A full deploy through dist/index.js against the simulator (in this process, on 127.0.0.1, port 0): start, token,
 * validate, deploy, poll, records. The simulated deployment completes at once, so the figure is the action's own
 * overhead on top of what the platform takes.
 */
import { runAction } from '../simulator/run-action.js'
import { startSimulator } from '../simulator/server.js'
import { COLD_START_GOAL } from './cold-start.js'
import { exampleWorkspaces } from './example-workspace.js'
import { expectActionStatus } from './expect-action-status.js'
import { measureRuns } from './measure.js'
import type { NodeRuntime } from './node24-runtime.js'
import { summarize } from './stats.js'
import { timingRow, type Goal, type TimingRow } from './verdict.js'

const CLIENT_ID = 'bench-client'
const CLIENT_SECRET = 'bench-secret'

/** First (and here only) poll interval, in seconds: the simulated deployment is done by the first poll. */
const POLL_INTERVAL_SECONDS = 0.05

/**
 * The cold start goal, plus the one poll interval the action must wait, plus 150 ms for four local HTTP round
 * trips (token, validate, deploy, status) and the records (report, audit log, outputs).
 */
export const DEPLOY_GOAL: Goal = {
  maxMedianMs: COLD_START_GOAL.maxMedianMs + POLL_INTERVAL_SECONDS * 1000 + 150,
  why: 'cold start goal + one 50 ms poll interval + 150 ms for 4 local requests and the records'
}

const RUNS = { warmupRuns: 1, runs: 12, budgetMs: 20_000 }

/** The push payload of a commit to main. */
const PUSH_EVENT = {
  ref: 'refs/heads/main',
  before: '1111111111111111111111111111111111111111',
  after: '0123456789abcdef0123456789abcdef01234567',
  repository: { full_name: 'acme/contact-center' }
}

/** Wall time of one deploy run per sample. */
export async function benchmarkDeploy(node: NodeRuntime): Promise<TimingRow> {
  const simulator = await startSimulator({ clients: { [CLIENT_ID]: CLIENT_SECRET }, scenario: { deployDurationMs: 0, pendingMs: 0 } })
  const workspaces = await exampleWorkspaces('deploy')
  try {
    const deployOnce = async (workspace: string): Promise<void> => {
      const result = await runAction({
        workspace,
        node: [node.execPath],
        eventName: 'push',
        event: PUSH_EVENT,
        inputs: {
          mode: 'deploy',
          api: 'architecture-manager',
          bundle: 'bundle.yaml',
          // The baseline file keeps the run off the GitHub API (the manifest at the push's `before` commit).
          baseline: 'baseline.yaml',
          'api-url': simulator.url,
          'auth-url': simulator.url,
          'client-id': CLIENT_ID,
          'client-secret': CLIENT_SECRET,
          'poll-interval-seconds': String(POLL_INTERVAL_SECONDS),
          'max-poll-interval-seconds': '0.2',
          'timeout-seconds': '30'
        },
        timeoutMs: 30_000
      })
      expectActionStatus(result, 'COMPLETED', 0)
    }
    const prepare = async (): Promise<string> => {
      simulator.reset()
      return workspaces.next()
    }
    const summary = summarize(await measureRuns(deployOnce, { ...RUNS, prepare }))
    const statusPolls = simulator.requests.filter(request => request.method === 'GET').length
    return timingRow(
      'deploy: dist/index.js vs simulator',
      summary,
      DEPLOY_GOAL,
      `deployDurationMs 0, poll interval ${POLL_INTERVAL_SECONDS} s, ${simulator.requests.length} requests in the last run (${statusPolls} status poll${statusPolls === 1 ? '' : 's'})`
    )
  } finally {
    await workspaces.dispose()
    await simulator.close()
  }
}
