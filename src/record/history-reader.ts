/**
 * Reading the deployments back from the history branch: what a learned poll schedule needs (how long deployments and
 * each flow's job took, per bundle, environment and API).
 */
import { FinalStatus } from '../constants.js'
import { API_NAMES, type ApiName } from '../genesys/driver.js'
import type { GitHubHelper } from '../github/github-helper.js'
import type { FlowJobDuration } from './audit-entry.js'
import { historyFileName } from './history-file-name.js'
import { deploymentEntries } from './metrics.js'

/** One deployment of the history, as a learned poll schedule reads it. */
export interface HistoryDeployment {
  bundleId: string
  environmentId: string
  /** The API that deployed; absent in entries written before it was recorded. */
  api?: ApiName
  finalStatus: FinalStatus
  /** From the deploy request to the final state, in ms. */
  latencyMs: number
  /** When a status read last saw it still running, ms after the request, when recorded. */
  lastRunningMs?: number
  /** ISO 8601 time of the entry. */
  timestamp: string
  /** `architect`: each finished flow job's duration (the first ones of a large bundle); empty otherwise. */
  flowJobs: FlowJobDuration[]
}

const STATUSES: readonly string[] = Object.values(FinalStatus)

/**
 * The deployment entries (`BUNDLE_DEPLOYMENT`) of a history file's text, oldest first. Entries without a bundle,
 * environment, known status or finite latency are skipped, and so are malformed flow jobs: a reader of timings must not
 * learn from a damaged line (verifyAuditLog reports those). Pure.
 */
export function parseDeploymentHistory(text: string): HistoryDeployment[] {
  const deployments: HistoryDeployment[] = []
  for (const entry of deploymentEntries(text)) {
    const { bundleId, environmentId, api, finalStatus, latencyMs, timestamp, flowJobs, lastRunningMs } = entry
    if (typeof bundleId !== 'string' || typeof environmentId !== 'string' || typeof timestamp !== 'string') continue
    if (typeof finalStatus !== 'string' || !STATUSES.includes(finalStatus)) continue
    if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs)) continue
    const deployment: HistoryDeployment = {
      bundleId,
      environmentId,
      finalStatus: finalStatus as FinalStatus,
      latencyMs,
      timestamp,
      flowJobs: Array.isArray(flowJobs) ? flowJobs.filter(isFlowJobDuration) : []
    }
    if (typeof api === 'string' && (API_NAMES as readonly string[]).includes(api)) deployment.api = api as ApiName
    if (typeof lastRunningMs === 'number' && Number.isFinite(lastRunningMs) && lastRunningMs >= 0) deployment.lastRunningMs = lastRunningMs
    deployments.push(deployment)
  }
  return deployments
}

/**
 * The deployments of an environment recorded on the history branch, oldest first; empty when the branch or the
 * environment's file does not exist yet. Failures of the API are thrown (GitHubApiError), for the caller to warn.
 */
export async function readDeploymentHistory(github: GitHubHelper, branch: string, environmentId: string): Promise<HistoryDeployment[]> {
  const file = await github.readFileOnBranch(historyFileName(environmentId), branch)
  return file.state === 'found' ? parseDeploymentHistory(file.text) : []
}

function isFlowJobDuration(value: unknown): value is FlowJobDuration {
  const job = value as Partial<FlowJobDuration> | null
  const running = job?.runningMs === undefined || (typeof job.runningMs === 'number' && Number.isFinite(job.runningMs) && job.runningMs >= 0)
  return typeof job?.name === 'string' && typeof job.durationMs === 'number' && Number.isFinite(job.durationMs) && job.durationMs >= 0 && running
}
