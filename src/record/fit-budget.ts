/**
 * Byte budgets for records that leave the runner: step outputs (GitHub keeps at most 1 MB of them per job, and a
 * later step that passes one through `env:` fails with "Argument list too long" well before that), the audit entry
 * and the webhook body. Lists are cut from the end, so what is kept is always a prefix in the original order.
 */

/** UTF-8 bytes of `value` serialized as JSON. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8')
}

/**
 * What one list item costs in a JSON array: its own bytes and a separating comma. The first item needs no comma,
 * so a sum of these over-counts by one byte: the budget errs on the safe side.
 */
export function itemCosts(items: readonly unknown[]): number[] {
  return items.map(item => jsonBytes(item) + 1)
}

/** Part of the room left that one list may take in the first pass, so that a long early list leaves some for the rest. */
const FIRST_PASS_SHARE = 0.5

/**
 * How many items of each list to keep so that together they cost at most `budget` bytes. `costs` holds each list's
 * item costs (see itemCosts), most important list first.
 *
 * First pass: each list in turn takes items while they fit in half of the room still left (the last list may take it
 * all), so that a list of 20,000 names early on does not starve the short, important lists after it. Second pass: the
 * room that remains goes to the lists in the same order. A list stops at its first item that does not fit: what is
 * kept is a prefix. Pure.
 */
export function fitLists(costs: readonly (readonly number[])[], budget: number): number[] {
  const kept = costs.map(() => 0)
  let room = Math.max(0, budget)
  const take = (index: number, allowance: number): number => {
    const list = costs[index]
    let used = 0
    while (kept[index] < list.length && used + list[kept[index]] <= allowance) {
      used += list[kept[index]]
      kept[index]++
    }
    return used
  }
  costs.forEach((_, index) => {
    const share = index === costs.length - 1 ? room : Math.floor(room * FIRST_PASS_SHARE)
    room -= take(index, share)
  })
  costs.forEach((_, index) => {
    room -= take(index, room)
  })
  return kept
}

/** `text` cut to at most `maxChars` characters, saying how many were left out. */
export function clipText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  const omitted = text.length - maxChars
  return `${text.slice(0, maxChars)}… (${omitted} more characters)`
}
