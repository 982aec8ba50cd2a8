import type { Consumer } from '../assess/impact.js'
import type { LiveFlowVersion } from '../assess/plan.js'
import type { LearnedTiming } from '../deploy/learned-schedule.js'
import type { Bundle } from '../bundle/bundle.js'
import type { FlowJobRecord } from '../deploy/result.js'

/** Which Genesys Cloud API deploys the bundle (input `api`). */
/** The two Genesys Cloud APIs a bundle deploys through. */
export const API_NAMES = ['architect', 'architecture-manager'] as const
export type ApiName = (typeof API_NAMES)[number]

/**
 * State of a deployment as the deploy state machine sees it, whatever the API.
 * The architecture-manager driver passes the platform's statuses through; other drivers map onto them.
 */
export type DeploymentState =
  'PENDING' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'VALIDATION_ERROR' | 'ROLLBACK_TRIGGERED' | 'ROLLBACK_IN_PROGRESS' | 'ROLLED_BACK' | 'ROLLBACK_FAILED'

/** States after which a deployment changes no more by itself. */
export const DEPLOYMENT_TERMINAL_STATES: readonly DeploymentState[] = ['COMPLETED', 'FAILED', 'VALIDATION_ERROR', 'ROLLBACK_TRIGGERED']

/** States after which a rollback changes no more by itself. */
export const ROLLBACK_TERMINAL_STATES: readonly DeploymentState[] = ['ROLLED_BACK', 'ROLLBACK_FAILED']

/** What the platform said of the bundle before deploying it. */
export interface RemoteValidation {
  /** Whether the platform would accept the bundle. */
  valid: boolean
  warnings: string[]
  errors: string[]
  /** Platform schema version, when reported. */
  schemaVersion?: string
  /** Flow slots the environment has free and the bundle needs, when reported. */
  environmentCapacity?: { availableFlowSlots?: number; requiredFlowSlots?: number }
  /** External dependencies the platform confirmed, when the API can tell. */
  confirmedDependencies?: string[]
}

/** A deployment the platform accepted. */
export interface DeploymentHandle {
  id: string
  state: DeploymentState
  /** When to take the first step, in ms, when the driver knows (see DeploymentObservation.nextPollInMs). */
  nextPollInMs?: number
}

/** One observation of a deployment. */
export interface DeploymentObservation {
  id: string
  state: DeploymentState
  /** Platform text explaining the state (failure messages), when any. */
  detail?: string
  /** Response headers that shape polling (Retry-After), lower-cased names. */
  retryAfterSeconds?: number
  /**
   * When the next step is due, in ms, for a driver that keeps a poll schedule per job (the architect driver: each flow
   * job on its own schedule). The deploy runner waits this long instead of growing its own interval, never less than
   * the poll floor and never past the deadline. Absent: the runner's own schedule applies.
   */
  nextPollInMs?: number
}

/** How a post step recovers a cancelled deployment. */
export interface CancelRecoveryOptions {
  /** Undo what the run changed (`on-cancel: rollback`), or only find out where it stands (`leave`). */
  rollBack: boolean
  /** When to give up waiting (ms on the run's clock). */
  deadline: number
  now: () => number
  sleep: (ms: number) => Promise<void>
  log: (message: string) => void
}

/** Configuration read from the platform, in the shape the diff compares (see assess/comparable-config.ts). */
export interface LiveConfiguration {
  /** `{flows: {...}, queues: {...}}` as live on the platform, for the resources the bundle names. */
  config: Record<string, unknown>
  /** Human description for the report ("published versions of 2 flows in the org"). */
  description: string
  /** Each bundle flow's published version (null: not in the org, or never published), what the review saw. */
  versions?: Record<string, LiveFlowVersion | null>
}

/**
 * One Genesys Cloud API that can validate, deploy, observe and roll back a bundle.
 * Implemented once per API; the deploy state machine only speaks to this.
 */
export interface DeployDriver {
  readonly api: ApiName
  /** Ask the platform to validate the bundle. Throws on transport / auth failures, not on an invalid bundle. */
  validate(bundle: Bundle): Promise<RemoteValidation>
  /** Start a deployment. */
  deploy(bundle: Bundle): Promise<DeploymentHandle>
  /** Read the deployment's (or its rollback's) current state. */
  getStatus(bundle: Bundle, deploymentId: string): Promise<DeploymentObservation>
  /** Ask the platform to roll the deployment back; the rollback is then observed through getStatus. */
  rollback(bundle: Bundle, deploymentId: string, reason: string): Promise<DeploymentObservation>
  /** The live configuration of the bundle's resources, when the API can read it (the diff's baseline). */
  readLiveConfiguration?(bundle: Bundle): Promise<LiveConfiguration>
  /**
   * What a later step needs to undo this run's changes by hand or after a cancellation (the architect driver: each
   * flow's previously published version), once the deployment has started. Plain JSON data.
   */
  previousVersions?(): unknown[]
  /**
   * What a post step needs to finish or undo this run's deployment after a cancellation, beyond the deployment id
   * (the architect driver: the flow jobs under way and what was published). Plain JSON data, saved after each poll.
   */
  cancellationProgress?(): unknown
  /**
   * After a cancelled run (the post step, a new process): follows what `progress` (from cancellationProgress) had
   * under way to its end and, when `rollBack`, undoes what the run changed. Drivers without it are followed through
   * getStatus and rollback.
   */
  recoverCancelled?(bundle: Bundle, deploymentId: string, progress: unknown, options: CancelRecoveryOptions): Promise<DeploymentObservation>
  /**
   * Each flow's job of this run, in deploy order, for the report; times in ms since `requestedAt` (when the deploy was
   * requested, on the driver's clock). Only for drivers that run one job per flow.
   */
  flowJobs?(requestedAt: number): FlowJobRecord[]
  /**
   * Earlier durations of each flow's job, by flow name, for drivers that poll one job per flow (deploy/learned-schedule.ts).
   * Called before deploy().
   */
  learnPollTimings?(timings: Record<string, LearnedTiming>): void
  /** Resources that use each of the named flows, when the API can tell (impact). */
  findConsumers?(bundle: Bundle, flowNames: string[]): Promise<Record<string, Consumer[]>>
}
