/**
 * The post step (`runs.post`, `post-if: always()`): the same entry as the main step, told apart by the state the main
 * step saved. After a main step that finished it does nothing. After one that was cancelled (or killed) it finds out
 * where the deployment stands, rolls back what the run deployed (`on-cancel: rollback`, within `timeout-seconds`) or
 * only reports it (`leave`), and writes every record with status CANCELLED.
 */
import { unassessedPlan } from '../assess/assemble-plan.js'
import { loadRunBundle, makeDriver } from './plan-step.js'
import { FinalStatus, RunPhase, StateKeys } from '../constants.js'
import { recoverCancelledDeployment } from '../deploy/cancel-recovery.js'
import type { DeployResult } from '../deploy/result.js'
import { describeError } from '../error-message.js'
import type { ApiName } from '../genesys/driver.js'
import { redactSecrets } from '../redact-secrets.js'
import { parseCommentMarker, renderCommentMarker, type CommentMarker } from '../report/comment-marker.js'
import { readRunContext } from '../run-context.js'
import { readSecretInputs, readSettings, type Settings } from '../settings.js'
import { inGroup, type RunDependencies } from './action-io.js'
import { readSavedRun, type SavedRun } from './cancellation.js'
import { lazyGitHub } from './github-access.js'
import { failureMessage } from './outcome.js'
import { writeRecords } from './records.js'
import type { RunState } from './run-state.js'

/** Runs the post step. */
export async function runPostStep(deps: RunDependencies): Promise<void> {
  const { io } = deps
  if (io.getState(StateKeys.MainFinished) !== '') return
  if (io.getState(StateKeys.Phase) === RunPhase.Recording) {
    // The run had its outcome and recorded it: a rollback now would undo a deployment that ended as recorded, and a
    // second entry would contradict the first.
    io.warning(
      'The job was cancelled while the main step was writing its records, after the deployment had ended: nothing is rolled back ' +
        'or recorded again. The records are written in this order: report and summary, audit log, history, outputs, webhook, comment; the log of the ' +
        'main step shows which were written before the cancel.'
    )
    return
  }
  const saved = readSavedRun(io)
  const state: RunState = { secrets: readSecretInputs(name => io.getInput(name)), status: FinalStatus.Cancelled }
  for (const secret of state.secrets) io.setSecret(secret)
  const context = readRunContext(deps.env)
  const workspace = deps.env.GITHUB_WORKSPACE || process.cwd()
  state.plan = {
    ...unassessedPlan('the job was cancelled', { bundleId: saved.bundleId, environmentId: saved.environmentId }),
    fingerprint: saved.fingerprint ?? ''
  }
  state.commentPullRequest = saved.commentPullRequest
  state.assessedPlan = assessedPlanOf(saved.assessedPlan)

  try {
    const settings = readSettings(name => io.getInput(name), context.eventName)
    state.settings = settings
    state.github = lazyGitHub(settings, context, deps)
    state.result = await inGroup(io, 'Cancelled: finishing what the main step started', () => recover(state, saved, settings, workspace, deps))
  } catch (error) {
    state.failure = `The job was cancelled, and the post step could not finish: ${describeError(error)}. Check the environment in Genesys Cloud.`
  }
  state.failure ??= state.result?.error
  await inGroup(io, 'Records', () => writeRecords(state, context, workspace, deps))
  io.setFailed(redactSecrets(failureMessage(state) ?? FinalStatus.Cancelled, state.secrets))
}

/** The saved assessment when it is one (a marker and a pull request number): its facts stay in the comment. */
function assessedPlanOf(saved: unknown): RunState['assessedPlan'] {
  if (saved === null || typeof saved !== 'object') return undefined
  const { marker, pullRequest } = saved as { marker?: unknown; pullRequest?: unknown }
  if (typeof pullRequest !== 'number' || marker === null || typeof marker !== 'object') return undefined
  const parsed = parseCommentMarker(renderCommentMarker(marker as CommentMarker))
  return parsed ? { marker: parsed, pullRequest } : undefined
}

/** What the post step did about the deployment, as a CANCELLED result. */
async function recover(state: RunState, saved: SavedRun, settings: Settings, workspace: string, deps: RunDependencies): Promise<DeployResult> {
  const { io } = deps
  const nothing = (why: string): DeployResult => ({ status: FinalStatus.Cancelled, deploymentId: '', latencyMs: 0, timeline: [], error: why })
  if (saved.phase === undefined || saved.phase === RunPhase.Planning) {
    return nothing('The job was cancelled before anything was deployed (while planning); nothing was sent to deploy.')
  }
  if (saved.deploymentId === undefined) {
    return nothing(
      'The job was cancelled while the deploy request was on its way, before Genesys Cloud answered it: check in Genesys Cloud whether a deployment started.'
    )
  }
  const api: ApiName = saved.api === 'architect' ? 'architect' : 'architecture-manager'
  const loaded = await loadRunBundle(settings, workspace, api)
  if (!loaded.bundle || !settings.credentials) {
    const why = !settings.credentials
      ? 'the post step has no credentials: keep `client-id` and `client-secret` set on the step'
      : `the bundle no longer loads (${loaded.findings.find(finding => finding.severity === 'error')?.message ?? 'see the annotations'})`
    throw new Error(`deployment ${saved.deploymentId} cannot be followed: ${why}`)
  }
  const driver = makeDriver(state, settings, api, deps)
  const rollBack = settings.onCancel === 'rollback'
  io.info(
    `Deployment ${saved.deploymentId} was under way when the job was cancelled (${saved.cancelledBy ?? 'the main step stopped'}); ${rollBack ? 'rolling it back' : 'leaving it as it is (`on-cancel: leave`)'}.`
  )
  return recoverCancelledDeployment({
    driver,
    bundle: loaded.bundle,
    deploymentId: saved.deploymentId,
    progress: saved.driverProgress,
    deployRequestedAt: saved.deployRequestedAt,
    rollBack,
    timeoutMs: settings.timeoutMs,
    pollIntervalMs: settings.pollIntervalMs,
    now: deps.now,
    sleep: deps.sleep,
    log: message => io.info(redactSecrets(message, state.secrets)),
    setRequestDeadline: deadline => (state.requestDeadline = deadline)
  })
}
