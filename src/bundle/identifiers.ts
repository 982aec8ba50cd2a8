/**
 * Identifiers are checked as identifiers: the bundle and environment ids, flow and queue names and each Archy flow's
 * `name` end up in request paths, queries, the report and the log. A pull request controls them, so each must be
 * printable text of a bounded length: no control characters (C0, DEL, C1), no invisible characters (zero-width
 * spaces and joiners, soft hyphens, tag characters, line separators, and the bidirectional controls that make a name
 * read differently from what it is), no lone surrogates, not blank.
 */
import { codePointName, firstInvisibleCharacter } from './shown-text.js'

/** Longest bundle or environment id: both go into URL paths and file names. */
export const MAX_ID_LENGTH = 128

/** Longest flow or queue name (Genesys itself allows about this much for display names). */
export const MAX_NAME_LENGTH = 256

/** What an identifier is, for its limit and the wording of a problem. */
export type IdentifierKind = 'id' | 'name'

/**
 * What is wrong with `value` as an identifier of `kind`, as the end of a sentence that starts with the key
 * ("… holds the control character U+0007 (character 4); remove it"), or undefined when nothing is. An empty
 * string is left to the schema, which already says it is empty.
 */
export function identifierProblem(value: string, kind: IdentifierKind): string | undefined {
  if (value === '') return undefined
  const invisible = firstInvisibleCharacter(value)
  if (invisible !== undefined) {
    const what = describeInvisible(invisible.character)
    return `holds ${what} ${codePointName(invisible.character)} (character ${invisible.index + 1}); remove it: ` + 'names and ids must be plain printable text'
  }
  if (value.trim() === '') return 'is blank; give it a name of visible characters'
  // A key JavaScript objects treat specially: as a name it invites prototype pollution wherever names become keys.
  if (value === '__proto__') return 'is `__proto__`, which cannot be used as a name; rename it'
  const limit = kind === 'id' ? MAX_ID_LENGTH : MAX_NAME_LENGTH
  // Characters, not UTF-16 units; counted only when the units already pass the limit (never fewer characters).
  const length = value.length > limit ? Array.from(value).length : value.length
  if (length > limit) return `is ${length} characters long; shorten it to at most ${limit}`
  return undefined
}

function describeInvisible(character: string): string {
  if (isBidirectionalControl(character)) return 'the invisible bidirectional control'
  if (/\p{Cc}/u.test(character)) return 'the control character'
  if (/\p{Cs}/u.test(character)) return 'the lone surrogate (not valid UTF-8)'
  return 'the invisible character'
}

function isBidirectionalControl(character: string): boolean {
  const code = character.codePointAt(0) ?? 0
  return (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)
}
