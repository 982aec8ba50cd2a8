/**
 * The change the diff and assess benchmarks are stated for: of the flows, 1 % modified, 0.5 % added and 0.5 %
 * removed, spread over the names rather than in blocks. Pure.
 */

/** What one flow index becomes between the baseline and the bundle. */
export type FlowFate = 'same' | 'modified' | 'added' | 'removed'

/** The fate of the flow at `index`: 1 in 100 modified, 1 in 200 added, 1 in 200 removed. */
export function fateOf(index: number): FlowFate {
  if (index % 100 === 7) return 'modified'
  if (index % 200 === 13) return 'added'
  if (index % 200 === 113) return 'removed'
  return 'same'
}

/** How many flows of `flows` (indexes 0 … flows - 1) meet each fate but `same`. */
export function countFates(flows: number): Record<Exclude<FlowFate, 'same'>, number> {
  const counts = { modified: 0, added: 0, removed: 0 }
  for (let index = 0; index < flows; index++) {
    const fate = fateOf(index)
    if (fate !== 'same') counts[fate]++
  }
  return counts
}
