/**
 * The configuration change as the audit entry (`configurationDiff`) and the webhook body carry it: counts and the
 * names of the changed resources, bounded in size whatever the bundle's. The field-by-field diff stays in the file
 * of the output `diff-file`.
 */
import { resourceChanges, type Diff, type DiffChange } from '../assess/diff.js'
import { fitLists, itemCosts } from './fit-budget.js'

/** How many resources of one kind changed, and the names of the first ones. */
export interface ChangedNames {
  total: number
  /** The first names, in the diff's order; fewer than `total` when the list was cut. */
  names: string[]
}

/** The changed resources of one group (`flows`, `queues`). */
export interface GroupChanges {
  added: ChangedNames
  removed: ChangedNames
  modified: ChangedNames
}

/** The bounded summary of a configuration diff. */
export interface ChangeSummary {
  /** How many dotted paths the diff lists, by kind (the lengths of the output `diff`'s lists). */
  paths: { added: number; removed: number; modified: number }
  /** Changed resources by group, then kind. */
  resources: Record<string, GroupChanges>
  /** Changed paths outside any resource group (a top-level key that is not an object). */
  otherPaths: number
  /** Set when some `names` list holds fewer names than its `total`. */
  truncated?: true
}

/** Names kept per group and kind at most: enough to recognise a change, short enough to read. */
export const MAX_NAMES_PER_KIND = 50

/** Bytes the names of a summary may take in all. */
export const SUMMARY_NAMES_BUDGET_BYTES = 12 * 1024

const KINDS = ['removed', 'modified', 'added'] as const satisfies readonly DiffChange['kind'][]

/**
 * Summarizes the diff resource by resource (see resourceChanges): counts of paths, and per group and kind the total
 * and the first names, at most MAX_NAMES_PER_KIND each and SUMMARY_NAMES_BUDGET_BYTES in all (removals get room first,
 * then modifications, then additions). Pure.
 */
export function summarizeChanges(diff: Diff, namesBudgetBytes = SUMMARY_NAMES_BUDGET_BYTES): ChangeSummary {
  const { resources, other } = resourceChanges(diff)
  const byGroup = new Map<string, Record<DiffChange['kind'], string[]>>()
  for (const resource of resources) {
    const group = byGroup.get(resource.group) ?? { added: [], removed: [], modified: [] }
    group[resource.kind].push(resource.name)
    byGroup.set(resource.group, group)
  }
  // One list per group and kind, removals of every group first: they matter most to whoever reads the record.
  const lists = KINDS.flatMap(kind => [...byGroup.entries()].map(([group, names]) => ({ group, kind, names: names[kind] })))
  const kept = fitLists(
    lists.map(list => itemCosts(list.names.slice(0, MAX_NAMES_PER_KIND))),
    namesBudgetBytes
  )
  const groups = new Map<string, GroupChanges>()
  for (const group of byGroup.keys()) {
    groups.set(group, { added: { total: 0, names: [] }, removed: { total: 0, names: [] }, modified: { total: 0, names: [] } })
  }
  let truncated = false
  lists.forEach((list, index) => {
    const names = list.names.slice(0, kept[index])
    ;(groups.get(list.group) as GroupChanges)[list.kind] = { total: list.names.length, names }
    if (names.length < list.names.length) truncated = true
  })
  return {
    paths: { added: diff.added.length, removed: diff.removed.length, modified: diff.modified.length },
    // fromEntries: a group is a key of the bundle's `targetConfig`, and `__proto__` must stay an ordinary key.
    resources: Object.fromEntries(groups),
    otherPaths: other.length,
    ...(truncated ? { truncated: true as const } : {})
  }
}
