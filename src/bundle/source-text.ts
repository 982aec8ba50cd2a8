/**
 * The text a configuration value was read from, when that text alone decides the value: a whole Archy flow file
 * (its placeholders already filled), or a flow or queue of a manifest, whose block mapping's lines the plain YAML
 * reader keeps (plain-yaml-tree.ts: it reads no anchors, aliases or tags, so nothing else can change the value).
 * Two values read from equal texts by the same reader are equal, so the diff can compare the texts (one `===` of
 * two strings, which the engine does as a memory compare) instead of walking both values: at 10,000 flows, of which
 * 1 % changed, that is most of the diff's time. Values are remembered by identity in a WeakMap, so a copy or a value
 * built any other way (a copy too) has no text and is compared value by value; a value must not be changed after it
 * is remembered.
 */

/** How a value was read: the reader and the text it was given. */
interface ReadFrom {
  reader: string
  text: string
}

const sources = new WeakMap<object, ReadFrom>()

/**
 * Remembers that `value`, as returned by `reader` (a name for one reading function and its options), was read from
 * the whole of `text` and nothing else. Returns `value`.
 */
export function readFromText<T>(value: T, reader: string, text: string): T {
  if (typeof value === 'object' && value !== null) sources.set(value, { reader, text })
  return value
}

/** True when both values were read by the same reader from equal texts: they are equal without looking inside. */
export function readFromEqualTexts(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false
  const first = sources.get(a)
  if (first === undefined) return false
  const second = sources.get(b)
  return second !== undefined && first.reader === second.reader && first.text === second.text
}
