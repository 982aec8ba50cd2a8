/**
 * The goal groups of `npm run bench`, in the order the table prints them, each with its goal in the words of the
 * issue that set it. Rows name their group by `id`.
 */

/** One group of rows and the goal they are judged against. */
export interface GoalGroup {
  id: string
  /** Heading of the group in the table. */
  title: string
  /** The goal, as the issue states it. */
  goal: string
}

export const GOAL_GROUPS = [
  {
    id: 'load',
    title: '1. Load + check of a manifest at 1,000 / 10,000 / 50,000 flows (about 20 leaves each, YAML written with yaml.stringify)',
    goal:
      'loadBundle (through the workspace gate, every check) ≤ 10× JSON.parse of the same data, at 10,000; the same for a baseline file ' +
      '(readBaselineFile); growth 10,000 → 50,000 ≤ ×6. Peak memory per size (each size in its own child process).'
  },
  {
    id: 'diff',
    title: '2. Diff + impact at 10,000 flows (1 % modified, 0.5 % added, 0.5 % removed)',
    goal:
      'computeDiff + assessImpact at least 5× faster than a straightforward Python implementation on the same data, measured in the ' +
      'same run. Also median ms and allocation (the absolute target ≤ 14 ms on an idle machine: INFO).'
  },
  {
    id: 'assess',
    title: '3. Whole assess run of dist/index.js under Node 24 on the 10,000-flow bundle with a YAML baseline, no credentials',
    goal: 'wall time ≤ 1.5 s and peak memory ≤ 300 MB; reference: the same process on a 500-flow bundle, and node -e 0.'
  },
  {
    id: 'concurrency',
    title: '4. Concurrent flow jobs (api: architect, 24 flows in 3 dependency levels, each job ~1 s, poll inputs 2 s / 15 s, real time)',
    goal: '≤ 20 s at the default max-parallel-jobs (4), and with 8 at least 5× faster than with 1 (the reference) at the same poll inputs.'
  },
  {
    id: 'polls',
    title: '5. Polls that learn (counted on a virtual clock)',
    goal: 'mean detection lag ≤ 1/4 of the 5 s ×1.5 (cap 30 s) schedule’s, with no more status requests than it makes.'
  },
  {
    id: 'earlier',
    title: '6. Earlier goals, as ratios to a reference in the same run',
    goal:
      'cold start < 400 ms, 500-flow load + plan < 500 ms, render < 100 ms, each over the ~50 ms of node -e 0 on an idle machine; ' +
      'deploy ≤ the cold start + one poll interval (0.2 s, the floor) + 150 ms, over the cold start + that sleep; at most 50 status requests ' +
      'over a 10-minute deployment.'
  }
] as const satisfies readonly GoalGroup[]

/** The id of a goal group. */
export type GoalGroupId = (typeof GOAL_GROUPS)[number]['id']

/** The groups named on the command line (all when none); throws an instruction for an unknown name. */
export function selectedGroups(args: readonly string[]): GoalGroupId[] {
  const known = GOAL_GROUPS.map(group => group.id) as GoalGroupId[]
  const unknown = args.filter(arg => !known.includes(arg as GoalGroupId))
  if (unknown.length > 0) throw new Error(`Unknown benchmark group(s) ${unknown.join(', ')}; name some of: ${known.join(', ')}.`)
  return args.length === 0 ? known : (args as GoalGroupId[])
}
