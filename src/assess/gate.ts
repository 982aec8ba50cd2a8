import { Inputs } from '../constants.js'
import type { FailOnRisk } from '../settings.js'
import { riskAtLeast, type Impact } from './impact.js'

/** The risk gate's verdict on a pull request. */
export interface GateDecision {
  /** False fails the step. */
  passed: boolean
  /** The risk reached the threshold but the accepting label let it pass. */
  acceptedByLabel: boolean
  /** One line for the log and the failure message. */
  message: string
}

/** Decides whether the assessed risk may pass, given the threshold and the pull request's labels. */
export function decideGate(impact: Impact, failOnRisk: FailOnRisk, labels: readonly string[], acceptedLabel: string): GateDecision {
  if (!riskAtLeast(impact.riskLevel, failOnRisk)) {
    return {
      passed: true,
      acceptedByLabel: false,
      message: `Risk ${impact.riskLevel} is below the gate (\`${Inputs.FailOnRisk}: ${failOnRisk}\`).`
    }
  }
  const because = impact.riskDrivers.length > 0 ? ` (${summarizeDrivers(impact.riskDrivers)})` : ''
  if (acceptedLabel !== '' && labels.includes(acceptedLabel)) {
    return {
      passed: true,
      acceptedByLabel: true,
      message: `Risk ${impact.riskLevel}${because}; accepted by the label \`${acceptedLabel}\`.`
    }
  }
  return {
    passed: false,
    acceptedByLabel: false,
    message:
      `Risk ${impact.riskLevel} reaches the gate (\`${Inputs.FailOnRisk}: ${failOnRisk}\`)${because}. ` +
      (acceptedLabel
        ? `If the change is intended, add the label \`${acceptedLabel}\` to the pull request to accept it.`
        : `Set \`${Inputs.RiskAcceptedLabel}\` and label the pull request to accept it, or raise \`${Inputs.FailOnRisk}\`.`)
  }
}

/** Drivers named in the message before "and N more": the message is also a log line and an annotation. */
const DRIVERS_NAMED = 3

/** "removes flow `a`; removes flow `b`; removes flow `c`; and 297 more (all in the job summary)". */
function summarizeDrivers(drivers: readonly string[]): string {
  const named = drivers.slice(0, DRIVERS_NAMED).join('; ')
  const more = drivers.length - DRIVERS_NAMED
  return more > 0 ? `${named}; and ${more} more (all in the job summary)` : named
}
