import type { FinalStatus } from '../constants.js'
import type { DeploymentState } from '../genesys/driver.js'

/** One step of the deployment's story, for the report. */
export interface TimelineEvent {
  /** Milliseconds since the deployment was requested. */
  atMs: number
  /** Platform state observed, or an action taken (`ROLLBACK_REQUESTED`). */
  state: DeploymentState | 'DEPLOY_REQUESTED' | 'ROLLBACK_REQUESTED' | 'DEADLINE_REACHED'
  detail?: string
}

/** What happened to the deployment. Pure data. */
export interface DeployResult {
  status: FinalStatus
  /** Platform deployment id; empty when nothing was deployed. */
  deploymentId: string
  /** From the deploy request to the final state (rollback included), in ms. */
  latencyMs: number
  rollback?: {
    reason: string
    /** Last rollback state observed. */
    state?: DeploymentState
  }
  timeline: TimelineEvent[]
  /** Why the run did not complete, as an instruction. */
  error?: string
}
