/**
 * The audit entry of a run: what was deployed (or assessed), where, by whom, how it ended, and a bounded summary of the
 * change. Pure; chaining and writing are in audit-chain.ts and audit-log.ts.
 */
import { GOVERNANCE_TAG, type FinalStatus, type RiskLevel } from '../constants.js'
import type { Plan } from '../assess/plan.js'
import type { FlowJobRecord } from '../deploy/result.js'
import type { ApiName } from '../genesys/driver.js'
import type { RunContext } from '../run-context.js'
import { summarizeChanges, type ChangeSummary } from './change-summary.js'
import { clipText, fitLists, itemCosts } from './fit-budget.js'
import { describeRunOutcome, type RunOutcomeInput } from './run-outcome.js'

/** Value of `action` in an audit entry. */
export const AuditAction = {
  Deployment: 'BUNDLE_DEPLOYMENT',
  Assessment: 'BUNDLE_ASSESSMENT'
} as const
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction]

/** The GitHub facts of the run, at the top level of the entry as the contract lists them. */
export interface AuditGithubContext {
  /** `owner/name`. */
  repository: string
  /** Commit the run used. */
  sha: string
  /** Branch or tag ref (`refs/heads/main`). */
  ref: string
  /** Who triggered the run. */
  actor: string
  /** Link to the workflow run. */
  runUrl: string
  /** Event that triggered the run (`push`, `pull_request`). */
  eventName: string
}

/** How long one flow's job took (`architect`), for learning how long to wait between polls. */
export interface FlowJobDuration {
  /** The flow's platform name. */
  name: string
  /** From the job's start to its end, in ms. */
  durationMs: number
  /** From the job's start to the last read that saw it still running, in ms, when one did. */
  runningMs?: number
}

/** One audit entry before it is chained to the log. Field names are a public contract (README "Records"). */
export interface AuditEntry extends AuditGithubContext {
  action: AuditAction
  bundleId: string
  environmentId: string
  /** Platform deployment id; empty when nothing was deployed. */
  deploymentId: string
  /** Output `status` of the run. */
  finalStatus: FinalStatus
  latencyMs: number
  /** When a status read last saw the deployment still running, ms after the request (what poll timing learns from). */
  lastRunningMs?: number
  /** The configuration change: counts and the names of the changed resources, bounded (see summarizeChanges). */
  configurationDiff: ChangeSummary
  riskLevel: RiskLevel
  /** ISO 8601 time the entry was made. */
  timestamp: string
  governanceTag: typeof GOVERNANCE_TAG
  /** sha256 of the normalized bundle (output `fingerprint`). */
  fingerprint: string
  /** The Genesys Cloud API that deployed (or would have), when the bundle got as far as choosing one. */
  api?: ApiName
  /** `architect`: each finished flow job's duration, in deploy order, the first ones when there are many. */
  flowJobs?: FlowJobDuration[]
  /** Finished flow jobs left out of `flowJobs`. */
  flowJobsOmitted?: number
  /** Why the run did not complete, when it did not (cut to MAX_ERROR_CHARS). */
  error?: string
}

/** What buildAuditEntry records: the plan, how the run ended (see describeRunOutcome), where and when. */
export interface AuditEntryInput extends RunOutcomeInput {
  plan: Plan
  context: RunContext
  now: Date
  /** The API the run used, once the bundle chose one. */
  api?: ApiName
}

/** Flow job durations kept in an entry at most. */
export const MAX_FLOW_JOBS_RECORDED = 200

/** Bytes the flow job durations of an entry may take. */
export const FLOW_JOBS_BUDGET_BYTES = 8 * 1024

/** Characters of the error kept in an entry; the job log has the rest. */
export const MAX_ERROR_CHARS = 1000

/**
 * Builds the audit entry of a run. Pure. `action` is BUNDLE_DEPLOYMENT for a deploy run, whatever its status
 * (VALIDATION_FAILED included), and BUNDLE_ASSESSMENT for an assess run. Its size is bounded whatever the bundle's:
 * the change is summarized (summarizeChanges), flow jobs and the error are capped.
 */
export function buildAuditEntry(input: AuditEntryInput): AuditEntry {
  const { plan, context, now } = input
  const outcome = describeRunOutcome(input)
  const entry: AuditEntry = {
    action: outcome.mode === 'deploy' ? AuditAction.Deployment : AuditAction.Assessment,
    bundleId: plan.bundleId,
    environmentId: plan.environmentId,
    deploymentId: outcome.deploymentId,
    finalStatus: outcome.status,
    latencyMs: outcome.latencyMs,
    configurationDiff: summarizeChanges(plan.diff),
    riskLevel: plan.impact.riskLevel,
    timestamp: now.toISOString(),
    governanceTag: GOVERNANCE_TAG,
    repository: context.repository,
    sha: context.sha,
    ref: context.ref,
    actor: context.actor,
    runUrl: context.runUrl,
    eventName: context.eventName,
    fingerprint: plan.fingerprint
  }
  if (input.api) entry.api = input.api
  if (input.result?.lastRunningMs !== undefined) entry.lastRunningMs = Math.round(input.result.lastRunningMs)
  const durations = flowJobDurations(input.result?.flowJobs ?? [])
  if (durations.kept.length > 0 || durations.omitted > 0) entry.flowJobs = durations.kept
  if (durations.omitted > 0) entry.flowJobsOmitted = durations.omitted
  if (outcome.error) entry.error = clipText(outcome.error, MAX_ERROR_CHARS)
  return entry
}

/**
 * The durations of the flow jobs that both started and ended, in deploy order: at most MAX_FLOW_JOBS_RECORDED and
 * FLOW_JOBS_BUDGET_BYTES of them, and how many more there were. Pure.
 */
function flowJobDurations(jobs: readonly FlowJobRecord[]): { kept: FlowJobDuration[]; omitted: number } {
  const finished: FlowJobDuration[] = []
  for (const job of jobs) {
    if (job.startedAtMs === undefined || job.endedAtMs === undefined) continue
    const runningMs = job.lastRunningAtMs === undefined ? undefined : Math.max(0, Math.round(job.lastRunningAtMs - job.startedAtMs))
    finished.push({ name: job.name, durationMs: Math.max(0, Math.round(job.endedAtMs - job.startedAtMs)), ...(runningMs === undefined ? {} : { runningMs }) })
  }
  const [fitting] = fitLists([itemCosts(finished.slice(0, MAX_FLOW_JOBS_RECORDED))], FLOW_JOBS_BUDGET_BYTES)
  return { kept: finished.slice(0, fitting), omitted: finished.length - fitting }
}
