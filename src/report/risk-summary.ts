/**
 * The risk, said in a few lines whatever the size of the change: what drives its level (removals, many platform
 * warnings, capacity above the alert, consumers of changed flows, modifications) summed up by kind, with names,
 * instead of one reason per resource (a 2,000-flow change would bury its one capacity overrun under 2,000 lines).
 */
import type { DiffChange, ResourceChange } from '../assess/diff.js'
import { CAPACITY_ALERT_PERCENT, capacityLabel, exceedsAlert, MAX_WARNINGS_BEFORE_HIGH, rank, type CapacityUse, type Consumer } from '../assess/impact.js'
import type { Plan } from '../assess/plan.js'
import type { RiskLevel } from '../constants.js'
import { formatCount, inlineCode, plural } from './markdown.js'
import { compareGroups, resourceNouns } from './resource-names.js'

/** One line of the risk: plain text whose names are code spans (render it with `escapeTextKeepingCode`). */
export interface RiskItem {
  level: RiskLevel
  /** What kind of cause it is: `capacity` items are what the alert quotes first when a limit is passed. */
  cause: 'removal' | 'warnings' | 'capacity' | 'consumers' | 'modification' | 'addition' | 'other'
  text: string
  /** A capacity use over its limit: the deployment is likely to fail on it. */
  overLimit?: boolean
}

/** The risk level, what drives it and what else is worth knowing. */
export interface RiskSummary {
  level: RiskLevel
  /** The items of the risk's level: why it is what it is. Never empty. */
  drivers: RiskItem[]
  /** Items of lower levels, most serious first. */
  others: RiskItem[]
  capacity: CapacityUse[]
}

/** Most names a risk line quotes before "and N more". */
const MAX_NAMES_IN_LINE = 10

/** Most flows the consumers line quotes. */
const MAX_FLOWS_IN_CONSUMERS_LINE = 5

/** Most consumers quoted for one flow in the consumers line. */
const MAX_CONSUMERS_PER_FLOW = 3

/** Summarizes the risk of an assessed plan. */
export function summarizeRisk(plan: Plan, resources: readonly ResourceChange[], other: readonly DiffChange[]): RiskSummary {
  const impact = plan.impact
  const items = [
    ...perGroup(resources, 'removed').map(([group, names]): RiskItem => item('HIGH', 'removal', `removes ${namedCount(group, names)}`)),
    ...warningItems(impact.warningCount),
    ...impact.capacity.filter(exceedsAlert).map((use): RiskItem => ({ ...item('MEDIUM', 'capacity', describeCapacity(use)), overLimit: use.used > use.limit })),
    ...consumerItems(impact.consumers ?? {}, resources),
    ...perGroup(resources, 'modified').map(([group, names]): RiskItem =>
      item('MEDIUM', 'modification', `modifies ${plural(names.length, resourceNouns(group, 1), resourceNouns(group, 2))}`)
    ),
    ...perGroup(resources, 'added').map(([group, names]): RiskItem => item('LOW', 'addition', `adds ${namedCount(group, names)}`)),
    ...(other.length > 0 ? [item('LOW', 'other', `changes ${plural(other.length, 'other setting')}: ${quoted(other.map(change => change.path))}`)] : [])
  ].sort((a, b) => rank(b.level) - rank(a.level))
  let drivers = items.filter(entry => entry.level === impact.riskLevel)
  // Should the risk rules and this summary ever disagree, the rules' own reasons still say why.
  if (drivers.length === 0) {
    const reasons = impact.riskDrivers.length > 0 ? impact.riskDrivers : impact.reasons
    drivers = reasons.slice(0, MAX_NAMES_IN_LINE).map(reason => item(impact.riskLevel, 'other', reason))
  }
  if (drivers.length === 0) drivers = [item(impact.riskLevel, 'other', 'no flow or queue changes')]
  return { level: impact.riskLevel, drivers, others: items.filter(entry => rank(entry.level) < rank(impact.riskLevel)), capacity: impact.capacity }
}

/** Capacity uses over their limit: the deployment is likely to fail, whatever the risk level says. */
export function overLimit(capacity: readonly CapacityUse[]): CapacityUse[] {
  return capacity.filter(use => use.used > use.limit)
}

/** "environment flow slots 2,000/1,200 = 166.7 % (above 80 %; over the limit)". */
export function describeCapacity(use: CapacityUse): string {
  const over = use.used > use.limit ? '; over the limit' : ''
  return `${capacityLabel(use)} ${formatCount(use.used)}/${formatCount(use.limit)} = ${use.percent} % (above ${CAPACITY_ALERT_PERCENT} %${over})`
}

function item(level: RiskLevel, cause: RiskItem['cause'], text: string): RiskItem {
  return { level, cause, text }
}

// The rule of the risk assessment: compared on the exact counts, so 80.04 % is above 80 % though it shows as 80 %.

function warningItems(count: number): RiskItem[] {
  if (count > MAX_WARNINGS_BEFORE_HIGH)
    return [item('HIGH', 'warnings', `${count} platform warnings (more than ${MAX_WARNINGS_BEFORE_HIGH}), listed under Platform validation`)]
  if (count > 0) return [item('LOW', 'warnings', `${plural(count, 'platform warning')}, listed under Platform validation`)]
  return []
}

/** One line for all the changed flows something uses: the count, and the first flows with their first users. */
function consumerItems(consumers: Record<string, Consumer[]>, resources: readonly ResourceChange[]): RiskItem[] {
  const flows = resources.filter(resource => resource.group === 'flows' && resource.kind !== 'added' && Object.hasOwn(consumers, resource.name))
  if (flows.length === 0) return []
  const users = new Set(flows.flatMap(flow => consumers[flow.name].map(consumer => consumer.id)))
  const quotedFlows = flows.slice(0, MAX_FLOWS_IN_CONSUMERS_LINE).map(flow => {
    const list = consumers[flow.name]
    const names = list.slice(0, MAX_CONSUMERS_PER_FLOW).map(consumer => inlineCode(consumer.name))
    const more = list.length > MAX_CONSUMERS_PER_FLOW ? ` and ${list.length - MAX_CONSUMERS_PER_FLOW} more` : ''
    return `${inlineCode(flow.name)} (used by ${names.join(', ')}${more})`
  })
  const moreFlows = flows.length > MAX_FLOWS_IN_CONSUMERS_LINE ? `, and ${flows.length - MAX_FLOWS_IN_CONSUMERS_LINE} more flows (see Impact)` : ''
  const what = `${plural(flows.length, 'changed flow')} ${flows.length === 1 ? 'is' : 'are'} used by ${plural(users.size, 'other resource')}`
  return [item('MEDIUM', 'consumers', `${what}: ${quotedFlows.join(', ')}${moreFlows}`)]
}

/** The resources of one kind, by group, in report order. */
function perGroup(resources: readonly ResourceChange[], kind: ResourceChange['kind']): [string, string[]][] {
  const byGroup = new Map<string, string[]>()
  for (const resource of resources) {
    if (resource.kind !== kind) continue
    const names = byGroup.get(resource.group) ?? []
    names.push(resource.name)
    byGroup.set(resource.group, names)
  }
  return [...byGroup.entries()].sort(([a], [b]) => compareGroups(a, b))
}

/** "3 flows: `a`, `b`, `c`", quoting at most MAX_NAMES_IN_LINE names. */
function namedCount(group: string, names: readonly string[]): string {
  return `${plural(names.length, resourceNouns(group, 1), resourceNouns(group, 2))}: ${quoted(names)}`
}

function quoted(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMES_IN_LINE).map(name => inlineCode(name))
  const more = names.length - shown.length
  return `${shown.join(', ')}${more > 0 ? ` and ${formatCount(more)} more` : ''}`
}
