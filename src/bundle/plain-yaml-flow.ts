/**
 * Flow collections (`[a, b]`, `{a: 1}`) of the plain YAML reader, nested and spread over lines, read with an
 * explicit stack: 10,000 `[` stop at the depth limit instead of overflowing the call stack. Plain scalars must
 * end on their line, keys must be followed by `:` on theirs, and sequences hold no `key: value` pairs; other
 * forms are left to the YAML library.
 */
import { HASH, SPACE, TAB, isBlank, type LineCursor } from './plain-yaml-cursor.js'
import {
  MAX_IMPLICIT_KEY_LENGTH,
  checkPlainStart,
  isFlowIndicator,
  readQuotedScalar,
  resolvePlainScalar,
  trimEnd,
  type QuotedScalar
} from './plain-yaml-scalars.js'
import type { CollectionStack } from './plain-yaml-tree.js'
import { CLOSE_CURLY, CLOSE_SQUARE, COLON, COMMA, OPEN_CURLY, OPEN_SQUARE } from './char-codes.js'

/** What the innermost flow collection expects next. */
const enum Expect {
  /** Right after `[` or `{`: an entry or the end. */
  First,
  /** After `,`: an entry or the end (a trailing comma is allowed). */
  Next,
  /** After an entry: `,` or the end. */
  Separator,
  /** After a mapping key's `:`: its value (or `,` / `}` for an empty one). */
  Value
}

/**
 * Reads the flow collection whose `[` or `{` is at `start` on the cursor's line as the next value of the
 * innermost collection of `tree`. Continuation lines must be indented beyond `parentIndent` (the enclosing
 * block collection's column, -1 at the top level). Returns the offset just past the closing bracket, on the
 * cursor's line when it returns.
 */
export function readFlowCollection(cursor: LineCursor, tree: CollectionStack, start: number, parentIndent: number, quoted: QuotedScalar): number {
  const text = cursor.text
  const expecting: Expect[] = []
  tree.open(text.charCodeAt(start) === OPEN_CURLY, start, -1)
  expecting.push(Expect.First)
  let offset = start + 1
  for (;;) {
    offset = skipFlowBlanks(cursor, offset, parentIndent)
    const code = text.charCodeAt(offset)
    const collection = tree.top!
    const level = expecting.length - 1
    const state = expecting[level]
    if (code === CLOSE_SQUARE || code === CLOSE_CURLY) {
      if ((code === CLOSE_CURLY) !== collection.isMap) cursor.fail('syntax error', offset)
      if (state === Expect.Value) tree.value(null, cursor.lineNumber, cursor.column(offset))
      tree.close()
      expecting.pop()
      offset++
      if (expecting.length === 0) return offset
      expecting[expecting.length - 1] = Expect.Separator
      continue
    }
    if (code === COMMA) {
      if (state === Expect.Value) tree.value(null, cursor.lineNumber, cursor.column(offset))
      else if (state !== Expect.Separator) cursor.fail('syntax error', offset)
      expecting[level] = Expect.Next
      offset++
      continue
    }
    if (state === Expect.Separator) cursor.fail('syntax error', offset)
    if (collection.isMap && state !== Expect.Value) {
      offset = readFlowKey(cursor, tree, offset, parentIndent, quoted)
      expecting[level] = Expect.Value
      continue
    }
    expecting[level] = Expect.Separator
    if (code === OPEN_SQUARE || code === OPEN_CURLY) {
      tree.open(code === OPEN_CURLY, offset, -1)
      expecting.push(Expect.First)
      offset++
      continue
    }
    offset = readFlowValue(cursor, tree, offset, parentIndent, quoted)
  }
}

/** Reads `key:` (plain or quoted, on one line) at `start`; returns the offset after the `:`. */
function readFlowKey(cursor: LineCursor, tree: CollectionStack, start: number, parentIndent: number, quoted: QuotedScalar): number {
  const text = cursor.text
  const first = text.charCodeAt(start)
  let colon: number
  let key: unknown
  const quotedKey = first === 34 || first === 39
  if (quotedKey) {
    readQuotedScalar(cursor, start, parentIndent, quoted)
    if (quoted.multiLine) cursor.fail('multi-line key', start)
    colon = cursor.skipSpaces(quoted.end)
    // After a quoted key the `:` may touch the value (`{"a":1}`), as in JSON.
    if (text.charCodeAt(colon) !== COLON || colon >= cursor.lineEnd) cursor.fail('flow form', start)
    key = quoted.value
  } else {
    if (first === OPEN_SQUARE || first === OPEN_CURLY || first === 63) cursor.fail('complex key', start)
    checkPlainStart(cursor, start)
    const end = scanFlowPlain(cursor, start)
    colon = end
    if (text.charCodeAt(end) !== COLON || end >= cursor.lineEnd) cursor.fail('flow form', start)
    key = resolvePlainScalar(text.slice(start, trimEnd(text, start, end)))
  }
  if (colon - start > MAX_IMPLICIT_KEY_LENGTH - 1) cursor.fail('long key', start)
  tree.key(tree.top!, key, start, !quotedKey)
  return colon + 1
}

/** Reads a scalar item or mapping value at `start`; returns the offset after it. */
function readFlowValue(cursor: LineCursor, tree: CollectionStack, start: number, parentIndent: number, quoted: QuotedScalar): number {
  const text = cursor.text
  const first = text.charCodeAt(start)
  const line = cursor.lineNumber
  const column = cursor.column(start)
  if (first === 34 || first === 39) {
    readQuotedScalar(cursor, start, parentIndent, quoted)
    const after = cursor.skipSpaces(quoted.end)
    // A `:` here would make the scalar a key: a pair inside a sequence, or a mapping nested in a value.
    if (text.charCodeAt(after) === COLON && after < cursor.lineEnd) cursor.fail('flow form', after)
    tree.value(quoted.value, line, column)
    return quoted.end
  }
  checkPlainStart(cursor, start)
  const end = scanFlowPlain(cursor, start)
  if (text.charCodeAt(end) === COLON && end < cursor.lineEnd) cursor.fail('flow form', end)
  const firstLine = text.slice(start, trimEnd(text, start, end))
  if (end < cursor.lineEnd) {
    tree.value(resolvePlainScalar(firstLine), line, column)
    return end
  }
  continueFlowPlain(cursor, firstLine, parentIndent, quoted)
  tree.value(resolvePlainScalar(quoted.value), line, column)
  return quoted.end
}

/**
 * Folds the lines that continue a plain scalar inside a flow collection into `first` (a break becomes a
 * space, or one newline per empty line between), up to a `,`, `]`, `}` or comment. Sets `into.value`, and
 * `into.end` to the offset of what ended the scalar, on the cursor's line.
 */
function continueFlowPlain(cursor: LineCursor, first: string, parentIndent: number, into: QuotedScalar): void {
  const text = cursor.text
  let value = first
  let emptyLines = 0
  for (;;) {
    const start = nextFlowLine(cursor, parentIndent)
    if (start < 0) {
      emptyLines++
      continue
    }
    const code = text.charCodeAt(start)
    if (code === COMMA || code === CLOSE_SQUARE || code === CLOSE_CURLY || code === HASH) {
      into.value = value
      into.end = start
      return
    }
    checkPlainStart(cursor, start)
    const end = scanFlowPlain(cursor, start)
    // A `:` would make a key of the whole multi-line scalar, which YAML does not allow.
    if (text.charCodeAt(end) === COLON && end < cursor.lineEnd) cursor.fail('multi-line key', end)
    const piece = text.slice(start, trimEnd(text, start, end))
    value += emptyLines === 0 ? ' ' + piece : '\n'.repeat(emptyLines) + piece
    emptyLines = 0
    if (end < cursor.lineEnd) {
      into.value = value
      into.end = end
      return
    }
  }
}

/**
 * Scans a plain scalar in a flow collection from `start` to its end on this line: a `,`, `]` or `}`, a `:`
 * followed by a blank, a comment, or the line's end. Returns that end's offset (at the `:` for a key).
 */
function scanFlowPlain(cursor: LineCursor, start: number): number {
  const text = cursor.text
  const lineEnd = cursor.lineEnd
  for (let offset = start; offset < lineEnd; offset++) {
    const code = text.charCodeAt(offset)
    if (code === COMMA || code === CLOSE_SQUARE || code === CLOSE_CURLY) return offset
    if (code === COLON) {
      const next = offset + 1 < lineEnd ? text.charCodeAt(offset + 1) : SPACE
      if (next === SPACE) return offset
      if (next === TAB || isFlowIndicator(next)) cursor.fail('flow form', offset)
    } else if (code === OPEN_SQUARE || code === OPEN_CURLY) {
      cursor.fail('flow form', offset)
    } else if (code === HASH && isBlank(text.charCodeAt(offset - 1))) {
      return offset
    } else if (code < SPACE && code !== TAB) {
      cursor.fail('syntax error', offset)
    }
  }
  return lineEnd
}

/**
 * Skips spaces, comments and line breaks inside a flow collection; returns the offset of the next character
 * that means something.
 */
function skipFlowBlanks(cursor: LineCursor, offset: number, parentIndent: number): number {
  const text = cursor.text
  for (;;) {
    while (offset < cursor.lineEnd && text.charCodeAt(offset) === SPACE) offset++
    if (offset < cursor.lineEnd) {
      const code = text.charCodeAt(offset)
      if (code === TAB) cursor.fail('tab', offset)
      if (code !== HASH) return offset
      if (offset > cursor.lineStart && text.charCodeAt(offset - 1) !== SPACE) cursor.fail('syntax error', offset)
    }
    const start = nextFlowLine(cursor, parentIndent)
    offset = start < 0 ? cursor.lineEnd : start
  }
}

/**
 * Moves to the next line inside a flow collection; returns the offset of its first character, or -1 when it
 * is empty. A line must be indented beyond the parent, except a closing bracket, which may stand at the
 * parent's column.
 */
function nextFlowLine(cursor: LineCursor, parentIndent: number): number {
  cursor.nextLine()
  if (cursor.atEnd) cursor.fail('syntax error', cursor.lineStart)
  const indent = cursor.indentation()
  if (indent < 0) return -1
  const start = cursor.lineStart + indent
  const code = cursor.text.charCodeAt(start)
  const closing = (code === CLOSE_SQUARE || code === CLOSE_CURLY) && indent === parentIndent
  if (indent <= parentIndent && !closing) cursor.fail('syntax error', start)
  if (indent === 0 && cursor.startsWithDocumentMarker()) cursor.fail('multiple documents', start)
  return start
}
