import { Outputs, type OutputName } from '../constants.js'
import type { Plan } from '../assess/plan.js'
import { boundDiffOutput, boundImpact } from './bounded-plan.js'
import type { DeploymentMetrics } from './metrics.js'
import { describeRunOutcome, type RunOutcomeInput } from './run-outcome.js'

/** Files the run wrote, for the outputs `audit-log` and `report`. */
export interface RecordPaths {
  auditLog: string
  report: string
  /** The complete diff and impact as JSON (outputs `diff-file`, `impact-file`). */
  diff: string
  impact: string
}

/** What buildOutputs states: the plan, how the run ended (see describeRunOutcome), the files and metrics. */
export interface OutputsInput extends RunOutcomeInput {
  plan: Plan
  paths: RecordPaths
  metrics: DeploymentMetrics
}

/**
 * Every output of the action, as the strings `core.setOutput` takes, keyed by output name. Pure: main sets them.
 * Without a result or status (an assessment) `status` is ASSESSED; without a result `deployment-id` is empty
 * and `latency-ms` 0. `diff` is `{added, removed, modified}` only: the values behind the paths stay out of
 * outputs, which later steps often echo into logs. `diff` and `impact` are cut to fit (see boundDiffOutput and
 * boundImpact: `"truncated": true` and counts of what was left out); `diff-file` and `impact-file` hold them whole.
 */
export function buildOutputs(input: OutputsInput): Record<OutputName, string> {
  const { plan, paths, metrics } = input
  const outcome = describeRunOutcome(input)
  return {
    [Outputs.Status]: outcome.status,
    [Outputs.DeploymentId]: outcome.deploymentId,
    // An unassessed plan's impact is empty: its LOW would claim a safety nobody checked.
    [Outputs.RiskLevel]: plan.assessed ? plan.impact.riskLevel : '',
    [Outputs.LatencyMs]: String(outcome.latencyMs),
    [Outputs.Diff]: JSON.stringify(boundDiffOutput(plan.diff)),
    [Outputs.Impact]: JSON.stringify(boundImpact(plan.impact)),
    [Outputs.Fingerprint]: plan.fingerprint,
    [Outputs.AuditLog]: paths.auditLog,
    [Outputs.Report]: paths.report,
    [Outputs.Metrics]: JSON.stringify(metrics),
    [Outputs.DiffFile]: paths.diff,
    [Outputs.ImpactFile]: paths.impact
  }
}
