/**
 * The block structure of the plain YAML reader: one line at a time, a stack of open collections, keys found with
 * `charCodeAt`, and values handed to the scalar and flow readers. What it cannot read exactly as the `yaml`
 * library does, it refuses (see `readPlainYaml`).
 */
import { HASH, LineCursor, SPACE, TAB, isBlank, type ReadStopReason } from './plain-yaml-cursor.js'
import { readBlockScalar } from './plain-yaml-block-scalar.js'
import { readFlowCollection } from './plain-yaml-flow.js'
import { PlainScalarCache } from './plain-yaml-scalar-cache.js'
import { MAX_IMPLICIT_KEY_LENGTH, checkPlainStart, readQuotedScalar, type QuotedScalar } from './plain-yaml-scalars.js'
import { CollectionStack, type Collection, type MappingTexts, type Shape } from './plain-yaml-tree.js'
import type { SourcePositionIndex } from './source-position-index.js'
import { COLON, DASH } from './char-codes.js'

/** The multiplier of the FNV-1a hash the plain scalar cache uses. */
const HASH_PRIME = 0x01000193

/**
 * Characters that start a plain scalar whatever follows (letters, digits, `.`, `/`, `_`, `~`, `(`, and all
 * beyond ASCII): the common case skips the indicator checks.
 */
const PLAIN_STARTS = (() => {
  const table = new Uint8Array(128)
  for (let code = 48; code <= 57; code++) table[code] = 1
  for (let code = 65; code <= 90; code++) table[code] = 1
  for (let code = 97; code <= 122; code++) table[code] = 1
  for (const char of './_~()$+;<=^\\') table[char.charCodeAt(0)] = 1
  return table
})()

function startsPlainScalar(code: number): boolean {
  return code >= 128 ? code !== 0xfeff : PLAIN_STARTS[code] === 1
}

/** Reads the block structure line by line; scalars and flow collections are read by their own modules. */
export class DocumentReader {
  private readonly cursor: LineCursor
  private readonly text: string
  private readonly tree: CollectionStack
  private readonly quoted: QuotedScalar = { value: '', end: 0, multiLine: false }
  private readonly plain = new PlainScalarCache()
  /** A key or `-` at the end of its line, whose value may start on a more indented line. */
  private pending: Collection | undefined
  /** Where the pending value is, should it stay empty (what the library reports for an empty item). */
  private pendingLine = 0
  private pendingColumn = 0
  /** Set by `scanPlain`: what ended the plain scalar it scanned, where its text ends, and that text's hash. */
  private plainEnd: 'key' | 'comment' | 'line' = 'line'
  private plainContentEnd = 0
  private plainHash = 0

  /** The first repeated key found so far. */
  get duplicate(): ReadStopReason | undefined {
    return this.tree.duplicate
  }

  /** `textDepth`: see `CollectionStack`. */
  constructor(text: string, maxDepth: number, recordPositions: boolean, textDepth = 0) {
    this.text = text
    this.cursor = new LineCursor(text)
    this.tree = new CollectionStack(this.cursor, maxDepth, recordPositions, textDepth)
  }

  /**
   * Reads the whole document: its data and, when recording, positions; or the first repeated key. Throws
   * `ReadStop` for what stops reading early.
   */
  read(): { value: unknown; positions: SourcePositionIndex | undefined; mappingTexts: MappingTexts | undefined } | ReadStopReason {
    const { cursor, text, tree } = this
    let startMarkerSeen = false
    let ended = false
    while (!cursor.atEnd) {
      const indent = cursor.indentation()
      const start = cursor.lineStart + indent
      if (indent < 0 || text.charCodeAt(start) === HASH) {
        cursor.nextLine()
        continue
      }
      if (indent === 0 && cursor.startsWithDocumentMarker()) {
        const isStart = text.charCodeAt(start) === DASH
        if (ended || (isStart && (startMarkerSeen || tree.rootStarted))) cursor.fail('multiple documents', start)
        if (isStart) startMarkerSeen = true
        else ended = true
        if (cursor.restIsBlank(start + 3)) cursor.nextLine()
        // `--- value`: a scalar or flow collection may follow the marker, a block collection may not.
        else if (isStart) this.node(cursor.skipSpaces(start + 3), -1, false)
        else cursor.fail('syntax error', start + 3)
        continue
      }
      if (ended) cursor.fail('multiple documents', start)
      // Before the content the library skips a byte order mark (another one, or one on a later line).
      if (!tree.rootStarted && text.charCodeAt(start) === 0xfeff) cursor.fail('syntax error', start)
      // The library reads a byte order mark as part of the first line's indentation for some lines only.
      if (cursor.lineNumber === 1 && cursor.lineStart > 0 && (indent > 0 || this.isSequenceEntry(start))) {
        cursor.fail('syntax error', start)
      }
      if (indent === 0 && text.charCodeAt(start) === 37 && !tree.rootStarted) cursor.fail('directive', start)
      this.line(indent, start)
    }
    this.finishPending()
    tree.finish()
    return tree.duplicate ?? { value: tree.root, positions: tree.positions, mappingTexts: tree.mappingTexts }
  }

  /** A line whose content starts at `start`, `indent` columns in. */
  private line(indent: number, start: number): void {
    const { tree } = this
    const owner = this.pending
    if (owner !== undefined) {
      if (indent > owner.indent) {
        this.pending = undefined
        this.node(start, owner.indent, true)
        return
      }
      if (indent === owner.indent && owner.isMap && this.isSequenceEntry(start)) {
        // `key:` then `- item` at the key's own column: the sequence is the key's value.
        this.pending = undefined
        this.sequenceEntry(this.tree.open(false, start, indent, true), start)
        return
      }
      this.finishPending()
    }
    let top = tree.top
    while (top !== undefined && (top.indent > indent || (top.indentless && top.indent === indent && !this.isSequenceEntry(start)))) {
      tree.close()
      top = tree.top
    }
    if (top === undefined) this.node(start, -1, true)
    else if (top.indent !== indent) this.cursor.fail('syntax error', start)
    else if (top.isMap) this.mapEntry(top, start)
    else if (this.isSequenceEntry(start)) this.sequenceEntry(top, start)
    else this.cursor.fail('syntax error', start)
  }

  /** A `-` followed by a blank or the line's end. */
  private isSequenceEntry(offset: number): boolean {
    if (this.text.charCodeAt(offset) !== DASH) return false
    if (offset + 1 === this.cursor.lineEnd) return true
    const next = this.text.charCodeAt(offset + 1)
    if (next === TAB) this.cursor.fail('tab', offset + 1)
    return next === SPACE
  }

  /** The `-` at `dash` starts an item of `sequence`. */
  private sequenceEntry(sequence: Collection, dash: number): void {
    const cursor = this.cursor
    const after = cursor.skipSpaces(dash + 1)
    if (cursor.restIsBlank(dash + 1)) this.setPending(sequence, after)
    else this.node(after, sequence.indent, true)
  }

  /** A line of `map` (at its column): `key: value`, `key:`, or a quoted key. */
  private mapEntry(map: Collection, start: number): void {
    const { cursor, text } = this
    const code = text.charCodeAt(start)
    if (code === 34 || code === 39) {
      readQuotedScalar(cursor, start, map.indent, this.quoted)
      const colon = cursor.skipSpaces(this.quoted.end)
      if (!this.isKeyIndicator(colon)) cursor.fail('syntax error', colon)
      if (this.quoted.multiLine) cursor.fail('multi-line key', start)
      this.entry(map, this.quoted.value, start, colon, false)
      return
    }
    if (code === 63 || code === 91 || code === 123) cursor.fail('complex key', start)
    if (!startsPlainScalar(code)) checkPlainStart(cursor, start)
    else if (map.matched >= 0 && this.shapedEntry(map, map.shape, map.matched, start)) return
    const end = this.scanPlain(start)
    if (this.plainEnd !== 'key') cursor.fail('syntax error', start)
    this.entry(map, this.plain.resolve(text, start, this.plainContentEnd, this.plainHash), start, end, true)
  }

  /**
   * The key `key` (already read, from `start`; `plain` when written as a plain scalar) of `map`, whose `:` is at
   * `colon`; then its value.
   */
  private entry(map: Collection, key: unknown, start: number, colon: number, plain: boolean): void {
    if (colon - start > MAX_IMPLICIT_KEY_LENGTH - 1) this.cursor.fail('long key', start)
    this.tree.key(map, key, start, plain)
    this.valueAfter(map, colon)
  }

  /**
   * When the line at `start` begins with key `index` of `shape` and its `:`, starts that entry of `map`
   * (opening `map` first when it is undefined) and reads its value; else does nothing and returns false.
   */
  private shapedEntry(map: Collection | undefined, shape: Shape | undefined, index: number, start: number): boolean {
    if (shape === undefined || index >= shape.keys.length) return false
    const { cursor, text } = this
    const key = shape.keys[index]
    const from = shape.starts[index]
    const colon = start + key.length
    if (colon >= cursor.lineEnd || text.charCodeAt(colon) !== COLON) return false
    if (colon + 1 < cursor.lineEnd && text.charCodeAt(colon + 1) !== SPACE) return false
    for (let offset = 0; offset < key.length; offset++) {
      if (text.charCodeAt(start + offset) !== text.charCodeAt(from + offset)) return false
    }
    const target = map ?? this.tree.open(true, start, start - cursor.lineStart)
    this.tree.shapedKey(target, key, start)
    this.valueAfter(target, colon)
    return true
  }

  /** The value of `map`'s current key, whose `:` is at `colon`: on this line, or pending. */
  private valueAfter(map: Collection, colon: number): void {
    const cursor = this.cursor
    const after = cursor.skipSpaces(colon + 1)
    const code = this.text.charCodeAt(after)
    if (after === cursor.lineEnd || (code === HASH && after > colon + 1)) this.setPending(map, after)
    else if (code === TAB) cursor.fail('tab', after)
    else this.node(after, map.indent, false)
  }

  /**
   * A node starting at `start` on the cursor's line, inside a collection at column `parentIndent`. With
   * `allowBlock` (its own line, or after `- `) it may be a block mapping or sequence; after `key: ` it may not.
   */
  private node(start: number, parentIndent: number, allowBlock: boolean): void {
    const { cursor, text, tree, quoted } = this
    // A loop, not recursion: `- - - a` opens one sequence per dash.
    for (;;) {
      const code = text.charCodeAt(start)
      if (startsPlainScalar(code)) {
        this.plainNode(start, parentIndent, allowBlock)
        return
      }
      if (code === DASH && this.isSequenceEntry(start)) {
        if (!allowBlock) cursor.fail('syntax error', start)
        const sequence = tree.open(false, start, start - cursor.lineStart)
        const after = cursor.skipSpaces(start + 1)
        if (cursor.restIsBlank(start + 1)) {
          this.setPending(sequence, after)
          return
        }
        start = after
        parentIndent = sequence.indent
        continue
      }
      if (code === 91 || code === 123) {
        const end = readFlowCollection(cursor, tree, start, parentIndent, quoted)
        const after = cursor.skipSpaces(end)
        if (this.isKeyIndicator(after)) cursor.fail('complex key', start)
        this.finishLine(end)
        return
      }
      const line = cursor.lineNumber
      const column = cursor.column(start)
      if (code === 34 || code === 39) {
        readQuotedScalar(cursor, start, parentIndent, quoted)
        const colon = cursor.skipSpaces(quoted.end)
        if (this.isKeyIndicator(colon)) {
          if (!allowBlock) cursor.fail('syntax error', colon)
          if (quoted.multiLine) cursor.fail('multi-line key', colon)
          this.entry(tree.open(true, start, start - cursor.lineStart), quoted.value, start, colon, false)
          return
        }
        tree.value(quoted.value, line, column)
        this.finishLine(quoted.end)
        return
      }
      if (code === 124 || code === 62) {
        tree.value(readBlockScalar(cursor, start, parentIndent), line, column)
        return
      }
      checkPlainStart(cursor, start)
      this.plainNode(start, parentIndent, allowBlock)
      return
    }
  }

  /** A node that starts with a plain scalar at `start`: a key (then a mapping starts there) or a value. */
  private plainNode(start: number, parentIndent: number, allowBlock: boolean): void {
    const { cursor, text, tree } = this
    if (allowBlock && this.shapedEntry(undefined, tree.nextShape(), 0, start)) return
    const line = cursor.lineNumber
    const column = cursor.column(start)
    const end = this.scanPlain(start)
    if (this.plainEnd === 'key') {
      if (!allowBlock) cursor.fail('syntax error', end)
      const key = this.plain.resolve(text, start, this.plainContentEnd, this.plainHash)
      this.entry(tree.open(true, start, start - cursor.lineStart), key, start, end, true)
      return
    }
    const valueEnd = this.plainContentEnd
    const hash = this.plainHash
    const continues = this.plainEnd === 'line'
    const folded = continues ? this.continuePlain(start, valueEnd, parentIndent) : undefined
    if (!continues) cursor.nextLine()
    tree.value(folded === undefined ? this.plain.resolve(text, start, valueEnd, hash) : folded, line, column)
  }

  /**
   * Scans a plain scalar from `start` to a `:` followed by a blank or the line's end (a key: returns the `:`'s
   * offset), a `#` after a blank (a comment: returns the `#`'s), or the line's end. Sets `plainEnd` to say which, `plainContentEnd`
   * to the end of its text without trailing blanks, and `plainHash` to that text's hash (for the scalar cache).
   */
  private scanPlain(start: number): number {
    const { cursor, text } = this
    const lineEnd = cursor.lineEnd
    let hash = 0
    let contentEnd = start
    let contentHash = 0
    let offset = start
    let end: 'key' | 'comment' | 'line' = 'line'
    for (; offset < lineEnd; offset++) {
      const code = text.charCodeAt(offset)
      hash = Math.imul(hash ^ code, HASH_PRIME)
      if (code > COLON) {
        contentEnd = offset + 1
        contentHash = hash
        continue
      }
      if (code === COLON) {
        const next = offset + 1 < lineEnd ? text.charCodeAt(offset + 1) : SPACE
        if (next === SPACE || next === TAB) {
          end = 'key'
          break
        }
      } else if (code === HASH) {
        if (isBlank(text.charCodeAt(offset - 1))) {
          end = 'comment'
          break
        }
      } else if (code === SPACE || code === TAB) {
        // Tabs are content inside a plain scalar (`a\tb`), and neither ends it.
        continue
      } else if (code < SPACE) {
        cursor.fail('syntax error', offset)
      }
      contentEnd = offset + 1
      contentHash = hash
    }
    this.plainEnd = end
    this.plainContentEnd = contentEnd
    this.plainHash = contentHash
    return offset
  }

  /**
   * Folds the lines that continue the plain scalar `text[start, end)` (indented beyond `parentIndent`, not
   * comments) into it: a line break becomes a space, or one newline per empty line between. Returns the folded
   * text, or undefined when no line continues it. Leaves the cursor on the first line after the scalar.
   */
  private continuePlain(start: number, end: number, parentIndent: number): string | undefined {
    const { cursor, text } = this
    let value: string | undefined
    cursor.nextLine()
    for (;;) {
      let emptyLines = 0
      let indent = cursor.atEnd ? -1 : cursor.indentation()
      while (indent < 0 && !cursor.atEnd) {
        emptyLines++
        cursor.nextLine()
        indent = cursor.atEnd ? -1 : cursor.indentation()
      }
      if (indent < 0 || indent <= parentIndent) return value
      const lineStart = cursor.lineStart + indent
      if (text.charCodeAt(lineStart) === HASH) return value
      if (indent === 0 && cursor.startsWithDocumentMarker()) return value
      // Indicators are text here (`a\n  - b` is "a - b"), except a `:` that would start a key.
      if (this.isKeyIndicator(lineStart)) cursor.fail('syntax error', lineStart)
      this.scanPlain(lineStart)
      if (this.plainEnd === 'key') cursor.fail('multi-line key', lineStart)
      const piece = text.slice(lineStart, this.plainContentEnd)
      value ??= text.slice(start, end)
      value += emptyLines === 0 ? ' ' + piece : '\n'.repeat(emptyLines) + piece
      cursor.nextLine()
      if (this.plainEnd === 'comment') return value
    }
  }

  /** A `:` at `offset` followed by a blank or the line's end. */
  private isKeyIndicator(offset: number): boolean {
    if (offset >= this.cursor.lineEnd || this.text.charCodeAt(offset) !== COLON) return false
    if (offset + 1 === this.cursor.lineEnd) return true
    const next = this.text.charCodeAt(offset + 1)
    if (next === TAB) this.cursor.fail('tab', offset + 1)
    return next === SPACE
  }

  /** Only blanks and a comment may follow `offset`; then moves to the next line. */
  private finishLine(offset: number): void {
    if (!this.cursor.restIsBlank(offset)) this.cursor.fail('syntax error', this.cursor.skipSpaces(offset))
    this.cursor.nextLine()
  }

  /** The value of `owner`'s key or item may start on a later line; `offset` is where it would be if empty. */
  private setPending(owner: Collection, offset: number): void {
    this.pending = owner
    this.pendingLine = this.cursor.lineNumber
    this.pendingColumn = this.cursor.column(offset)
    this.cursor.nextLine()
  }

  /** No more indented line came: the pending value is empty (null). */
  private finishPending(): void {
    if (this.pending === undefined) return
    this.pending = undefined
    this.tree.value(null, this.pendingLine, this.pendingColumn)
  }
}
