/**
 * Pointing a finding at a manifest key: positions by dotted path (a record, or a look-up that computes them only
 * when asked), the nearest existing ancestor for a missing key, and paths as messages show them.
 */
import type { SourcePosition } from './bundle.js'
import type { Finding } from './finding.js'
import { shownText } from './shown-text.js'

/** A key of a document path: a mapping key or a list index. */
export type PathSegment = PropertyKey

/**
 * Source position of each manifest key (and list item) by dotted path: a record, or a look-up that computes
 * positions only when a finding asks for one.
 */
export type SourcePositions = Readonly<Record<string, SourcePosition>> | ((dottedPath: string) => SourcePosition | undefined)

/** Dotted form of a document path (`dependencyMatrix.order.1`), as positions are keyed. */
export function joinPath(path: readonly PathSegment[]): string {
  return path.map(String).join('.')
}

/**
 * Where to point for a path: the key itself, else its nearest ancestor that exists in the source
 * (a missing key is reported at its parent), else the top of the file.
 */
export function positionOf(path: readonly PathSegment[], positions: SourcePositions): SourcePosition {
  const lookUp = typeof positions === 'function' ? positions : (dottedPath: string) => positions[dottedPath]
  for (let length = path.length; length > 0; length--) {
    const position = lookUp(joinPath(path.slice(0, length)))
    if (position !== undefined) return position
  }
  return { line: 1, column: 1 }
}

/** A finding at the key `path` (its `path` shown as messages show paths). */
export function findingAt(severity: Finding['severity'], message: string, file: string, path: readonly PathSegment[], positions: SourcePositions): Finding {
  const { line, column } = positionOf(path, positions)
  return { severity, message, file, line, column, ...(path.length > 0 ? { path: shownPath(path) } : {}) }
}

/** A document path as messages show it: each key short, invisible characters escaped. */
export function shownPath(path: readonly PathSegment[]): string {
  return path.map(segment => shownText(String(segment))).join('.')
}

/** Orders findings of one file as they appear in it. */
export function bySourcePosition(a: Finding, b: Finding): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
}
