/**
 * Only the assessed plan is deployed: a deploy compares what it is about to apply with what the merged pull request's
 * assessment recorded in its comment marker (report/comment-marker.ts) — the bundle (after substitutions), the
 * baseline the review saw (for `architect`, the live published versions) and the risk gate's outcome — and names every
 * difference: which files, which live flows, and since when. Pure: the run decides what a difference costs
 * (`on-plan-change`).
 */
import type { Bundle } from '../bundle/bundle.js'
import { MAX_MARKER_ENTRIES, type AssessedPlanFacts, type CommentMarker } from '../report/comment-marker.js'
import { bundleFileDigests, liveVersionIds } from './plan-digest.js'
import type { Plan } from './plan.js'

/** Files or flows named in a difference before "and N more". */
const NAMED = 10

/** When and where the plan was assessed, for messages: "assessed 2026-11-27 10:00 UTC on abc1234 (pull request #7)". */
export function describeAssessment(marker: CommentMarker, pullRequest: number): string {
  const when = marker.assessedAt ? ` ${marker.assessedAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC')}` : ''
  const commit = marker.headSha ? ` on ${marker.headSha.slice(0, 7)}` : ''
  return `the plan assessed${when}${commit} (pull request #${pullRequest})`
}

/**
 * How the bundle about to be deployed differs from the assessed one: nothing when the fingerprints agree, else the
 * files that changed, were added or removed since (when the marker kept a digest per file).
 */
export function bundleDifferences(marker: CommentMarker, bundle: Bundle, fingerprint: string): string[] {
  if (marker.fingerprint === fingerprint) return []
  if (marker.files === undefined) {
    return [
      `the bundle is not the one assessed (fingerprint ${fingerprint.slice(0, 12)}, assessed ${marker.fingerprint.slice(0, 12)}; the assessment kept no digest per file to say which changed)`
    ]
  }
  const now = bundleFileDigests(bundle)
  const changed = Object.keys(now).filter(path => marker.files![path] !== undefined && marker.files![path] !== now[path])
  const added = Object.keys(now).filter(path => marker.files![path] === undefined)
  const removed = Object.keys(marker.files).filter(path => now[path] === undefined)
  const parts = [
    ...(changed.length > 0 ? [`changed since: ${names(changed)}`] : []),
    ...(added.length > 0 ? [`added since: ${names(added)}`] : []),
    ...(removed.length > 0 ? [`no longer in the bundle: ${names(removed)}`] : [])
  ]
  // Same files, another fingerprint: an input override (environment-id, override-validation, ...) changed the payload.
  if (parts.length === 0) parts.push('the same files, but the deployed payload differs (an input such as `environment-id` or `override-validation` changed it)')
  return [`the bundle is not the one assessed: ${parts.join('; ')}`]
}

/** The gate's verdict on the assessed plan, when it failed and no label accepted it. */
export function gateDifference(marker: CommentMarker, acceptedLabel: string): string | undefined {
  if (marker.gate !== 'failed') return undefined
  const label = acceptedLabel ? ` and it was not accepted with the label \`${acceptedLabel}\`` : ''
  return `the assessment's risk gate failed${label}`
}

/** What a baseline comparison found. */
export interface BaselineComparison {
  differences: string[]
  /** Set when the two baselines cannot be compared (different sources), saying why. */
  notCompared?: string
}

/**
 * How the baseline this deploy sees differs from the one the review saw: for a live baseline, the flows whose
 * published version changed since (with when and by whom the platform says), else that the configuration compared
 * against differs.
 */
export function baselineDifferences(marker: CommentMarker, plan: Plan): BaselineComparison {
  if (marker.baselineFingerprint === undefined || marker.baselineSource === undefined) {
    return {
      differences: [],
      notCompared:
        "the assessment recorded no baseline fingerprint (it predates this version of the action): re-run the pull request's assessment to record one"
    }
  }
  if (sourceKind(marker.baselineSource) !== sourceKind(plan.baseline.source)) {
    return {
      differences: [],
      notCompared: `the review compared with ${sourceWords(marker.baselineSource)}, this deploy with ${sourceWords(plan.baseline.source)}`
    }
  }
  if (marker.baselineFingerprint === plan.baselineFingerprint) return { differences: [] }
  const live = liveVersionIds(plan.baseline)
  if (live === undefined || marker.live === undefined) {
    return { differences: [`the ${sourceWords(plan.baseline.source)} is not the one the review saw`] }
  }
  const keys = [...new Set([...Object.keys(live), ...Object.keys(marker.live)])].sort()
  const moved = keys.filter(key => (live[key] ?? null) !== (marker.live![key] ?? null))
  const described = moved.slice(0, NAMED).map(key => {
    const version = plan.baseline.versions?.[key]
    const was = marker.live![key] ?? 'none'
    const now = version?.versionId ?? 'none'
    const since = version?.publishedAt ? ` since ${version.publishedAt}${version.publishedBy ? ` by ${version.publishedBy}` : ''}` : ''
    return `\`${key}\` (published version ${was} then, ${now} now${since})`
  })
  const more = moved.length > NAMED ? ` and ${moved.length - NAMED} more` : ''
  return { differences: [`live flows changed in Genesys Cloud since the review: ${described.join(', ')}${more}`] }
}

/** The facts an assessment records of its plan, for the marker. */
export function assessedPlanFacts(plan: Plan, at: Date, headSha: string | undefined): AssessedPlanFacts {
  const live = liveVersionIds(plan.baseline)
  return {
    baselineFingerprint: plan.baselineFingerprint,
    baselineSource: plan.baseline.source,
    assessedAt: at.toISOString(),
    ...(headSha ? { headSha } : {}),
    // The marker keeps at most MAX_MARKER_ENTRIES digests: past that, none are worth computing (10,000 flows' hashes).
    ...(plan.bundle && new Set(plan.bundle.files.map(file => file.path)).size + 1 <= MAX_MARKER_ENTRIES ? { files: bundleFileDigests(plan.bundle) } : {}),
    ...(live ? { live } : {})
  }
}

/** A pull request reads its baseline at the base commit, the push that merges it at the commit before: both are git. */
function sourceKind(source: string): string {
  return source === 'base-commit' || source === 'before-commit' ? 'git' : source
}

function names(paths: readonly string[]): string {
  const shown = paths.slice(0, NAMED).map(path => `\`${path}\``)
  return `${shown.join(', ')}${paths.length > NAMED ? ` and ${paths.length - NAMED} more` : ''}`
}

function sourceWords(source: string): string {
  switch (source) {
    case 'live':
      return 'the live flows'
    case 'base-commit':
      return 'the manifest at the base commit'
    case 'before-commit':
      return 'the manifest before the push'
    case 'input':
      return 'the `baseline` file'
    default:
      return 'no baseline'
  }
}
