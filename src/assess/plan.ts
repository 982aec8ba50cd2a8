import type { Bundle } from '../bundle/bundle.js'
import type { Finding } from '../bundle/finding.js'
import type { RemoteValidation } from '../genesys/driver.js'
import type { Diff } from './diff.js'
import type { Impact } from './impact.js'

/** Where the diff's "before" came from. */
export type BaselineSource = 'input' | 'live' | 'base-commit' | 'before-commit' | 'empty'

export interface Baseline {
  source: BaselineSource
  /** Human description ("manifest at base commit abc1234", "no baseline: everything shows as added"). */
  description: string
  /** The targetConfig compared against (empty object for `empty`). */
  config: Record<string, unknown>
  /**
   * Text of the flow files the baseline's manifest references (`targetConfig.flows.<name>.file`), by flow name,
   * with that manifest's `substitutions` filled in (the text that was deployed then), so the architect diff can
   * compare flow documents. Absent when the baseline source has no files; a file missing there has no entry.
   */
  files?: Record<string, string>
  /**
   * `live`: each bundle flow's published version as the platform reported it (by flow key; null when the flow does not
   * exist or was never published), what the fingerprint of a live baseline is taken from.
   */
  versions?: Record<string, LiveFlowVersion | null>
  /**
   * sha256 of the texts the baseline was read from (its manifest and flow files), when it was read from text: its
   * fingerprint, far cheaper than normalizing a large configuration (plan-digest.ts).
   */
  sourceDigest?: string
}

/** A flow's published version, as a live baseline saw it. */
export interface LiveFlowVersion {
  versionId: string
  /** When it was published (ISO 8601), and by whom, when the platform says. */
  publishedAt?: string
  publishedBy?: string
}

/** Platform validation, or why it did not run. */
export type RemoteValidationOutcome = ({ ran: true } & RemoteValidation) | { ran: false; reason: string }

/** Everything known before deploying. Pure data. */
export interface Plan {
  /** Undefined when the manifest could not be loaded at all. */
  bundle: Bundle | undefined
  /**
   * False when there was no valid bundle to assess (local checks failed, invalid inputs, a crash before planning):
   * `impact` is then empty and its risk level means nothing, so reports say "not assessed" and the output
   * `risk-level` is empty.
   */
  assessed: boolean
  bundleId: string
  environmentId: string
  /** sha256 of the normalized bundle and its files; empty when the manifest could not be read. */
  fingerprint: string
  /** sha256 of the baseline the diff compared against (for a live baseline, of the published versions): plan integrity. */
  baselineFingerprint: string
  localFindings: Finding[]
  remoteValidation: RemoteValidationOutcome
  baseline: Baseline
  diff: Diff
  impact: Impact
}
