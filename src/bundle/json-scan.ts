/**
 * What `JSON.parse` does not say about a JSON file: it silently keeps the last of two equal keys, and it accepts
 * any nesting. One linear scan of the (already parsed, so valid) text finds the first repeated key, nesting
 * beyond a limit, and, when asked, the position of every key and array item, spelled as the plain YAML reader
 * and the loader spell them.
 */
import type { DuplicateKeyFound, NestingTooDeep } from './plain-yaml-cursor.js'
import { SourcePositionIndex } from './source-position-index.js'
import { BACKSLASH, CLOSE_CURLY, CLOSE_SQUARE, COLON, COMMA, NEWLINE, OPEN_CURLY, OPEN_SQUARE, QUOTE } from './char-codes.js'

/** How to scan. */
export interface JsonScanOptions {
  /** Most objects and arrays one inside another; the top-level one is depth 1. */
  maxDepth: number
  /** Also return the position of every object key and array item (costs more). */
  recordPositions?: boolean
}

/** What the scan found. */
export type JsonScanResult =
  | {
      kind: 'ok'
      /**
       * Only with `recordPositions`: the position (1-based) of every key (its opening quote) and array item, by
       * the path's segments joined with `.`; the first occurrence wins (see `SourcePositionIndex`).
       */
      positions?: SourcePositionIndex
    }
  | DuplicateKeyFound
  | NestingTooDeep

/** One open object or array. */
interface Level {
  isObject: boolean
  /** Objects: the keys seen so far, for a look-up per key. */
  keys: Set<string>
  /** Objects: the current key; arrays: the current item's index. */
  segment: string | number
  /** Its entry in the positions (-1 at the top level and when positions are off). */
  entry: number
  /** Objects: the current key's entry in the positions. */
  keyEntry: number
}

/**
 * Scans JSON text that `JSON.parse` accepts (anything else gives an unspecified result) for the first repeated
 * key and nesting beyond `options.maxDepth`; stops at the first of either. Linear in the text's size.
 */
export function scanJson(text: string, options: JsonScanOptions): JsonScanResult {
  const positions = options.recordPositions ? new SourcePositionIndex() : undefined
  const levels: Level[] = []
  let depth = 0
  let line = 1
  let lineStart = 0
  /** True right after `{` or `,` in an object: the next string is a key. */
  let expectingKey = false
  const length = text.length
  let offset = 0

  /** Records the value that starts at `at` in the innermost level; returns the entry its contents belong to. */
  const recordValue = (at: number): number => {
    const level = levels[depth - 1]
    if (positions === undefined || level === undefined) return -1
    if (level.isObject) return level.keyEntry
    return positions.add(level.entry, level.segment as number, line, at - lineStart + 1)
  }

  while (offset < length) {
    const code = text.charCodeAt(offset)
    if (code === NEWLINE) {
      line++
      lineStart = ++offset
      continue
    }
    if (code <= 32) {
      offset++
      continue
    }
    if (code === OPEN_CURLY || code === OPEN_SQUARE) {
      if (depth + 1 > options.maxDepth) {
        return { kind: 'too-deep', line, column: offset - lineStart + 1, depth: depth + 1 }
      }
      const entry = recordValue(offset)
      const isObject = code === OPEN_CURLY
      // Levels are reused: an object's key set is cleared rather than allocated again.
      const level = levels[depth]
      if (level === undefined) {
        levels.push({ isObject, keys: new Set(), segment: isObject ? '' : 0, entry, keyEntry: -1 })
      } else {
        level.isObject = isObject
        level.keys.clear()
        level.segment = isObject ? '' : 0
        level.entry = entry
      }
      depth++
      expectingKey = isObject
      offset++
      continue
    }
    if (code === CLOSE_CURLY || code === CLOSE_SQUARE) {
      depth--
      expectingKey = false
      offset++
      continue
    }
    if (code === COMMA) {
      const level = levels[depth - 1]
      if (level.isObject) expectingKey = true
      else level.segment = (level.segment as number) + 1
      offset++
      continue
    }
    if (code === COLON) {
      offset++
      continue
    }
    if (code === QUOTE) {
      const end = closingQuote(text, offset)
      if (expectingKey) {
        const level = levels[depth - 1]
        const raw = text.slice(offset + 1, end)
        const key = raw.includes('\\') ? (JSON.parse(text.slice(offset, end + 1)) as string) : raw
        // One hash look-up per key: a key already there leaves the set's size as it was.
        const before = level.keys.size
        if (level.keys.add(key).size === before) {
          const path: (string | number)[] = levels.slice(0, depth - 1).map(outer => outer.segment)
          path.push(key)
          return { kind: 'duplicate-key', path, line, column: offset - lineStart + 1 }
        }
        level.segment = key
        if (positions !== undefined) level.keyEntry = positions.add(level.entry, key, line, offset - lineStart + 1)
        expectingKey = false
      } else {
        recordValue(offset)
      }
      offset = end + 1
      continue
    }
    // A number, true, false or null.
    recordValue(offset)
    offset++
    while (offset < length) {
      const next = text.charCodeAt(offset)
      if (next <= 32 || next === COMMA || next === CLOSE_CURLY || next === CLOSE_SQUARE) break
      offset++
    }
  }
  return positions === undefined ? { kind: 'ok' } : { kind: 'ok', positions }
}

/** Offset of the quote that closes the string opening at `open` (a quote after an even run of backslashes). */
function closingQuote(text: string, open: number): number {
  let quote = text.indexOf('"', open + 1)
  for (;;) {
    let backslashes = 0
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) return quote
    quote = text.indexOf('"', quote + 1)
  }
}
