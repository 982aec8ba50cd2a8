/**
 * The deploy's side of "only the assessed plan": find the assessment of the merged pull request (its sticky comment's
 * marker for this bundle and environment, written by a bot: the job token or a GitHub App, never a person, whose
 * comment anyone could forge), then compare before any request to Genesys Cloud (bundle, gate) and again once the
 * live baseline is known. What a difference costs is `on-plan-change`: `fail` stops with VALIDATION_FAILED, `warn`
 * deploys and warns. No assessed plan (a direct push) is `require-assessed-plan`'s call.
 */
import { baselineDifferences, bundleDifferences, describeAssessment, gateDifference } from '../assess/plan-integrity.js'
import type { Plan } from '../assess/plan.js'
import type { Bundle } from '../bundle/bundle.js'
import { fingerprintBundle } from '../bundle/fingerprint.js'
import { Inputs } from '../constants.js'
import { describeError } from '../error-message.js'
import { parseCommentMarker, type CommentMarker } from '../report/comment-marker.js'
import { pickStickyComment } from '../report/sticky-comment.js'
import type { RunContext } from '../run-context.js'
import type { Settings } from '../settings.js'
import type { ActionIO } from './action-io.js'
import { findMergedPullRequest } from './github-access.js'
import type { RunState } from './run-state.js'

/** The assessment a deploy found on its merged pull request. */
export interface AssessedPlan {
  marker: CommentMarker
  pullRequest: number
}

/** Thrown when the deploy must not go on: the message says what differs and what to do. */
class PlanRefusedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PlanRefusedError'
  }
}

/**
 * Before any platform request: finds the assessed plan and compares the bundle and the gate. Leaves the assessment in
 * `state.assessedPlan` (and the pull request in `state.commentPullRequest`) for the later check and the comment.
 */
export async function checkAssessedBundle(state: RunState, settings: Settings, context: RunContext, bundle: Bundle, io: ActionIO): Promise<void> {
  const found = await findAssessedPlan(state, context, bundle.manifest.bundleId, bundle.environmentId, io)
  if (typeof found === 'string') {
    const message = `No assessed plan to compare with: ${found}.`
    if (settings.requireAssessedPlan) {
      throw new PlanRefusedError(
        `${message} \`${Inputs.RequireAssessedPlan}\` is true, so nothing was deployed: merge the change through a pull request this action assessed, then deploy that merge.`
      )
    }
    io.warning(`${message} Deploying what is in the repository; set \`${Inputs.RequireAssessedPlan}: true\` to refuse deploys without one.`)
    return
  }
  state.assessedPlan = found
  const differences = [...bundleDifferences(found.marker, bundle, fingerprintBundle(bundle))]
  const gate = gateDifference(found.marker, settings.riskAcceptedLabel)
  if (gate) differences.push(gate)
  decide(differences, found, settings, io, 'bundle and gate')
}

/** Once planning has read the baseline: compares it with the one the review saw (for `architect`, the live versions). */
export function checkAssessedBaseline(state: RunState, settings: Settings, plan: Plan, io: ActionIO): void {
  const found = state.assessedPlan
  if (found === undefined) return
  const comparison = baselineDifferences(found.marker, plan)
  if (comparison.notCompared) io.info(`The baseline is not compared with the review's: ${comparison.notCompared}.`)
  decide(comparison.differences, found, settings, io, 'baseline')
}

/** Stops (`fail`) or warns (`warn`) on differences; says so when there are none. */
function decide(differences: readonly string[], found: AssessedPlan, settings: Settings, io: ActionIO, what: string): void {
  const assessed = describeAssessment(found.marker, found.pullRequest)
  if (differences.length === 0) {
    io.info(`The ${what} match ${assessed}.`)
    return
  }
  const message = `This deploy does not apply ${assessed}: ${differences.join('; ')}.`
  if (settings.onPlanChange === 'fail') {
    throw new PlanRefusedError(
      `${message} Nothing was sent to Genesys Cloud. Assess the change on a pull request (push to it, or re-run its check) and merge that, ` +
        `or set \`${Inputs.OnPlanChange}: warn\` to deploy anyway.`
    )
  }
  io.warning(`${message} Deploying anyway (\`${Inputs.OnPlanChange}: warn\`).`)
}

/** The merged pull request's assessment for the bundle and environment, or why there is none. */
async function findAssessedPlan(state: RunState, context: RunContext, bundleId: string, environmentId: string, io: ActionIO): Promise<AssessedPlan | string> {
  const github = await state.github?.()
  if (!github) return 'the GitHub API cannot be used to read the merged pull request'
  state.commentPullRequest ??= await findMergedPullRequest(state, context, io)
  const pullRequest = state.commentPullRequest
  if (pullRequest === undefined) return `commit ${context.sha.slice(0, 7) || '(unknown)'} did not come from a merged pull request (a direct push?)`
  let comments
  try {
    comments = await github.listIssueComments(pullRequest)
  } catch (error) {
    return `the comments of pull request #${pullRequest} could not be read (${describeError(error)})`
  }
  const { comment } = pickStickyComment(comments, bundleId, environmentId)
  if (comment === undefined) return `pull request #${pullRequest} has no assessment comment for bundle \`${bundleId}\` on \`${environmentId}\``
  const marker = parseCommentMarker(comment.body)
  if (marker === undefined) return `the assessment comment on pull request #${pullRequest} holds no readable marker`
  return { marker, pullRequest }
}
