import type { Plan } from '../assess/plan.js'
import type { DeployResult } from '../deploy/result.js'
import type { RunContext } from '../run-context.js'
import { renderCommentMarker, type AssessedPlanFacts } from './comment-marker.js'
import { fitReport, uncutBytes } from './fit-report.js'
import { link, utf8Bytes } from './markdown.js'
import { JOB_SUMMARY_BUDGET_BYTES, renderReportBlocks, SUMMARY_REST } from './render-report.js'
import type { RestLocations } from './report-blocks.js'
import { buildReportModel, type ReportOptions } from './report-model.js'

/** Options of `renderComment`: the report's, the byte budget, and the marker's plan-integrity facts. */
export interface CommentOptions extends ReportOptions {
  /** Largest comment in UTF-8 bytes, marker included. Default 60,000 (GitHub refuses comments above 65,536 characters). */
  maxBytes?: number
  /**
   * The assessed plan for the marker (run/plan-integrity.ts): an assessment records its own; a deploy carries over
   * the one it checked, so a re-run of the deploy still finds it. The gate's outcome comes from `gate` when set.
   */
  assessment?: AssessedPlanFacts
}

/** Default of `CommentOptions.maxBytes`. */
export const COMMENT_MAX_BYTES = 60_000

/**
 * The sticky pull request comment: the hidden marker, then the same report as the job summary. Above `maxBytes` the
 * field-level detail is cut first, then longer lists; each cut says how much is shown and that everything is in the
 * job summary (and, when even the job summary is cut, in the file of the `diff-file` output). Pure.
 */
export function renderComment(plan: Plan, result: DeployResult | undefined, context: RunContext, options: CommentOptions = {}): string {
  const maxBytes = options.maxBytes ?? COMMENT_MAX_BYTES
  const model = buildReportModel(plan, result, context, options)
  const marker = renderCommentMarker({
    ...options.assessment,
    bundleId: plan.bundleId,
    environmentId: plan.environmentId,
    fingerprint: plan.fingerprint,
    ...(options.gate ? { gate: options.gate.acceptedByLabel ? 'accepted' : options.gate.passed ? 'passed' : 'failed' } : {}),
    status: model.verdict.status
  })
  const summaryComplete = uncutBytes(renderReportBlocks(model, SUMMARY_REST)) <= JOB_SUMMARY_BUDGET_BYTES
  const rest = commentRest(context.runUrl, summaryComplete)
  const notice = `**Report truncated** to fit a pull request comment: the full report is in ${rest.diff}.`
  const fitted = fitReport(renderReportBlocks(model, rest), maxBytes - utf8Bytes(marker) - 1, notice)
  return `${marker}\n${fitted.markdown}`
}

/** Where a comment's cut rows are: the job summary, and the complete files when the job summary is cut too. */
function commentRest(runUrl: string, summaryComplete: boolean): RestLocations {
  const summary = runUrl ? `the ${link('job summary', runUrl)}` : 'the job summary of the workflow run'
  if (summaryComplete) return { diff: summary, impact: summary, log: summary, run: summary }
  return {
    diff: `${summary} and, complete, ${SUMMARY_REST.diff}`,
    impact: `${summary} and, complete, ${SUMMARY_REST.impact}`,
    log: `${summary} and ${SUMMARY_REST.log}`,
    run: summary
  }
}

export { commentMarkerKey, isCommentFor, parseCommentMarker, renderCommentMarker, type CommentMarker, type MarkerGate } from './comment-marker.js'
