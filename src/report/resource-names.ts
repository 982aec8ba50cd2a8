/** How the report names resource groups and their resources (`flows` → "flow", "Flows"). */

/** Singular nouns of the known resource groups. */
const NOUNS: Record<string, string> = { flows: 'flow', queues: 'queue' }

/** Titles of the known resource groups. */
const TITLES: Record<string, string> = { flows: 'Flows', queues: 'Queues' }

/** Groups shown first, in this order; others follow in code-unit order. */
const GROUP_ORDER = ['flows', 'queues']

/** "flow" for `flows`; an unknown group is named by its key. */
export function resourceNoun(group: string): string {
  return Object.hasOwn(NOUNS, group) ? NOUNS[group] : group
}

/** "flows" for `flows`, plural or singular by count; an unknown group is named by its key. */
export function resourceNouns(group: string, count: number): string {
  if (!Object.hasOwn(NOUNS, group)) return group
  return count === 1 ? NOUNS[group] : group
}

/** The section title of a group ("Flows"), or undefined for a group the report knows nothing about. */
export function groupTitle(group: string): string | undefined {
  return Object.hasOwn(TITLES, group) ? TITLES[group] : undefined
}

/** Orders groups: flows, queues, then the others by key. */
export function compareGroups(a: string, b: string): number {
  return groupRank(a) - groupRank(b) || (a < b ? -1 : a > b ? 1 : 0)
}

/** One key per resource, whatever its name holds: a group and a name cannot run into each other. */
export function resourceKey(group: string, name: string): string {
  return JSON.stringify([group, name])
}

function groupRank(group: string): number {
  const index = GROUP_ORDER.indexOf(group)
  return index === -1 ? GROUP_ORDER.length : index
}
