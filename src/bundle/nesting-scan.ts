/**
 * A cheap linear look at how deeply a YAML (or JSON) text nests, run before the `yaml` library, which recurses once
 * per level and so would end a 10,000-level file with "Maximum call stack size exceeded". It counts the block
 * collections open at each line (by indentation and `- ` entries) plus the flow collections (`[`, `{`) open at each
 * character, outside quotes, comments and block scalars. It may count one level too many here and there (a
 * continuation line of a plain scalar), never far too few, which is what a bound needs.
 */

/** Where the nesting first goes beyond the bound, 1-based. */
export interface NestingExcess {
  line: number
  column: number
  depth: number
}

const SPACE = 32
const DASH = 45
const HASH = 35
const COLON = 58

/** The first place where more than `maxDepth` collections are open, or undefined when none is. */
export function findExcessNesting(text: string, maxDepth: number): NestingExcess | undefined {
  const blockIndents: number[] = []
  const scanner = new FlowScanner(text, maxDepth)
  let lineNumber = 0
  let blockScalarIndent = -1
  for (let start = 0; start <= text.length;) {
    const newline = text.indexOf('\n', start)
    const end = newline === -1 ? text.length : newline
    lineNumber++
    let indent = 0
    while (start + indent < end && text.charCodeAt(start + indent) === SPACE) indent++
    const first = start + indent
    const blank = first >= end || text.charCodeAt(first) === 13 || (text.charCodeAt(first) === HASH && !scanner.insideQuotes)
    if (blockScalarIndent >= 0 && (blank || indent > blockScalarIndent)) {
      start = end + 1
      continue
    }
    blockScalarIndent = -1
    if (!blank) {
      let column = first
      if (scanner.flowDepth === 0 && !scanner.insideQuotes) {
        while (blockIndents.length > 0 && blockIndents[blockIndents.length - 1] > indent) blockIndents.pop()
        // Each `- ` opens a sequence one level deeper; the content after the last one may open a mapping.
        for (;;) {
          const depthAfter = pushLevel(blockIndents, column - start)
          if (depthAfter > maxDepth) return { line: lineNumber, column: column - start + 1, depth: depthAfter }
          if (text.charCodeAt(column) !== DASH || !isBlankAt(text, column + 1, end)) break
          column++
          while (column < end && text.charCodeAt(column) === SPACE) column++
          if (column >= end) break
        }
      }
      const excess = scanner.scanLine(column, end, lineNumber, start, blockIndents.length)
      if (excess !== undefined) return excess
      if (scanner.flowDepth === 0 && !scanner.insideQuotes && startsBlockScalar(text, column, end)) blockScalarIndent = indent
    }
    if (newline === -1) break
    start = newline + 1
  }
  return undefined
}

/** Pushes the column of a block collection unless one at that column is already open; returns the block depth. */
function pushLevel(indents: number[], column: number): number {
  if (indents.length === 0 || indents[indents.length - 1] < column) indents.push(column)
  return indents.length
}

function isBlankAt(text: string, offset: number, end: number): boolean {
  if (offset >= end) return true
  const code = text.charCodeAt(offset)
  return code === SPACE || code === 9 || code === 13
}

/** A value `|`, `>` (with indicators) ending its line, outside flow context: the lines after are its text. */
function startsBlockScalar(text: string, from: number, end: number): boolean {
  // Only this line is looked at (a search past its start would make the scan quadratic).
  let last = end - 1
  for (let offset = from + 1; offset < end; offset++) {
    if (text.charCodeAt(offset) === HASH && text.charCodeAt(offset - 1) === SPACE) {
      last = offset - 1
      break
    }
  }
  while (last > from && (text.charCodeAt(last) === SPACE || text.charCodeAt(last) === 13)) last--
  let indicator = last
  while (indicator > from && isChompingOrDigit(text.charCodeAt(indicator))) indicator--
  const code = text.charCodeAt(indicator)
  if (code !== 124 && code !== 62) return false
  const before = indicator === from ? SPACE : text.charCodeAt(indicator - 1)
  return before === SPACE || before === DASH || before === COLON
}

function isChompingOrDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || code === 43 || code === DASH
}

/** Flow collections and quotes, which may span lines. */
class FlowScanner {
  flowDepth = 0
  private quote = 0

  constructor(
    private readonly text: string,
    private readonly maxDepth: number
  ) {}

  get insideQuotes(): boolean {
    return this.quote !== 0
  }

  /** Scans `[from, end)`; returns where the total depth (block + flow) first passes the bound. */
  scanLine(from: number, end: number, line: number, lineStart: number, blockDepth: number): NestingExcess | undefined {
    const { text } = this
    // In block context only a node's first character opens a flow collection; inside one, every bracket counts.
    let nodeStart = true
    for (let offset = from; offset < end; offset++) {
      const code = text.charCodeAt(offset)
      if (this.quote !== 0) {
        if (code === 92 && this.quote === 34) offset++
        else if (code === this.quote) {
          if (this.quote === 39 && text.charCodeAt(offset + 1) === 39) offset++
          else this.quote = 0
        }
        continue
      }
      if (code === SPACE || code === 9) continue
      if (code === HASH && (offset === from || text.charCodeAt(offset - 1) === SPACE)) return undefined
      const opens = code === 91 || code === 123
      if ((code === 34 || code === 39) && (nodeStart || this.flowDepth > 0)) this.quote = code
      else if (opens && (nodeStart || this.flowDepth > 0)) {
        this.flowDepth++
        if (blockDepth + this.flowDepth > this.maxDepth) {
          return { line, column: offset - lineStart + 1, depth: blockDepth + this.flowDepth }
        }
      } else if ((code === 93 || code === 125) && this.flowDepth > 0) this.flowDepth--
      nodeStart = this.flowDepth > 0 ? code === 44 || opens || code === COLON : code === COLON || code === DASH
    }
    return undefined
  }
}
