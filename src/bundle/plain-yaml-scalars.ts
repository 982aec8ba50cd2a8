/**
 * Scalars of the plain YAML reader: what a plain scalar means under the YAML 1.2 core schema (exactly as the
 * `yaml` package resolves it, including its quirks: `+1` and `08` are integers, `0b1`, `1_000` and `+.nan`
 * strings), and quoted scalars, on one line or folded over several.
 */
import { HASH, SPACE, TAB, isBlank, type LineCursor } from './plain-yaml-cursor.js'
import { CLOSE_CURLY, CLOSE_SQUARE, COMMA, NINE, OPEN_CURLY, OPEN_SQUARE, ZERO } from './char-codes.js'

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE
}

/**
 * The value of a plain (unquoted) scalar under the core schema: null, a boolean, a number, or the text itself.
 * Only text starting like one of those is examined further, so most strings cost one comparison.
 */
export function resolvePlainScalar(text: string): unknown {
  const length = text.length
  if (length === 0) return null
  const first = text.charCodeAt(0)
  if (isDigit(first) || first === 43 || first === 45 || first === 46) return resolveNumber(text)
  switch (text) {
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null
    case 'true':
    case 'True':
    case 'TRUE':
      return true
    case 'false':
    case 'False':
    case 'FALSE':
      return false
    default:
      return text
  }
}

/** Integers (`12`, `-3`, `+4`, `0o17`, `0x1F`) and floats (`1.5`, `.5`, `1.`, `1e3`, `.inf`, `.nan`), else the text. */
function resolveNumber(text: string): unknown {
  const length = text.length
  const first = text.charCodeAt(0)
  if (first === ZERO && length > 2) {
    const marker = text.charCodeAt(1)
    if (marker === 111) return allDigitsOf(text, 2, 8) ? parseInt(text.slice(2), 8) : text
    if (marker === 120) return allDigitsOf(text, 2, 16) ? parseInt(text.slice(2), 16) : text
  }
  let offset = first === 43 || first === 45 ? 1 : 0
  if (text.charCodeAt(offset) === 46) {
    const special = specialFloat(text, offset)
    if (special !== undefined) return special
  }
  const integerStart = offset
  while (offset < length && isDigit(text.charCodeAt(offset))) offset++
  const integerDigits = offset - integerStart
  if (offset === length) return integerDigits > 0 ? parseInt(text, 10) : text
  let fractionDigits = 0
  let isFloat = false
  if (text.charCodeAt(offset) === 46) {
    isFloat = true
    offset++
    const fractionStart = offset
    while (offset < length && isDigit(text.charCodeAt(offset))) offset++
    fractionDigits = offset - fractionStart
  }
  if (integerDigits === 0 && fractionDigits === 0) return text
  if (offset < length) {
    const marker = text.charCodeAt(offset)
    if (marker !== 101 && marker !== 69) return text
    offset++
    const sign = text.charCodeAt(offset)
    if (sign === 43 || sign === 45) offset++
    const exponentStart = offset
    while (offset < length && isDigit(text.charCodeAt(offset))) offset++
    if (offset !== length || offset === exponentStart) return text
    isFloat = true
  }
  return isFloat ? parseFloat(text) : text
}

/** `.inf` / `.Inf` / `.INF` with an optional sign, `.nan` / `.NaN` / `.NAN` without one; else undefined. */
function specialFloat(text: string, dot: number): number | undefined {
  const word = text.slice(dot + 1)
  if (word === 'inf' || word === 'Inf' || word === 'INF') {
    return text.charCodeAt(0) === 45 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY
  }
  if (dot === 0 && (word === 'nan' || word === 'NaN' || word === 'NAN')) return Number.NaN
  return undefined
}

function allDigitsOf(text: string, from: number, radix: 8 | 16): boolean {
  for (let offset = from; offset < text.length; offset++) {
    const code = text.charCodeAt(offset)
    const valid = radix === 8 ? code >= ZERO && code <= 55 : isDigit(code) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70)
    if (!valid) return false
  }
  return true
}

/** Where a quoted scalar ended, and its value. Reused between calls so reading one allocates no result. */
export interface QuotedScalar {
  value: string
  /** Offset just past the closing quote, on the cursor's line when reading returns. */
  end: number
  /** True when the scalar continued past the line it started on. */
  multiLine: boolean
}

/**
 * Reads the quoted scalar whose opening quote is at `start` on the cursor's line. Continuation lines must be
 * indented beyond `parentIndent` (the enclosing block collection's column; -1 at the top level).
 */
export function readQuotedScalar(cursor: LineCursor, start: number, parentIndent: number, into: QuotedScalar): void {
  const text = cursor.text
  const double = text.charCodeAt(start) === 34
  if (!double) {
    const close = text.indexOf("'", start + 1)
    if (close >= 0 && close < cursor.lineEnd && text.charCodeAt(close + 1) !== 39) {
      into.value = text.slice(start + 1, close)
      into.end = close + 1
      into.multiLine = false
      return
    }
  } else {
    for (let offset = start + 1; offset < cursor.lineEnd; offset++) {
      const code = text.charCodeAt(offset)
      if (code === 92) break
      if (code === 34) {
        into.value = text.slice(start + 1, offset)
        into.end = offset + 1
        into.multiLine = false
        return
      }
    }
  }
  readQuotedSlowly(cursor, start, parentIndent, double, into)
}

/** The general case: escapes, `''`, and line folding. */
function readQuotedSlowly(cursor: LineCursor, start: number, parentIndent: number, double: boolean, into: QuotedScalar): void {
  const text = cursor.text
  const quote = double ? 34 : 39
  let value = ''
  // Length of `value` before its trailing run of literal (unescaped) blanks, which folding removes; -1 if none.
  let blanksFrom = -1
  let offset = start + 1
  let multiLine = false
  for (;;) {
    let escapedBreak = false
    while (offset < cursor.lineEnd) {
      const code = text.charCodeAt(offset)
      if (code === quote) {
        if (!double && text.charCodeAt(offset + 1) === 39 && offset + 1 < cursor.lineEnd) {
          value += "'"
          blanksFrom = -1
          offset += 2
          continue
        }
        into.value = value
        into.end = offset + 1
        into.multiLine = multiLine
        return
      }
      if (double && code === 92) {
        if (offset + 1 === cursor.lineEnd) {
          escapedBreak = true
          break
        }
        const escape = readEscape(text, offset + 1)
        if (escape === undefined) cursor.fail('syntax error', offset)
        value += escape.value
        blanksFrom = -1
        offset = escape.end
        continue
      }
      if (code === SPACE || code === TAB) {
        if (blanksFrom < 0) blanksFrom = value.length
      } else {
        blanksFrom = -1
      }
      value += text[offset]
      offset++
    }
    // The line ends inside the scalar: fold it into the next non-empty line.
    if (!escapedBreak && blanksFrom >= 0) value = value.slice(0, blanksFrom)
    blanksFrom = -1
    multiLine = true
    let emptyLines = 0
    for (;;) {
      cursor.nextLine()
      if (cursor.atEnd) cursor.fail('syntax error', cursor.lineStart)
      offset = continuationStart(cursor, parentIndent)
      if (offset < cursor.lineEnd) break
      emptyLines++
    }
    // Empty lines after an escaped break read differently in different readers: left to the library.
    if (escapedBreak && emptyLines > 0) cursor.fail('quoted scalar form', offset)
    if (emptyLines > 0) value += '\n'.repeat(emptyLines)
    else if (!escapedBreak) value += ' '
  }
}

/**
 * Offset of the first character of a continuation line of a quoted scalar, past its leading blanks; the line's
 * end when it is empty. A non-empty line must be indented beyond the parent and must not be a document marker.
 */
function continuationStart(cursor: LineCursor, parentIndent: number): number {
  const text = cursor.text
  let offset = cursor.lineStart
  while (offset < cursor.lineEnd && text.charCodeAt(offset) === SPACE) offset++
  const indent = offset - cursor.lineStart
  let content = offset
  while (content < cursor.lineEnd && (text.charCodeAt(content) === SPACE || text.charCodeAt(content) === TAB)) content++
  if (content === cursor.lineEnd) return content
  if (content !== offset) cursor.fail('tab', offset)
  if (indent <= parentIndent) cursor.fail('syntax error', offset)
  if (indent === 0 && cursor.startsWithDocumentMarker()) cursor.fail('multiple documents', offset)
  return offset
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029'
}

const HEX_ESCAPE_LENGTHS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 }

/** The escape sequence after a backslash at `offset - 1`, or undefined when YAML does not define it. */
function readEscape(text: string, offset: number): { value: string; end: number } | undefined {
  const letter = text[offset]
  const simple = SIMPLE_ESCAPES[letter]
  if (simple !== undefined) return { value: simple, end: offset + 1 }
  const digits = HEX_ESCAPE_LENGTHS[letter]
  if (digits === undefined) return undefined
  const hex = text.slice(offset + 1, offset + 1 + digits)
  if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) return undefined
  const code = parseInt(hex, 16)
  if (code > 0x10ffff) return undefined
  return { value: String.fromCodePoint(code), end: offset + 1 + digits }
}

/** Longest implicit key the YAML library accepts, counted from the key's start to its `:`. */
export const MAX_IMPLICIT_KEY_LENGTH = 1024

/** Refuses what cannot start a plain scalar, or starts something this reader leaves to the library. */
export function checkPlainStart(cursor: LineCursor, start: number): void {
  const text = cursor.text
  const code = text.charCodeAt(start)
  switch (code) {
    case 38:
      return cursor.fail('anchor', start)
    case 42:
      return cursor.fail('alias', start)
    case 33:
      return cursor.fail('tag', start)
    case 45: // -
    case 63: // ?
    case 58: {
      // These start a plain scalar only when a non-blank follows (`-1`, `?x`, `:x`).
      const next = start + 1 < cursor.lineEnd ? text.charCodeAt(start + 1) : SPACE
      if (next === SPACE || next === TAB || isFlowIndicator(next)) {
        cursor.fail(code === 63 ? 'complex key' : code === 58 ? 'empty key' : 'syntax error', start)
      }
      return
    }
    case 124: // |
    case 62: // >
    case 37: // %
    case 64: // @
    case 96: // `
    case COMMA:
    case OPEN_SQUARE:
    case CLOSE_SQUARE:
    case OPEN_CURLY:
    case CLOSE_CURLY:
    case HASH:
    case 34:
    case 39:
      return cursor.fail('syntax error', start)
    default:
      if (code < SPACE) cursor.fail(code === TAB ? 'tab' : 'syntax error', start)
  }
}

/** `,`, `[`, `]`, `{` or `}`. */
export function isFlowIndicator(code: number): boolean {
  return code === COMMA || code === OPEN_SQUARE || code === CLOSE_SQUARE || code === OPEN_CURLY || code === CLOSE_CURLY
}

/** End of the text in [start, end) without its trailing blanks (a plain scalar never ends with one). */
export function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--
  return end
}
