/**
 * The configuration diff between the baseline and the bundle's `targetConfig` (or, with the architect API, its
 * flow documents: see comparable-config.ts), as paths (`flows.main-entry.routingStrategy`,
 * `flows.main-entry.inboundCall.tasks[Main].actions[Transfer to sales].preTransferAudio.tts`; syntax in
 * diff-path.ts), and the same changes resource by resource.
 */
import { isPlainObject, ownValue, valuesEqual } from './config-values.js'
import { compareStrings, formatPath, parsePath, type PathSegment } from './diff-path.js'
import { ResourceWalker, type InnerChange } from './diff-walk.js'
import { readFromEqualTexts } from '../bundle/source-text.js'

export { isPlainObject, valuesEqual } from './config-values.js'
export { formatPath, isItemSegment, itemSegment, parsePath, type ListItemSegment, type PathSegment } from './diff-path.js'

/** One changed path between the baseline and the bundle's configuration. */
export interface DiffChange {
  /** Path (`flows.main-entry.routingStrategy`), see diff-path.ts. */
  path: string
  kind: 'added' | 'removed' | 'modified'
  /** Value in the baseline (absent for `added`). */
  before?: unknown
  /** Value in the bundle (absent for `removed`). */
  after?: unknown
}

/** How many resources (flows, queues) a diff adds, removes and modifies. */
export interface ResourceCounts {
  added: number
  removed: number
  modified: number
}

/** The configuration diff. `added` / `removed` / `modified` are the output `diff`. */
export interface Diff {
  added: string[]
  removed: string[]
  modified: string[]
  /** The same changes with their values, sorted by path. */
  changes: DiffChange[]
  /**
   * The changes resource by resource, what `resourceChanges` returns: set by `computeDiff`, which builds it while
   * diffing. A Diff written by hand may leave it out; `resourceChanges` then derives it from `changes`.
   */
  byResource?: ResourceChanges
  /**
   * Resources added, removed and modified, in all and by group (`flows`, only groups with a change): what
   * reviewers count (300 modified flows, not their 900 changed paths). Set by `computeDiff`; see `countResources`.
   */
  resourceCounts?: { total: ResourceCounts; byGroup: Record<string, ResourceCounts> }
}

/** The output `diff`: the changed paths by kind. */
export interface DiffOutput {
  added: string[]
  removed: string[]
  modified: string[]
}

/** A flow or queue that the diff adds, removes or modifies. */
export interface ResourceChange {
  /** Resource group, a key of `targetConfig` (`flows`). */
  group: string
  /** Resource name, a key of the group (`main-entry`). */
  name: string
  /** Path of the resource (`flows.main-entry`). */
  path: string
  kind: DiffChange['kind']
  /** The resource's whole value before, when it was removed or replaced as a whole. */
  before?: unknown
  /** The resource's whole value after, when it was added or replaced as a whole. */
  after?: unknown
  /** Changes inside the resource, with paths relative to it (`routingStrategy`); empty when it changed as a whole. */
  inner: DiffChange[]
}

/** The diff seen resource by resource. */
export interface ResourceChanges {
  /** By group, then kind (removed, modified, added), then name. */
  resources: ResourceChange[]
  /** Changes that are not inside a resource group (a top-level key that is not an object on either side). */
  other: DiffChange[]
}

type Mapping = Record<string, unknown>

const KIND_ORDER: Record<DiffChange['kind'], number> = { removed: 0, modified: 1, added: 2 }

const NOTHING: Mapping = Object.freeze({})

/**
 * Compares two configurations (the `targetConfig` shape) and lists every changed path.
 *
 * - A top-level key whose value is a mapping is a resource group (`flows`); a group that one side lacks is taken as
 *   empty there, so that a new or vanished group lists each of its resources (`flows.after-hours` added) instead of
 *   one opaque `flows`: the resource is the unit reviewers and the risk rules reason about.
 * - A resource on one side only is one `added` / `removed` path with its whole value (an added flow is
 *   `flows.after-hours`, not each of its settings). A resource that is a mapping on both sides is compared inside:
 *   mappings key by key, lists item by item when their items carry an identity (`refId`, `name`, or an Archy
 *   action's single key; see list-identity.ts and ResourceWalker), other lists and values as whole values. Items
 *   that only moved are no change inside them, but a list whose shared items changed order is one `modified` path
 *   of the list, with each side's identities in order: actions run in sequence, so reviewers must see a move.
 *   Anything else (a resource or top-level key that is not a mapping on both sides) is compared as a whole value.
 * - A key set to `undefined` is absent; NaN equals NaN; a change between mapping and non-mapping is `modified`.
 *
 * Changes are in path order (segment by segment), so the result is the same whatever the key order of the inputs.
 */
export function computeDiff(before: Mapping, after: Mapping): Diff {
  const builder = new DiffBuilder()
  for (const key in before) {
    const was = before[key]
    if (was !== undefined && Object.hasOwn(before, key)) builder.compareTopLevel(key, was, ownValue(after, key))
  }
  for (const key in after) {
    const now = after[key]
    if (now !== undefined && Object.hasOwn(after, key) && ownValue(before, key) === undefined) builder.compareTopLevel(key, undefined, now)
  }
  return builder.finish()
}

/** The output `diff` (`{added, removed, modified}`), without the values. */
export function diffOutput(diff: Diff): DiffOutput {
  return { added: [...diff.added], removed: [...diff.removed], modified: [...diff.modified] }
}

/**
 * The diff resource by resource (`flows.X`, `queues.X`): kept on the Diff by `computeDiff`, derived from the paths
 * for a Diff written by hand. A whole group that appears or disappears (`flows` removed) counts as each of its
 * resources appearing or disappearing, so that removing every flow at once is seen as the removal of each flow.
 * The result is shared with the Diff: read it, do not change it.
 */
export function resourceChanges(diff: Diff): ResourceChanges {
  return diff.byResource ?? resourceChangesFromPaths(diff)
}

/** Resources added, removed and modified, in all and by group (see `Diff.resourceCounts`). */
export function countResources(diff: Diff): NonNullable<Diff['resourceCounts']> {
  return diff.resourceCounts ?? countsOf(resourceChanges(diff).resources)
}

/** A top-level key's changes, kept apart until the keys are put in order. */
interface TopLevelChanges {
  key: string
  changes: DiffChange[]
  /** True for a change outside any resource group (see `ResourceChanges.other`), then the one change in `changes`. */
  other: boolean
}

/** A changed resource with its changes at full paths, kept apart until the resources are put in order. */
interface ChangedResource {
  resource: ResourceChange
  changes: DiffChange[]
}

/** Collects the changes of one `computeDiff`, grouped as they are found, and puts them in order at the end. */
class DiffBuilder {
  private readonly walker = new ResourceWalker()
  private readonly topLevel: TopLevelChanges[] = []
  private readonly resources: ResourceChange[] = []

  compareTopLevel(key: string, was: unknown, now: unknown): void {
    const wasMapping = isPlainObject(was)
    const nowMapping = isPlainObject(now)
    if ((wasMapping || was === undefined) && (nowMapping || now === undefined)) {
      const changes = this.compareGroup(key, wasMapping ? was : NOTHING, nowMapping ? now : NOTHING)
      if (changes.length > 0) this.topLevel.push({ key, changes, other: false })
      return
    }
    if (was === now || (was !== undefined && now !== undefined && valuesEqual(was, now))) return
    const change = wholeChange(formatPath([key]), was, now)
    const expanded = expandGroupChange(key, change)
    this.topLevel.push({ key, changes: [change], other: expanded.length === 0 })
    for (const resource of expanded) this.resources.push(resource)
  }

  /** The changes of one group at full paths, by resource name; records each changed resource. */
  private compareGroup(group: string, before: Mapping, after: Mapping): DiffChange[] {
    const changed: ChangedResource[] = []
    for (const name in before) {
      const was = before[name]
      if (was === undefined || !Object.hasOwn(before, name)) continue
      const now = ownValue(after, name)
      if (now === undefined) changed.push(wholeResource(group, name, was, undefined))
      else if (was !== now && !readFromEqualTexts(was, now)) {
        const resource = this.compareResource(group, name, was, now)
        if (resource !== undefined) changed.push(resource)
      }
    }
    for (const name in after) {
      const now = after[name]
      if (now !== undefined && Object.hasOwn(after, name) && ownValue(before, name) === undefined) {
        changed.push(wholeResource(group, name, undefined, now))
      }
    }
    changed.sort((a, b) => compareStrings(a.resource.name, b.resource.name))
    const changes: DiffChange[] = []
    for (const { resource, changes: ofResource } of changed) {
      this.resources.push(resource)
      for (const change of ofResource) changes.push(change)
    }
    return changes
  }

  /** A resource on both sides: compared inside when both are mappings, else as a whole value. */
  private compareResource(group: string, name: string, was: unknown, now: unknown): ChangedResource | undefined {
    if (!isPlainObject(was) || !isPlainObject(now)) return valuesEqual(was, now) ? undefined : wholeResource(group, name, was, now)
    const found = this.walker.compareMappings(was, now)
    if (found.length === 0) return undefined
    const path = formatPath([group, name])
    const inner: DiffChange[] = []
    const changes: DiffChange[] = []
    for (const change of found) {
      const relative = formatPath(change.segments)
      // A relative path starts with a bare key (joined with ".") or a bracket (joined as it is).
      const full = relative.startsWith('[') ? path + relative : `${path}.${relative}`
      inner.push(withPath(change, relative))
      changes.push(withPath(change, full))
    }
    return { resource: { group, name, path, kind: 'modified', inner }, changes }
  }

  finish(): Diff {
    this.topLevel.sort((a, b) => compareStrings(a.key, b.key))
    const changes: DiffChange[] = []
    const other: DiffChange[] = []
    const paths: Record<DiffChange['kind'], string[]> = { added: [], removed: [], modified: [] }
    for (const topLevel of this.topLevel) {
      for (const change of topLevel.changes) {
        changes.push(change)
        paths[change.kind].push(change.path)
      }
      if (topLevel.other) other.push(topLevel.changes[0])
    }
    const resources = this.resources.sort(compareResources)
    return {
      ...paths,
      changes,
      byResource: { resources, other },
      resourceCounts: countsOf(resources)
    }
  }
}

/** A change of a whole value: `added` without `before`, `removed` without `after`, else `modified` with both. */
function wholeChange(path: string, was: unknown, now: unknown): DiffChange {
  if (was === undefined) return { path, kind: 'added', after: now }
  if (now === undefined) return { path, kind: 'removed', before: was }
  return { path, kind: 'modified', before: was, after: now }
}

function wholeResource(group: string, name: string, was: unknown, now: unknown): ChangedResource {
  const path = formatPath([group, name])
  const change = wholeChange(path, was, now)
  return { resource: { group, name, ...change, inner: [] }, changes: [change] }
}

function withPath(change: InnerChange, path: string): DiffChange {
  if (change.kind === 'added') return { path, kind: 'added', after: change.after }
  if (change.kind === 'removed') return { path, kind: 'removed', before: change.before }
  return { path, kind: 'modified', before: change.before, after: change.after }
}

/**
 * The resources of a top-level key that changed between mapping and something else (`flows: {…}` → `flows: x`):
 * each resource of the mapping side is added or removed. Empty when neither side is a mapping.
 */
function expandGroupChange(group: string, change: DiffChange): ResourceChange[] {
  const before = isPlainObject(change.before) ? change.before : NOTHING
  const after = isPlainObject(change.after) ? change.after : NOTHING
  const expanded: ResourceChange[] = []
  for (const [name, was] of Object.entries(before)) {
    if (was !== undefined && ownValue(after, name) === undefined) expanded.push(wholeResource(group, name, was, undefined).resource)
  }
  for (const [name, now] of Object.entries(after)) {
    if (now !== undefined && ownValue(before, name) === undefined) expanded.push(wholeResource(group, name, undefined, now).resource)
  }
  return expanded
}

/** By group, then kind (removed, modified, added), then name. */
function compareResources(a: ResourceChange, b: ResourceChange): number {
  return compareStrings(a.group, b.group) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareStrings(a.name, b.name)
}

function countsOf(resources: readonly ResourceChange[]): NonNullable<Diff['resourceCounts']> {
  const total: ResourceCounts = { added: 0, removed: 0, modified: 0 }
  // No prototype: a group may be called `__proto__` or `constructor`, and is then still just a key.
  const byGroup = Object.create(null) as Record<string, ResourceCounts>
  for (const { group, kind } of resources) {
    const counts = (byGroup[group] ??= { added: 0, removed: 0, modified: 0 })
    counts[kind]++
    total[kind]++
  }
  return { total, byGroup }
}

/** `resourceChanges` of a Diff without `byResource`: each change's path read back. */
function resourceChangesFromPaths(diff: Diff): ResourceChanges {
  const byPath = new Map<string, ResourceChange>()
  const other: DiffChange[] = []
  for (const change of diff.changes) {
    const [group, name, ...inside] = parsePath(change.path)
    if (name === undefined && typeof group === 'string') {
      const expanded = expandGroupChange(group, change)
      if (expanded.length === 0) other.push(change)
      for (const resource of expanded) byPath.set(resource.path, resource)
    } else if (typeof group !== 'string' || typeof name !== 'string') {
      other.push(change)
    } else {
      const path = formatPath([group, name])
      if (inside.length === 0) byPath.set(path, { group, name, path, kind: change.kind, before: change.before, after: change.after, inner: [] })
      else {
        const resource = byPath.get(path) ?? { group, name, path, kind: 'modified' as const, inner: [] }
        resource.inner.push({ ...change, path: formatPath(inside as PathSegment[]) })
        byPath.set(path, resource)
      }
    }
  }
  const resources = [...byPath.values()].sort(compareResources)
  return { resources, other }
}
