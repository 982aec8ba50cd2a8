/**
 * The configuration diff between the baseline and the bundle's `targetConfig`, as dotted paths.
 *
 * Path syntax: segments joined with `.` (`flows.main-entry.routingStrategy`). A key that would make the path
 * ambiguous (it holds `.`, `[`, `]`, `"` or `\`, or is empty) is written in brackets as a JSON string, with no dot
 * before the bracket: `queues.sales["80.20"].target`. `formatPath` and `parsePath` are exact inverses.
 */

/** One changed dotted path between the baseline and the bundle's configuration. */
export interface DiffChange {
  /** Dotted path (`flows.main-entry.routingStrategy`). */
  path: string
  kind: 'added' | 'removed' | 'modified'
  /** Value in the baseline (absent for `added`). */
  before?: unknown
  /** Value in the bundle (absent for `removed`). */
  after?: unknown
}

/** The configuration diff. `added` / `removed` / `modified` are the output `diff`. */
export interface Diff {
  added: string[]
  removed: string[]
  modified: string[]
  /** The same changes with their values, sorted by path. */
  changes: DiffChange[]
}

/**
 * A resource group (`flows`) that one side lacks is taken as empty there, so that a new or vanished group
 * lists each of its resources (`flows.after-hours` added) instead of one opaque `flows`: the resource is the unit
 * reviewers and the risk rules reason about.
 */
function withGroupsOnBothSides(before: Record<string, unknown>, after: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
  const filledBefore = { ...before }
  const filledAfter = { ...after }
  for (const group of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (isPlainObject(before[group]) && after[group] === undefined) filledAfter[group] = {}
    if (isPlainObject(after[group]) && before[group] === undefined) filledBefore[group] = {}
  }
  return [filledBefore, filledAfter]
}

/** The output `diff`: the changed paths by kind. */
export interface DiffOutput {
  added: string[]
  removed: string[]
  modified: string[]
}

type PlainObject = Record<string, unknown>

/** Keys that can be written bare; anything else goes in brackets. */
const BARE_SEGMENT = /^[^.[\]"\\]+$/

/** A bracketed segment at the start of the rest of a path: `["…"]`, with JSON string escapes inside. */
const BRACKET_SEGMENT = /^\["((?:[^"\\]|\\.)*)"\]/

/**
 * Compares two configurations (the `targetConfig` shape) and lists every changed path.
 * Plain objects are compared key by key; arrays and other values as whole values. A key on one side only is one
 * `added` / `removed` path (an added flow is `flows.after-hours`, not each of its settings); a value that changes
 * between object and non-object is `modified`. Changes are in path order (segment by segment), so the result is
 * the same whatever the key order of the inputs.
 */
export function computeDiff(before: Record<string, unknown>, after: Record<string, unknown>): Diff {
  const changes: DiffChange[] = []
  collectChanges([], ...withGroupsOnBothSides(before, after), changes)
  return {
    added: pathsOfKind(changes, 'added'),
    removed: pathsOfKind(changes, 'removed'),
    modified: pathsOfKind(changes, 'modified'),
    changes
  }
}

/** The output `diff` (`{added, removed, modified}`), without the values. */
export function diffOutput(diff: Diff): DiffOutput {
  return { added: [...diff.added], removed: [...diff.removed], modified: [...diff.modified] }
}

/** Joins path segments into a dotted path, bracketing the segments that need it. */
export function formatPath(segments: readonly string[]): string {
  let path = ''
  for (const segment of segments) {
    if (BARE_SEGMENT.test(segment)) path += path === '' ? segment : `.${segment}`
    else path += `[${JSON.stringify(segment)}]`
  }
  return path
}

/** Splits a dotted path made by `formatPath` back into its segments. Throws on a path it could not have made. */
export function parsePath(path: string): string[] {
  const segments: string[] = []
  let rest = path
  while (rest !== '') {
    const bracket = BRACKET_SEGMENT.exec(rest)
    if (bracket) {
      segments.push(JSON.parse(`"${bracket[1]}"`) as string)
      rest = rest.slice(bracket[0].length)
    } else {
      if (segments.length > 0) {
        if (!rest.startsWith('.')) throw new Error(`The diff path "${path}" is malformed near "${rest}"; expected "." or "[".`)
        rest = rest.slice(1)
      }
      const end = rest.search(/[.[]/)
      const segment = end === -1 ? rest : rest.slice(0, end)
      if (segment === '') throw new Error(`The diff path "${path}" has an empty segment; write empty keys as [""].`)
      segments.push(segment)
      rest = end === -1 ? '' : rest.slice(end)
    }
  }
  return segments
}

/**
 * True when two values are equal as configuration data: same primitives (NaN equals NaN), arrays with equal items
 * in the same order, plain objects with the same keys and equal values.
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b)
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => valuesEqual(item, b[i]))
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keysA = presentKeys(a)
    const keysB = presentKeys(b)
    return keysA.length === keysB.length && keysA.every(key => isPresent(b, key) && valuesEqual(a[key], b[key]))
  }
  return false
}

/** True for `{…}` objects (not arrays, dates, class instances). */
export function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

function collectChanges(at: string[], before: PlainObject, after: PlainObject, out: DiffChange[]): void {
  const keys = [...new Set([...presentKeys(before), ...presentKeys(after)])].sort(compareStrings)
  for (const key of keys) {
    const segments = [...at, key]
    const inBefore = isPresent(before, key)
    const inAfter = isPresent(after, key)
    if (!inAfter) {
      out.push({ path: formatPath(segments), kind: 'removed', before: before[key] })
    } else if (!inBefore) {
      out.push({ path: formatPath(segments), kind: 'added', after: after[key] })
    } else {
      const was = before[key]
      const now = after[key]
      if (isPlainObject(was) && isPlainObject(now)) collectChanges(segments, was, now, out)
      else if (!valuesEqual(was, now)) out.push({ path: formatPath(segments), kind: 'modified', before: was, after: now })
    }
  }
}

// A key set to undefined is absent: the configuration is JSON/YAML data, where undefined cannot be written.
function isPresent(object: PlainObject, key: string): boolean {
  return Object.hasOwn(object, key) && object[key] !== undefined
}

function presentKeys(object: PlainObject): string[] {
  return Object.keys(object).filter(key => object[key] !== undefined)
}

// Code-unit order, not localeCompare: the diff must not depend on the runner's locale.
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function pathsOfKind(changes: readonly DiffChange[], kind: DiffChange['kind']): string[] {
  return changes.filter(change => change.kind === kind).map(change => change.path)
}

/** A flow or queue that the diff adds, removes or modifies. */
export interface ResourceChange {
  /** Resource group, a key of `targetConfig` (`flows`). */
  group: string
  /** Resource name, a key of the group (`main-entry`). */
  name: string
  /** Dotted path of the resource (`flows.main-entry`). */
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

const KIND_ORDER: Record<DiffChange['kind'], number> = { removed: 0, modified: 1, added: 2 }

/**
 * Regroups the diff by resource (`flows.X`, `queues.X`). A whole group that appears or disappears
 * (`flows` removed) counts as each of its resources appearing or disappearing, so that removing every flow at once
 * is seen as the removal of each flow.
 */
export function resourceChanges(diff: Diff): ResourceChanges {
  const byPath = new Map<string, ResourceChange>()
  const other: DiffChange[] = []
  for (const change of diff.changes) {
    const segments = parsePath(change.path)
    if (segments.length === 1) {
      const expanded = expandGroupChange(segments[0], change)
      if (expanded.length === 0) other.push(change)
      for (const resource of expanded) byPath.set(resource.path, resource)
      continue
    }
    const [group, name, ...inside] = segments
    const path = formatPath([group, name])
    if (inside.length === 0) {
      byPath.set(path, { group, name, path, kind: change.kind, before: change.before, after: change.after, inner: [] })
      continue
    }
    const resource = byPath.get(path) ?? { group, name, path, kind: 'modified' as const, inner: [] }
    resource.inner.push({ ...change, path: formatPath(inside) })
    byPath.set(path, resource)
  }
  const resources = [...byPath.values()].sort(
    (a, b) => compareStrings(a.group, b.group) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compareStrings(a.name, b.name)
  )
  return { resources, other }
}

function expandGroupChange(group: string, change: DiffChange): ResourceChange[] {
  const before = isPlainObject(change.before) ? change.before : {}
  const after = isPlainObject(change.after) ? change.after : {}
  const resource = (name: string, kind: DiffChange['kind']): ResourceChange => ({
    group,
    name,
    path: formatPath([group, name]),
    kind,
    ...(kind === 'added' ? { after: after[name] } : { before: before[name] }),
    inner: []
  })
  return [
    ...presentKeys(before)
      .filter(name => !isPresent(after, name))
      .map(name => resource(name, 'removed')),
    ...presentKeys(after)
      .filter(name => !isPresent(before, name))
      .map(name => resource(name, 'added'))
  ]
}
