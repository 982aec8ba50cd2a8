/**
 * Configuration values as the diff sees them: JSON / YAML data, where a key set to `undefined` is absent (it cannot
 * be written) and only `{…}` objects are mappings.
 */

type Mapping = Record<string, unknown>

/** True for `{…}` objects (not arrays, dates, class instances). */
export function isPlainObject(value: unknown): value is Mapping {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

/** The value of an own key, undefined when the key is absent (or inherited: `toString` is no configuration key). */
export function ownValue(mapping: Mapping, key: string): unknown {
  return Object.hasOwn(mapping, key) ? mapping[key] : undefined
}

/**
 * True when two values are equal as configuration data: same primitives (NaN equals NaN), arrays with equal items
 * in the same order, plain objects with the same keys and equal values. Stops at the first difference and
 * allocates nothing: it runs on every unchanged list of every flow.
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // NaN is the one value not equal to itself.
    return typeof a === 'number' && typeof b === 'number' && a !== a && b !== b
  }
  const aIsArray = Array.isArray(a)
  if (aIsArray !== Array.isArray(b)) return false
  if (aIsArray) return listsEqual(a as unknown[], b as unknown[])
  return isPlainObject(a) && isPlainObject(b) && mappingsEqual(a, b)
}

/** True when two lists hold equal items in the same order. */
export function listsEqual(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let index = 0; index < a.length; index++) {
    const item = a[index]
    const other = b[index]
    if (item !== other && !valuesEqual(item, other)) return false
  }
  return true
}

/** True when two mappings have the same present keys with equal values. */
function mappingsEqual(a: Mapping, b: Mapping): boolean {
  let matched = 0
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue
    const value = a[key]
    if (value === undefined) continue
    const other = b[key]
    // b's own-ness is checked last, only for values equal but not identical: an inherited value (`toString`) is
    // never identical to one of a's, and only the `__proto__` getter's object could be equal to one.
    if (value !== other && (other === undefined || !valuesEqual(value, other) || !Object.hasOwn(b, key))) return false
    matched++
  }
  // Every present key of a is in b; b has no other key if it has no more keys (counted without reading them).
  return keyCount(b) === matched || presentKeyCount(b) === matched
}

/** How many keys a mapping has, `undefined` values and inherited enumerable keys included: the quick count. */
export function keyCount(mapping: Mapping): number {
  let count = 0
  for (const _key in mapping) count++
  return count
}

/** How many own keys a mapping has with a value other than `undefined`: the exact count. */
export function presentKeyCount(mapping: Mapping): number {
  let count = 0
  for (const key in mapping) if (mapping[key] !== undefined && Object.hasOwn(mapping, key)) count++
  return count
}
