import type { Plan } from '../assess/plan.js'
import { COMMENT_MARKER, FinalStatus } from '../constants.js'
import type { DeployResult } from '../deploy/result.js'
import type { RunContext } from '../run-context.js'
import { fitReport, uncutBytes } from './fit-report.js'
import { link, utf8Bytes } from './markdown.js'
import { JOB_SUMMARY_BUDGET_BYTES, renderReportBlocks, SUMMARY_REST } from './render-report.js'
import type { RestLocations } from './report-blocks.js'
import { buildReportModel, type ReportOptions, type ReportStatus } from './report-model.js'

/** The risk gate's outcome as the marker records it. */
export type MarkerGate = 'passed' | 'accepted' | 'failed'

/**
 * What the sticky comment's hidden marker carries: which bundle and environment the comment is about (one comment
 * per pair), and what a later deploy needs to check that it applies the plan that was assessed here.
 */
export interface CommentMarker {
  bundleId: string
  environmentId: string
  /** sha256 of the assessed bundle (output `fingerprint`). */
  fingerprint: string
  /** Fingerprint of the baseline the plan was assessed against. */
  baselineFingerprint?: string
  /** The risk gate's outcome. */
  gate?: MarkerGate
  /** When the plan was assessed, ISO 8601. */
  assessedAt?: string
  /** The status the comment reports. */
  status?: ReportStatus
}

/** Options of `renderComment`: the report's, the byte budget, and the marker's plan-integrity facts. */
export interface CommentOptions extends ReportOptions {
  /** Largest comment in UTF-8 bytes, marker included. Default 60,000 (GitHub refuses comments above 65,536 characters). */
  maxBytes?: number
  /** Fingerprint of the baseline the plan was assessed against, for the marker. */
  baselineFingerprint?: string
  /** When the plan was assessed (ISO 8601), for the marker. */
  assessedAt?: string
}

/** Default of `CommentOptions.maxBytes`. */
export const COMMENT_MAX_BYTES = 60_000

const MARKER_PATTERN = new RegExp(`<!--\\s*${COMMENT_MARKER}\\s+(\\{[^>]*\\})\\s*-->`, 'g')

const MARKER_GATES: readonly string[] = ['passed', 'accepted', 'failed'] satisfies MarkerGate[]

const REPORT_STATUSES: readonly string[] = [...Object.values(FinalStatus), 'DEPLOYING']

/**
 * The sticky pull request comment: the hidden marker, then the same report as the job summary. Above `maxBytes` the
 * field-level detail is cut first, then longer lists; each cut says how much is shown and that everything is in the
 * job summary (and, when even the job summary is cut, in the file of the `diff-file` output). Pure.
 */
export function renderComment(plan: Plan, result: DeployResult | undefined, context: RunContext, options: CommentOptions = {}): string {
  const maxBytes = options.maxBytes ?? COMMENT_MAX_BYTES
  const model = buildReportModel(plan, result, context, options)
  const marker = renderCommentMarker({
    bundleId: plan.bundleId,
    environmentId: plan.environmentId,
    fingerprint: plan.fingerprint,
    baselineFingerprint: options.baselineFingerprint,
    gate: options.gate ? (options.gate.acceptedByLabel ? 'accepted' : options.gate.passed ? 'passed' : 'failed') : undefined,
    assessedAt: options.assessedAt,
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

/**
 * The hidden marker, `<!-- genesys-bundle-deploy {json} -->`. `<`, `>` and `&` in the JSON are written as `\u003c`
 * escapes, so no value can end the HTML comment early or spell another marker; JSON.parse reads them back unchanged.
 * Optional fields are written only when set, so a marker without them reads as before.
 */
export function renderCommentMarker(marker: CommentMarker): string {
  const fields: CommentMarker = { bundleId: marker.bundleId, environmentId: marker.environmentId, fingerprint: marker.fingerprint }
  if (marker.baselineFingerprint !== undefined) fields.baselineFingerprint = marker.baselineFingerprint
  if (marker.gate !== undefined) fields.gate = marker.gate
  if (marker.assessedAt !== undefined) fields.assessedAt = marker.assessedAt
  if (marker.status !== undefined) fields.status = marker.status
  const safe = JSON.stringify(fields).replace(/[<>&]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return `<!-- ${COMMENT_MARKER} ${safe} -->`
}

/**
 * Reads the marker back from a comment body: the first well-formed marker of this action, whatever else the body
 * holds (other tools' markers, quoted text). Undefined when there is none. An optional field of the wrong type or
 * value (a marker from another version, an edit) is left out rather than failing the whole marker: the bundle and
 * environment still find the comment, and a deploy that needs the field sees that it is missing.
 */
export function parseCommentMarker(body: string): CommentMarker | undefined {
  for (const match of body.matchAll(MARKER_PATTERN)) {
    const marker = parseMarkerJson(match[1])
    if (marker) return marker
  }
  return undefined
}

/** The key the sticky comment is matched by: one comment per bundle and environment. */
export function commentMarkerKey(bundleId: string, environmentId: string): string {
  return JSON.stringify([bundleId, environmentId])
}

/** True when the comment body is this action's comment for the bundle and environment. */
export function isCommentFor(body: string, bundleId: string, environmentId: string): boolean {
  const marker = parseCommentMarker(body)
  return marker !== undefined && commentMarkerKey(marker.bundleId, marker.environmentId) === commentMarkerKey(bundleId, environmentId)
}

function parseMarkerJson(json: string): CommentMarker | undefined {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return undefined
  }
  if (value === null || typeof value !== 'object') return undefined
  const { bundleId, environmentId, fingerprint, baselineFingerprint, gate, assessedAt, status } = value as Record<string, unknown>
  if (typeof bundleId !== 'string' || typeof environmentId !== 'string' || typeof fingerprint !== 'string') return undefined
  const marker: CommentMarker = { bundleId, environmentId, fingerprint }
  if (typeof baselineFingerprint === 'string') marker.baselineFingerprint = baselineFingerprint
  if (typeof gate === 'string' && MARKER_GATES.includes(gate)) marker.gate = gate as MarkerGate
  if (typeof assessedAt === 'string' && !Number.isNaN(Date.parse(assessedAt))) marker.assessedAt = assessedAt
  if (typeof status === 'string' && REPORT_STATUSES.includes(status)) marker.status = status as ReportStatus
  return marker
}
