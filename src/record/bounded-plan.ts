/**
 * The plan's diff and impact in the shapes of the outputs `diff` and `impact`, cut to a byte budget when they do not
 * fit. A cut one keeps its shape, says `"truncated": true` and counts what was left out; the complete JSON is in the
 * files of the outputs `diff-file` and `impact-file`.
 */
import type { Diff, DiffOutput } from '../assess/diff.js'
import type { Consumer, Impact } from '../assess/impact.js'
import { fitLists, itemCosts, jsonBytes } from './fit-budget.js'

/** Largest value of a single step output GitHub handles well, in bytes (README "Limits"). */
export const MAX_OUTPUT_BYTES = 64 * 1024

/**
 * What `diff` and `impact` are cut to: below MAX_OUTPUT_BYTES, so that masking a secret (a short one becomes the
 * longer `***`) cannot push the value over it.
 */
export const OUTPUT_JSON_BUDGET_BYTES = 60 * 1024

/** The output `diff`: changed paths by kind; when cut, how many paths of each kind were left out. */
export interface BoundedDiff extends DiffOutput {
  truncated?: true
  omitted?: { added: number; removed: number; modified: number }
}

/** Lists of the impact that a cut may shorten. */
export type ImpactList = 'riskDrivers' | 'criticalRemovals' | 'capacity' | 'reasons' | 'consumers'

/** The output `impact`; when cut, how many items of each shortened list were left out (`consumers`: consumer entries). */
export interface BoundedImpact extends Impact {
  truncated?: true
  omitted?: Partial<Record<ImpactList, number>>
}

/** Room kept for `"truncated":true,"omitted":{…}` when a value is cut. */
const MARKER_RESERVE_BYTES = 200

/**
 * The diff's path lists as `{added, removed, modified}`, whole when they fit in `maxBytes` of JSON. Otherwise each
 * list is cut from the end; removals get room first (the riskiest changes), then modifications, then additions. Pure.
 */
export function boundDiffOutput(diff: Pick<Diff, 'added' | 'removed' | 'modified'>, maxBytes = OUTPUT_JSON_BUDGET_BYTES): BoundedDiff {
  const { added, removed, modified } = diff
  const whole: BoundedDiff = { added: [...added], removed: [...removed], modified: [...modified] }
  if (jsonBytes(whole) <= maxBytes) return whole
  const empty = jsonBytes({ added: [], removed: [], modified: [] })
  const [keptRemoved, keptModified, keptAdded] = fitLists([itemCosts(removed), itemCosts(modified), itemCosts(added)], maxBytes - empty - MARKER_RESERVE_BYTES)
  return {
    added: added.slice(0, keptAdded),
    removed: removed.slice(0, keptRemoved),
    modified: modified.slice(0, keptModified),
    truncated: true,
    omitted: { added: added.length - keptAdded, removed: removed.length - keptRemoved, modified: modified.length - keptModified }
  }
}

/**
 * The impact, whole when it fits in `maxBytes` of JSON. Otherwise the scalars stay and the lists are cut from the end
 * in order of importance: `riskDrivers` (why the gate decides as it does), `criticalRemovals`, `capacity`, then the
 * long ones, `reasons` and `consumers`. A cut impact lists its keys most important first. Pure.
 */
export function boundImpact(impact: Impact, maxBytes = OUTPUT_JSON_BUDGET_BYTES): BoundedImpact {
  if (jsonBytes(impact) <= maxBytes) return impact
  const consumerEntries = Object.entries(impact.consumers ?? {}).flatMap(([flow, consumers]) => consumers.map(consumer => ({ flow, consumer })))
  const scalars = {
    riskLevel: impact.riskLevel,
    riskDrivers: [],
    criticalRemovals: [],
    warningCount: impact.warningCount,
    compatibilityPassed: impact.compatibilityPassed,
    capacityUtilization: impact.capacityUtilization,
    capacity: [],
    reasons: [],
    ...(impact.consumers ? { consumers: {} } : {})
  }
  const kept = fitLists(
    [itemCosts(impact.riskDrivers), itemCosts(impact.criticalRemovals), itemCosts(impact.capacity), itemCosts(impact.reasons), consumerCosts(consumerEntries)],
    maxBytes - jsonBytes(scalars) - MARKER_RESERVE_BYTES
  )
  const [riskDrivers, criticalRemovals, capacity, reasons, consumers] = kept
  const omitted: Partial<Record<ImpactList, number>> = {}
  const note = (list: ImpactList, total: number, keptCount: number): void => {
    if (total > keptCount) omitted[list] = total - keptCount
  }
  note('riskDrivers', impact.riskDrivers.length, riskDrivers)
  note('criticalRemovals', impact.criticalRemovals.length, criticalRemovals)
  note('capacity', impact.capacity.length, capacity)
  note('reasons', impact.reasons.length, reasons)
  note('consumers', consumerEntries.length, consumers)
  return {
    riskLevel: impact.riskLevel,
    riskDrivers: impact.riskDrivers.slice(0, riskDrivers),
    criticalRemovals: impact.criticalRemovals.slice(0, criticalRemovals),
    warningCount: impact.warningCount,
    compatibilityPassed: impact.compatibilityPassed,
    capacityUtilization: impact.capacityUtilization,
    truncated: true,
    omitted,
    capacity: impact.capacity.slice(0, capacity),
    reasons: impact.reasons.slice(0, reasons),
    ...(impact.consumers ? { consumers: groupConsumers(consumerEntries.slice(0, consumers)) } : {})
  }
}

/** Each consumer's bytes, plus its flow's key (`"flow":[]` and a comma) for the first consumer of each flow. */
function consumerCosts(entries: readonly { flow: string; consumer: Consumer }[]): number[] {
  return entries.map((entry, index) => {
    const startsFlow = index === 0 || entries[index - 1].flow !== entry.flow
    return jsonBytes(entry.consumer) + 1 + (startsFlow ? jsonBytes(entry.flow) + 4 : 0)
  })
}

/** Flow names come from the bundle: a Map, then fromEntries, keeps a flow named `__proto__` an ordinary key. */
function groupConsumers(entries: readonly { flow: string; consumer: Consumer }[]): Record<string, Consumer[]> {
  const grouped = new Map<string, Consumer[]>()
  for (const { flow, consumer } of entries) {
    const list = grouped.get(flow) ?? []
    list.push(consumer)
    grouped.set(flow, list)
  }
  return Object.fromEntries(grouped)
}
