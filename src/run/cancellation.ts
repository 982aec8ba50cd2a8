/**
 * Cancellation safety, the main step's side: it saves where it is as it goes (core.saveState writes the state file at
 * once), and on SIGINT / SIGTERM (how the runner cancels a step: SIGINT, SIGTERM about 7.5 s later, then a kill) it
 * notes the signal and exits at once (unless it is writing its records). The post step (post-step.ts) then finishes or
 * undoes the deployment and writes the records, with status CANCELLED.
 */
import { RunPhase, StateKeys } from '../constants.js'
import type { ActionIO } from './action-io.js'

/** Where signals come from and how the process ends; the real runner's by default, absent in tests. */
export interface CancellationHooks {
  /** Calls `handler` on the first SIGINT and on the first SIGTERM. */
  onSignal(handler: (signal: NodeJS.Signals) => void): void
  exit(code: number): void
}

/** The process's own signals. */
export const processCancellation: CancellationHooks = {
  onSignal: handler => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => handler(signal))
  },
  exit: code => process.exit(code)
}

/**
 * Notes the signal for the post step and ends the main step quickly. While the records are written the run already
 * has its outcome: the first signal lets them finish (each request is bounded; the runner's SIGTERM follows about
 * 7.5 s later and ends the step), so that the outcome is recorded once, by the main step.
 */
export function handleCancellation(hooks: CancellationHooks, io: ActionIO, onCancel: () => string): void {
  let signalsWhileRecording = 0
  hooks.onSignal(signal => {
    if (phases.get(io) === RunPhase.Recording) {
      if (signalsWhileRecording++ === 0) {
        io.warning(`The job was cancelled (${signal}) while the records of the run were written: finishing them.`)
        return
      }
      io.warning(`The job was cancelled again (${signal}) while the records were written: stopping; nothing is rolled back.`)
      hooks.exit(1)
      return
    }
    io.saveState(StateKeys.CancelledBy, signal)
    io.warning(`The job was cancelled (${signal}) during the main step: ${onCancel()}`)
    hooks.exit(1)
  })
}

/** The phase each run's IO last entered, for the signal handler. */
const phases = new WeakMap<ActionIO, RunPhase>()

/** Saves the phase the main step enters. */
export function savePhase(io: ActionIO, phase: RunPhase): void {
  phases.set(io, phase)
  io.saveState(StateKeys.Phase, phase)
}

/** What the main step left for the post step. Every field may be missing: the main step may have stopped anywhere. */
export interface SavedRun {
  phase?: RunPhase
  cancelledBy?: string
  mode?: string
  api?: string
  bundleId?: string
  environmentId?: string
  fingerprint?: string
  commentPullRequest?: number
  deployRequestedAt?: number
  deploymentId?: string
  driverProgress?: unknown
  /** The assessment the deploy checked (plan-check.ts), as saved; checked by the post step before use. */
  assessedPlan?: unknown
}

/** Reads what the main step saved. Values that do not parse are left out rather than trusted. */
export function readSavedRun(io: Pick<ActionIO, 'getState'>): SavedRun {
  const text = (key: string): string | undefined => io.getState(key) || undefined
  const number = (key: string): number | undefined => {
    const value = Number(text(key))
    return Number.isFinite(value) && text(key) !== undefined ? value : undefined
  }
  const phase = text(StateKeys.Phase)
  const json = (key: string): unknown => {
    const value = text(key)
    try {
      return value === undefined ? undefined : JSON.parse(value)
    } catch {
      return undefined
    }
  }
  return {
    ...(phase && (Object.values(RunPhase) as string[]).includes(phase) ? { phase: phase as RunPhase } : {}),
    cancelledBy: text(StateKeys.CancelledBy),
    mode: text(StateKeys.Mode),
    api: text(StateKeys.Api),
    bundleId: text(StateKeys.BundleId),
    environmentId: text(StateKeys.EnvironmentId),
    fingerprint: text(StateKeys.Fingerprint),
    commentPullRequest: number(StateKeys.CommentPullRequest),
    deployRequestedAt: number(StateKeys.DeployRequestedAt),
    deploymentId: text(StateKeys.DeploymentId),
    driverProgress: json(StateKeys.DriverProgress),
    assessedPlan: json(StateKeys.AssessedPlan)
  }
}

/** What the cancellation warning promises, by the `on-cancel` input. */
export function cancellationPromise(onCancel: 'rollback' | 'leave' | undefined): string {
  return onCancel === 'leave'
    ? 'the post step reports where the deployment stands and leaves it (`on-cancel: leave`), and writes the records.'
    : 'the post step rolls back what this run deployed (`on-cancel: rollback`) and writes the records.'
}
