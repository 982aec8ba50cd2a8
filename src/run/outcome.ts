/**
 * The one place that decides how a run ends: its final status, and the message that fails the step.
 */
import { decideGate } from '../assess/gate.js'
import type { RemoteValidationOutcome } from '../assess/plan.js'
import { FinalStatus, Inputs } from '../constants.js'
import { overflowNotice } from '../report/finding-annotations.js'
import type { RunContext } from '../run-context.js'
import type { Settings } from '../settings.js'
import type { PlannedRun } from './plan-step.js'
import type { RunState } from './run-state.js'

/**
 * Settles a planned run that will not deploy: an invalid or rejected bundle is VALIDATION_FAILED, an assessment is
 * ASSESSED with the gate's decision. Returns true when the run may go on to deploy.
 */
export function settlePlannedRun(state: RunState, settings: Settings, context: RunContext, planned: PlannedRun): boolean {
  const { plan, remoteValidation } = planned
  if (plan.bundle === undefined || (remoteValidation.ran && !remoteValidation.valid)) {
    state.status = FinalStatus.ValidationFailed
    state.failure =
      plan.bundle === undefined
        ? `The bundle ${settings.bundle} has ${plan.localFindings.filter(f => f.severity === 'error').length} problem(s); fix the annotated lines. Nothing was sent to Genesys Cloud.`
        : `Genesys Cloud rejected the bundle: ${rejectionReasons(remoteValidation)}. Nothing was deployed.`
    return false
  }
  if (settings.mode === 'assess') {
    state.status = FinalStatus.Assessed
    state.gate = decideGate(plan.impact, settings.failOnRisk, context.pullRequestLabels, settings.riskAcceptedLabel)
    return false
  }
  return true
}

/** Records a failure thrown out of the run: until the deploy request nothing can have changed on the platform. */
export function settleCrash(state: RunState, failure: string): void {
  state.failure = failure
  state.status ??= state.deployRequested ? FinalStatus.Failed : FinalStatus.ValidationFailed
}

/** The run's final status. */
export function finalStatus(state: RunState): FinalStatus {
  return state.result?.status ?? state.status ?? FinalStatus.Assessed
}

/** The message that fails the step, or undefined when the run passed. */
export function failureMessage(state: RunState): string | undefined {
  const status = finalStatus(state)
  if (status === FinalStatus.Completed) return undefined
  if (status === FinalStatus.Assessed) return state.gate && !state.gate.passed ? state.gate.message : undefined
  const detail = state.result?.error ?? state.failure
  const message = detail ? `${status}: ${detail}` : status
  return state.errorOverflow ? `${message}${overflowNotice(state.errorOverflow)}` : message
}

/** What the platform gave as reasons for rejecting the bundle. */
function rejectionReasons(validation: RemoteValidationOutcome): string {
  if (!validation.ran) return validation.reason
  if (validation.errors.length > 0) return validation.errors.join('; ')
  if (validation.warnings.length > 0) {
    return `${validation.warnings.join('; ')} (warnings only: set \`overrideValidation: true\` or the \`${Inputs.OverrideValidation}\` input to bypass them)`
  }
  return 'no reason given'
}
