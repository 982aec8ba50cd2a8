/**
 * Does filling the placeholders change the YAML's structure? A value such as `Sales: Tier 1` or `#1 choice`
 * substituted into an unquoted scalar turns into a mapping or a comment; inside a quoted or block scalar it is text.
 * The sound test: the file read with an inert token in place of each placeholder, tokens then replaced by their
 * values inside strings, must equal the file read with the values filled in. The first place where it does not is
 * reported, with the substitution whose token stood there.
 */
import { isMapping } from '../../mapping.js'
import type { PlaceholderTokens } from './placeholders.js'

/** Where the two readings part, and the substitutions whose tokens stood there. */
export interface StructureChange {
  /** Key path of the first difference in the substituted reading (`inboundCall.tasks.0.task.name`). */
  path: (string | number)[]
  /** Keys of the substitutions involved, first first; empty only if no token is near (should not happen). */
  keys: string[]
}

/**
 * Compares `withTokens` (the file read with tokens) and `substituted` (read with values). Strings are compared
 * with their whitespace runs folded, since a value with a line break or edge spaces inside a scalar is folded or
 * trimmed by YAML without changing structure; a token standing alone may become a number or a boolean.
 */
export function findStructureChange(
  withTokens: unknown,
  substituted: unknown,
  tokens: PlaceholderTokens,
  valueOf: (key: string) => string
): StructureChange | undefined {
  const trail: { node: unknown; segment: string | number }[] = []
  const differs = (expected: unknown, actual: unknown): boolean => {
    if (typeof expected === 'string') return !sameScalar(expected, actual, tokens, valueOf)
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual) || actual.length !== expected.length) return true
      for (let index = 0; index < expected.length; index++) {
        trail.push({ node: expected[index], segment: index })
        if (differs(expected[index], actual[index])) return true
        trail.pop()
      }
      return false
    }
    if (isMapping(expected)) {
      if (!isMapping(actual)) return true
      const actualKeys = new Map(Object.keys(actual).map(key => [foldSpaces(key), key]))
      const expectedKeys = Object.keys(expected)
      if (expectedKeys.length !== actualKeys.size) return true
      for (const key of expectedKeys) {
        const actualKey = actualKeys.get(foldSpaces(tokens.fill(key, valueOf)))
        trail.push({ node: expected[key], segment: actualKey ?? tokens.fill(key, valueOf) })
        if (actualKey === undefined) {
          // The key itself changed: its tokens are the ones to name.
          trail[trail.length - 1].node = key
          return true
        }
        if (differs(expected[key], actual[actualKey])) return true
        trail.pop()
      }
      return false
    }
    return !(Object.is(expected, actual) || (typeof expected === 'number' && expected === actual))
  }
  if (!differs(withTokens, substituted)) return undefined
  const path = trail.map(step => step.segment)
  // The tokens under the first difference, else under each enclosing node in turn.
  for (let depth = trail.length; depth >= 0; depth--) {
    const node = depth === 0 ? withTokens : trail[depth - 1].node
    const keys = tokenKeysUnder(node, tokens)
    if (keys.length > 0) return { path, keys }
  }
  return { path, keys: [] }
}

function sameScalar(expected: string, actual: unknown, tokens: PlaceholderTokens, valueOf: (key: string) => string): boolean {
  const filled = tokens.fill(expected, valueOf)
  if (typeof actual === 'string') return filled === actual || foldSpaces(filled) === foldSpaces(actual)
  if (actual === null || typeof actual === 'number' || typeof actual === 'boolean') {
    // `retries: {{retries}}` with 3 reads as the number 3: the same scalar, typed as YAML types a plain one.
    const standsAlone = tokens.keysIn(expected).length === 1 && tokens.fill(expected, () => '').trim() === ''
    return standsAlone || (actual !== null && String(actual) === filled.trim())
  }
  return false
}

function foldSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** The substitution keys whose tokens occur anywhere in `node` (keys and strings), without recursion. */
function tokenKeysUnder(node: unknown, tokens: PlaceholderTokens): string[] {
  const keys: string[] = []
  const add = (text: string): void => {
    for (const key of tokens.keysIn(text)) if (!keys.includes(key)) keys.push(key)
  }
  const pending: unknown[] = [node]
  while (pending.length > 0) {
    const current = pending.pop()
    if (typeof current === 'string') add(current)
    else if (Array.isArray(current)) for (const item of current) pending.push(item)
    else if (isMapping(current)) {
      for (const [key, value] of Object.entries(current)) {
        add(key)
        pending.push(value)
      }
    }
  }
  return keys
}
