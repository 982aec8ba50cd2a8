/**
 * The collections the plain YAML reader is inside, innermost last, and the data they build. Keeps the limits
 * the reader promises: nesting never beyond `maxDepth` (checked when a collection opens, so the stack itself
 * stays bounded), a repeated key found with one property look-up, and the position of every key and item.
 */
import type { SourcePosition } from './bundle.js'
import { ReadStop, type LineCursor, type ReadStopReason } from './plain-yaml-cursor.js'

/** One open mapping or sequence. */
export interface Collection {
  readonly isMap: boolean
  readonly container: Record<string, unknown> | unknown[]
  /** Block collections: the column (0-based) of their keys or `-`; flow collections: -1. */
  readonly indent: number
  /** A block sequence at the same column as the keys of the mapping it belongs to (`key:\n- a`). */
  readonly indentless: boolean
  /** Its key (as positions spell it) or index in the enclosing collection; unused for the top level. */
  readonly segment: string | number
  /** Dotted path of the collection for positions; undefined at the top level and when positions are off. */
  readonly path: string | undefined
  /** Mappings: the data key whose value comes next. */
  key: string
  /** Mappings: the key as positions and paths spell it (`String` of the resolved scalar). */
  keySegment: string
  /** Mappings: keys that resolved to something other than a string (`1`, `true`, `null`), by data key. */
  typedKeys: Map<string, unknown> | undefined
}

/** Builds the data of one document. */
export class CollectionStack {
  private readonly frames: Collection[] = []
  /** The document's top-level value. */
  root: unknown = null
  /** True once the top-level node has started. */
  rootStarted = false
  /** The first repeated key; reading goes on, so that anything else unusual later is still noticed. */
  duplicate: ReadStopReason | undefined
  /** Positions by dotted path, when asked for. */
  readonly positions: Map<string, SourcePosition> | undefined

  constructor(
    private readonly cursor: LineCursor,
    private readonly maxDepth: number,
    recordPositions: boolean
  ) {
    this.positions = recordPositions ? new Map() : undefined
  }

  /** Number of open collections. */
  get depth(): number {
    return this.frames.length
  }

  /** The innermost open collection. */
  get top(): Collection | undefined {
    return this.frames[this.frames.length - 1]
  }

  /**
   * Opens a collection that starts at `offset` of the cursor's line as the next value of the innermost one (or
   * as the document). Stops with `too-deep` when that nests it beyond the limit.
   */
  open(isMap: boolean, offset: number, indent: number, indentless = false): Collection {
    const depth = this.frames.length + 1
    if (depth > this.maxDepth) {
      const { lineNumber: line } = this.cursor
      throw new ReadStop({ kind: 'too-deep', line, column: this.cursor.column(offset), depth })
    }
    const container: Record<string, unknown> | unknown[] = isMap ? {} : []
    const parent = this.top
    let segment: string | number = ''
    let path: string | undefined
    if (parent === undefined) {
      this.startRoot(offset)
      this.root = container
    } else if (parent.isMap) {
      segment = parent.keySegment
      ;(parent.container as Record<string, unknown>)[parent.key] = container
      if (this.positions) path = joinPath(parent.path, segment)
    } else {
      const items = parent.container as unknown[]
      segment = items.length
      items.push(container)
      if (this.positions) path = this.recordItem(parent, segment, this.cursor.lineNumber, this.cursor.column(offset))
    }
    const frame: Collection = {
      isMap,
      container,
      indent,
      indentless,
      segment,
      path,
      key: '',
      keySegment: '',
      typedKeys: undefined
    }
    this.frames.push(frame)
    return frame
  }

  /** Closes the innermost collection. */
  close(): void {
    this.frames.pop()
  }

  /**
   * Sets the next value of the innermost collection (or the document) to a scalar that starts at `line`,
   * `column`. The position matters only for sequence items.
   */
  value(value: unknown, line: number, column: number): void {
    const parent = this.top
    if (parent === undefined) {
      if (this.rootStarted) throw new ReadStop({ kind: 'unsupported', line, column, construct: 'syntax error' })
      this.rootStarted = true
      this.root = value
    } else if (parent.isMap) {
      ;(parent.container as Record<string, unknown>)[parent.key] = value
    } else {
      const items = parent.container as unknown[]
      if (this.positions) this.recordItem(parent, items.length, line, column)
      items.push(value)
    }
  }

  /**
   * Starts the entry of key `resolved` (the scalar as the core schema resolves it) in `map`, at `offset` of the
   * cursor's line. A key already in the mapping, found with one property look-up, is remembered as `duplicate`
   * (the first one only).
   */
  key(map: Collection, resolved: unknown, offset: number): void {
    const dataKey = typeof resolved === 'string' ? resolved : resolved === null ? '' : String(resolved)
    // The YAML library's conversion to plain objects names a null key '' but its positions say 'null'.
    const keySegment = typeof resolved === 'string' ? resolved : String(resolved)
    const container = map.container as Record<string, unknown>
    if (dataKey === '__proto__') this.cursor.fail('__proto__ key', offset)
    if (container[dataKey] !== undefined && Object.hasOwn(container, dataKey)) {
      this.repeatedKey(map, dataKey, keySegment, resolved, offset)
    }
    if (typeof resolved !== 'string') (map.typedKeys ??= new Map()).set(dataKey, resolved)
    map.key = dataKey
    map.keySegment = keySegment
    if (this.positions) {
      const path = joinPath(map.path, keySegment)
      if (!this.positions.has(path)) this.positions.set(path, this.cursor.position(offset))
    }
  }

  /**
   * A key whose text is already in the mapping: a duplicate when the two resolve to the same value (what the
   * YAML library compares); when they differ (`1` and `"1"`), the library silently keeps the last one, which
   * only it can reproduce exactly.
   */
  private repeatedKey(map: Collection, dataKey: string, keySegment: string, resolved: unknown, offset: number): void {
    const earlier = map.typedKeys?.has(dataKey) ? map.typedKeys.get(dataKey) : dataKey
    if (earlier !== resolved) this.cursor.fail('keys equal only as text', offset)
    if (this.duplicate !== undefined) return
    const path: (string | number)[] = this.frames.slice(1).map(frame => frame.segment)
    path.push(keySegment)
    this.duplicate = { kind: 'duplicate-key', path, line: this.cursor.lineNumber, column: this.cursor.column(offset) }
  }

  private startRoot(offset: number): void {
    if (this.rootStarted) this.cursor.fail('syntax error', offset)
    this.rootStarted = true
  }

  private recordItem(sequence: Collection, index: number, line: number, column: number): string {
    const path = joinPath(sequence.path, String(index))
    const positions = this.positions as Map<string, SourcePosition>
    if (!positions.has(path)) positions.set(path, { line, column })
    return path
  }
}

/** Dotted path of `segment` inside `parent` (undefined for the top level), as the loader spells positions. */
function joinPath(parent: string | undefined, segment: string): string {
  return parent === undefined ? segment : parent + '.' + segment
}
