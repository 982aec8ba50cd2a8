/**
 * The outcome a reader needs first: what happened, the single most important reason, and the one thing to do. It
 * becomes the GitHub alert that opens the comment and the job summary (red, yellow, blue or green at a glance).
 */
import type { CapacityUse } from '../assess/impact.js'
import type { Finding } from '../bundle/finding.js'
import { FinalStatus, Inputs } from '../constants.js'
import type { DeployResult } from '../deploy/result.js'
import { inlineCode, plural, type AlertKind } from './markdown.js'
import type { ReportModel, Verdict } from './report-model.js'
import { describeCapacity, type RiskItem, type RiskSummary } from './risk-summary.js'

/** The alert's content. Texts are plain with names in code spans (render them with `escapeTextKeepingCode`). */
export interface Outcome {
  kind: AlertKind
  /** What happened, in a few words. */
  headline: string
  /** The single most important reason, when there is one. */
  reason?: string
  /** A capacity over its limit that is not the reason: said anyway, since the deployment is likely to fail on it. */
  also?: string
  /** The one thing to do. */
  action: string
  /** Link text for the workflow run, shown after the action when the run has a URL. */
  runLink?: string
  /** The reason is the run's failure message (`ReportOptions.failure`), which then needs no line of its own. */
  quotesFailure?: boolean
}

/** What the outcome is decided from. */
export interface OutcomeFacts {
  environmentId: string
  verdict: Verdict
  assessed: boolean
  /** Sorted, errors first. */
  findings: readonly Finding[]
  failure?: string
  platform: Pick<ReportModel['platform'], 'ran' | 'valid' | 'errors' | 'warnings' | 'overLimit'>
  risk?: RiskSummary
  riskAcceptedLabel?: string
  result?: DeployResult
}

/** Longest reason quoted in the alert, in characters; the whole text is further down. */
const REASON_CHARS = 400

/** Decides the alert: the deployment's outcome on a deploy, else the problems, else the risk and the gate. */
export function decideOutcome(facts: OutcomeFacts): Outcome {
  const status = facts.verdict.status
  if (status === 'DEPLOYING') {
    return {
      kind: 'NOTE',
      headline: `Deploying to ${inlineCode(facts.environmentId)}`,
      reason: 'This comment is updated when the deployment ends.',
      action: 'Follow it in the workflow run.',
      runLink: 'Open the workflow run'
    }
  }
  if (facts.result || (status !== undefined && status !== FinalStatus.Assessed && status !== FinalStatus.ValidationFailed)) {
    return deploymentOutcome(facts)
  }
  if (!facts.assessed || status === FinalStatus.ValidationFailed) return problemOutcome(facts)
  return riskOutcome(facts)
}

function deploymentOutcome(facts: OutcomeFacts): Outcome {
  const status = facts.verdict.status
  const environment = inlineCode(facts.environmentId)
  const reason = clip(facts.result?.error ?? facts.failure)
  const runLink = 'Open the workflow run'
  const quotesFailure = facts.result?.error === undefined && facts.failure !== undefined
  return { ...deploymentAlert(status, environment, reason, runLink, facts), quotesFailure }
}

function deploymentAlert(status: Verdict['status'], environment: string, reason: string | undefined, runLink: string, facts: OutcomeFacts): Outcome {
  switch (status) {
    case FinalStatus.Completed:
      return {
        kind: 'TIP',
        headline: `Deployed to ${environment}`,
        reason: facts.result?.deploymentId ? `Deployment ${inlineCode(facts.result.deploymentId)} completed.` : undefined,
        action: 'Nothing to do.',
        runLink: 'Workflow run'
      }
    case FinalStatus.RollbackCompleted:
      return {
        kind: 'WARNING',
        headline: `Deployment failed and was rolled back: ${environment} is as it was`,
        reason,
        action: 'Fix the cause, then deploy again.',
        runLink
      }
    case FinalStatus.RollbackTriggered:
      return { kind: 'WARNING', headline: `Genesys Cloud rolled the deployment back by itself`, reason, action: 'Fix the cause, then deploy again.', runLink }
    case FinalStatus.RollbackFailed:
      return {
        kind: 'CAUTION',
        headline: `Deployment failed and its rollback failed: ${environment} may be partly changed`,
        reason,
        action: 'Check the environment in Genesys Cloud now and restore it by hand.',
        runLink
      }
    case FinalStatus.TimedOut:
      return {
        kind: 'CAUTION',
        headline: 'The deployment did not finish before the deadline',
        reason,
        action: `Check in Genesys Cloud whether it is still running; raise \`${Inputs.TimeoutSeconds}\` if it needs longer.`,
        runLink
      }
    case FinalStatus.Cancelled:
      return {
        kind: 'WARNING',
        headline: 'The run was cancelled during the deployment',
        reason,
        action: 'Check the environment in Genesys Cloud, then run the workflow again.',
        runLink
      }
    default:
      return {
        kind: 'CAUTION',
        headline: `Deployment failed: ${environment} may be partly changed`,
        reason,
        action: 'Check the environment in Genesys Cloud, fix the cause, then deploy again.',
        runLink
      }
  }
}

/** The bundle has problems, the platform rejected it, or the run failed before the assessment. */
function problemOutcome(facts: OutcomeFacts): Outcome {
  const errors = facts.findings.filter(finding => finding.severity === 'error')
  if (errors.length > 0) {
    const first = errors[0]
    const at = inlineCode(first.line ? `${first.file}:${first.line}` : first.file)
    const others = errors.length > 1 ? ` and the ${plural(errors.length - 1, 'other problem')} listed below` : ''
    return {
      kind: 'CAUTION',
      headline: `The bundle has ${plural(errors.length, 'problem')}: not assessed, nothing was sent to Genesys Cloud`,
      reason: `${at}: ${clip(first.message)}`,
      action: `Fix ${at}${others}, then push again.`
    }
  }
  if (facts.platform.ran && facts.platform.valid === false) {
    const first = facts.platform.errors[0] ?? facts.platform.warnings[0]
    const warningsOnly = facts.platform.errors.length === 0 && facts.platform.warnings.length > 0
    return {
      kind: 'CAUTION',
      headline: 'Genesys Cloud rejected the bundle: nothing was deployed',
      reason: first === undefined ? undefined : clip(first),
      action: warningsOnly
        ? `Fix the warnings listed under Platform validation, or set \`${Inputs.OverrideValidation}\` to bypass them, then push again.`
        : 'Fix what the platform reports under Platform validation, then push again.',
      // The run's failure message for a rejection repeats the platform's reasons, which are listed in full below.
      quotesFailure: true
    }
  }
  return {
    kind: 'CAUTION',
    headline: facts.assessed ? 'The run failed' : 'The run failed before the bundle could be assessed',
    reason: clip(facts.failure),
    action:
      facts.failure === undefined
        ? 'See the log of this step for the error, then run the workflow again.'
        : 'Do what the reason says, then run the workflow again.',
    runLink: 'Open the workflow run',
    quotesFailure: facts.failure !== undefined
  }
}

function riskOutcome(facts: OutcomeFacts): Outcome {
  const risk = facts.risk
  if (risk === undefined) return problemOutcome(facts)
  const top = topDriver(risk.drivers)
  const reason = top.text
  const also = alsoOverLimit(facts.platform.overLimit, top)
  const gate = facts.verdict.gate
  const level = risk.level
  if (gate && !gate.passed) {
    const label = facts.riskAcceptedLabel
    return {
      kind: 'CAUTION',
      headline: `Risk ${level} blocks this pull request`,
      reason,
      also,
      action: label
        ? `If the change is intended, add the label ${inlineCode(label)} to this pull request; otherwise change the bundle.`
        : `If the change is intended, set \`${Inputs.RiskAcceptedLabel}\` and add that label, or raise \`${Inputs.FailOnRisk}\`; otherwise change the bundle.`
    }
  }
  if (gate?.acceptedByLabel) {
    const by = facts.riskAcceptedLabel ? ` by the label ${inlineCode(facts.riskAcceptedLabel)}` : ' by its label'
    return {
      kind: 'WARNING',
      headline: `Risk ${level}, accepted${by}`,
      reason,
      also,
      action: 'Check the drivers below before merging: merging deploys this plan.'
    }
  }
  if (level === 'HIGH')
    return { kind: 'WARNING', headline: 'Risk HIGH', reason, also, action: 'Check the drivers below before merging: merging deploys this plan.' }
  if (level === 'MEDIUM') return { kind: 'NOTE', headline: 'Risk MEDIUM', reason, also, action: 'Review the changes below before merging.' }
  return {
    kind: also ? 'WARNING' : 'TIP',
    headline: 'Risk LOW',
    reason,
    also,
    action: also ? 'Free capacity or lower the count before merging.' : 'Nothing to do.'
  }
}

/** The first driver, but a capacity over its limit first: the deployment is likely to fail on it. */
function topDriver(drivers: readonly RiskItem[]): RiskItem {
  return drivers.find(item => item.overLimit === true) ?? drivers[0]
}

function alsoOverLimit(over: readonly CapacityUse[], reason: RiskItem): string | undefined {
  const unsaid = over.map(describeCapacity).filter(text => text !== reason.text)
  return unsaid.length > 0 ? `Also: ${unsaid.join('; ')}: the deployment is likely to fail on it.` : undefined
}

function clip(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined
  const chars = Array.from(text)
  return chars.length <= REASON_CHARS ? text : `${chars.slice(0, REASON_CHARS - 1).join('')}…`
}
