/** The pure parts of the benchmarks: statistics, verdicts, the poll replay, the generated bundle, the table. */
import { generateLargeBundle, LARGE_BUNDLE } from '../bench/large-bundle-fixture.js'
import { measureRuns } from '../bench/measure.js'
import { checkDefaultPollSchedule, replayPollSchedule } from '../bench/poll-schedule-count.js'
import { alignColumns, formatFooter, formatMs, formatTimingTable } from '../bench/results-table.js'
import { median, percentile, summarize } from '../bench/stats.js'
import { errorRow, judge, timingRow } from '../bench/verdict.js'

describe('stats', () => {
  it('takes the median of odd and even counts and a nearest-rank p95', () => {
    expect(median([1, 2, 9])).toBe(2)
    expect(median([1, 2, 4, 9])).toBe(3)
    const twenty = Array.from({ length: 20 }, (_, index) => index + 1)
    expect(percentile(twenty, 95)).toBe(19)
    expect(percentile(twenty, 100)).toBe(20)
    expect(summarize([30, 10, 20])).toEqual({ runs: 3, medianMs: 20, p95Ms: 30, minMs: 10 })
  })

  it('refuses no samples and a percentile out of range', () => {
    expect(() => summarize([])).toThrow(/no samples/)
    expect(() => percentile([1], 0)).toThrow(/out of range/)
  })
})

describe('verdicts', () => {
  const summary = { runs: 5, medianMs: 399.9, p95Ms: 450, minMs: 300 }

  it('passes a median strictly below the goal, fails at or above it, informs without a goal', () => {
    expect(judge(summary, { maxMedianMs: 400, why: '' })).toBe('PASS')
    expect(judge({ ...summary, medianMs: 400 }, { maxMedianMs: 400, why: '' })).toBe('FAIL')
    expect(judge(summary, undefined)).toBe('INFO')
  })

  it('turns a throw into an ERROR row with its message', () => {
    expect(errorRow('deploy', new Error('dist/index.js ended with exit code 1'))).toEqual({
      name: 'deploy',
      verdict: 'ERROR',
      error: 'dist/index.js ended with exit code 1'
    })
  })
})

describe('measureRuns', () => {
  it('runs the warm-up untimed, then at most `runs` timed runs, each after its prepare', async () => {
    const calls: string[] = []
    const samples = await measureRuns(async (prepared: number) => calls.push(`run ${prepared}`), {
      warmupRuns: 2,
      runs: 3,
      budgetMs: 60_000,
      prepare: async index => index
    })
    expect(samples).toHaveLength(3)
    expect(calls).toEqual(['run 0', 'run 1', 'run 2', 'run 3', 'run 4'])
  })

  it('stops at minRuns once the budget is spent', async () => {
    const samples = await measureRuns(async () => undefined, { warmupRuns: 0, runs: 100, minRuns: 2, budgetMs: -1 })
    expect(samples).toHaveLength(2)
  })
})

describe('poll schedule replay', () => {
  it('polls every interval when the interval cannot grow', () => {
    const replay = replayPollSchedule({ deploymentMs: 5000, timeoutMs: 60_000, initialMs: 1000, maxMs: 1000, random: () => 0.5 })
    expect(replay).toEqual({ requests: 5, lastPollAtMs: 5000, longestWaitMs: 1000 })
  })

  it('stops at the deadline when the deployment outlasts it', () => {
    const replay = replayPollSchedule({ deploymentMs: 10_000, timeoutMs: 2500, initialMs: 1000, maxMs: 1000, random: () => 0.5 })
    expect(replay).toEqual({ requests: 3, lastPollAtMs: 2500, longestWaitMs: 1000 })
  })

  it('backs off from 2 s to 15 s over a 10-minute deployment with the defaults', () => {
    const check = checkDefaultPollSchedule()
    expect(check).toMatchObject({ deploymentMs: 600_000, initialMs: 2000, maxMs: 15_000, fixedIntervalRequests: 300 })
    // 2 + 3 + 4.5 + 6.75 + 10.125 s, then 15 s waits: 5 + 39 polls reach 600 s.
    expect(check.nominal.requests).toBe(44)
    expect(check.fewest.requests).toBeLessThanOrEqual(check.nominal.requests)
    expect(check.most.requests).toBeGreaterThanOrEqual(check.nominal.requests)
    expect(check.verdict).toBe(check.most.requests <= check.maxRequests ? 'PASS' : 'FAIL')
  })
})

describe('large bundle fixture', () => {
  it('has the stated size and differs from its baseline in a fifth of the resources', () => {
    const { manifest, baseline, flowFiles } = generateLargeBundle(LARGE_BUNDLE)
    const target = manifest.targetConfig as Record<string, Record<string, unknown>>
    const before = baseline.targetConfig as Record<string, Record<string, unknown>>
    expect(Object.keys(target.flows)).toHaveLength(500)
    expect(Object.keys(target.queues)).toHaveLength(100)
    expect(Object.keys(flowFiles)).toHaveLength(250)

    const differing = (['flows', 'queues'] as const).flatMap(group => {
      const names = new Set([...Object.keys(target[group]), ...Object.keys(before[group])])
      return [...names].filter(name => JSON.stringify(target[group][name]) !== JSON.stringify(before[group][name]))
    })
    expect(differing.length / 600).toBeCloseTo(0.2, 2)
  })
})

describe('results table', () => {
  it('aligns numbers right and text left under a rule', () => {
    expect(
      alignColumns([
        ['name', 'runs'],
        ['a', '5'],
        ['longer', '15']
      ])
    ).toEqual(['name    runs', '------  ----', 'a          5', 'longer    15'])
  })

  it('shows goal, verdict, what was measured and why a benchmark could not run', () => {
    const text = formatTimingTable([
      timingRow('cold start', { runs: 20, medianMs: 216.4, p95Ms: 298, minMs: 179 }, { maxMedianMs: 400, why: 'feels instant' }, 'assess'),
      errorRow('deploy', new Error('dist/index.js is stale'))
    ])
    expect(text).toMatch(/cold start\s+20\s+216 ms\s+298 ms\s+179 ms\s+< 400 ms\s+PASS/)
    expect(text).toMatch(/deploy\s+-\s+-\s+-\s+-\s+-\s+ERROR/)
    expect(text).toContain('cold start < 400 ms: feels instant')
    expect(text).toContain('deploy: dist/index.js is stale')
    expect(formatMs(42.84)).toBe('42.8 ms')
  })

  it('says a missed goal keeps exit code 0 and a benchmark that could not run makes it 1', () => {
    expect(formatFooter(0, 1, 'bench/.results/latest.json', 1000)).toMatch(/1 goal\(s\) missed \(FAIL\)\. Exit code 0/)
    expect(formatFooter(1, 0, 'bench/.results/latest.json', 1000)).toMatch(/could not run: exit code 1/)
  })
})
