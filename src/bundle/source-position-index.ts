/**
 * Source positions of every key and item of a document, by dotted path (`targetConfig.flows.main.file`,
 * `list.0`), recorded cheaply. A 10,000-flow manifest has a quarter of a million keys and items; writing each
 * path out as a string in a Map costs several times the parse itself, while a lookup is needed only for the few
 * paths a finding points at. So the positions are recorded as a tree of segments, a lookup walks it, and the
 * dotted strings are written out only when the whole set is asked for.
 */
import type { SourcePosition } from './bundle.js'

/**
 * Positions by dotted path (segments joined with `.`, as the loader spells them); the first occurrence of a
 * path in the document wins. Filled with `add` while a document is read.
 */
export class SourcePositionIndex {
  // Per entry, by id + 1 (slot 0 is the document itself): its segment, position and parent's slot. Numbers go
  // in typed arrays that double when full: a quarter of a million entries then cost no garbage to collect.
  readonly #segments: (string | number)[] = ['']
  #lines = new Int32Array(1024)
  #columns = new Int32Array(1024)
  #parents = new Int32Array(1024).fill(-1, 0, 1)
  /** Children by parent slot, built at the first lookup: `#children[#childStarts[slot] ...]`. */
  #childStarts: Int32Array | undefined
  #children: Int32Array | undefined
  /** Children of an entry by segment (first occurrence), built when a lookup first passes through it. */
  readonly #childIndexes = new Map<number, Map<string, number>>()
  #all: Map<string, SourcePosition> | undefined

  /**
   * Records the key or item `segment` (an index for a sequence item) inside the collection that is the value of
   * entry `parent` (-1: the document's top level), at `line`, `column`. Returns its entry id, the `parent` of
   * what its value holds.
   */
  add(parent: number, segment: string | number, line: number, column: number): number {
    const slot = this.#segments.length
    if (slot === this.#lines.length) this.#grow()
    this.#segments.push(segment)
    this.#lines[slot] = line
    this.#columns[slot] = column
    this.#parents[slot] = parent + 1
    this.#childStarts = undefined
    return slot - 1
  }

  /** The position of the key or item at `path`, or undefined when the document has none. */
  get(path: string): SourcePosition | undefined {
    const slot = this.#find(0, path, 0)
    return slot < 0 ? undefined : { line: this.#lines[slot], column: this.#columns[slot] }
  }

  /** True when the document has a key or item at `path`. */
  has(path: string): boolean {
    return this.#find(0, path, 0) >= 0
  }

  /** Every path and its position, in document order. Writes every path out: costly for a large document. */
  toMap(): Map<string, SourcePosition> {
    if (this.#all !== undefined) return new Map(this.#all)
    const all = new Map<string, SourcePosition>()
    const paths: string[] = ['']
    for (let slot = 1; slot < this.#segments.length; slot++) {
      const parent = this.#parents[slot]
      const segment = String(this.#segments[slot])
      const path = parent === 0 ? segment : paths[parent] + '.' + segment
      paths.push(path)
      if (!all.has(path)) all.set(path, { line: this.#lines[slot], column: this.#columns[slot] })
    }
    this.#all = all
    return new Map(all)
  }

  /** `toMap` as a plain object (own properties only), the form the loader's positions take. */
  toRecord(): Record<string, SourcePosition> {
    return Object.fromEntries(this.toMap())
  }

  /**
   * The earliest entry under `slot` whose path, relative to it, is `path` from `from` on; -1 when none. Keys may
   * contain dots, so every dot is tried as a boundary.
   */
  #find(slot: number, path: string, from: number): number {
    const index = this.#childIndex(slot)
    let best = index.get(from === 0 ? path : path.slice(from)) ?? -1
    for (let dot = path.indexOf('.', from); dot >= 0; dot = path.indexOf('.', dot + 1)) {
      const child = index.get(path.slice(from, dot))
      if (child === undefined) continue
      const found = this.#find(child, path, dot + 1)
      if (found >= 0 && (best < 0 || found < best)) best = found
    }
    return best
  }

  #childIndex(slot: number): Map<string, number> {
    let index = this.#childIndexes.get(slot)
    if (index === undefined) {
      if (this.#childStarts === undefined) this.#linkChildren()
      const starts = this.#childStarts as Int32Array
      const children = this.#children as Int32Array
      index = new Map()
      for (let at = starts[slot]; at < starts[slot + 1]; at++) {
        const child = children[at]
        const segment = String(this.#segments[child])
        if (!index.has(segment)) index.set(segment, child)
      }
      this.#childIndexes.set(slot, index)
    }
    return index
  }

  /** Lists each slot's children in document order (a counting sort by parent). */
  #linkChildren(): void {
    const count = this.#segments.length
    const starts = new Int32Array(count + 1)
    for (let slot = 1; slot < count; slot++) starts[this.#parents[slot] + 1]++
    for (let slot = 0; slot < count; slot++) starts[slot + 1] += starts[slot]
    const children = new Int32Array(Math.max(count - 1, 0))
    const next = starts.slice(0, count)
    for (let slot = 1; slot < count; slot++) children[next[this.#parents[slot]]++] = slot
    this.#childStarts = starts
    this.#children = children
    this.#childIndexes.clear()
  }

  #grow(): void {
    const grown = (array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const larger = new Int32Array(array.length * 2)
      larger.set(array)
      return larger
    }
    this.#lines = grown(this.#lines)
    this.#columns = grown(this.#columns)
    this.#parents = grown(this.#parents)
  }
}
