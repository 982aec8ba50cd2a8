/**
 * Digests that let a deploy check it applies the plan that was assessed (run/plan-integrity.ts): one per bundle file,
 * to name what changed, and one of the baseline the review saw. Pure.
 */
import { createHash } from 'node:crypto'
import type { Bundle } from '../bundle/bundle.js'
import { canonicalJson, canonicalManifestJson, normalizeLineEndings } from '../bundle/fingerprint.js'
import type { Baseline } from './plan.js'

/** Hex characters of a per-file digest: enough to tell files apart, short enough for the comment marker. */
const FILE_DIGEST_CHARS = 16

/** A digest of each bundle file by its path: the manifest (its normalized payload) and every flow file. */
export function bundleFileDigests(bundle: Pick<Bundle, 'manifestPath' | 'manifest' | 'files'>): Record<string, string> {
  const digests: Record<string, string> = { [bundle.manifestPath]: digest(canonicalManifestJson(bundle.manifest)) }
  for (const file of bundle.files) digests[file.path] = digest(normalizeLineEndings(file.content))
  return digests
}

/**
 * The baseline's fingerprint: of the published versions for a live baseline (an edit in Architect publishes a new
 * version), else of the configuration and flow files compared against.
 */
export function fingerprintBaseline(baseline: Baseline): string {
  if (baseline.versions === undefined && baseline.sourceDigest !== undefined) return baseline.sourceDigest
  const versions = liveVersionIds(baseline)
  const subject = versions !== undefined ? { versions } : { config: baseline.config, files: baseline.files ?? {} }
  return createHash('sha256').update(canonicalJson(subject)).digest('hex')
}

/**
 * A baseline's identity from the texts it was read from: its manifest and each flow file (by flow name, in name order).
 * The same texts always give the same digest; a reformatted but equivalent manifest gives another one, which a deploy
 * then reports as a changed baseline (rare, and the safe side).
 */
export function digestBaselineTexts(manifestText: string, files: Record<string, string> = {}): string {
  const hash = createHash('sha256').update(normalizeLineEndings(manifestText))
  for (const name of Object.keys(files).sort()) hash.update(`\u0000${name}\u0000${normalizeLineEndings(files[name])}`)
  return hash.digest('hex')
}

/** The published version ids of a live baseline, by flow, for the marker; undefined for other baselines. */
export function liveVersionIds(baseline: Baseline): Record<string, string | null> | undefined {
  if (baseline.versions === undefined) return undefined
  return Object.fromEntries(Object.entries(baseline.versions).map(([flow, version]) => [flow, version?.versionId ?? null]))
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, FILE_DIGEST_CHARS)
}
