/**
 * The diff before lists were compared item by item is the oracle: on configurations without identified lists, the
 * rewritten diff must give exactly what it gave (paths, values, order, resource grouping).
 */
import { computeDiff, formatPath, parsePath, resourceChanges, type Diff, type DiffChange, type ResourceChanges } from '../src/assess/diff.js'
import { SeededRandom } from './helpers/seeded-random.js'

// ---- The oracle: the previous implementation, unchanged but for its names. ----

type PlainObject = Record<string, unknown>
interface OracleDiff {
  added: string[]
  removed: string[]
  modified: string[]
  changes: DiffChange[]
}

const ORACLE_BARE_SEGMENT = /^[^.[\]"\\]+$/
const ORACLE_BRACKET_SEGMENT = /^\["((?:[^"\\]|\\.)*)"\]/

function oracleComputeDiff(before: PlainObject, after: PlainObject): OracleDiff {
  const changes: DiffChange[] = []
  oracleCollectChanges([], ...oracleWithGroupsOnBothSides(before, after), changes)
  const ofKind = (kind: DiffChange['kind']): string[] => changes.filter(change => change.kind === kind).map(change => change.path)
  return { added: ofKind('added'), removed: ofKind('removed'), modified: ofKind('modified'), changes }
}

function oracleWithGroupsOnBothSides(before: PlainObject, after: PlainObject): [PlainObject, PlainObject] {
  const filledBefore = { ...before }
  const filledAfter = { ...after }
  for (const group of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (oracleIsPlainObject(before[group]) && after[group] === undefined) filledAfter[group] = {}
    if (oracleIsPlainObject(after[group]) && before[group] === undefined) filledBefore[group] = {}
  }
  return [filledBefore, filledAfter]
}

function oracleFormatPath(segments: readonly string[]): string {
  let path = ''
  for (const segment of segments) {
    if (ORACLE_BARE_SEGMENT.test(segment)) path += path === '' ? segment : `.${segment}`
    else path += `[${JSON.stringify(segment)}]`
  }
  return path
}

function oracleParsePath(path: string): string[] {
  const segments: string[] = []
  let rest = path
  while (rest !== '') {
    const bracket = ORACLE_BRACKET_SEGMENT.exec(rest)
    if (bracket) {
      segments.push(JSON.parse(`"${bracket[1]}"`) as string)
      rest = rest.slice(bracket[0].length)
    } else {
      if (segments.length > 0) {
        if (!rest.startsWith('.')) throw new Error(`The diff path "${path}" is malformed near "${rest}"; expected "." or "[".`)
        rest = rest.slice(1)
      }
      const end = rest.search(/[.[]/)
      const segment = end === -1 ? rest : rest.slice(0, end)
      if (segment === '') throw new Error(`The diff path "${path}" has an empty segment; write empty keys as [""].`)
      segments.push(segment)
      rest = end === -1 ? '' : rest.slice(end)
    }
  }
  return segments
}

function oracleValuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b)
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => oracleValuesEqual(item, b[i]))
  }
  if (oracleIsPlainObject(a) && oracleIsPlainObject(b)) {
    const keysA = oraclePresentKeys(a)
    const keysB = oraclePresentKeys(b)
    return keysA.length === keysB.length && keysA.every(key => oracleIsPresent(b, key) && oracleValuesEqual(a[key], b[key]))
  }
  return false
}

function oracleIsPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value) as unknown
  return prototype === Object.prototype || prototype === null
}

function oracleCollectChanges(at: string[], before: PlainObject, after: PlainObject, out: DiffChange[]): void {
  const keys = [...new Set([...oraclePresentKeys(before), ...oraclePresentKeys(after)])].sort(oracleCompareStrings)
  for (const key of keys) {
    const segments = [...at, key]
    const inBefore = oracleIsPresent(before, key)
    const inAfter = oracleIsPresent(after, key)
    if (!inAfter) {
      out.push({ path: oracleFormatPath(segments), kind: 'removed', before: before[key] })
    } else if (!inBefore) {
      out.push({ path: oracleFormatPath(segments), kind: 'added', after: after[key] })
    } else {
      const was = before[key]
      const now = after[key]
      if (oracleIsPlainObject(was) && oracleIsPlainObject(now)) oracleCollectChanges(segments, was, now, out)
      else if (!oracleValuesEqual(was, now)) out.push({ path: oracleFormatPath(segments), kind: 'modified', before: was, after: now })
    }
  }
}

function oracleIsPresent(object: PlainObject, key: string): boolean {
  return Object.hasOwn(object, key) && object[key] !== undefined
}

function oraclePresentKeys(object: PlainObject): string[] {
  return Object.keys(object).filter(key => object[key] !== undefined)
}

function oracleCompareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

const ORACLE_KIND_ORDER: Record<DiffChange['kind'], number> = { removed: 0, modified: 1, added: 2 }

function oracleResourceChanges(diff: OracleDiff): ResourceChanges {
  const byPath = new Map<string, ResourceChanges['resources'][number]>()
  const other: DiffChange[] = []
  for (const change of diff.changes) {
    const segments = oracleParsePath(change.path)
    if (segments.length === 1) {
      const expanded = oracleExpandGroupChange(segments[0], change)
      if (expanded.length === 0) other.push(change)
      for (const resource of expanded) byPath.set(resource.path, resource)
      continue
    }
    const [group, name, ...inside] = segments
    const path = oracleFormatPath([group, name])
    if (inside.length === 0) {
      byPath.set(path, { group, name, path, kind: change.kind, before: change.before, after: change.after, inner: [] })
      continue
    }
    const resource = byPath.get(path) ?? { group, name, path, kind: 'modified' as const, inner: [] }
    resource.inner.push({ ...change, path: oracleFormatPath(inside) })
    byPath.set(path, resource)
  }
  const resources = [...byPath.values()].sort(
    (a, b) => oracleCompareStrings(a.group, b.group) || ORACLE_KIND_ORDER[a.kind] - ORACLE_KIND_ORDER[b.kind] || oracleCompareStrings(a.name, b.name)
  )
  return { resources, other }
}

function oracleExpandGroupChange(group: string, change: DiffChange): ResourceChanges['resources'] {
  const before = oracleIsPlainObject(change.before) ? change.before : {}
  const after = oracleIsPlainObject(change.after) ? change.after : {}
  const resource = (name: string, kind: DiffChange['kind']): ResourceChanges['resources'][number] => ({
    group,
    name,
    path: oracleFormatPath([group, name]),
    kind,
    ...(kind === 'added' ? { after: after[name] } : { before: before[name] }),
    inner: []
  })
  return [
    ...oraclePresentKeys(before)
      .filter(name => !oracleIsPresent(after, name))
      .map(name => resource(name, 'removed')),
    ...oraclePresentKeys(after)
      .filter(name => !oracleIsPresent(before, name))
      .map(name => resource(name, 'added'))
  ]
}

// ---- Random configurations without identified lists. ----

const KEYS = ['a', 'b', 'c', 'version', 'x.y', 'with space', '', 'q"uote', 'name', 'refId', 'é']
const GROUPS = ['flows', 'queues', 'version', 'other']
const PRIMITIVES: unknown[] = [0, 1, -2.5, Number.NaN, '', 'x', 'longer text', true, false, null]

/** A value of at most `depth` levels; `undefined` only where a key may hold it (then it is absent). */
function randomValue(random: SeededRandom, depth: number): unknown {
  const roll = random.int(10)
  if (depth <= 0 || roll < 4) return random.pick(PRIMITIVES)
  if (roll < 7) return randomMapping(random, depth - 1)
  return randomList(random, depth - 1)
}

function randomMapping(random: SeededRandom, depth: number): PlainObject {
  const mapping: PlainObject = {}
  for (let count = random.int(5); count > 0; count--) mapping[random.pick(KEYS)] = random.chance(0.08) ? undefined : randomValue(random, depth)
  return mapping
}

/**
 * A list that no identity fits: plain values, lists, and mappings of two or more present keys without a name or
 * a refId (a one-key mapping of a mapping would be identified by its key).
 */
function randomList(random: SeededRandom, depth: number): unknown[] {
  return Array.from({ length: random.int(4) }, () => {
    const roll = random.int(3)
    if (roll === 0 || depth <= 0) return random.pick(PRIMITIVES)
    if (roll === 1) return randomList(random, depth - 1)
    const mapping: PlainObject = { first: randomValue(random, depth - 1), second: randomValue(random, depth - 1) }
    if (random.chance(0.5)) mapping.third = randomValue(random, depth - 1)
    return mapping
  })
}

/** A copy of `value` with random edits: values replaced, keys dropped or added, list items changed. */
function mutate(random: SeededRandom, value: unknown, depth: number): unknown {
  if (random.chance(0.1)) return randomValue(random, depth)
  if (Array.isArray(value)) {
    const copy = value.map(item => (random.chance(0.15) ? mutate(random, item, depth - 1) : structuredClone(item)))
    if (random.chance(0.1)) copy.reverse()
    return copy
  }
  if (value !== null && typeof value === 'object') {
    const copy: PlainObject = {}
    // Keys in another order than the original: the diff must not depend on it.
    for (const [key, inner] of Object.entries(value).reverse()) {
      if (random.chance(0.1)) continue
      copy[key] = random.chance(0.3) ? mutate(random, inner, depth - 1) : structuredClone(inner)
    }
    if (random.chance(0.2)) copy[random.pick(KEYS)] = randomValue(random, depth)
    return copy
  }
  return random.chance(0.3) ? random.pick(PRIMITIVES) : value
}

/** `mutate` of a whole configuration, which stays a mapping (a configuration is never a list or a value). */
function mutatedConfiguration(random: SeededRandom, config: PlainObject): PlainObject {
  const mutated = mutate(random, config, 4)
  return mutated !== null && typeof mutated === 'object' && !Array.isArray(mutated) ? (mutated as PlainObject) : randomConfiguration(random)
}

function randomConfiguration(random: SeededRandom): PlainObject {
  const config: PlainObject = {}
  for (const group of GROUPS) {
    if (random.chance(0.3)) continue
    if (random.chance(0.2)) config[group] = randomValue(random, 1)
    else config[group] = Object.fromEntries(Array.from({ length: random.int(5) }, (_, i) => [`${random.pick(KEYS)}${i}`, randomValue(random, 3)]))
  }
  return config
}

/** The Diff without the fields the oracle did not have. */
function asOracleDiff(diff: Diff): OracleDiff {
  return { added: diff.added, removed: diff.removed, modified: diff.modified, changes: diff.changes }
}

describe('computeDiff against the previous implementation', () => {
  it('gives exactly its paths, values, order and resource grouping on 600 random configurations', () => {
    let changed = 0
    for (let seed = 1; seed <= 600; seed++) {
      const random = new SeededRandom(seed)
      const before = randomConfiguration(random)
      const after = random.chance(0.1) ? randomConfiguration(random) : mutatedConfiguration(random, before)
      const expected = oracleComputeDiff(before, after)
      const diff = computeDiff(before, after)
      expect({ seed, diff: asOracleDiff(diff) }).toEqual({ seed, diff: expected })
      expect({ seed, resources: resourceChanges(diff) }).toEqual({ seed, resources: oracleResourceChanges(expected) })
      if (expected.changes.length > 0) changed++
    }
    // The generator must mostly make changes, or the comparison would prove little.
    expect(changed).toBeGreaterThan(480)
  })

  it('derives the same resource grouping from the paths alone, for a Diff written by hand', () => {
    for (let seed = 1001; seed <= 1200; seed++) {
      const random = new SeededRandom(seed)
      const before = randomConfiguration(random)
      const diff = computeDiff(before, mutatedConfiguration(random, before))
      expect({ seed, resources: resourceChanges(asOracleDiff(diff)) }).toEqual({ seed, resources: resourceChanges(diff) })
    }
  })

  it('writes paths that read back to the same segments', () => {
    for (let seed = 2001; seed <= 2200; seed++) {
      const random = new SeededRandom(seed)
      const before = randomConfiguration(random)
      for (const change of computeDiff(before, mutatedConfiguration(random, before)).changes) {
        expect(formatPath(parsePath(change.path))).toBe(change.path)
        expect(parsePath(change.path)).toEqual(oracleParsePath(change.path))
      }
    }
  })
})
