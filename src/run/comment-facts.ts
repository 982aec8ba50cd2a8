/**
 * What the sticky comment's marker records of the assessed plan (report/comment-marker.ts): an assessment writes its
 * own; a deploy carries over the one it checked, so the gate and digests survive the comment's updates and a re-run of
 * the deploy still compares with the review.
 */
import { assessedPlanFacts } from '../assess/plan-integrity.js'
import type { AssessedPlanFacts } from '../report/comment-marker.js'
import type { RunContext } from '../run-context.js'
import type { RunState } from './run-state.js'

/** The facts for this run's comment: the assessment's own (assess), the carried ones (deploy), or none. */
export function assessmentFacts(state: RunState, context: RunContext, now: number): AssessedPlanFacts | undefined {
  if (state.settings?.mode === 'assess') {
    return state.plan?.assessed ? assessedPlanFacts(state.plan, new Date(now), context.pullRequestHeadSha) : undefined
  }
  return carriedAssessment(state)
}

/** The assessment a deploy checked, without what the comment states anew (bundle, environment, fingerprint, status). */
export function carriedAssessment(state: RunState): AssessedPlanFacts | undefined {
  const marker = state.assessedPlan?.marker
  if (marker === undefined) return undefined
  const { bundleId: _bundle, environmentId: _environment, fingerprint: _fingerprint, status: _status, ...facts } = marker
  return facts
}
