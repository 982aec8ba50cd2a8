import { FinalStatus } from '../constants.js'
import type { DeployResult } from '../deploy/result.js'

/** Which kind of run a record describes: an assessment (pull requests) or a deployment. */
export type RecordedMode = 'assess' | 'deploy'

/** How a run ended, as main knows it. Every record builder takes these fields. */
export interface RunOutcomeInput {
  /** What the deployment did; absent for an assessment, or a run that stopped before deploying. */
  result?: DeployResult
  /** The run's resolved mode. Default: `deploy` when there is a result or a status other than ASSESSED. */
  mode?: RecordedMode
  /**
   * Final status when it is known without a result (VALIDATION_FAILED before deploying, FAILED after a crash).
   * Wins over `result.status`; main derives both from the same state, so they agree.
   */
  status?: FinalStatus
  /** Why the run failed, when the result does not say it. */
  error?: string
}

/** The final facts of a run, as every record (outputs, audit entry, webhook) states them. */
export interface RunOutcome {
  mode: RecordedMode
  status: FinalStatus
  /** Platform deployment id; empty when nothing was deployed. */
  deploymentId: string
  /** Deployment latency in ms; 0 when nothing was deployed. */
  latencyMs: number
  /** Why the run did not complete, when it did not. */
  error?: string
}

/**
 * The one place that decides what a run's records say, so outputs, audit entry and webhook never disagree.
 *
 * Without a status or result, an assessment is ASSESSED; a deployment is FAILED: a deploy run that ended
 * before anything reported its status (a crash) must never be recorded as a success.
 */
export function describeRunOutcome(input: RunOutcomeInput): RunOutcome {
  const { result } = input
  const mode = input.mode ?? (result || (input.status && input.status !== FinalStatus.Assessed) ? 'deploy' : 'assess')
  const status = input.status ?? result?.status ?? (mode === 'deploy' ? FinalStatus.Failed : FinalStatus.Assessed)
  const outcome: RunOutcome = {
    mode,
    status,
    deploymentId: result?.deploymentId ?? '',
    latencyMs: result?.latencyMs ?? 0
  }
  const error = result?.error ?? input.error
  if (error) outcome.error = error
  return outcome
}
