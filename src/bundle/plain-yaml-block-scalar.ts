/**
 * Block scalars (`|` literal, `>` folded) of the plain YAML reader, with chomping (`-` strip, `+` keep, default
 * clip) and an optional indentation indicator. Forms whose meaning depends on the YAML library's own reading
 * (an indicator at the top level, more-indented leading empty lines, kept breaks of an empty scalar) are left
 * to it.
 */
import { SPACE, TAB, type LineCursor } from './plain-yaml-cursor.js'

/** What happens to the final line break and trailing empty lines: keep one, drop all, keep all. */
type Chomping = 'clip' | 'strip' | 'keep'

/**
 * Reads the block scalar whose `|` or `>` is at `start` on the cursor's line, in a collection whose entries
 * are at column `parentIndent` (-1 at the top level). Leaves the cursor on the first line after the scalar.
 */
export function readBlockScalar(cursor: LineCursor, start: number, parentIndent: number): string {
  const text = cursor.text
  const folded = text.charCodeAt(start) === 62
  let offset = start + 1
  let chomping: Chomping = 'clip'
  let explicitIndent = 0
  let chompingSeen = false
  for (let indicator = 0; indicator < 2; indicator++) {
    const code = text.charCodeAt(offset)
    if ((code === 45 || code === 43) && !chompingSeen && offset < cursor.lineEnd) {
      chomping = code === 45 ? 'strip' : 'keep'
      chompingSeen = true
    } else if (code >= 49 && code <= 57 && explicitIndent === 0 && offset < cursor.lineEnd) {
      explicitIndent = code - 48
    } else {
      break
    }
    offset++
  }
  if (!cursor.restIsBlank(offset)) cursor.fail('block scalar form', offset)
  // An indentation indicator counts from the parent collection's column, from column 0 at the top level.
  const base = parentIndent < 0 ? 0 : parentIndent
  const lines = readContentLines(cursor, parentIndent, explicitIndent > 0 ? base + explicitIndent : -1)
  if (lines.contentIndent < 0) {
    // No content line: only empty lines, if any. What the library keeps of those with `+` is its own matter.
    if (chomping === 'keep' && lines.pieces.length > 0) cursor.fail('block scalar form', start)
    return ''
  }
  const { pieces, lastContent } = lines
  const body = folded ? foldLines(pieces, lastContent) : pieces.slice(0, lastContent + 1).join('\n')
  if (chomping === 'strip') return body
  if (chomping === 'clip') return body + '\n'
  return body + '\n'.repeat(pieces.length - lastContent)
}

interface ContentLines {
  /** Each line without the content indentation; '' for an empty line. */
  pieces: string[]
  /** Index of the last piece that is not empty, -1 when none. */
  lastContent: number
  /** The content's indentation; -1 when no line had content. */
  contentIndent: number
}

function readContentLines(cursor: LineCursor, parentIndent: number, explicitIndent: number): ContentLines {
  const text = cursor.text
  const pieces: string[] = []
  let lastContent = -1
  // Lines of nothing but spaces are content only in a scalar that also has text.
  let hasText = false
  let contentIndent = explicitIndent
  let widestLeadingEmpty = 0
  cursor.nextLine()
  while (!cursor.atEnd) {
    const { lineStart, lineEnd } = cursor
    let spaces = 0
    while (lineStart + spaces < lineEnd && text.charCodeAt(lineStart + spaces) === SPACE) spaces++
    const empty = lineStart + spaces === lineEnd
    // A document marker ends a top-level scalar; the document reader decides what it means.
    if (spaces === 0 && parentIndent < 0 && cursor.startsWithDocumentMarker()) break
    if (contentIndent < 0) {
      if (empty) {
        if (spaces > widestLeadingEmpty) widestLeadingEmpty = spaces
        pieces.push('')
        cursor.nextLine()
        continue
      }
      if (spaces <= parentIndent) break
      if (widestLeadingEmpty > spaces) cursor.fail('block scalar form', lineStart + spaces)
      contentIndent = spaces
    }
    if (empty) {
      // A last line without a line break is no empty line: it adds nothing to kept breaks.
      if (cursor.nextStart > text.length) {
        if (spaces > contentIndent) cursor.fail('block scalar form', lineStart)
        break
      }
      if (spaces > contentIndent) {
        pieces.push(text.slice(lineStart + contentIndent, lineEnd))
        lastContent = pieces.length - 1
      } else {
        pieces.push('')
      }
    } else {
      if (spaces < contentIndent) break
      pieces.push(text.slice(lineStart + contentIndent, lineEnd))
      lastContent = pieces.length - 1
      hasText = true
    }
    cursor.nextLine()
  }
  return { pieces, lastContent, contentIndent: hasText ? contentIndent : -1 }
}

/**
 * Folds the lines of a `>` scalar: a break between two text lines becomes a space (or, followed by empty
 * lines, one newline per empty line); breaks next to more-indented lines (starting with a blank) are kept.
 */
function foldLines(pieces: string[], lastContent: number): string {
  let value = ''
  let previous: 'none' | 'text' | 'spaced' = 'none'
  let emptyLines = 0
  for (let index = 0; index <= lastContent; index++) {
    const piece = pieces[index]
    if (piece === '') {
      emptyLines++
      continue
    }
    const first = piece.charCodeAt(0)
    const kind = first === SPACE || first === TAB ? 'spaced' : 'text'
    if (previous === 'none') value += '\n'.repeat(emptyLines)
    else if (previous === 'text' && kind === 'text') value += emptyLines === 0 ? ' ' : '\n'.repeat(emptyLines)
    else value += '\n'.repeat(emptyLines + 1)
    value += piece
    previous = kind
    emptyLines = 0
  }
  return value
}
