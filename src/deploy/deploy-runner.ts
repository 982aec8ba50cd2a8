import type { Bundle } from '../bundle/bundle.js'
import { FinalStatus } from '../constants.js'
import {
  DEPLOYMENT_TERMINAL_STATES,
  ROLLBACK_TERMINAL_STATES,
  type DeployDriver,
  type DeploymentHandle,
  type DeploymentObservation,
  type DeploymentState
} from '../genesys/driver.js'
import { describeError } from '../error-message.js'
import { GenesysApiError, isGenesysStatus, isRefusal, isWorthRetryingLater } from '../genesys/genesys-api-error.js'
import type { Sleep } from '../retry-helper.js'
import { learnedPollDelayMs, type LearnedTiming } from './learned-schedule.js'
import { nextPollDelayMs, POLL_FLOOR_MS } from './poll-schedule.js'
import type { DeployResult, TimelineEvent } from './result.js'

/** Everything the deployment needs; clock, sleep and randomness are injected so tests run instantly. */
export interface DeployRunOptions {
  driver: DeployDriver
  bundle: Bundle
  /** Roll back automatically when the deployment fails. */
  rollbackOnFailure: boolean
  /** Deadline for the deployment to reach a terminal state; the rollback gets the same again. */
  timeoutMs: number
  pollIntervalMs: number
  maxPollIntervalMs: number
  now: () => number
  sleep: Sleep
  random: () => number
  log: (message: string) => void
  /** Called as soon as the platform has accepted the deployment (cancellation safety: main saves the id). */
  onDeploymentStarted?: (deploymentId: string) => void
  /**
   * Tells the HTTP client the deadline of the current phase (undefined when none), so that a request's timeout
   * and retries end with it: a hung or rate-limited status read must not outlive `timeout-seconds`.
   */
  setRequestDeadline?: (deadline: number | undefined) => void
  /**
   * What earlier deployments of the bundle took (deploy/learned-schedule.ts): the deployment is then polled around
   * its usual duration instead of on the plain backoff. Not for drivers with a schedule per job (they learn per job).
   */
  learnedTiming?: LearnedTiming
  /** Called when an automatic rollback starts (the post step must know after a cancellation). */
  onRollbackStarted?: () => void
  /** Called after every status read that answered (the caller saves the driver's progress for the post step). */
  onObservation?: (observation: DeploymentObservation) => void
}

/** States a rollback is observed in; the platform may also still report the failure it is undoing. */
const ROLLBACK_PHASE_STATES: readonly DeploymentState[] = ['ROLLBACK_IN_PROGRESS', 'ROLLED_BACK', 'ROLLBACK_FAILED']

/** What the poll loop ended with. */
/** Status reads refused in a row (404, 403, a 401 after a new token) before the status counts as unreadable. */
export const STATUS_REFUSALS_BEFORE_GIVING_UP = 3

type PollOutcome = { kind: 'terminal'; observation: DeploymentObservation } | { kind: 'deadline'; lastProblem?: string } | { kind: 'unreadable'; error: string }

/**
 * Deploys the bundle and follows it to its end: polls with a growing interval until the deployment is
 * terminal or the deadline passes, rolls back a failed deployment when enabled and follows the rollback too.
 * Returns the final status; throws only when the deploy request itself could not be made.
 */
export async function runDeployment(options: DeployRunOptions): Promise<DeployResult> {
  const { now } = options
  const startedAt = now()
  const timeline: TimelineEvent[] = []
  const note = (state: TimelineEvent['state'], detail?: string): void => {
    timeline.push({ atMs: now() - startedAt, state, ...(detail ? { detail } : {}) })
  }
  const finish = (status: FinalStatus, deploymentId: string, extra: Partial<DeployResult> = {}): DeployResult => {
    const flowJobs = deploymentId === '' ? undefined : options.driver.flowJobs?.(startedAt)
    return {
      status,
      deploymentId,
      latencyMs: now() - startedAt,
      timeline,
      ...(flowJobs === undefined ? {} : { flowJobs }),
      ...extra
    }
  }

  try {
    return await deployAndFollow(options, startedAt, note, finish)
  } finally {
    options.setRequestDeadline?.(undefined)
  }
}

type Note = (state: TimelineEvent['state'], detail?: string) => void
type Finish = (status: FinalStatus, deploymentId: string, extra?: Partial<DeployResult>) => DeployResult

async function deployAndFollow(options: DeployRunOptions, startedAt: number, note: Note, finish: Finish): Promise<DeployResult> {
  const { driver, bundle, log } = options
  const deadline = startedAt + options.timeoutMs
  options.setRequestDeadline?.(deadline)
  note('DEPLOY_REQUESTED')
  let handle: DeploymentHandle
  try {
    handle = await driver.deploy(bundle)
  } catch (error) {
    const refused = refusedDeployment(error)
    if (refused) return finish(FinalStatus.ValidationFailed, '', { error: refused })
    // Past the deadline, or rate-limited until past it (the client waits out a 429 only while time is left).
    if (options.now() >= deadline || isGenesysStatus(error, 429)) {
      note('DEADLINE_REACHED', 'deploy request')
      return finish(FinalStatus.TimedOut, '', {
        error: `The deploy request did not go through within ${options.timeoutMs / 1000} s (${describeError(error)}); check in Genesys Cloud whether a deployment started, or raise \`timeout-seconds\`.`
      })
    }
    throw error
  }
  const id = handle.id
  log(`Deployment ${id} accepted (${handle.state})`)
  note(handle.state)
  options.onDeploymentStarted?.(id)

  const learned = options.learnedTiming ? { timing: options.learnedTiming, startedAt } : undefined
  const seen: { lastRunningAt?: number } = {}
  const deployment = await pollUntil(options, id, DEPLOYMENT_TERMINAL_STATES.concat(ROLLBACK_PHASE_STATES), note, handle, deadline, learned, seen)
  if (deployment.kind === 'deadline') {
    note('DEADLINE_REACHED', deployment.lastProblem)
    const last = deployment.lastProblem ? ` The last status request failed: ${deployment.lastProblem}` : ''
    return finish(FinalStatus.TimedOut, id, {
      error: `Deployment ${id} did not finish within ${options.timeoutMs / 1000} s; it may still be running on the platform. Check it in Genesys Cloud, or raise \`timeout-seconds\`.${last}`
    })
  }
  if (deployment.kind === 'terminal') {
    const { state, detail } = deployment.observation
    if (state === 'COMPLETED')
      return finish(FinalStatus.Completed, id, seen.lastRunningAt === undefined ? {} : { lastRunningMs: seen.lastRunningAt - startedAt })
    if (ROLLBACK_PHASE_STATES.includes(state) || state === 'ROLLBACK_TRIGGERED') {
      return finish(FinalStatus.RollbackTriggered, id, {
        error: `The platform rolled deployment ${id} back by itself${detail ? `: ${detail}` : ''}.`
      })
    }
  }

  const reason =
    deployment.kind === 'unreadable'
      ? `the deployment's status could not be read (${deployment.error})`
      : `the deployment ended ${deployment.observation.state}${deployment.observation.detail ? `: ${deployment.observation.detail}` : ''}`
  if (!options.rollbackOnFailure) {
    return finish(FinalStatus.Failed, id, {
      error: `Deployment ${id} failed: ${reason}. Automatic rollback is off (rollbackOnFailure / \`rollback-on-failure\`), so the environment may be partly changed.`
    })
  }
  return rollBack(options, id, reason, note, finish)
}

async function rollBack(options: DeployRunOptions, id: string, reason: string, note: Note, finish: Finish): Promise<DeployResult> {
  options.log(`Rolling back deployment ${id}: ${reason}`)
  // The rollback gets a deadline of its own: once started it must be seen through, whatever the deployment used up.
  const deadline = options.now() + options.timeoutMs
  options.setRequestDeadline?.(deadline)
  note('ROLLBACK_REQUESTED', reason)
  options.onRollbackStarted?.()
  let started: DeploymentObservation
  try {
    started = await options.driver.rollback(options.bundle, id, `Automatic rollback: ${reason}`)
  } catch (error) {
    const message = describeError(error)
    // No answer before the deadline says nothing about the rollback: the platform may have started it, and may still be at it.
    if (options.now() >= deadline || isGenesysStatus(error, 429) || (error instanceof GenesysApiError && error.kind === 'timeout')) {
      note('DEADLINE_REACHED', 'rollback request')
      return finish(FinalStatus.TimedOut, id, {
        rollback: { reason },
        error:
          `Deployment ${id} failed (${reason}) and the rollback request got no answer within ${options.timeoutMs / 1000} s ` +
          `(${message.replace(/\.+$/, '')}). The rollback may still be running on the platform: check the environment in Genesys Cloud, ` +
          'and restore by hand what it did not.'
      })
    }
    return finish(FinalStatus.RollbackFailed, id, {
      rollback: { reason },
      error: `Deployment ${id} failed (${reason}) and the rollback request failed: ${message.replace(/\.+$/, '')}. Roll it back by hand in Genesys Cloud.`
    })
  }
  note(started.state, started.detail)
  const outcome = await pollUntil(options, id, ROLLBACK_TERMINAL_STATES, note, started, deadline)
  if (outcome.kind === 'terminal' && outcome.observation.state === 'ROLLED_BACK') {
    // The platform's word on the rollback (flows left in place, say) belongs in the message, unless it only repeats the failure.
    const detail = outcome.observation.detail
    const said = detail && !reason.includes(detail) ? ` (${detail})` : ''
    return finish(FinalStatus.RollbackCompleted, id, {
      rollback: { reason, state: 'ROLLED_BACK' },
      error: `Deployment ${id} failed (${reason}); it was rolled back${said}.`
    })
  }
  if (outcome.kind === 'terminal') {
    const detail = outcome.observation.detail ? `: ${outcome.observation.detail}` : ''
    return finish(FinalStatus.RollbackFailed, id, {
      rollback: { reason, state: outcome.observation.state },
      error: `Deployment ${id} failed (${reason}) and its rollback failed${detail}. Check the environment in Genesys Cloud and restore it by hand.`
    })
  }
  if (outcome.kind === 'deadline') note('DEADLINE_REACHED', 'rollback')
  const why = outcome.kind === 'deadline' ? `did not finish within ${options.timeoutMs / 1000} s` : `could not be followed (${outcome.error})`
  return finish(FinalStatus.TimedOut, id, {
    rollback: { reason, state: 'ROLLBACK_IN_PROGRESS' },
    error: `Deployment ${id} failed (${reason}) and its rollback ${why}. Check the environment in Genesys Cloud.`
  })
}

/**
 * Polls until the deployment reaches one of `until`, the deadline passes, or its status cannot be read
 * (a permanent API error). Temporary errors that outlived the client's own retries are retried here until the
 * deadline, because the deployment goes on regardless of a passing network fault. Waits as the driver says when it
 * keeps a schedule per job (`nextPollInMs`), else on the runner's own growing interval.
 */
async function pollUntil(
  options: DeployRunOptions,
  id: string,
  until: readonly DeploymentState[],
  note: Note,
  initial: { state: DeploymentState; detail?: string; nextPollInMs?: number },
  deadline: number,
  learned?: { timing: LearnedTiming; startedAt: number },
  seen: { lastRunningAt?: number } = {}
): Promise<PollOutcome> {
  const { driver, bundle, now, sleep, log } = options
  // The platform may answer the request itself with a final state (a no-op deployment, an instant rollback).
  if (until.includes(initial.state))
    return { kind: 'terminal', observation: { id, state: initial.state, ...(initial.detail ? { detail: initial.detail } : {}) } }
  let lastState: DeploymentState = initial.state
  let lastProblem: string | undefined
  let next: NextPoll = { driverSaysMs: initial.nextPollInMs }
  let errorsInARow = 0
  let refusalsInARow = 0
  for (let pollNumber = 1; ; pollNumber++) {
    const remainingMs = deadline - now()
    if (remainingMs <= 0) return { kind: 'deadline', lastProblem }
    await sleep(waitBeforePoll(options, next, errorsInARow > 0 ? errorsInARow : pollNumber, remainingMs, errorsInARow === 0 ? learned : undefined))
    let observation: DeploymentObservation
    try {
      observation = await driver.getStatus(bundle, id)
    } catch (error) {
      // Rolling back over an answer that was merely not understood could undo a good deployment: only refusals stop
      // here, and only refusals in a row (a proxy or a replica may refuse one read of a deployment that is fine).
      if (!isWorthRetryingLater(error)) {
        // Refused credentials stay refused: no point asking again.
        const credentials = error instanceof GenesysApiError && error.kind === 'auth'
        refusalsInARow++
        if (credentials || refusalsInARow >= STATUS_REFUSALS_BEFORE_GIVING_UP) return { kind: 'unreadable', error: describeError(error) }
      } else {
        refusalsInARow = 0
      }
      // A read cut short by the deadline itself says nothing about the platform: keep the failure before it.
      if (now() < deadline) lastProblem = describeError(error)
      log(`Could not read the status of ${id} (${describeError(error)}); trying again`)
      // A driver with its own schedule backs off from its first interval again; otherwise the runner's schedule grows on.
      if (next.driverSaysMs !== undefined || errorsInARow > 0) errorsInARow++
      next = {
        retryAfterMs: error instanceof GenesysApiError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : undefined
      }
      continue
    }
    lastProblem = undefined
    options.onObservation?.(observation)
    errorsInARow = 0
    refusalsInARow = 0
    next = {
      driverSaysMs: observation.nextPollInMs,
      retryAfterMs: observation.retryAfterSeconds !== undefined ? observation.retryAfterSeconds * 1000 : undefined
    }
    if (observation.state !== lastState) {
      log(`Deployment ${id}: ${lastState} -> ${observation.state}${observation.detail ? ` (${observation.detail})` : ''}`)
      note(observation.state, observation.detail)
      lastState = observation.state
    }
    if (until.includes(observation.state)) return { kind: 'terminal', observation }
    seen.lastRunningAt = now()
  }
}

/** What the last step said about the next one. */
interface NextPoll {
  /** The driver's own schedule: its next job is due in this many ms. */
  driverSaysMs?: number
  /** The platform asked to wait at least this long (Retry-After), in ms. */
  retryAfterMs?: number
}

/**
 * The wait before the next poll: what the driver's schedule says (at least the poll floor), else the runner's growing
 * interval for poll `pollNumber`; at least a Retry-After, never past the deadline.
 */
function waitBeforePoll(
  options: DeployRunOptions,
  next: NextPoll,
  pollNumber: number,
  remainingMs: number,
  learned?: { timing: LearnedTiming; startedAt: number }
): number {
  if (next.driverSaysMs === undefined && learned !== undefined) {
    const wait = learnedPollDelayMs({
      timing: learned.timing,
      elapsedMs: options.now() - learned.startedAt,
      initialMs: options.pollIntervalMs,
      maxMs: options.maxPollIntervalMs,
      floorMs: POLL_FLOOR_MS,
      remainingMs
    })
    return Math.min(remainingMs, Math.max(wait, next.retryAfterMs ?? 0))
  }
  if (next.driverSaysMs === undefined) {
    return nextPollDelayMs({
      pollNumber,
      initialMs: options.pollIntervalMs,
      maxMs: options.maxPollIntervalMs,
      retryAfterMs: next.retryAfterMs,
      remainingMs,
      random: options.random
    })
  }
  const scheduled = Math.max(POLL_FLOOR_MS, next.driverSaysMs, next.retryAfterMs ?? 0)
  return Math.max(0, Math.round(Math.min(scheduled, remainingMs)))
}

/**
 * The message for a deploy request the platform answered with a refusal: nothing was deployed, so the run ends
 * VALIDATION_FAILED. Undefined for anything else (a 5xx or a lost answer leaves it unknown).
 */
function refusedDeployment(error: unknown): string | undefined {
  return isRefusal(error) ? `Genesys Cloud refused the deploy request, so nothing was deployed: ${describeError(error)}` : undefined
}
