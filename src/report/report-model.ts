import { resourceChanges, type DiffChange, type ResourceChange } from '../assess/diff.js'
import type { GateDecision } from '../assess/gate.js'
import type { CapacityUse, Consumer } from '../assess/impact.js'
import type { Plan } from '../assess/plan.js'
import type { Finding } from '../bundle/finding.js'
import type { FinalStatus, RiskLevel } from '../constants.js'
import type { DeployResult } from '../deploy/result.js'
import type { RunContext } from '../run-context.js'

/** What the report needs besides the plan and the deploy result. */
/** A final status, or `DEPLOYING` while a deploy run is still following its deployment (the PR comment's first state). */
export type ReportStatus = FinalStatus | 'DEPLOYING'

export interface ReportOptions {
  /** Status when there is no deploy result (`ASSESSED`, `VALIDATION_FAILED`, `DEPLOYING`). The result's status wins. */
  status?: ReportStatus
  /** Why the run failed outside the deployment (invalid inputs, a crash), as an instruction. */
  failure?: string
  /** The risk gate's decision (assess mode). */
  gate?: GateDecision
  /** The full diff's `<details>` opens when it has at most this many changes. Default 20. */
  openDiffMaxChanges?: number
}

/** Default of `ReportOptions.openDiffMaxChanges`. */
export const OPEN_DIFF_MAX_CHANGES = 20

/** What the platform validation concluded, for the verdict line. */
export type ValidationVerdict =
  | { state: 'passed'; warningCount: number }
  | { state: 'failed'; errorCount: number }
  | { state: 'skipped'; reason: string }

/** The line above the fold. */
export interface Verdict {
  status?: ReportStatus
  riskLevel: RiskLevel
  added: number
  removed: number
  modified: number
  validation: ValidationVerdict
  gate?: GateDecision
}

/** The changes of one resource group (Flows, Queues), critical removals first. */
export interface ChangeSection {
  group: string
  title: string
  resources: ResourceChange[]
}

/** One consumer of one changed flow. */
export interface ConsumerRow {
  flow: string
  consumer: Consumer
}

/** An external dependency and whether the platform confirmed it. */
export interface DependencyRow {
  group: string
  name: string
  state: 'confirmed' | 'not confirmed' | 'checked by the platform validation' | 'unverified'
}

/** Everything the report shows, decided; rendering only formats it. Pure data. */
export interface ReportModel {
  bundleId: string
  environmentId: string
  verdict: Verdict
  failure?: string
  /** Errors first, then by file and line. */
  findings: Finding[]
  changes: {
    sections: ChangeSection[]
    /** Changes outside any resource group. */
    other: DiffChange[]
    /** True when there was no baseline, so everything shows as added. */
    emptyBaseline: boolean
  }
  risk: {
    level: RiskLevel
    reasons: string[]
    capacity: CapacityUse[]
    consumers: ConsumerRow[]
  }
  platform: {
    ran: boolean
    skippedReason?: string
    valid?: boolean
    schemaVersion?: string
    errors: string[]
    warnings: string[]
    dependencies: DependencyRow[]
  }
  deployment?: DeployResult
  fullDiff: {
    changes: DiffChange[]
    open: boolean
  }
  footer: {
    baseline: string
    fingerprint: string
    repository: string
    sha: string
    runUrl: string
  }
}

/** Section titles of the known resource groups; other groups are titled by their key. */
const GROUP_TITLES: Record<string, string> = { flows: 'Flows', queues: 'Queues' }

/** Groups shown first, in this order; others follow alphabetically. */
const GROUP_ORDER = ['flows', 'queues']

/** Builds the report's model from the plan, the deploy result (deploy mode) and the run's facts. Pure. */
export function buildReportModel(
  plan: Plan,
  result: DeployResult | undefined,
  context: RunContext,
  options: ReportOptions = {}
): ReportModel {
  const { resources, other } = resourceChanges(plan.diff)
  const validation = plan.remoteValidation
  return {
    bundleId: plan.bundleId,
    environmentId: plan.environmentId,
    verdict: {
      status: result?.status ?? options.status,
      riskLevel: plan.impact.riskLevel,
      added: plan.diff.added.length,
      removed: plan.diff.removed.length,
      modified: plan.diff.modified.length,
      validation: validationVerdict(plan),
      gate: options.gate
    },
    failure: options.failure,
    findings: [...plan.localFindings].sort(compareFindings),
    changes: { sections: changeSections(resources), other, emptyBaseline: plan.baseline.source === 'empty' },
    risk: {
      level: plan.impact.riskLevel,
      reasons: plan.impact.reasons,
      capacity: plan.impact.capacity,
      consumers: Object.entries(plan.impact.consumers ?? {}).flatMap(([flow, list]) => list.map(consumer => ({ flow, consumer })))
    },
    platform: validation.ran
      ? {
          ran: true,
          valid: validation.valid,
          schemaVersion: validation.schemaVersion,
          errors: validation.errors,
          warnings: validation.warnings,
          dependencies: dependencyRows(plan)
        }
      : { ran: false, skippedReason: validation.reason, errors: [], warnings: [], dependencies: dependencyRows(plan) },
    deployment: result,
    fullDiff: { changes: plan.diff.changes, open: plan.diff.changes.length <= (options.openDiffMaxChanges ?? OPEN_DIFF_MAX_CHANGES) },
    footer: {
      baseline: plan.baseline.description,
      fingerprint: plan.fingerprint,
      repository: context.repository,
      sha: context.sha,
      runUrl: context.runUrl
    }
  }
}

function validationVerdict(plan: Plan): ValidationVerdict {
  const validation = plan.remoteValidation
  if (!validation.ran) return { state: 'skipped', reason: validation.reason }
  return validation.valid
    ? { state: 'passed', warningCount: validation.warnings.length }
    : { state: 'failed', errorCount: validation.errors.length }
}

function changeSections(resources: ResourceChange[]): ChangeSection[] {
  const groups = [...new Set(resources.map(resource => resource.group))].sort(
    (a, b) => groupRank(a) - groupRank(b) || (a < b ? -1 : a > b ? 1 : 0)
  )
  return groups.map(group => ({
    group,
    title: Object.hasOwn(GROUP_TITLES, group) ? GROUP_TITLES[group] : group,
    // resourceChanges already orders each group removed, modified, added: critical removals come first.
    resources: resources.filter(resource => resource.group === group)
  }))
}

function groupRank(group: string): number {
  const index = GROUP_ORDER.indexOf(group)
  return index === -1 ? GROUP_ORDER.length : index
}

function dependencyRows(plan: Plan): DependencyRow[] {
  const validation = plan.remoteValidation
  return (plan.bundle?.externalDependencies ?? []).map(({ group, name }) => ({
    group,
    name,
    state: !validation.ran
      ? 'unverified'
      : validation.confirmedDependencies === undefined
        ? 'checked by the platform validation'
        : validation.confirmedDependencies.includes(name)
          ? 'confirmed'
          : 'not confirmed'
  }))
}

function compareFindings(a: Finding, b: Finding): number {
  const severity = (finding: Finding): number => (finding.severity === 'error' ? 0 : 1)
  return severity(a) - severity(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0)
}
