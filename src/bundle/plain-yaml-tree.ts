/**
 * The collections the plain YAML reader is inside, innermost last, and the data they build. Keeps the limits
 * the reader promises: nesting never beyond `maxDepth` (checked when a collection opens, so the stack itself
 * stays bounded), a repeated key found with one property look-up, and the position of every key and item.
 *
 * Configuration repeats the same mapping layout thousands of times (every flow has `version`, `file`, ...), so
 * each mapping also remembers its keys as a `Shape` for the next mapping in the same place. A mapping whose keys
 * come in the order of its shape needs no look-up to know they are distinct, and the reader can recognise such
 * a key by comparing characters, without cutting and hashing it.
 */
import { ReadStop, type LineCursor, type ReadStopReason } from './plain-yaml-cursor.js'
import { SourcePositionIndex } from './source-position-index.js'

/**
 * One open mapping or sequence. The objects are reused for the next collection at the same depth once this one
 * closes (a document opens tens of thousands), so nothing may keep one past its `close`.
 */
export interface Collection {
  isMap: boolean
  container: Record<string, unknown> | unknown[]
  /** Block collections: the column (0-based) of their keys or `-`; flow collections: -1. */
  indent: number
  /** A block sequence at the same column as the keys of the mapping it belongs to (`key:\n- a`). */
  indentless: boolean
  /** Its key (as positions spell it) or index in the enclosing collection; unused for the top level. */
  segment: string | number
  /** Its entry in the positions (-1 at the top level and when positions are off). */
  entry: number
  /** Mappings: the data key whose value comes next. */
  key: string
  /** Mappings: the key as positions and paths spell it (`String` of the resolved scalar). */
  keySegment: string
  /** Mappings: the current key's entry in the positions. */
  keyEntry: number
  /** Mappings: keys that resolved to something other than a string (`1`, `true`, `null`), by data key. */
  typedKeys: Map<string, unknown> | undefined
  /** Mappings: the shape the keys have followed so far, if any. */
  shape: Shape | undefined
  /** Mappings: how many keys followed `shape`; -1 once one did not (or without a shape). */
  matched: number
  /** Mappings that left their shape: their keys so far, for the next shape; undefined when they cannot be one. */
  keys: string[] | undefined
  /** Where each of `keys` is written in the text. */
  keyStarts: number[] | undefined
  /** The shape for the next mapping opened inside, when no shape of this one says. */
  childShape: Shape | undefined
  /** Block mappings whose text is kept (see `MappingTexts`): where their first line starts; else -1. */
  textStart: number
}

/**
 * Block mappings of the document with the text they were read from: from the start of the line of their first key
 * (its indentation included) to the start of the line that closed them, or the end of the text. The reader refuses
 * anchors, aliases and tags, so nothing outside that text decides the mapping's value: two mappings read from equal
 * texts are equal. Only mappings whose first key is the first thing on its line, and only down to a depth.
 */
export interface MappingTexts {
  values: Record<string, unknown>[]
  texts: string[]
}

/** The keys of a mapping in order, for the next mapping in the same place. */
export interface Shape {
  /** Distinct keys, each written as plain text that is the key itself. */
  readonly keys: readonly string[]
  /**
   * Where each key is written in the text: recognising a key compares the text with itself there, which is
   * faster than comparing it with the key, a string the engine may hold as a slice of another.
   */
  readonly starts: readonly number[]
  /** The shapes of the mappings found as the value of each key, by index. */
  readonly children: (Shape | undefined)[]
}

/** Builds the data of one document. */
export class CollectionStack {
  /** The open collections are the first `count`; the rest wait to be reused. */
  private readonly frames: Collection[] = []
  private count = 0
  /** The document's top-level value. */
  root: unknown = null
  /** True once the top-level node has started. */
  rootStarted = false
  /** The first repeated key; reading goes on, so that anything else unusual later is still noticed. */
  duplicate: ReadStopReason | undefined
  /** Positions by dotted path, when asked for. */
  readonly positions: SourcePositionIndex | undefined
  /** The texts of block mappings down to `textDepth`, when asked for. */
  readonly mappingTexts: MappingTexts | undefined

  /** `textDepth`: keep the text of block mappings at this depth or less (the top level is 1); 0 keeps none. */
  constructor(
    private readonly cursor: LineCursor,
    private readonly maxDepth: number,
    recordPositions: boolean,
    private readonly textDepth = 0
  ) {
    this.positions = recordPositions ? new SourcePositionIndex() : undefined
    this.mappingTexts = textDepth > 0 ? { values: [], texts: [] } : undefined
  }

  /** Number of open collections. */
  get depth(): number {
    return this.count
  }

  /** The innermost open collection. */
  get top(): Collection | undefined {
    return this.count === 0 ? undefined : this.frames[this.count - 1]
  }

  /**
   * Opens a collection that starts at `offset` of the cursor's line as the next value of the innermost one (or
   * as the document). Stops with `too-deep` when that nests it beyond the limit.
   */
  open(isMap: boolean, offset: number, indent: number, indentless = false): Collection {
    const depth = this.count + 1
    if (depth > this.maxDepth) {
      const { lineNumber: line } = this.cursor
      throw new ReadStop({ kind: 'too-deep', line, column: this.cursor.column(offset), depth })
    }
    const container: Record<string, unknown> | unknown[] = isMap ? {} : []
    const parent = this.top
    let segment: string | number = ''
    let entry = -1
    if (parent === undefined) {
      this.startRoot(offset)
      this.root = container
    } else if (parent.isMap) {
      segment = parent.keySegment
      ;(parent.container as Record<string, unknown>)[parent.key] = container
      entry = parent.keyEntry
    } else {
      const items = parent.container as unknown[]
      segment = items.length
      items.push(container)
      if (this.positions) entry = this.positions.add(parent.entry, segment, this.cursor.lineNumber, this.cursor.column(offset))
    }
    const shape = isMap ? this.nextShape() : undefined
    let frame = this.frames[this.count]
    if (frame === undefined) {
      frame = {
        isMap,
        container,
        indent,
        indentless,
        segment,
        entry,
        key: '',
        keySegment: '',
        keyEntry: -1,
        typedKeys: undefined,
        shape: undefined,
        matched: -1,
        keys: undefined,
        keyStarts: undefined,
        childShape: undefined,
        textStart: -1
      }
      this.frames.push(frame)
    } else {
      frame.isMap = isMap
      frame.container = container
      frame.indent = indent
      frame.indentless = indentless
      frame.segment = segment
      frame.entry = entry
      frame.key = ''
      frame.keySegment = ''
      frame.typedKeys = undefined
      frame.childShape = undefined
    }
    frame.shape = shape
    frame.matched = shape === undefined ? -1 : 0
    frame.keys = isMap && shape === undefined ? [] : undefined
    frame.keyStarts = isMap && shape === undefined ? [] : undefined
    frame.textStart = isMap && indent >= 0 && depth <= this.textDepth && this.startsItsLine(offset) ? this.cursor.lineStart : -1
    this.count++
    return frame
  }

  /** True when only spaces come before `offset` on the cursor's line. */
  private startsItsLine(offset: number): boolean {
    return this.cursor.indentation() === offset - this.cursor.lineStart
  }

  /** Keeps the text of a block mapping that closes at `end`, when it is one whose text is kept. */
  private keepText(frame: Collection, end: number): void {
    if (frame.textStart < 0) return
    this.mappingTexts!.values.push(frame.container as Record<string, unknown>)
    this.mappingTexts!.texts.push(this.cursor.text.slice(frame.textStart, end))
  }

  /** The document has ended: the collections still open end with the text. */
  finish(): void {
    for (let index = this.count - 1; index >= 0; index--) this.keepText(this.frames[index], this.cursor.text.length)
  }

  /** The shape a mapping opened now (as the next value of the innermost collection) follows. */
  nextShape(): Shape | undefined {
    const parent = this.top
    if (parent === undefined) return undefined
    return parent.matched > 0 ? parent.shape!.children[parent.matched - 1] : parent.childShape
  }

  /** Closes the innermost collection; a mapping leaves its shape for the next one in the same place. */
  close(): void {
    const frame = this.frames[--this.count]
    // Block collections close when a line less indented starts: the cursor is at that line.
    this.keepText(frame, this.cursor.lineStart)
    const parent = this.top
    if (!frame.isMap || parent === undefined || this.duplicate !== undefined) return
    let shape: Shape
    if (frame.matched >= 0) {
      if (frame.matched === frame.shape!.keys.length) return
      const { keys, starts } = frame.shape!
      shape = { keys: keys.slice(0, frame.matched), starts: starts.slice(0, frame.matched), children: [] }
    } else if (frame.keys !== undefined) {
      shape = { keys: frame.keys, starts: frame.keyStarts!, children: [] }
    } else {
      return
    }
    if (parent.matched > 0) parent.shape!.children[parent.matched - 1] = shape
    else parent.childShape = shape
  }

  /** Starts the entry of `key`, the key `map`'s shape expects next, at `offset` of the cursor's line. */
  shapedKey(map: Collection, key: string, offset: number): void {
    map.matched++
    map.key = key
    map.keySegment = key
    if (this.positions) map.keyEntry = this.positions.add(map.entry, key, this.cursor.lineNumber, this.cursor.column(offset))
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
      if (this.positions) this.positions.add(parent.entry, items.length, line, column)
      items.push(value)
    }
  }

  /**
   * Starts the entry of key `resolved` (the scalar as the core schema resolves it; `plain` when it was written
   * as a plain scalar) in `map`, at `offset` of the cursor's line. A key already in the mapping, found with one property look-up, is remembered as `duplicate`
   * (the first one only).
   */
  key(map: Collection, resolved: unknown, offset: number, plain: boolean): void {
    if (map.matched >= 0) {
      if (plain && resolved === map.shape!.keys[map.matched]) {
        this.shapedKey(map, resolved, offset)
        return
      }
      map.keys = map.shape!.keys.slice(0, map.matched)
      map.keyStarts = map.shape!.starts.slice(0, map.matched)
      map.matched = -1
    }
    // Only plain keys that are their own text can be part of a shape.
    if (map.keys !== undefined) {
      if (plain && typeof resolved === 'string') {
        map.keys.push(resolved)
        map.keyStarts!.push(offset)
      } else {
        map.keys = undefined
      }
    }
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
    if (this.positions) map.keyEntry = this.positions.add(map.entry, keySegment, this.cursor.lineNumber, this.cursor.column(offset))
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
    const path: (string | number)[] = this.frames.slice(1, this.count).map(frame => frame.segment)
    path.push(keySegment)
    this.duplicate = { kind: 'duplicate-key', path, line: this.cursor.lineNumber, column: this.cursor.column(offset) }
  }

  private startRoot(offset: number): void {
    if (this.rootStarted) this.cursor.fail('syntax error', offset)
    this.rootStarted = true
  }
}
