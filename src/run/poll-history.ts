/**
 * What earlier runs teach the poll schedule (deploy/learned-schedule.ts): how long deployments of this bundle took on
 * this environment through this API, and, for `architect`, how long each flow's job took. Read from the history
 * branch when there is one, else from the tail of the local audit log. Not knowing is never a failure: the plain
 * backoff applies.
 */
import { FinalStatus, Inputs } from '../constants.js'
import { learnTiming, type DurationSample, type LearnedTiming } from '../deploy/learned-schedule.js'
import { describeError } from '../error-message.js'
import type { ApiName } from '../genesys/driver.js'
import { readFileTail } from '../record/file-tail.js'
import { parseDeploymentHistory, readDeploymentHistory, type HistoryDeployment } from '../record/history-reader.js'
import type { Settings } from '../settings.js'
import { checkWorkspaceWritePath } from '../workspace-file.js'
import type { RunDependencies } from './action-io.js'
import type { RunState } from './run-state.js'

/** The local audit log's tail that is read for timings: enough for far more than the runs a schedule learns from. */
const HISTORY_TAIL_BYTES = 4 * 1024 * 1024

/** What history says of the deployment about to start. */
export interface PollTimings {
  /** The whole deployment (the plain `architecture-manager` deployment; the deploy runner's own schedule). */
  deployment?: LearnedTiming
  /** `architect`: each flow's job, by the flow's platform name. */
  flows: Record<string, LearnedTiming>
}

/** The timings of earlier deployments of `bundleId` on `environmentId` through `api`. */
export async function learnPollTimings(
  state: RunState,
  settings: Settings,
  target: { bundleId: string; environmentId: string; api: ApiName },
  workspace: string,
  deps: RunDependencies
): Promise<PollTimings> {
  const history = (await readHistory(state, settings, target.environmentId, workspace, deps)).filter(
    entry => entry.bundleId === target.bundleId && entry.environmentId === target.environmentId && (entry.api ?? 'architecture-manager') === target.api
  )
  const completed = history.filter(entry => entry.finalStatus === FinalStatus.Completed)
  const deployment = learnTiming(completed.map(entry => ({ endedMs: entry.latencyMs, runningMs: entry.lastRunningMs })))
  const byFlow = new Map<string, DurationSample[]>()
  for (const entry of history) {
    for (const job of entry.flowJobs) byFlow.set(job.name, [...(byFlow.get(job.name) ?? []), { endedMs: job.durationMs, runningMs: job.runningMs }])
  }
  const flows: Record<string, LearnedTiming> = {}
  for (const [name, durations] of byFlow) {
    const timing = learnTiming(durations)
    if (timing) flows[name] = timing
  }
  describeTimings(deps, { deployment, flows }, target.api, history.length)
  return { ...(deployment ? { deployment } : {}), flows }
}

async function readHistory(state: RunState, settings: Settings, environmentId: string, workspace: string, deps: RunDependencies): Promise<HistoryDeployment[]> {
  const { io } = deps
  if (settings.historyBranch) {
    const github = await state.github?.()
    if (github) {
      try {
        return await readDeploymentHistory(github, settings.historyBranch, environmentId)
      } catch (error) {
        io.info(`Poll timing: the history branch \`${settings.historyBranch}\` could not be read (${describeError(error)}); using the local audit log.`)
      }
    }
  }
  const checked = await checkWorkspaceWritePath(settings.auditLog, { workspace, describe: `The audit log (input \`${Inputs.AuditLog}\`)` })
  if (!checked.ok) return []
  try {
    return parseDeploymentHistory((await readFileTail(checked.realPath, HISTORY_TAIL_BYTES)).text)
  } catch {
    return []
  }
}

function describeTimings(deps: RunDependencies, timings: PollTimings, api: ApiName, runs: number): void {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
  const flows = Object.keys(timings.flows).length
  if (api === 'architect' && flows > 0) {
    deps.io.info(`Poll timing learned from ${runs} earlier deployment(s): the flow jobs of ${flows} flow(s) are polled around their usual durations.`)
  } else if (timings.deployment) {
    const { lowMs, highMs, samples } = timings.deployment
    deps.io.info(`Poll timing learned from ${samples} earlier deployment(s): usually ${seconds(lowMs)}–${seconds(highMs)}; polling densely then.`)
  } else {
    deps.io.info('Poll timing: too few earlier deployments to learn from; the plain backoff applies.')
  }
}
