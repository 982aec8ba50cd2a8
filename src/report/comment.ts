import type { Plan } from '../assess/plan.js'
import { COMMENT_MARKER } from '../constants.js'
import type { DeployResult } from '../deploy/result.js'
import type { RunContext } from '../run-context.js'
import { capMarkdown } from './cap-markdown.js'
import { link } from './markdown.js'
import { renderReport } from './render-report.js'
import { buildReportModel, type ReportOptions } from './report-model.js'

/**
 * What the sticky comment's hidden marker carries: which bundle and environment the comment is about (one comment
 * per pair), and the fingerprint of the assessed bundle (a deploy can check it applies what was assessed).
 */
export interface CommentMarker {
  bundleId: string
  environmentId: string
  fingerprint: string
}

/** Options of `renderComment`. */
export interface CommentOptions extends ReportOptions {
  /** Largest comment in UTF-8 bytes, marker included. Default 60,000 (GitHub refuses comments above 65,536 characters). */
  maxBytes?: number
}

/** Default of `CommentOptions.maxBytes`. */
export const COMMENT_MAX_BYTES = 60_000

const MARKER_PATTERN = new RegExp(`<!--\\s*${COMMENT_MARKER}\\s+(\\{[^>]*\\})\\s*-->`, 'g')

/**
 * The sticky pull request comment: the hidden marker, then the report. Above `maxBytes` the report is cut on a line
 * boundary, open `<details>` and code fences are closed, and a last line says where the full report is. Pure.
 */
export function renderComment(plan: Plan, result: DeployResult | undefined, context: RunContext, options: CommentOptions = {}): string {
  const maxBytes = options.maxBytes ?? COMMENT_MAX_BYTES
  const report = renderReport(buildReportModel(plan, result, context, options))
  const marker = renderCommentMarker({ bundleId: plan.bundleId, environmentId: plan.environmentId, fingerprint: plan.fingerprint })
  const where = context.runUrl ? link('job summary of the workflow run', context.runUrl) : 'job summary of the workflow run'
  return capMarkdown(
    {
      body: `${marker}\n${report.body}`,
      footer: report.footer,
      notice: `**Report truncated** to fit a pull request comment (${maxBytes} bytes): the full report is in the ${where} and its log.`
    },
    maxBytes
  )
}

/**
 * The hidden marker, `<!-- genesys-bundle-deploy {json} -->`. `<`, `>` and `&` in the JSON are written as `\u003c`
 * escapes, so no value can end the HTML comment early; JSON.parse reads them back unchanged.
 */
export function renderCommentMarker(marker: CommentMarker): string {
  const json = JSON.stringify({ bundleId: marker.bundleId, environmentId: marker.environmentId, fingerprint: marker.fingerprint })
  const safe = json.replace(/[<>&]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return `<!-- ${COMMENT_MARKER} ${safe} -->`
}

/**
 * Reads the marker back from a comment body: the first well-formed marker of this action, whatever else the body
 * holds (other tools' markers, quoted text). Undefined when there is none.
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
  const { bundleId, environmentId, fingerprint } = value as Record<string, unknown>
  if (typeof bundleId !== 'string' || typeof environmentId !== 'string' || typeof fingerprint !== 'string') return undefined
  return { bundleId, environmentId, fingerprint }
}
