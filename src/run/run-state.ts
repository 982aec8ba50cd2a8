import type { GateDecision } from '../assess/gate.js'
import type { Plan } from '../assess/plan.js'
import type { ChosenApi } from '../bundle/api-choice.js'
import type { FinalStatus } from '../constants.js'
import type { DeployResult } from '../deploy/result.js'
import type { GitHubHelper } from '../github/github-helper.js'
import type { ErrorOverflow } from '../report/finding-annotations.js'
import type { Settings } from '../settings.js'
import type { AssessedPlan } from './plan-check.js'

/**
 * Everything a run has learned so far. Each step adds to it; the records are written from it whatever happened, and
 * `decideOutcome` (outcome.ts) reads the final status from it.
 */
export interface RunState {
  settings?: Settings
  /** The API that deploys, once the bundle is loaded (the `api` input, or what `auto` chose). */
  api?: ChosenApi
  plan?: Plan
  result?: DeployResult
  gate?: GateDecision
  /** Why the run failed before or outside the deployment (invalid inputs, a crash), as an instruction. */
  failure?: string
  /** Status when the run ended without a deployment result. */
  status?: FinalStatus
  /** The deploy request was sent: from here on a failure may have changed the environment. */
  deployRequested?: boolean
  /** Deploy: the assessment of the merged pull request this run checked its plan against (plan-check.ts). */
  assessedPlan?: AssessedPlan
  /** The pull request whose sticky comment shows this run (assess: the event's; deploy: the merged one). */
  commentPullRequest?: number
  /** The GitHub helper, created on first use only: loading the GitHub client costs start-up time. */
  github?: () => Promise<GitHubHelper | undefined>
  /** Bundle errors that got no annotation: the failure message counts them (GitHub shows 10 error annotations). */
  errorOverflow?: ErrorOverflow
  /** Values never to write anywhere. */
  secrets: string[]
  /** Deadline of the phase under way, which the Genesys HTTP client respects. */
  requestDeadline?: number
  /**
   * While planning: `timeout-seconds` in ms, the planning deadline that starts with the first platform request (time
   * spent on GitHub before it is not the platform's).
   */
  planningTimeoutMs?: number
}
