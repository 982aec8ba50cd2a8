import { randomUUID } from 'node:crypto'
import type { BundlePayload } from './bundle-payload.js'
import { effectivePendingMs, type DeploymentOutcome, type RollbackOutcome, type Scenario } from './scenario.js'

/**
 * Deployments of the bundle API and their progress. A deployment fixes its timing and outcome from the
 * scenario when it is requested (a rollback, when it is requested), so changing the scenario later never
 * rewrites a deployment already under way. Status is a pure function of the record and the injected clock.
 */

/** Every status the deployment endpoint reports. */
export type DeploymentStatus = 'PENDING' | 'IN_PROGRESS' | DeploymentOutcome | 'ROLLBACK_IN_PROGRESS' | RollbackOutcome

/** A requested rollback, with the outcome fixed when it was requested. */
export interface SimulatedRollback {
  reason: string
  /** Injected clock at the request, in ms. */
  requestedAt: number
  durationMs: number
  outcome: RollbackOutcome
  /** Text of a ROLLBACK_FAILED outcome. */
  failureMessage: string
}

/** A deployment the simulator accepted. */
export interface SimulatedDeployment {
  id: string
  bundleId: string
  environmentId: string
  /** The deploy request's body. */
  payload: BundlePayload
  /** Injected clock at the request, in ms. */
  requestedAt: number
  pendingMs: number
  durationMs: number
  outcome: DeploymentOutcome
  /** Text of a failed outcome; empty for COMPLETED. */
  failureMessage: string
  /** Rollbacks requested, oldest first; the last one decides the status. */
  rollbacks: SimulatedRollback[]
}

/** A deployment's state at one instant. */
export interface DeploymentState {
  status: DeploymentStatus
  /** Why it failed, for failed statuses. */
  message?: string
  /** Injected clock at which the deployment itself ended, once it has. */
  completedAt?: number
}

/** The deployment endpoint's answer. */
export interface DeploymentView {
  id: string
  bundleId: string
  environmentId: string
  status: DeploymentStatus
  dateCreated: string
  dateCompleted?: string
  /** Failure text; `errorMessage` repeats it for clients that read that name. */
  message?: string
  errorMessage?: string
  rollback?: { reason: string; dateRequested: string; dateCompleted?: string }
  selfUri: string
}

/**
 * Plans a deployment from the scenario of its bundle. `validationErrors` are the platform's own validation
 * of the payload: any make the deployment end VALIDATION_ERROR whatever the scenario's outcome.
 */
export function planDeployment(payload: BundlePayload, scenario: Scenario, validationErrors: string[], now: number): SimulatedDeployment {
  const id = randomUUID()
  const outcome: DeploymentOutcome = validationErrors.length > 0 ? 'VALIDATION_ERROR' : scenario.outcome
  const failureMessage =
    validationErrors.length > 0
      ? `Deployment ${id} failed validation: ${validationErrors.join('; ')}`
      : outcome === 'COMPLETED'
        ? ''
        : (scenario.failureMessage ?? defaultFailureMessage(outcome, id, payload.bundleId))
  return {
    id,
    bundleId: payload.bundleId,
    environmentId: payload.environmentId,
    payload,
    requestedAt: now,
    pendingMs: effectivePendingMs(scenario),
    durationMs: scenario.deployDurationMs,
    outcome,
    failureMessage,
    rollbacks: []
  }
}

function defaultFailureMessage(outcome: DeploymentOutcome, id: string, bundleId: string): string {
  switch (outcome) {
    case 'ROLLBACK_TRIGGERED':
      return `Deployment ${id} of bundle ${bundleId} failed and the platform rolled it back automatically.`
    case 'VALIDATION_ERROR':
      return `Deployment ${id} of bundle ${bundleId} was rejected by the platform's validation.`
    default:
      return `Deployment ${id} of bundle ${bundleId} failed while applying targetConfig.`
  }
}

/** Plans a rollback of `deployment` from the scenario of its bundle. */
export function planRollback(deployment: SimulatedDeployment, reason: string, scenario: Scenario, now: number): SimulatedRollback {
  return {
    reason,
    requestedAt: now,
    durationMs: scenario.rollbackDurationMs,
    outcome: scenario.rollbackOutcome,
    failureMessage:
      scenario.rollbackFailureMessage ??
      `Rollback of deployment ${deployment.id} of bundle ${deployment.bundleId} failed: the previous configuration could not be restored.`
  }
}

/**
 * Where a deployment stands at `now`: PENDING, then IN_PROGRESS, then its outcome; once a rollback is
 * requested, ROLLBACK_IN_PROGRESS, then the rollback's outcome.
 */
export function deploymentStateAt(deployment: SimulatedDeployment, now: number): DeploymentState {
  const elapsed = now - deployment.requestedAt
  if (elapsed < deployment.pendingMs) return { status: 'PENDING' }
  if (elapsed < deployment.durationMs) return { status: 'IN_PROGRESS' }
  const completedAt = deployment.requestedAt + deployment.durationMs
  const failure = deployment.failureMessage || undefined
  const rollback = deployment.rollbacks.at(-1)
  if (!rollback) return { status: deployment.outcome, message: failure, completedAt }
  if (now - rollback.requestedAt < rollback.durationMs) {
    return { status: 'ROLLBACK_IN_PROGRESS', message: failure, completedAt }
  }
  const message = rollback.outcome === 'ROLLBACK_FAILED' ? rollback.failureMessage : failure
  return { status: rollback.outcome, message, completedAt }
}

/** What a rollback request does to a deployment in a given status. */
export type RollbackDecision =
  | { action: 'start' }
  /** A rollback is already running: the request is accepted again without restarting it. */
  | { action: 'already-in-progress' }
  | { action: 'refuse'; reason: string }

/**
 * What a rollback request does to a deployment in `status`. A finished deployment can be rolled back
 * whatever its outcome (COMPLETED included: that is how a good deployment is undone), and a failed rollback
 * can be retried. A repeated request during a rollback is accepted without restarting it, so that a client
 * retrying a request whose answer it lost does no harm. A running deployment cannot be rolled back (409):
 * the platform would have to stop it half-applied, so the caller must wait for it to end. Nor can one the
 * platform already rolled back, or one already ROLLED_BACK.
 */
export function decideRollback(deploymentId: string, status: DeploymentStatus): RollbackDecision {
  switch (status) {
    case 'PENDING':
    case 'IN_PROGRESS':
      return refuse(`Deployment ${deploymentId} is ${status}: a running deployment cannot be rolled back. Poll it until it ends, then request the rollback.`)
    case 'ROLLBACK_TRIGGERED':
      return refuse(`Deployment ${deploymentId} was already rolled back by the platform (ROLLBACK_TRIGGERED): there is nothing left to roll back.`)
    case 'ROLLED_BACK':
      return refuse(`Deployment ${deploymentId} is already ROLLED_BACK: there is nothing left to roll back.`)
    case 'ROLLBACK_IN_PROGRESS':
      return { action: 'already-in-progress' }
    case 'COMPLETED':
    case 'FAILED':
    case 'VALIDATION_ERROR':
    case 'ROLLBACK_FAILED':
      return { action: 'start' }
  }
}

function refuse(reason: string): RollbackDecision {
  return { action: 'refuse', reason }
}

/** The deployment endpoint's answer at `now`. */
export function deploymentView(deployment: SimulatedDeployment, now: number, selfUri: string): DeploymentView {
  const state = deploymentStateAt(deployment, now)
  const rollback = deployment.rollbacks.at(-1)
  const rollbackDone = rollback && now - rollback.requestedAt >= rollback.durationMs
  return {
    id: deployment.id,
    bundleId: deployment.bundleId,
    environmentId: deployment.environmentId,
    status: state.status,
    dateCreated: isoDate(deployment.requestedAt),
    ...(state.completedAt === undefined ? {} : { dateCompleted: isoDate(state.completedAt) }),
    ...(state.message === undefined ? {} : { message: state.message, errorMessage: state.message }),
    ...(rollback && {
      rollback: {
        reason: rollback.reason,
        dateRequested: isoDate(rollback.requestedAt),
        ...(rollbackDone ? { dateCompleted: isoDate(rollback.requestedAt + rollback.durationMs) } : {})
      }
    }),
    selfUri
  }
}

function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString()
}

/** The deployments accepted so far, in request order. */
export class DeploymentStore {
  private readonly byId = new Map<string, SimulatedDeployment>()

  add(deployment: SimulatedDeployment): void {
    this.byId.set(deployment.id, deployment)
  }

  /** The deployment `id` of bundle `bundleId`; another bundle's deployment is not found, as on the platform. */
  find(bundleId: string, id: string): SimulatedDeployment | undefined {
    const deployment = this.byId.get(id)
    return deployment?.bundleId === bundleId ? deployment : undefined
  }

  list(): SimulatedDeployment[] {
    return [...this.byId.values()]
  }

  clear(): void {
    this.byId.clear()
  }
}
