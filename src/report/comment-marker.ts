/**
 * The sticky comment's hidden marker, `<!-- genesys-bundle-deploy {json} -->`: which bundle and environment the comment
 * is about (one comment per pair), and the assessed plan a later deploy checks it applies (run/plan-integrity.ts):
 * the bundle's fingerprint and a digest per file, the baseline the review saw (for `architect`, the live published
 * versions), the gate's outcome, when and at which commit it was assessed.
 */
import type { BaselineSource } from '../assess/plan.js'
import { COMMENT_MARKER, FinalStatus } from '../constants.js'
import type { ReportStatus } from './report-model.js'

/** The risk gate's outcome as the marker records it. */
export type MarkerGate = 'passed' | 'accepted' | 'failed'

/** What an assessment records of its plan, for the deploy that follows the merge. */
export interface AssessedPlanFacts {
  /** Fingerprint of the baseline the plan was assessed against. */
  baselineFingerprint?: string
  /** Where that baseline came from (`live`, `base-commit`, ...): baselines of different sources do not compare. */
  baselineSource?: BaselineSource
  /** The risk gate's outcome. */
  gate?: MarkerGate
  /** When the plan was assessed, ISO 8601. */
  assessedAt?: string
  /** The pull request's head commit that was assessed. */
  headSha?: string
  /** A digest per bundle file (manifest and flow files), to name what changed; absent for large bundles. */
  files?: Record<string, string>
  /** `architect`: each flow's published version the review saw (null: none); absent for large bundles. */
  live?: Record<string, string | null>
}

/** The whole marker. */
export interface CommentMarker extends AssessedPlanFacts {
  bundleId: string
  environmentId: string
  /** sha256 of the assessed bundle (output `fingerprint`). */
  fingerprint: string
  /** The status the comment reports. */
  status?: ReportStatus
}

/** Entries of `files` / `live` kept at most: the marker must leave the comment room for the report. */
export const MAX_MARKER_ENTRIES = 100

const MARKER_PATTERN = new RegExp(`<!--\\s*${COMMENT_MARKER}\\s+(\\{[^>]*\\})\\s*-->`, 'g')
const MARKER_GATES: readonly string[] = ['passed', 'accepted', 'failed'] satisfies MarkerGate[]
const REPORT_STATUSES: readonly string[] = [...Object.values(FinalStatus), 'DEPLOYING']
const BASELINE_SOURCES: readonly string[] = ['input', 'live', 'base-commit', 'before-commit', 'empty'] satisfies BaselineSource[]

/**
 * The marker as HTML comment. `<`, `>` and `&` in the JSON are written as `\u003c` escapes, so no value can end the
 * HTML comment early or spell another marker; JSON.parse reads them back unchanged. Optional fields are written only
 * when set, so a marker without them reads as before.
 */
export function renderCommentMarker(marker: CommentMarker): string {
  const fields: Record<string, unknown> = { bundleId: marker.bundleId, environmentId: marker.environmentId, fingerprint: marker.fingerprint }
  for (const key of ['baselineFingerprint', 'baselineSource', 'gate', 'assessedAt', 'headSha', 'status'] as const) {
    if (marker[key] !== undefined) fields[key] = marker[key]
  }
  if (marker.files !== undefined && Object.keys(marker.files).length <= MAX_MARKER_ENTRIES) fields.files = marker.files
  if (marker.live !== undefined && Object.keys(marker.live).length <= MAX_MARKER_ENTRIES) fields.live = marker.live
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
  const fields = value as Record<string, unknown>
  const { bundleId, environmentId, fingerprint } = fields
  if (typeof bundleId !== 'string' || typeof environmentId !== 'string' || typeof fingerprint !== 'string') return undefined
  const marker: CommentMarker = { bundleId, environmentId, fingerprint }
  const { baselineFingerprint, baselineSource, gate, assessedAt, headSha, status, files, live } = fields
  if (typeof baselineFingerprint === 'string') marker.baselineFingerprint = baselineFingerprint
  if (typeof baselineSource === 'string' && BASELINE_SOURCES.includes(baselineSource)) marker.baselineSource = baselineSource as BaselineSource
  if (typeof gate === 'string' && MARKER_GATES.includes(gate)) marker.gate = gate as MarkerGate
  if (typeof assessedAt === 'string' && !Number.isNaN(Date.parse(assessedAt))) marker.assessedAt = assessedAt
  if (typeof headSha === 'string' && /^[0-9a-f]{7,64}$/i.test(headSha)) marker.headSha = headSha
  if (typeof status === 'string' && REPORT_STATUSES.includes(status)) marker.status = status as ReportStatus
  const fileDigests = stringMap(files, value => typeof value === 'string')
  if (fileDigests) marker.files = fileDigests as Record<string, string>
  const liveVersions = stringMap(live, value => typeof value === 'string' || value === null)
  if (liveVersions) marker.live = liveVersions as Record<string, string | null>
  return marker
}

/** A plain object whose every value passes `valid`, with at most MAX_MARKER_ENTRIES keys; else undefined. */
function stringMap(value: unknown, valid: (item: unknown) => boolean): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const entries = Object.entries(value)
  if (entries.length > MAX_MARKER_ENTRIES || !entries.every(([, item]) => valid(item))) return undefined
  return Object.fromEntries(entries)
}
