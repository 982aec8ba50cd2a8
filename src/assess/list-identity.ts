/**
 * Which item of a list is which, so that the diff can compare lists item by item. Archy flows are mostly lists
 * (`menus`, `tasks`, `actions`, `choices`) whose items are one-key mappings (`- transferToAcd: {name: …}`); an
 * item's identity is its `name`, else its `refId`, else (for such a one-key item) that key.
 */

import { isPlainObject } from './config-values.js'

type Mapping = Record<string, unknown>

/** One list item as the diff compares it. */
export interface ListItem {
  /** What tells the item apart from the others of its list (`Transfer to sales`). */
  identity: string
  /**
   * The single key of an item that is a mapping with one key whose value is a mapping (`transferToAcd`), the
   * "type" of an Archy action; undefined for other items. An item whose key changes is replaced as a whole.
   */
  wrapperKey: string | undefined
  /** The mapping compared key by key: the value under `wrapperKey`, else the item itself. */
  body: Mapping
}

/** The items of both sides of a list, with each identity's index on its side. */
export interface IdentifiedList {
  before: ListItem[]
  after: ListItem[]
  beforeIndex: Map<string, number>
  afterIndex: Map<string, number>
}

/** What an item offers as an identity, before a list decides which kind it uses. */
interface Candidate {
  name: string | undefined
  refId: string | undefined
  wrapperKey: string | undefined
  body: Mapping
}

/**
 * The kinds of identity a list may use, in the order they are tried. Names repeat in real flows (two `Disconnect`
 * actions in different branches), so a list whose names are not unique tries refIds; an item without the preferred
 * kind falls back to the next (an unnamed `- disconnect: {}` is `disconnect`).
 */
const IDENTITY_ORDERS: readonly (readonly IdentityKind[])[] = [
  ['name', 'refId', 'wrapperKey'],
  ['refId', 'wrapperKey']
]

type IdentityKind = 'name' | 'refId' | 'wrapperKey'

/**
 * The items of two lists identified by the first kind of identity that every item on both sides has and that is
 * unique within each side; undefined when there is none (lists of plain values, items without a name, a refId or
 * a single key, or identities that repeat whatever the kind), and the lists are then compared as whole values.
 */
export function identifyListItems(before: readonly unknown[], after: readonly unknown[]): IdentifiedList | undefined {
  const beforeCandidates = candidatesOf(before)
  const afterCandidates = beforeCandidates && candidatesOf(after)
  if (!beforeCandidates || !afterCandidates) return undefined
  for (const order of IDENTITY_ORDERS) {
    const identifiedBefore = identify(beforeCandidates, order)
    const identifiedAfter = identifiedBefore && identify(afterCandidates, order)
    if (identifiedBefore && identifiedAfter) {
      return { before: identifiedBefore.items, after: identifiedAfter.items, beforeIndex: identifiedBefore.index, afterIndex: identifiedAfter.index }
    }
  }
  return undefined
}

/** The candidates of every item, or undefined as soon as one item is not a mapping. */
function candidatesOf(list: readonly unknown[]): Candidate[] | undefined {
  const candidates: Candidate[] = []
  for (const item of list) {
    if (!isPlainObject(item)) return undefined
    const wrapperKey = singleMappingKey(item)
    const body = wrapperKey === undefined ? item : (item[wrapperKey] as Mapping)
    candidates.push({ name: scalarText(body.name), refId: scalarText(body.refId), wrapperKey, body })
  }
  return candidates
}

function identify(candidates: readonly Candidate[], order: readonly IdentityKind[]): { items: ListItem[]; index: Map<string, number> } | undefined {
  const items: ListItem[] = []
  const index = new Map<string, number>()
  for (const candidate of candidates) {
    let identity: string | undefined
    for (const kind of order) {
      identity = candidate[kind]
      if (identity !== undefined) break
    }
    if (identity === undefined || index.has(identity)) return undefined
    index.set(identity, items.length)
    items.push({ identity, wrapperKey: candidate.wrapperKey, body: candidate.body })
  }
  return { items, index }
}

/** The one present key of a mapping when its value is a mapping (`{transferToAcd: {…}}`), else undefined. */
function singleMappingKey(item: Mapping): string | undefined {
  let found: string | undefined
  for (const key in item) {
    if (!Object.hasOwn(item, key) || item[key] === undefined) continue
    if (found !== undefined) return undefined
    found = key
  }
  return found !== undefined && isPlainObject(item[found]) ? found : undefined
}

// YAML reads `name: 2024` as a number; it still names the item. Other values (a mapping, a boolean) do not.
function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined
}
