import type { Manifest } from '../bundle/manifest.js'
import { RISK_LEVELS, type RiskLevel } from '../constants.js'
import { resourceNoun } from '../report/resource-names.js'
import { resourceChanges, type Diff, type DiffChange, type ResourceChange } from './diff.js'
import type { RemoteValidationOutcome } from './plan.js'

/** A resource that uses a flow (architect dependency tracking). */
export interface Consumer {
  id: string
  name: string
  type: string
}

/** Use of one capacity limit. */
export interface CapacityUse {
  /** What is counted (`flows`, `queues`, `environment flow slots`). */
  resource: string
  used: number
  limit: number
  /** used / limit × 100, one decimal. */
  percent: number
}

/** Impact and risk of the change. The output `impact` is this object as JSON. */
export interface Impact {
  riskLevel: RiskLevel
  /** Why the risk is what it is, most serious first, each naming the change ("removes flow after-hours"). */
  reasons: string[]
  /** The reasons that set `riskLevel` (those of that level): what the gate names when it fails. */
  riskDrivers: string[]
  /** Removed flows and queues, as `flows.after-hours`. */
  criticalRemovals: string[]
  /** Platform warnings. */
  warningCount: number
  /** Platform compatibility check result; null when the platform was not asked. */
  compatibilityPassed: boolean | null
  /** Highest capacity use in percent; null when nothing sets a limit. */
  capacityUtilization: number | null
  capacity: CapacityUse[]
  /** Consumers of each changed or removed flow (architect API), by flow name. */
  consumers?: Record<string, Consumer[]>
}

/** What the impact is assessed from. */
export interface ImpactInput {
  diff: Diff
  remoteValidation: RemoteValidationOutcome
  /** The bundle's manifest: its flow and queue counts against `capacityConstraints`. */
  manifest?: Manifest
  /** Resources that use each flow, by flow name (architect API). */
  consumers?: Record<string, Consumer[]>
}

/** Threshold of the risk gate (input `fail-on-risk`). */
export type RiskThreshold = 'high' | 'medium' | 'low' | 'never'

/** More platform warnings than this make the change HIGH risk. */
export const MAX_WARNINGS_BEFORE_HIGH = 5

/** Capacity use strictly above this percent makes the change MEDIUM risk. */
export const CAPACITY_ALERT_PERCENT = 80

/** The resource label of the platform's flow slots in `capacity`. */
export const ENVIRONMENT_FLOW_SLOTS = 'environment flow slots'

/** Singular nouns of the resource groups, for reasons ("removes flow `x`"). */
/** Most inner paths a "modifies" reason names before it says "and N more". */
const MAX_PATHS_IN_REASON = 3

/** Most consumer names a reason names before it says "and N more". */
const MAX_CONSUMERS_IN_REASON = 3

/** Risk levels, most serious first: the order of `reasons`. */
const HIGHEST_FIRST: readonly RiskLevel[] = [...RISK_LEVELS].reverse()

const OTHER_CHANGE_VERBS: Record<DiffChange['kind'], string> = { added: 'adds', removed: 'removes', modified: 'changes' }

/**
 * Assesses the change's risk (DESIGN "Diff and impact"):
 * HIGH when a flow or queue is removed or the platform gave more than five warnings;
 * MEDIUM when a flow or queue is modified, a capacity use is strictly above 80 %, or a changed or removed flow has
 * consumers; LOW otherwise (adding resources alone is LOW). Pure; linear in the number of changed resources.
 */
export function assessImpact(input: ImpactInput): Impact {
  const { resources, other } = resourceChanges(input.diff)
  const warningCount = input.remoteValidation.ran ? input.remoteValidation.warnings.length : 0
  const capacity = capacityUses(input.manifest, input.remoteValidation)
  const consumers = consumersOfChangedFlows(resources, input.consumers ?? {})

  // The reasons of each level in the order the rules list them, gathered in one pass over the resources.
  const removals: string[] = []
  const modifications: string[] = []
  const additions: string[] = []
  const consumerReasons: string[] = []
  const criticalRemovals: string[] = []
  for (const resource of resources) {
    if (resource.kind === 'removed') {
      removals.push(`removes ${describeResource(resource)}`)
      criticalRemovals.push(resource.path)
    } else if (resource.kind === 'modified') {
      modifications.push(describeModification(resource))
    } else {
      additions.push(`adds ${describeResource(resource)}`)
    }
    if (resource.group === 'flows' && Object.hasOwn(consumers, resource.name)) consumerReasons.push(describeConsumers(resource, consumers[resource.name]))
  }
  const warnings = warningReason(warningCount)
  const byLevel: Record<RiskLevel, string[]> = {
    HIGH: [...removals, ...(warnings?.level === 'HIGH' ? [warnings.reason] : [])],
    MEDIUM: [...modifications, ...capacity.filter(exceedsAlert).map(use => `${describeCapacity(use)} (above ${CAPACITY_ALERT_PERCENT} %)`), ...consumerReasons],
    LOW: [
      ...(warnings?.level === 'LOW' ? [warnings.reason] : []),
      ...additions,
      ...other.map(change => `${OTHER_CHANGE_VERBS[change.kind]} ${codeSpan(change.path)}`)
    ]
  }
  const highest = HIGHEST_FIRST.find(level => byLevel[level].length > 0)
  if (highest === undefined) byLevel.LOW.push('no flow or queue changes')
  const riskLevel = highest ?? 'LOW'

  return {
    riskLevel,
    reasons: HIGHEST_FIRST.flatMap(level => byLevel[level]),
    riskDrivers: byLevel[riskLevel],
    criticalRemovals,
    warningCount,
    compatibilityPassed: input.remoteValidation.ran ? input.remoteValidation.valid : null,
    capacityUtilization: capacity.length > 0 ? Math.max(...capacity.map(use => use.percent)) : null,
    capacity,
    ...(Object.keys(consumers).length > 0 ? { consumers } : {})
  }
}

/**
 * True when `level` reaches the gate's threshold: `riskAtLeast('MEDIUM', 'medium')` is true,
 * `riskAtLeast('HIGH', 'never')` is false.
 */
export function riskAtLeast(level: RiskLevel, threshold: RiskThreshold): boolean {
  if (threshold === 'never') return false
  return rank(level) >= rank(threshold.toUpperCase() as RiskLevel)
}

/** The label of a capacity use in reasons and reports ("flow capacity", "environment flow slots"). */
export function capacityLabel(use: CapacityUse): string {
  const noun = resourceNoun(use.resource)
  return noun !== use.resource ? `${noun} capacity` : use.resource
}

/** The capacity counts against their limits: the bundle's flows and queues, and the platform's flow slots. */
function capacityUses(manifest: Manifest | undefined, validation: RemoteValidationOutcome): CapacityUse[] {
  const uses: CapacityUse[] = []
  const limits = manifest?.capacityConstraints
  if (manifest && limits?.maxFlowCount !== undefined) {
    uses.push(capacityUse('flows', Object.keys(manifest.targetConfig.flows ?? {}).length, limits.maxFlowCount))
  }
  if (manifest && limits?.maxQueueCount !== undefined) {
    uses.push(capacityUse('queues', Object.keys(manifest.targetConfig.queues ?? {}).length, limits.maxQueueCount))
  }
  const slots = validation.ran ? validation.environmentCapacity : undefined
  if (slots?.requiredFlowSlots !== undefined && slots.availableFlowSlots !== undefined) {
    uses.push(capacityUse(ENVIRONMENT_FLOW_SLOTS, slots.requiredFlowSlots, slots.availableFlowSlots))
  }
  return uses
}

// A limit of 0 counts as 1: any use then shows as over the limit and the percent stays a finite JSON number.
function capacityUse(resource: string, used: number, limit: number): CapacityUse {
  return { resource, used, limit, percent: Math.round((used / Math.max(limit, 1)) * 1000) / 10 }
}

// Compared on the exact counts, not the rounded percent: 80.04 % is above 80 % even though it shows as 80 %.
/** True when a capacity use is above CAPACITY_ALERT_PERCENT of its limit. */
export function exceedsAlert(use: CapacityUse): boolean {
  return use.used * 100 > Math.max(use.limit, 1) * CAPACITY_ALERT_PERCENT
}

function describeCapacity(use: CapacityUse): string {
  return `${capacityLabel(use)} ${use.used}/${use.limit} = ${use.percent} %`
}

/** The platform warnings as a reason: HIGH above the limit, LOW up to it, none without warnings. */
function warningReason(count: number): { level: RiskLevel; reason: string } | undefined {
  if (count > MAX_WARNINGS_BEFORE_HIGH) return { level: 'HIGH', reason: `${count} platform warnings (more than ${MAX_WARNINGS_BEFORE_HIGH})` }
  if (count > 0) return { level: 'LOW', reason: `${count} platform warning${count === 1 ? '' : 's'} (${MAX_WARNINGS_BEFORE_HIGH} or fewer)` }
  return undefined
}

/** "flow `main-entry`". */
function describeResource(resource: ResourceChange): string {
  return `${resourceNoun(resource.group)} ${codeSpan(resource.name)}`
}

function describeModification(resource: ResourceChange): string {
  const what = `modifies ${describeResource(resource)}`
  if (resource.inner.length === 0) return `${what} (replaced as a whole)`
  const shown = resource.inner.slice(0, MAX_PATHS_IN_REASON).map(change => codeSpan(change.path))
  const more = resource.inner.length - shown.length
  return `${what} (${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''})`
}

function describeConsumers(flow: ResourceChange, consumers: Consumer[]): string {
  const shown = consumers.slice(0, MAX_CONSUMERS_IN_REASON).map(consumer => codeSpan(consumer.name))
  const more = consumers.length - shown.length
  const count = `${consumers.length} resource${consumers.length === 1 ? '' : 's'}`
  const names = `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
  return `flow ${codeSpan(flow.name)} is ${flow.kind} and used by ${count} (${names}): risk at least MEDIUM`
}

/** The consumers of flows that are modified or removed; flows without consumers are left out. */
function consumersOfChangedFlows(resources: ResourceChange[], consumers: Record<string, Consumer[]>): Record<string, Consumer[]> {
  const changed: Record<string, Consumer[]> = {}
  for (const resource of resources) {
    if (resource.group !== 'flows' || resource.kind === 'added') continue
    const list = Object.hasOwn(consumers, resource.name) ? consumers[resource.name] : []
    if (list.length > 0) changed[resource.name] = list
  }
  return changed
}

/** A risk level's place in RISK_LEVELS: higher is riskier. */
export function rank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level)
}

/**
 * A CommonMark code span around a name. The fence is one backtick longer than the longest run of backticks in the
 * name, so no name can close it early; the report reads these spans back to render them safely.
 */
function codeSpan(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}
