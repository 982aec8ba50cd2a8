/**
 * Deploying: tell the merged pull request, send the deploy request and follow the deployment to its end (the state
 * machine rolls back on failure), saving as it goes what the post step needs after a cancellation.
 */
import type { Plan } from '../assess/plan.js'
import type { Bundle } from '../bundle/bundle.js'
import { RunPhase, StateKeys } from '../constants.js'
import { runDeployment } from '../deploy/deploy-runner.js'
import type { DeployDriver } from '../genesys/driver.js'
import { redactSecrets } from '../redact-secrets.js'
import { renderComment } from '../report/comment.js'
import type { RunContext } from '../run-context.js'
import type { Settings } from '../settings.js'
import { enterPhase, type RunDependencies } from './action-io.js'
import { savePhase } from './cancellation.js'
import { learnPollTimings } from './poll-history.js'
import { carriedAssessment } from './comment-facts.js'
import { findMergedPullRequest, publishComment } from './github-access.js'
import type { RunState } from './run-state.js'

/** Deploys the planned bundle; the outcome lands in `state.result`. */
export async function deployPlan(
  state: RunState,
  settings: Settings,
  context: RunContext,
  plan: Plan,
  bundle: Bundle,
  driver: DeployDriver,
  workspace: string,
  deps: RunDependencies
): Promise<void> {
  const { io } = deps
  if (settings.comment) {
    state.commentPullRequest ??= await findMergedPullRequest(state, context, io)
    await publishComment(state, renderComment(plan, undefined, context, { status: 'DEPLOYING', assessment: carriedAssessment(state) }), io)
  }
  // What the post step needs if the job is cancelled from here on (cancellation.ts).
  io.saveState(StateKeys.Api, driver.api)
  io.saveState(StateKeys.BundleId, bundle.manifest.bundleId)
  io.saveState(StateKeys.EnvironmentId, plan.environmentId)
  io.saveState(StateKeys.Fingerprint, plan.fingerprint)
  if (state.commentPullRequest !== undefined) io.saveState(StateKeys.CommentPullRequest, String(state.commentPullRequest))
  if (state.assessedPlan !== undefined) io.saveState(StateKeys.AssessedPlan, JSON.stringify(state.assessedPlan))
  io.saveState(StateKeys.DeployRequestedAt, String(deps.now()))
  savePhase(io, RunPhase.Deploying)
  let savedProgress = ''
  const saveProgress = (): void => {
    const progress = driver.cancellationProgress?.()
    const text = progress === undefined ? '' : JSON.stringify(progress)
    if (text !== savedProgress) io.saveState(StateKeys.DriverProgress, (savedProgress = text))
  }
  const timings = await learnPollTimings(
    state,
    settings,
    { bundleId: bundle.manifest.bundleId, environmentId: plan.environmentId, api: driver.api },
    workspace,
    deps
  )
  driver.learnPollTimings?.(timings.flows)
  state.deployRequested = true
  state.result = await runDeployment({
    driver,
    bundle,
    rollbackOnFailure: bundle.manifest.rollbackOnFailure ?? true,
    timeoutMs: settings.timeoutMs,
    pollIntervalMs: settings.pollIntervalMs,
    maxPollIntervalMs: settings.maxPollIntervalMs,
    ...(timings.deployment && !driver.learnPollTimings ? { learnedTiming: timings.deployment } : {}),
    now: deps.now,
    sleep: deps.sleep,
    random: deps.random,
    log: message => io.info(redactSecrets(message, state.secrets)),
    setRequestDeadline: deadline => (state.requestDeadline = deadline),
    onDeploymentStarted: id => {
      io.saveState(StateKeys.DeploymentId, id)
      const previous = driver.previousVersions?.()
      if (previous) io.saveState(StateKeys.PreviousVersions, JSON.stringify(previous))
      saveProgress()
    },
    onObservation: saveProgress,
    onRollbackStarted: () => {
      savePhase(io, RunPhase.RollingBack)
      enterPhase(io, 'Rollback')
    }
  })
  io.info(`Deployment ${state.result.deploymentId}: ${state.result.status} after ${state.result.latencyMs} ms`)
}
