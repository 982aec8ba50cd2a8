/**
 * Paths of the configuration diff: segments that are mapping keys or list items, written as one string.
 *
 * - A key is written bare and joined with `.` (`flows.main-entry.routingStrategy`). A key that would make the path
 *   ambiguous (it holds `.`, `[`, `]`, `"` or `\`, or is empty) is written in brackets as a JSON string, with no dot
 *   before the bracket: `queues.sales["80.20"].target`.
 * - A list item is written in brackets by its identity, bare when that is unambiguous (spaces allowed:
 *   `actions[Transfer to sales]`), and as `=` and a JSON string when the identity holds `[`, `]`, `"` or `\`, or is
 *   empty: `actions[="Press [1]"]`. A bare identity cannot start with `"` (it would read as a key) nor hold `"`, so
 *   `["…"]` is always a key and `[="…"]` always an item.
 *
 * `formatPath` and `parsePath` are exact inverses: every path `parsePath` accepts is the one `formatPath` writes
 * for the segments it returns, so a path has exactly one spelling.
 */

/** A list item, named by its identity (`Transfer to sales` in `actions[Transfer to sales]`). */
export interface ListItemSegment {
  readonly item: string
}

/** One step of a diff path: a mapping key (a string) or a list item. */
export type PathSegment = string | ListItemSegment

/** The segment of the list item with this identity. */
export function itemSegment(identity: string): ListItemSegment {
  return { item: identity }
}

/** True for a list item segment, false for a key. */
export function isItemSegment(segment: PathSegment): segment is ListItemSegment {
  return typeof segment !== 'string'
}

/** Keys that can be written bare; anything else goes in brackets as a JSON string. */
const BARE_KEY = /^[^.[\]"\\]+$/

/** Item identities that can be written bare in brackets; anything else as `="…"`. */
const BARE_IDENTITY = /^[^[\]"\\]+$/

/** Joins path segments into one path, bracketing the segments that need it. */
export function formatPath(segments: readonly PathSegment[]): string {
  let path = ''
  for (const segment of segments) path += formatSegment(segment, path === '')
  return path
}

/**
 * One segment as it is written after `path` (`first`: nothing before it).
 */
function formatSegment(segment: PathSegment, first: boolean): string {
  if (typeof segment === 'string') {
    if (BARE_KEY.test(segment)) return first ? segment : `.${segment}`
    return `[${JSON.stringify(segment)}]`
  }
  return BARE_IDENTITY.test(segment.item) ? `[${segment.item}]` : `[=${JSON.stringify(segment.item)}]`
}

/**
 * Splits a path made by `formatPath` back into its segments. Throws an error naming the path and the place when it
 * is not one `formatPath` writes (an empty key, a stray character, a key bracketed that could be bare, …).
 */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = []
  let at = 0
  while (at < path.length) {
    if (path[at] === '[') {
      const [segment, end] = readBracket(path, at)
      segments.push(segment)
      at = end
      continue
    }
    if (segments.length > 0) {
      if (path[at] !== '.') throw malformed(path, at, 'expected "." or "[" after a segment')
      at++
    }
    let end = at
    while (end < path.length && path[end] !== '.' && path[end] !== '[') end++
    const key = path.slice(at, end)
    if (key === '') throw malformed(path, at, 'an empty key is written [""]')
    if (!BARE_KEY.test(key)) throw malformed(path, at, `the key ${JSON.stringify(key)} is written in brackets: [${JSON.stringify(key)}]`)
    segments.push(key)
    at = end
  }
  return segments
}

/** The bracketed segment that starts at `path[start]` (`[`), and the index after its `]`. */
function readBracket(path: string, start: number): [PathSegment, number] {
  if (path[start + 1] === '"') {
    const [key, end] = readJsonString(path, start + 1)
    if (BARE_KEY.test(key)) throw malformed(path, start, `the key ${JSON.stringify(key)} is written bare, without brackets`)
    return [key, closeBracket(path, end, start)]
  }
  if (path[start + 1] === '=' && path[start + 2] === '"') {
    const [identity, end] = readJsonString(path, start + 2)
    if (BARE_IDENTITY.test(identity)) throw malformed(path, start, `the item ${JSON.stringify(identity)} is written bare: [${identity}]`)
    return [itemSegment(identity), closeBracket(path, end, start)]
  }
  const close = path.indexOf(']', start + 1)
  if (close === -1) throw malformed(path, start, 'the bracket is not closed')
  const identity = path.slice(start + 1, close)
  if (!BARE_IDENTITY.test(identity)) {
    throw malformed(path, start, 'an item identity that is empty or holds [, ], " or \\ is written [="…"] with JSON escapes')
  }
  return [itemSegment(identity), close + 1]
}

/** The JSON string that starts at `path[quote]` (`"`), decoded, and the index after its closing quote. */
function readJsonString(path: string, quote: number): [string, number] {
  let end = quote + 1
  while (end < path.length && path[end] !== '"') end += path[end] === '\\' ? 2 : 1
  if (end >= path.length) throw malformed(path, quote, 'the quoted name is not closed')
  const literal = path.slice(quote, end + 1)
  let value: string
  try {
    value = JSON.parse(literal) as string
  } catch {
    throw malformed(path, quote, `${literal} is not a JSON string`)
  }
  // One spelling per name: `"\u0061"` is written `"a"` by formatPath, so it is not a path formatPath made.
  if (JSON.stringify(value) !== literal) throw malformed(path, quote, `write ${literal} as ${JSON.stringify(value)}`)
  return [value, end + 1]
}

function closeBracket(path: string, at: number, start: number): number {
  if (path[at] !== ']') throw malformed(path, start, 'expected "]" after the quoted name')
  return at + 1
}

function malformed(path: string, at: number, problem: string): Error {
  return new Error(`The diff path ${JSON.stringify(path)} is malformed at character ${at + 1} (${JSON.stringify(path.slice(at, at + 20))}): ${problem}.`)
}

/**
 * Orders paths segment by segment: keys and identities in code-unit order (not localeCompare: the diff must not
 * depend on the runner's locale), a path before the paths inside it, a key before an item (a value is a mapping or
 * a list, so the two only meet when comparing unrelated paths).
 */
export function comparePaths(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  const shorter = Math.min(a.length, b.length)
  for (let index = 0; index < shorter; index++) {
    const order = compareSegments(a[index], b[index])
    if (order !== 0) return order
  }
  return a.length - b.length
}

function compareSegments(a: PathSegment, b: PathSegment): number {
  if (typeof a === 'string') return typeof b === 'string' ? compareStrings(a, b) : -1
  return typeof b === 'string' ? 1 : compareStrings(a.item, b.item)
}

/** Code-unit order of two strings. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
