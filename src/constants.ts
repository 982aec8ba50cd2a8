/**
 * Names of the action's public interface. They are a contract (see action.yml and the README):
 * never spell them as literals elsewhere.
 */

/** Input names, as in action.yml. */
export const Inputs = {
  Mode: 'mode',
  Bundle: 'bundle',
  Api: 'api',
  EnvironmentId: 'environment-id',
  Region: 'region',
  ApiUrl: 'api-url',
  AuthUrl: 'auth-url',
  ClientId: 'client-id',
  ClientSecret: 'client-secret',
  GithubToken: 'github-token',
  Comment: 'comment',
  FailOnRisk: 'fail-on-risk',
  RiskAcceptedLabel: 'risk-accepted-label',
  OverrideValidation: 'override-validation',
  RollbackOnFailure: 'rollback-on-failure',
  Baseline: 'baseline',
  TimeoutSeconds: 'timeout-seconds',
  PollIntervalSeconds: 'poll-interval-seconds',
  MaxPollIntervalSeconds: 'max-poll-interval-seconds',
  MaxParallelJobs: 'max-parallel-jobs',
  OnCancel: 'on-cancel',
  OnPlanChange: 'on-plan-change',
  RequireAssessedPlan: 'require-assessed-plan',
  HistoryBranch: 'history-branch',
  WebhookUrl: 'webhook-url',
  WebhookSecret: 'webhook-secret',
  AuditLog: 'audit-log'
} as const

export type InputName = (typeof Inputs)[keyof typeof Inputs]

/** Output names, as in action.yml. */
export const Outputs = {
  Status: 'status',
  DeploymentId: 'deployment-id',
  RiskLevel: 'risk-level',
  LatencyMs: 'latency-ms',
  Diff: 'diff',
  Impact: 'impact',
  Fingerprint: 'fingerprint',
  AuditLog: 'audit-log',
  Report: 'report',
  Metrics: 'metrics',
  DiffFile: 'diff-file',
  ImpactFile: 'impact-file'
} as const

export type OutputName = (typeof Outputs)[keyof typeof Outputs]

/** Final status of a run (output `status`). Every status but ASSESSED and COMPLETED fails the step. */
export const FinalStatus = {
  Assessed: 'ASSESSED',
  Completed: 'COMPLETED',
  ValidationFailed: 'VALIDATION_FAILED',
  Failed: 'FAILED',
  RollbackCompleted: 'ROLLBACK_COMPLETED',
  RollbackFailed: 'ROLLBACK_FAILED',
  RollbackTriggered: 'ROLLBACK_TRIGGERED',
  TimedOut: 'TIMED_OUT',
  Cancelled: 'CANCELLED'
} as const

export type FinalStatus = (typeof FinalStatus)[keyof typeof FinalStatus]

/** Risk levels, lowest first. */
export const RISK_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]

/** Hidden marker that identifies the action's sticky PR comment. */
export const COMMENT_MARKER = 'genesys-bundle-deploy'

/** Value of `governanceTag` in every audit entry. */
export const GOVERNANCE_TAG = 'INFRASTRUCTURE_UPDATE'

/** Keys of core.saveState: what the main step leaves for the post step (cancellation safety). */
export const StateKeys = {
  /** Set by the main step as soon as it starts: the post step runs only after a main step. */
  MainStarted: 'main-started',
  /** Set when the main step has written its records: the post step then has nothing to do. */
  MainFinished: 'main-finished',
  /** Where the main step is (see RunPhase): what the post step has to finish or undo. */
  Phase: 'phase',
  /** The signal that cancelled the main step, when one did. */
  CancelledBy: 'cancelled-by',
  Mode: 'mode',
  Api: 'api',
  BundleId: 'bundle-id',
  EnvironmentId: 'environment-id',
  Fingerprint: 'fingerprint',
  /** The pull request whose sticky comment follows the run. */
  CommentPullRequest: 'comment-pull-request',
  /** When the deploy request was sent (ms since the epoch): the latency of a cancelled deployment counts from it. */
  DeployRequestedAt: 'deploy-requested-at',
  DeploymentId: 'deployment-id',
  PreviousVersions: 'previous-versions',
  /** The assessment the deploy checked its plan against (JSON), so the post step's comment keeps it. */
  AssessedPlan: 'assessed-plan',
  /** What the driver needs to finish or undo its deployment after a cancellation (JSON). */
  DriverProgress: 'driver-progress'
} as const

/** Phases of the main step, saved as it moves on (StateKeys.Phase). */
export const RunPhase = {
  Planning: 'planning',
  Deploying: 'deploying',
  RollingBack: 'rolling-back',
  Recording: 'recording'
} as const
export type RunPhase = (typeof RunPhase)[keyof typeof RunPhase]
