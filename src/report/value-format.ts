/**
 * How configuration values read in the report: compact JSON (strings quoted, so `"2"` and `2` differ), whole up to a
 * generous limit, and above it cut so that what changed stays visible. Plain text: the caller puts it in a code span.
 */
import { truncateMiddle } from './markdown.js'

/** Longest value shown whole, in characters: a long prompt text or a small settings object fits. */
export const VALUE_MAX_CHARS = 400

/** Unchanged characters shown on each side of the part of two values that differs. */
const CONTEXT_CHARS = 40

/** Least room left for the differing part itself when the context takes the rest. */
const MIN_DIFFERING_CHARS = 40

/** A value as compact JSON; `undefined` and non-finite numbers, which JSON cannot spell, as their own names. */
export function valueText(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)
  return JSON.stringify(value) ?? String(value)
}

/** One value (an added or removed resource or field), cut in the middle above `maxChars`. */
export function formatValue(value: unknown, maxChars = VALUE_MAX_CHARS): string {
  return truncateMiddle(valueText(value), maxChars)
}

/**
 * Before and after of a modified value. Both are shown whole when each fits in `maxChars`. Otherwise each is shown
 * around the part where the two differ: a few unchanged characters, the differing part (cut in the middle when it is
 * itself too long), a few unchanged characters, with "…" where unchanged text was left out. Two long prompts that
 * share their first 300 characters thus show the words that changed, never the same cut-off beginning twice.
 */
export function formatValueChange(before: unknown, after: unknown, maxChars = VALUE_MAX_CHARS): { before: string; after: string } {
  const was = valueText(before)
  const now = valueText(after)
  // Lengths in UTF-16 code units, never fewer than code points: a value that fits by this count fits.
  if (was.length <= maxChars && now.length <= maxChars) return { before: was, after: now }
  const prefix = commonPrefixLength(was, now)
  const suffix = commonSuffixLength(was, now, prefix)
  return {
    before: aroundDifference(was, prefix, was.length - suffix, maxChars),
    after: aroundDifference(now, prefix, now.length - suffix, maxChars)
  }
}

/** The code units `[from, to)` that differ, with up to CONTEXT_CHARS unchanged ones on each side. */
function aroundDifference(text: string, from: number, to: number, maxChars: number): string {
  const headStart = pairStart(text, Math.max(0, from - CONTEXT_CHARS))
  const tailEnd = pairStart(text, Math.min(text.length, to + CONTEXT_CHARS))
  const head = `${headStart > 0 ? '…' : ''}${text.slice(headStart, from)}`
  const tail = `${text.slice(to, tailEnd)}${tailEnd < text.length ? '…' : ''}`
  const room = Math.max(MIN_DIFFERING_CHARS, maxChars - head.length - tail.length)
  return `${head}${truncateMiddle(text.slice(from, to), room)}${tail}`
}

/** Common prefix in code units, never ending between the two halves of a surrogate pair. */
function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length)
  let length = 0
  while (length < limit && a.charCodeAt(length) === b.charCodeAt(length)) length++
  return pairStart(a, length)
}

/** Common suffix that does not overlap the common prefix of either side, never starting inside a surrogate pair. */
function commonSuffixLength(a: string, b: string, prefix: number): number {
  const limit = Math.min(a.length, b.length) - prefix
  let length = 0
  while (length < limit && a.charCodeAt(a.length - 1 - length) === b.charCodeAt(b.length - 1 - length)) length++
  // A suffix that starts on the second half of a pair would split an emoji whose first half differs.
  return pairStart(a, a.length - length) < a.length - length ? length - 1 : length
}

/** `index`, moved back by one when it falls between the two halves of a surrogate pair (an emoji). */
function pairStart(text: string, index: number): number {
  if (index <= 0 || index >= text.length) return index
  const code = text.charCodeAt(index)
  return code >= 0xdc00 && code <= 0xdfff ? index - 1 : index
}
