import type { LoadResult } from '../bundle/loader.js'
import { fingerprintBundle } from '../bundle/fingerprint.js'
import type { Finding } from '../bundle/finding.js'
import type { ApiName } from '../genesys/driver.js'
import { comparableBaseline, comparableConfig } from './comparable-config.js'
import { computeDiff } from './diff.js'
import { fingerprintBaseline } from './plan-digest.js'
import { assessImpact, type Consumer } from './impact.js'
import type { Baseline, Plan, RemoteValidationOutcome } from './plan.js'

/** Puts the plan together from what was loaded and asked. Pure. */
export function assemblePlan(input: {
  /** The API that deploys: it decides what the diff compares (see comparableConfig). */
  api: ApiName
  loaded: LoadResult
  baseline: Baseline
  remoteValidation: RemoteValidationOutcome
  consumers?: Record<string, Consumer[]>
}): Plan {
  const { loaded, baseline, remoteValidation } = input
  const bundle = loaded.bundle
  // A bundle that did not load has no configuration to compare: an empty diff, not "everything removed".
  const diff = bundle ? computeDiff(comparableBaseline(baseline, input.api), comparableConfig(bundle, input.api)) : computeDiff({}, {})
  return {
    bundle,
    assessed: bundle !== undefined,
    bundleId: bundle?.manifest.bundleId ?? loaded.bundleId ?? '',
    environmentId: bundle?.environmentId ?? loaded.environmentId ?? '',
    fingerprint: bundle ? fingerprintBundle(bundle) : '',
    baselineFingerprint: fingerprintBaseline(baseline),
    localFindings: loaded.findings,
    remoteValidation,
    baseline,
    diff,
    impact: assessImpact({ diff, remoteValidation, manifest: bundle?.manifest, consumers: input.consumers })
  }
}

/**
 * The plan of a run that stopped before the bundle could be assessed (invalid inputs, a crash):
 * records are still written from it, with what little is known.
 */
export function unassessedPlan(reason: string, known: { bundleId?: string; environmentId?: string; findings?: Finding[] } = {}): Plan {
  return assemblePlan({
    api: 'architecture-manager',
    loaded: { findings: known.findings ?? [], bundleId: known.bundleId, environmentId: known.environmentId },
    baseline: { source: 'empty', description: 'Not assessed.', config: {} },
    remoteValidation: { ran: false, reason }
  })
}
