/**
 * Plain scalars seen before, by their text: configuration repeats the same keys (`name`, `file`, `version`)
 * and many values thousands of times. Finding one here costs a hash and a comparison over its characters, and
 * saves cutting a new string out of the text, resolving it again and, for keys, the engine's work of turning a
 * fresh string into a property name.
 */
import { resolvePlainScalar } from './plain-yaml-scalars.js'

/** Slots in the cache (a power of two); a later text with the same hash replaces an earlier one. */
const SLOTS = 4096
/** Longer texts are rarely repeated and not worth comparing. */
const LONGEST_CACHED = 64

/** A direct-mapped cache of plain scalar texts (of one document) and their core-schema values. */
export class PlainScalarCache {
  /**
   * Where each cached text is written in the document, and its length (-1: empty slot). A text is recognised
   * by comparing the document with itself there, faster than with a string the engine may hold as a slice.
   */
  private readonly starts = new Int32Array(SLOTS)
  private readonly lengths = new Int32Array(SLOTS).fill(-1)
  private readonly values: unknown[] = new Array<unknown>(SLOTS).fill(undefined)

  /**
   * The core-schema value of the plain scalar text `source[start, end)`, whose hash (FNV-1a over its
   * characters, from 0) is `hash`. `source` is the same document text on every call.
   */
  resolve(source: string, start: number, end: number, hash: number): unknown {
    const length = end - start
    if (length > LONGEST_CACHED) return resolvePlainScalar(source.slice(start, end))
    const mixed = hash ^ length
    const slot = (mixed ^ (mixed >>> 15)) & (SLOTS - 1)
    if (this.lengths[slot] === length && sameText(source, this.starts[slot], start, length)) return this.values[slot]
    const value = resolvePlainScalar(source.slice(start, end))
    this.starts[slot] = start
    this.lengths[slot] = length
    this.values[slot] = value
    return value
  }
}

function sameText(source: string, cached: number, start: number, length: number): boolean {
  for (let index = 0; index < length; index++) {
    if (source.charCodeAt(cached + index) !== source.charCodeAt(start + index)) return false
  }
  return true
}
