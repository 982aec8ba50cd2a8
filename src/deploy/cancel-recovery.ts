/**
 * After a cancelled run, in the post step: find out where the deployment the main step started stands, follow it to
 * an end, and, with `on-cancel: rollback`, undo it; with `leave`, only report. The status is always CANCELLED; the
 * result says what was found and what was done.
 */
import type { Bundle } from '../bundle/bundle.js'
import { FinalStatus } from '../constants.js'
import { describeError } from '../error-message.js'
import { DEPLOYMENT_TERMINAL_STATES, ROLLBACK_TERMINAL_STATES, type DeployDriver, type DeploymentObservation, type DeploymentState } from '../genesys/driver.js'
import { isWorthRetryingLater } from '../genesys/genesys-api-error.js'
import type { Sleep } from '../retry-helper.js'
import type { DeployResult, TimelineEvent } from './result.js'

/** What the post step knows of the cancelled deployment. */
export interface CancelledDeployment {
  driver: DeployDriver
  bundle: Bundle
  deploymentId: string
  /** What the driver saved for this moment (cancellationProgress), when anything. */
  progress?: unknown
  /** When the deploy request was sent, for the latency; undefined when unknown. */
  deployRequestedAt?: number
  /** Undo the deployment (`on-cancel: rollback`) or only report (`leave`). */
  rollBack: boolean
  timeoutMs: number
  /** How often to look at the deployment while waiting. */
  pollIntervalMs: number
  now: () => number
  sleep: Sleep
  log: (message: string) => void
  /** Tells the HTTP client the deadline, so no request outlives it. */
  setRequestDeadline?: (deadline: number | undefined) => void
}

/** States in which the deployment has nothing left to undo. */
const ALREADY_UNDONE: readonly DeploymentState[] = ['ROLLBACK_TRIGGERED', 'ROLLED_BACK']

/** Follows and, when asked, undoes a cancelled deployment. Never throws: what could not be done is in the result. */
export async function recoverCancelledDeployment(input: CancelledDeployment): Promise<DeployResult> {
  const startedAt = input.now()
  const deadline = startedAt + input.timeoutMs
  const timeline: TimelineEvent[] = []
  const note = (state: TimelineEvent['state'], detail?: string): void => {
    timeline.push({ atMs: input.now() - startedAt, state, ...(detail ? { detail } : {}) })
  }
  const finish = (message: string, rollback?: DeployResult['rollback']): DeployResult => ({
    status: FinalStatus.Cancelled,
    deploymentId: input.deploymentId,
    latencyMs: input.deployRequestedAt === undefined ? 0 : Math.max(0, input.now() - input.deployRequestedAt),
    timeline,
    ...(rollback ? { rollback } : {}),
    error: message
  })
  input.setRequestDeadline?.(deadline)
  try {
    const observation = await (input.driver.recoverCancelled
      ? input.driver.recoverCancelled(input.bundle, input.deploymentId, input.progress, {
          rollBack: input.rollBack,
          deadline,
          now: input.now,
          sleep: input.sleep,
          log: input.log
        })
      : followThroughStatus(input, deadline, note))
    note(observation.state, observation.detail)
    return finish(...describeRecovery(input, observation))
  } catch (error) {
    const what = input.rollBack ? 'roll it back' : 'read its state'
    return finish(
      `The job was cancelled during deployment ${input.deploymentId}, and the post step could not ${what}: ${describeError(error)}. ` +
        'Check the environment in Genesys Cloud and restore it by hand if needed.',
      input.rollBack ? { reason: 'the job was cancelled', state: 'ROLLBACK_FAILED' } : undefined
    )
  } finally {
    input.setRequestDeadline?.(undefined)
  }
}

/** The message and rollback record for where the recovery ended. */
function describeRecovery(input: CancelledDeployment, observation: DeploymentObservation): [string, DeployResult['rollback']?] {
  const id = input.deploymentId
  const said = observation.detail ? ` (${observation.detail})` : ''
  const reason = 'the job was cancelled'
  if (!input.rollBack) {
    const where = observation.state === 'IN_PROGRESS' || observation.state === 'PENDING' ? `still ${observation.state}` : `at ${observation.state}`
    return [`The job was cancelled during deployment ${id} (${where}${said}); it was left as it is (\`on-cancel: leave\`).`]
  }
  switch (observation.state) {
    case 'ROLLED_BACK':
      return [`The job was cancelled during deployment ${id}; the post step rolled it back${said}.`, { reason, state: 'ROLLED_BACK' }]
    case 'ROLLBACK_TRIGGERED':
      return [`The job was cancelled during deployment ${id}, which the platform had rolled back by itself${said}.`]
    case 'ROLLBACK_FAILED':
      return [
        `The job was cancelled during deployment ${id} and its rollback failed${said}: restore the environment by hand in Genesys Cloud.`,
        { reason, state: 'ROLLBACK_FAILED' }
      ]
    case 'ROLLBACK_IN_PROGRESS':
      return [
        `The job was cancelled during deployment ${id}; its rollback did not finish within ${input.timeoutMs / 1000} s${said}: check the environment in Genesys Cloud.`,
        { reason, state: 'ROLLBACK_IN_PROGRESS' }
      ]
    case 'PENDING':
    case 'IN_PROGRESS':
      return [
        `The job was cancelled during deployment ${id}, which was still ${observation.state} after ${input.timeoutMs / 1000} s` +
          `, so it could not be rolled back${said}: check it in Genesys Cloud.`
      ]
    default:
      return [`The job was cancelled during deployment ${id}, which ended ${observation.state}${said}; it was not rolled back.`]
  }
}

/**
 * For drivers the platform keeps the deployment for (architecture-manager): wait until it ends (a running deployment
 * cannot be rolled back), then request the rollback and follow it.
 */
async function followThroughStatus(
  input: CancelledDeployment,
  deadline: number,
  note: (state: TimelineEvent['state'], detail?: string) => void
): Promise<DeploymentObservation> {
  const ended = await pollUntil(input, deadline, state => DEPLOYMENT_TERMINAL_STATES.includes(state) || isRollbackState(state))
  note(ended.state, ended.detail)
  if (!input.rollBack || !DEPLOYMENT_TERMINAL_STATES.includes(ended.state) || ALREADY_UNDONE.includes(ended.state)) {
    if (input.rollBack && ended.state === 'ROLLBACK_IN_PROGRESS') return pollUntil(input, deadline, state => ROLLBACK_TERMINAL_STATES.includes(state))
    return ended
  }
  input.log(`Rolling back deployment ${input.deploymentId} (${ended.state}) because the job was cancelled`)
  note('ROLLBACK_REQUESTED', 'the job was cancelled')
  const started = await input.driver.rollback(input.bundle, input.deploymentId, 'Automatic rollback: the GitHub Actions job was cancelled')
  if (ROLLBACK_TERMINAL_STATES.includes(started.state)) return started
  return pollUntil(input, deadline, state => ROLLBACK_TERMINAL_STATES.includes(state))
}

/** Reads the status until `done` or the deadline; the last observation either way. Temporary failures are read again. */
async function pollUntil(input: CancelledDeployment, deadline: number, done: (state: DeploymentState) => boolean): Promise<DeploymentObservation> {
  let last: DeploymentObservation | undefined
  for (;;) {
    try {
      last = await input.driver.getStatus(input.bundle, input.deploymentId)
      if (done(last.state)) return last
    } catch (error) {
      if (!isWorthRetryingLater(error)) throw error
      input.log(`Could not read deployment ${input.deploymentId} (${describeError(error)}); trying again`)
    }
    const remaining = deadline - input.now()
    if (remaining <= 0) {
      if (last) return last
      throw new Error(`its state could not be read within ${input.timeoutMs / 1000} s`)
    }
    await input.sleep(Math.min(input.pollIntervalMs, remaining))
  }
}

function isRollbackState(state: DeploymentState): boolean {
  return state === 'ROLLBACK_IN_PROGRESS' || ROLLBACK_TERMINAL_STATES.includes(state)
}
