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

/** One flow's job in an `architect` deployment, for the report (each flow with its duration). */
export interface FlowJobRecord {
  /** Key under `targetConfig.flows`. */
  flow: string
  /** The flow's platform name. */
  name: string
  /** Dependency level: 0 deploys first; flows of one level run side by side. */
  level: number
  jobId?: string
  /** Milliseconds since the deployment was requested, when the job started and ended. */
  startedAtMs?: number
  endedAtMs?: number
  /** When a read last saw the job still running (ms since the request): its end lies between this and `endedAtMs`. */
  lastRunningAtMs?: number
  outcome: 'published' | 'failed' | 'not started' | 'running'
  /** After a rollback: whether the flow's previous version was published again, or why not. */
  rollback?: 'restored' | 'restore failed' | 'left in place'
  /** The platform's message (a failure reason), when any. */
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
  /** `architect`: each flow's job, in deploy order. */
  flowJobs?: FlowJobRecord[]
  /**
   * When a status read last saw the deployment still running (ms since the request), when one did: the deployment
   * ended between this and its latency, which is what a learned poll schedule learns from.
   */
  lastRunningMs?: number
  /** Why the run did not complete, as an instruction. */
  error?: string
}
