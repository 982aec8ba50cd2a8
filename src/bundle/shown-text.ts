/**
 * How a finding shows text that came from a file: short (a snippet, never the file), with every control or
 * otherwise invisible character written as its code point (`U+0007`), so that a message cannot ring a bell,
 * reorder what the reader sees, or pour a file into the log.
 */

/** Longest snippet of a file a message quotes. */
export const MAX_SNIPPET_LENGTH = 60

/**
 * Characters a reader cannot see or that are no text at all: controls (C0, DEL, C1), format characters (zero-width
 * spaces and joiners, the soft hyphen, the byte order mark, tag characters, and the bidirectional embeddings,
 * overrides and isolates that reorder text invisibly), the line and paragraph separators, and lone surrogates
 * (which no UTF-8 can encode).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu

/** `U+0007` for a character. */
export function codePointName(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
}

/** The first control or otherwise invisible character of `text` and its 0-based index, if any. */
export function firstInvisibleCharacter(text: string): { character: string; index: number } | undefined {
  INVISIBLE.lastIndex = 0
  const match = INVISIBLE.exec(text)
  return match === null ? undefined : { character: match[0], index: match.index }
}

/** `text` with every invisible character replaced by `<U+0007>`. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, character => `<${codePointName(character)}>`)
}

/**
 * `text` as a message shows it: invisible characters escaped and at most `max` characters of the original, with `…`
 * when cut (a cut never splits a surrogate pair).
 */
export function shownText(text: string, max = MAX_SNIPPET_LENGTH): string {
  const characters = Array.from(text.length > max * 2 ? text.slice(0, max * 2) : text)
  const cut = characters.length > max || text.length > max * 2
  return escapeInvisible(characters.slice(0, max).join('')) + (cut ? '…' : '')
}
