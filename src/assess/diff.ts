/** One changed dotted path between the baseline and the bundle's configuration. */
export interface DiffChange {
  /** Dotted path (`flows.main-entry.routingStrategy`). */
  path: string
  kind: 'added' | 'removed' | 'modified'
  /** Value in the baseline (absent for `added`). */
  before?: unknown
  /** Value in the bundle (absent for `removed`). */
  after?: unknown
}

/** The configuration diff. `added` / `removed` / `modified` are the output `diff`. */
export interface Diff {
  added: string[]
  removed: string[]
  modified: string[]
  /** The same changes with their values, sorted by path. */
  changes: DiffChange[]
}
