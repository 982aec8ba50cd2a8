/**
 * A full deploy through dist/index.js against the simulator (in this process, on 127.0.0.1, port 0): start, token,
 * validate, deploy, poll, records (the main step). The simulated deployment completes at once, so the figure is the
 * action's own overhead on top of what the platform takes. The reference is the cold start of the same run plus the
 * one poll interval the deploy sleeps; the deploy adds four local requests and the records to it.
 */
import { MIN_POLL_INTERVAL_MS } from '../src/settings.js'
import { runAction } from '../simulator/run-action.js'
import { startSimulator } from '../simulator/server.js'
import { exampleWorkspaces } from './example-workspace.js'
import { expectActionStatus } from './expect-action-status.js'
import { measureRuns } from './measure.js'
import type { NodeRuntime } from './node24-runtime.js'
import { summarize, type TimingSummary } from './stats.js'
import { row, timedFigure, type BenchRow, type Goal } from './verdict.js'

const CLIENT_ID = 'bench-client'
const CLIENT_SECRET = 'bench-secret'

/**
 * First (and here only) poll interval, in seconds: the simulated deployment is done by the first poll. The
 * action's floor, as anything shorter is raised to it (with a warning).
 */
const POLL_INTERVAL_SECONDS = MIN_POLL_INTERVAL_MS / 1000

/** The cold start goal on an idle machine (cold-start.ts states it over `node -e 0`). */
const IDLE_COLD_START_MS = 400

/**
 * The earlier goal: the 400 ms cold start, plus the one poll interval the action must wait, plus 150 ms for four
 * local HTTP round trips (token, validate, deploy, status) and the records. The wait is a sleep, the same on any
 * machine, so the reference is the cold start plus that wait, and the 150 ms are the margin over it.
 */
const DEPLOY_LIMIT = (IDLE_COLD_START_MS + MIN_POLL_INTERVAL_MS + 150) / (IDLE_COLD_START_MS + MIN_POLL_INTERVAL_MS)
export const DEPLOY_GOAL: Goal = { kind: 'max-ratio', limit: DEPLOY_LIMIT, text: `≤ ${DEPLOY_LIMIT}× the cold start + poll` }

const RUNS = { warmupRuns: 1, runs: 12, budgetMs: 20_000 }

/** The push payload of a commit to main. */
const PUSH_EVENT = {
  ref: 'refs/heads/main',
  before: '1111111111111111111111111111111111111111',
  after: '0123456789abcdef0123456789abcdef01234567',
  repository: { full_name: 'acme/contact-center' }
}

/** Wall time of one deploy run per sample, against the cold start of the same run. */
export async function benchmarkDeploy(node: NodeRuntime, coldStart: TimingSummary): Promise<BenchRow> {
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
          'max-poll-interval-seconds': String(POLL_INTERVAL_SECONDS),
          'timeout-seconds': '30'
        },
        runPost: false,
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
    return row({
      group: 'earlier',
      name: 'deploy: dist/index.js vs simulator',
      measured: timedFigure(summary),
      reference: { value: coldStart.medianMs + MIN_POLL_INTERVAL_MS, unit: 'ms', name: `cold start + ${POLL_INTERVAL_SECONDS} s poll` },
      goal: DEPLOY_GOAL,
      note: `main step, deployDurationMs 0, poll interval ${POLL_INTERVAL_SECONDS} s, ${simulator.requests.length} requests in the last run (${statusPolls} status poll${statusPolls === 1 ? '' : 's'})`
    })
  } finally {
    await workspaces.dispose()
    await simulator.close()
  }
}
