import { resourceChanges, type DiffChange, type ResourceChange } from '../assess/diff.js'
import type { GateDecision } from '../assess/gate.js'
import type { CapacityUse, Consumer } from '../assess/impact.js'
import type { Plan } from '../assess/plan.js'
import type { Finding } from '../bundle/finding.js'
import type { FinalStatus, RiskLevel } from '../constants.js'
import type { DeployResult } from '../deploy/result.js'
import type { RunContext } from '../run-context.js'
import { buildImpactGraph } from './impact-graph.js'
import type { Graph } from './mermaid.js'
import { decideOutcome, type Outcome } from './outcome.js'
import { compareGroups } from './resource-names.js'
import { overLimit, summarizeRisk, type RiskSummary } from './risk-summary.js'

/** A final status, or `DEPLOYING` while a deploy run is still following its deployment (the PR comment's first state). */
export type ReportStatus = FinalStatus | 'DEPLOYING'

/** What the report needs besides the plan and the deploy result. */
export interface ReportOptions {
  /** Status when there is no deploy result (`ASSESSED`, `VALIDATION_FAILED`, `DEPLOYING`). The result's status wins. */
  status?: ReportStatus
  /** Why the run failed outside the deployment (invalid inputs, a crash), as an instruction. */
  failure?: string
  /** The risk gate's decision (assess mode). */
  gate?: GateDecision
  /** The pull request label that accepts a risky change (input `risk-accepted-label`): a failed gate's alert names it. */
  riskAcceptedLabel?: string
  /** The field changes' `<details>` opens when there are at most this many. Default 20. */
  openDiffMaxChanges?: number
}

/** Default of `ReportOptions.openDiffMaxChanges`. */
export const OPEN_DIFF_MAX_CHANGES = 20

/** What the platform validation concluded, for the verdict line. */
export type ValidationVerdict = { state: 'passed'; warningCount: number } | { state: 'failed'; errorCount: number } | { state: 'skipped'; reason: string }

/** The line under the alert: status, risk, validation, gate. */
export interface Verdict {
  status?: ReportStatus
  /** Undefined when the plan was not assessed (an invalid bundle has no risk level). */
  riskLevel?: RiskLevel
  validation: ValidationVerdict
  gate?: GateDecision
}

/** The names of the resources one group adds, removes and modifies, in name order. */
export interface GroupChanges {
  group: string
  removed: string[]
  added: string[]
  modified: string[]
}

/** One row of the field-level detail: a field of a modified resource, or a resource added, removed or replaced whole. */
export interface FieldChange {
  /** The resource the change is in; undefined for a top-level setting outside any group. */
  resource?: { group: string; name: string }
  /** Path inside the resource (or the top-level key); undefined when the whole resource changed. */
  field?: string
  kind: DiffChange['kind']
  before?: unknown
  after?: unknown
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

/** What changes, resource by resource. */
export interface ChangesModel {
  groups: GroupChanges[]
  /** Changes outside any resource group. */
  other: DiffChange[]
  /** True when there was no baseline, so everything shows as added. */
  emptyBaseline: boolean
}

/** Everything the report shows, decided; rendering only formats it. Pure data. */
export interface ReportModel {
  bundleId: string
  environmentId: string
  /** False when there was no valid bundle to assess: no risk, no changes, only the problems. */
  assessed: boolean
  outcome: Outcome
  verdict: Verdict
  failure?: string
  /** Errors first, then by file and line. */
  findings: Finding[]
  /** Undefined when the plan was not assessed. */
  changes?: ChangesModel
  /** Undefined when the plan was not assessed. */
  risk?: RiskSummary
  /** The changed resources and what uses them; undefined when nothing changed or the plan was not assessed. */
  graph?: Graph
  /** Consumers of the changed flows, one row each. */
  consumers: ConsumerRow[]
  platform: {
    ran: boolean
    skippedReason?: string
    valid?: boolean
    schemaVersion?: string
    errors: string[]
    warnings: string[]
    /** Capacity uses over their limit (flow slots the environment lacks). */
    overLimit: CapacityUse[]
    dependencies: DependencyRow[]
  }
  deployment?: DeployResult
  /** Field-level detail, resource by resource (the order of `changes`). */
  fieldChanges: { rows: FieldChange[]; open: boolean }
  footer: {
    /** Undefined when the plan was not assessed (there was nothing to compare). */
    baseline?: string
    fingerprint: string
    repository: string
    sha: string
    runUrl: string
  }
}

/** Builds the report's model from the plan, the deploy result (deploy mode) and the run's facts. Pure. */
export function buildReportModel(plan: Plan, result: DeployResult | undefined, context: RunContext, options: ReportOptions = {}): ReportModel {
  const assessed = plan.assessed
  const { resources, other } = resourceChanges(plan.diff)
  const validation = plan.remoteValidation
  const findings = [...plan.localFindings].sort(compareFindings)
  const consumers = assessed ? consumerRows(plan.impact.consumers) : []
  const risk = assessed ? summarizeRisk(plan, resources, other) : undefined
  const verdict: Verdict = {
    status: result?.status ?? options.status,
    riskLevel: assessed ? plan.impact.riskLevel : undefined,
    validation: validationVerdict(plan),
    gate: options.gate
  }
  const platform: ReportModel['platform'] = {
    ran: validation.ran,
    ...(validation.ran
      ? { valid: validation.valid, schemaVersion: validation.schemaVersion, errors: validation.errors, warnings: validation.warnings }
      : { skippedReason: validation.reason, errors: [], warnings: [] }),
    overLimit: assessed ? overLimit(plan.impact.capacity) : [],
    dependencies: assessed ? dependencyRows(plan) : []
  }
  const fieldRows = assessed ? fieldChanges(resources, other) : []
  const graph = assessed && resources.length > 0 ? buildImpactGraph({ resources, consumers: plan.impact.consumers, bundle: plan.bundle }) : undefined
  return {
    bundleId: plan.bundleId,
    environmentId: plan.environmentId,
    assessed,
    outcome: decideOutcome({
      environmentId: plan.environmentId,
      verdict,
      assessed,
      findings,
      failure: options.failure,
      platform,
      risk,
      riskAcceptedLabel: options.riskAcceptedLabel,
      result
    }),
    verdict,
    failure: options.failure,
    findings,
    changes: assessed ? { groups: groupChanges(resources), other, emptyBaseline: plan.baseline.source === 'empty' } : undefined,
    risk,
    graph,
    consumers,
    platform,
    deployment: result,
    fieldChanges: { rows: fieldRows, open: fieldRows.length <= (options.openDiffMaxChanges ?? OPEN_DIFF_MAX_CHANGES) },
    footer: {
      baseline: assessed ? plan.baseline.description : undefined,
      fingerprint: plan.fingerprint,
      repository: context.repository,
      sha: context.sha,
      runUrl: context.runUrl
    }
  }
}

/** Errors before warnings, then by file and line: the order of the report and of the annotations. */
export function compareFindings(a: Finding, b: Finding): number {
  const severity = (finding: Finding): number => (finding.severity === 'error' ? 0 : 1)
  return severity(a) - severity(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0)
}

function validationVerdict(plan: Plan): ValidationVerdict {
  const validation = plan.remoteValidation
  if (!validation.ran) return { state: 'skipped', reason: validation.reason }
  return validation.valid ? { state: 'passed', warningCount: validation.warnings.length } : { state: 'failed', errorCount: validation.errors.length }
}

/** The names each group removes, adds and modifies. `resourceChanges` already orders names within a group. */
function groupChanges(resources: readonly ResourceChange[]): GroupChanges[] {
  const byGroup = new Map<string, GroupChanges>()
  for (const resource of resources) {
    const group = byGroup.get(resource.group) ?? { group: resource.group, removed: [], added: [], modified: [] }
    group[resource.kind].push(resource.name)
    byGroup.set(resource.group, group)
  }
  return [...byGroup.values()].sort((a, b) => compareGroups(a.group, b.group))
}

/** The field-level rows: groups in report order, then resources as `resourceChanges` orders them. */
function fieldChanges(resources: readonly ResourceChange[], other: readonly DiffChange[]): FieldChange[] {
  const ordered = [...resources].sort((a, b) => compareGroups(a.group, b.group))
  const rows: FieldChange[] = []
  for (const resource of ordered) {
    const at = { group: resource.group, name: resource.name }
    if (resource.inner.length === 0) rows.push({ resource: at, kind: resource.kind, before: resource.before, after: resource.after })
    for (const change of resource.inner) rows.push({ resource: at, field: change.path, kind: change.kind, before: change.before, after: change.after })
  }
  for (const change of other) rows.push({ field: change.path, kind: change.kind, before: change.before, after: change.after })
  return rows
}

function consumerRows(consumers: Record<string, Consumer[]> | undefined): ConsumerRow[] {
  return Object.entries(consumers ?? {}).flatMap(([flow, list]) => list.map(consumer => ({ flow, consumer })))
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
