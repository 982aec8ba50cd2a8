/**
 * The line cursor the plain YAML reader walks the text with, and the way any part of the reader stops early
 * (an unsupported construct, a repeated key, too much nesting): by throwing a `ReadStop` that the entry point
 * turns into its result. Works on line boundaries and `charCodeAt`, never on per-character regular expressions.
 */
import { HASH, SPACE, TAB } from './char-codes.js'
import type { SourcePosition } from './bundle.js'

/** A construct the fast reader leaves to the full YAML library (see `PlainYamlResult`). */
export type PlainYamlConstruct =
  | 'anchor'
  | 'alias'
  | 'tag'
  | 'directive'
  | 'complex key'
  | 'empty key'
  | 'multi-line key'
  | 'long key'
  | '__proto__ key'
  | 'keys equal only as text'
  | 'multiple documents'
  | 'tab'
  | 'lone carriage return'
  | 'quoted scalar form'
  | 'block scalar form'
  | 'flow form'
  | 'syntax error'

/** A key that appears twice in one mapping (or JSON object). Line and column are 1-based. */
export interface DuplicateKeyFound {
  kind: 'duplicate-key'
  /** Path of the repeated key: the keys and item indexes leading to it, then the key itself. */
  path: (string | number)[]
  /** Where the second occurrence of the key starts. */
  line: number
  column: number
}

/** Nesting beyond the limit. Line and column are 1-based. */
export interface NestingTooDeep {
  kind: 'too-deep'
  /** Where the collection that goes beyond `maxDepth` starts. */
  line: number
  column: number
  /** Its depth: `maxDepth + 1` (the top-level collection is depth 1). */
  depth: number
}

/** Something the fast reader leaves to the `yaml` library, which gives the exact data or error. */
export interface UnsupportedConstruct {
  kind: 'unsupported'
  /** Where the construct was found (1-based). */
  line: number
  column: number
  construct: PlainYamlConstruct
}

/** Why reading stopped before the end: each becomes a `PlainYamlResult` of the same kind. */
export type ReadStopReason = DuplicateKeyFound | NestingTooDeep | UnsupportedConstruct

/** Thrown to stop reading; not an Error, so no stack trace is captured for what is an ordinary outcome. */
export class ReadStop {
  constructor(readonly reason: ReadStopReason) {}
}

export { HASH, SPACE, TAB }

/**
 * The current line of the text: where it starts, where its content ends (before `\r\n` or `\n`) and where the
 * next one starts. Offsets are into the whole text; columns reported outside are 1-based and count a leading
 * byte order mark, as the YAML library's line counter does.
 */
export class LineCursor {
  readonly text: string
  /** 1-based number of the current line. */
  lineNumber = 1
  /** Offset of the current line's first character (after a byte order mark on line 1). */
  lineStart = 0
  /** Offset just past the current line's content. */
  lineEnd = 0
  /** Offset of the next line's first character; past the text's end when there is none. */
  nextStart = 0
  /** The line whose indentation was last computed, and that indentation. */
  private indentationOf = -1
  private lastIndentation = -1
  /** 1 when line 1 starts with a byte order mark, which still counts as a column. */
  private readonly firstLineShift: number

  constructor(text: string) {
    this.text = text
    this.firstLineShift = text.charCodeAt(0) === 0xfeff ? 1 : 0
    this.moveTo(this.firstLineShift, 1)
  }

  /** True once every line has been read (a final line break does not start another line). */
  get atEnd(): boolean {
    return this.lineStart >= this.text.length
  }

  /** Makes the line starting at `start` (line number `lineNumber`) current. */
  moveTo(start: number, lineNumber: number): void {
    const text = this.text
    this.lineStart = start
    this.lineNumber = lineNumber
    if (start > text.length) {
      this.lineEnd = start
      this.nextStart = start
      return
    }
    const newline = text.indexOf('\n', start)
    if (newline < 0) {
      this.lineEnd = text.length
      this.nextStart = text.length + 1
    } else {
      this.lineEnd = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline
      this.nextStart = newline + 1
    }
  }

  nextLine(): void {
    this.moveTo(this.nextStart, this.lineNumber + 1)
  }

  /** 1-based column of `offset`, which lies on the current line. */
  column(offset: number): number {
    return offset - this.lineStart + 1 + (this.lineNumber === 1 ? this.firstLineShift : 0)
  }

  /** The position of `offset` on the current line. */
  position(offset: number): SourcePosition {
    return { line: this.lineNumber, column: this.column(offset) }
  }

  /**
   * Indentation of the current line (spaces before its first character), or -1 when the line holds nothing
   * but spaces. A tab among the leading blanks is left to the YAML library, which knows its many rules.
   */
  indentation(): number {
    // Remembered per line: a plain scalar looks at the next line before the document reader reads it.
    if (this.indentationOf === this.lineStart) return this.lastIndentation
    const text = this.text
    const start = this.lineStart
    const end = this.lineEnd
    let offset = start
    while (offset < end && text.charCodeAt(offset) === SPACE) offset++
    if (offset < end && text.charCodeAt(offset) === TAB) this.fail('tab', offset)
    this.indentationOf = start
    this.lastIndentation = offset === end ? -1 : offset - start
    return this.lastIndentation
  }

  /** True when the current line starts with the document marker `---` or `...` (then a blank or its end). */
  startsWithDocumentMarker(): boolean {
    const text = this.text
    const start = this.lineStart
    const first = text.charCodeAt(start)
    if (first !== 45 && first !== 46) return false
    if (text.charCodeAt(start + 1) !== first || text.charCodeAt(start + 2) !== first) return false
    return start + 3 === this.lineEnd || isBlank(text.charCodeAt(start + 3))
  }

  /** Offset of the first non-space character at or after `offset` on the current line (or the line's end). */
  skipSpaces(offset: number): number {
    const text = this.text
    while (offset < this.lineEnd && text.charCodeAt(offset) === SPACE) offset++
    return offset
  }

  /** True when nothing but spaces and a comment follows `offset` on the current line. */
  restIsBlank(offset: number): boolean {
    const after = this.skipSpaces(offset)
    if (after === this.lineEnd) return true
    const code = this.text.charCodeAt(after)
    if (code === TAB) this.fail('tab', after)
    return code === HASH && after > offset
  }

  /** Stops reading: `construct` at `offset` of the current line is for the YAML library. */
  fail(construct: PlainYamlConstruct, offset: number): never {
    throw new ReadStop({ kind: 'unsupported', line: this.lineNumber, column: this.column(offset), construct })
  }
}

/** A space or tab. */
export function isBlank(code: number): boolean {
  return code === SPACE || code === TAB
}
