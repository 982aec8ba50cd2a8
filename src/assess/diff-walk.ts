/**
 * The changes inside one resource: its two values walked side by side, mappings key by key and lists item by item
 * where their items have an identity (see list-identity.ts). Built for large configurations: values are compared
 * where they are, primitives with `===`, and a path is only written out for a difference.
 */
import { isPlainObject, keyCount, listsEqual, valuesEqual } from './config-values.js'
import { comparePaths, itemSegment, type PathSegment } from './diff-path.js'
import { identifyListItems, type ListItem } from './list-identity.js'

type Mapping = Record<string, unknown>

/** One change inside a resource, at a path relative to it. */
export interface InnerChange {
  segments: PathSegment[]
  kind: 'added' | 'removed' | 'modified'
  /** The value before (absent for `added`). */
  before?: unknown
  /** The value after (absent for `removed`). */
  after?: unknown
}

/**
 * Walks two values and lists their differences. One walker serves a whole diff: `compareMappings` starts afresh
 * each time.
 */
export class ResourceWalker {
  /** Path of the value being compared, relative to the resource; pushed and popped, never copied until a change. */
  private readonly path: PathSegment[] = []
  private found: InnerChange[] = []

  /**
   * The changes between two mappings, in path order (segment by segment, whatever the key order of the inputs):
   * a key on one side only is one `added` / `removed` change with its whole value; values that are both mappings
   * are compared key by key, lists as described at `compareLists`, anything else as a whole value (`modified`).
   */
  compareMappings(before: Mapping, after: Mapping): readonly InnerChange[] {
    this.mappings(before, after)
    const found = this.found
    // Most resources do not change: the empty list is kept for the next one rather than allocated for each.
    if (found.length === 0) return found
    this.found = []
    // Only the differences are sorted: the keys themselves are visited in whatever order the inputs hold them.
    if (found.length > 1) found.sort((a, b) => comparePaths(a.segments, b.segments))
    return found
  }

  private mappings(before: Mapping, after: Mapping): void {
    let matched = 0
    for (const key in before) {
      if (!Object.hasOwn(before, key)) continue
      const was = before[key]
      if (was === undefined) continue
      const now = after[key]
      if (now === undefined || ((typeof now === 'object' || typeof now === 'function') && !Object.hasOwn(after, key))) {
        this.record(key, 'removed', was, undefined)
        continue
      }
      matched++
      if (was !== now) this.values(key, was, now)
    }
    // `after` holds a key `before` lacks only if it has more keys than were matched: counting them reads no value.
    if (keyCount(after) === matched) return
    for (const key in after) {
      if (!Object.hasOwn(after, key)) continue
      const now = after[key]
      if (now === undefined) continue
      const was = before[key]
      if (was === undefined || ((typeof was === 'object' || typeof was === 'function') && !Object.hasOwn(before, key))) {
        this.record(key, 'added', undefined, now)
      }
    }
  }

  private values(segment: PathSegment, was: unknown, now: unknown): void {
    if (typeof was === 'object' && typeof now === 'object' && was !== null && now !== null) {
      if (Array.isArray(was) && Array.isArray(now)) {
        this.path.push(segment)
        this.compareLists(was, now)
        this.path.pop()
        return
      }
      if (isPlainObject(was) && isPlainObject(now)) {
        this.path.push(segment)
        this.mappings(was, now)
        this.path.pop()
        return
      }
    }
    if (!valuesEqual(was, now)) this.record(segment, 'modified', was, now)
  }

  /**
   * Two lists at the current path. Lists whose items carry an identity are compared item by item: an item on one
   * side only is `added` / `removed` (`actions[Greeting]`), an item on both is compared inside (a one-key item such
   * as `- transferToAcd: {…}` through that key, which the path leaves out), and an item whose one key changed
   * (`playAudio` → `playAudioOnSilence`) is `modified` as a whole. A move alone is no change inside the items, but
   * order is behaviour in a flow (actions run in sequence), so when the items both sides share are in another
   * order the list itself is one `modified` change, with each side's identities in order as before and after.
   * Other lists are one `modified` change with both whole lists.
   */
  private compareLists(before: unknown[], after: unknown[]): void {
    if (listsEqual(before, after)) return
    const list = identifyListItems(before, after)
    if (list === undefined) {
      this.recordHere('modified', before, after)
      return
    }
    let previousPosition = -1
    let reordered = false
    for (let index = 0; index < list.before.length; index++) {
      const item = list.before[index]
      const position = list.afterIndex.get(item.identity)
      if (position === undefined) {
        this.record(itemSegment(item.identity), 'removed', before[index], undefined)
        continue
      }
      if (position < previousPosition) reordered = true
      previousPosition = position
      this.items(item, list.after[position], before[index], after[position])
    }
    for (let position = 0; position < list.after.length; position++) {
      const identity = list.after[position].identity
      if (!list.beforeIndex.has(identity)) this.record(itemSegment(identity), 'added', undefined, after[position])
    }
    if (reordered) {
      this.recordHere(
        'modified',
        list.before.map(item => item.identity),
        list.after.map(item => item.identity)
      )
    }
  }

  private items(was: ListItem, now: ListItem, wasValue: unknown, nowValue: unknown): void {
    const segment = itemSegment(was.identity)
    if (was.wrapperKey !== now.wrapperKey) {
      this.record(segment, 'modified', wasValue, nowValue)
      return
    }
    this.path.push(segment)
    this.mappings(was.body, now.body)
    this.path.pop()
  }

  /** A change of the value under `segment` at the current path. */
  private record(segment: PathSegment, kind: InnerChange['kind'], before: unknown, after: unknown): void {
    const segments = [...this.path, segment]
    this.found.push(changeAt(segments, kind, before, after))
  }

  /** A change of the value at the current path itself (a list replaced or reordered). */
  private recordHere(kind: InnerChange['kind'], before: unknown, after: unknown): void {
    this.found.push(changeAt([...this.path], kind, before, after))
  }
}

// Only the sides that exist: an added value has no `before` key at all, as the output has always been.
function changeAt(segments: PathSegment[], kind: InnerChange['kind'], before: unknown, after: unknown): InnerChange {
  if (kind === 'added') return { segments, kind, after }
  if (kind === 'removed') return { segments, kind, before }
  return { segments, kind, before, after }
}
