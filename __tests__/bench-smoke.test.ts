/**
 * The pure parts of the benchmarks on tiny inputs: statistics, verdicts against each kind of goal, the goal groups,
 * the poll replay, the generated data and its change mix, the rows of the loading benchmark, the table. No timing
 * is asserted: the machines are shared.
 */
import { maxRssFromGnuTime } from '../bench/assess-run.js'
import { fateOf, countFates } from '../bench/change-mix.js'
import { topSelfTime } from '../bench/cpu-profile-top.js'
import { buildDiffCase, MODIFIED_PROMPT } from '../bench/diff-case.js'
import { GOAL_GROUPS, selectedGroups } from '../bench/goals.js'
import { generateLargeBundle, LARGE_BUNDLE } from '../bench/large-bundle-fixture.js'
import { loadRows, type GrowthResult, type SizeResult } from '../bench/bundle-load-speed.js'
import { changedBaseline, generateManifest } from '../bench/load-manifest-fixture.js'
import { measureRuns } from '../bench/measure.js'
import { checkDefaultPollSchedule, pollScheduleRow, replayPollSchedule } from '../bench/poll-schedule-count.js'
import { alignColumns, formatFooter, formatMs, formatRatio, formatResultsTable } from '../bench/results-table.js'
import { median, percentile, summarize } from '../bench/stats.js'
import { errorRow, judge, row, type Figure } from '../bench/verdict.js'

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
  const ms = (value: number): Figure => ({ value, unit: 'ms' })
  const base = { group: 'load', name: 'load' }

  it('holds measured ÷ reference to a max-ratio goal, at the limit included', () => {
    const goal = { kind: 'max-ratio' as const, limit: 10, text: '≤ 10× JSON.parse' }
    expect(row({ ...base, measured: ms(100), reference: { ...ms(10), name: 'JSON.parse' }, goal })).toMatchObject({ ratio: 10, verdict: 'PASS' })
    expect(row({ ...base, measured: ms(101), reference: { ...ms(10), name: 'JSON.parse' }, goal })).toMatchObject({ verdict: 'FAIL' })
  })

  it('turns a speed-up goal around: reference ÷ measured, at least the limit', () => {
    const goal = { kind: 'min-speedup' as const, limit: 5, text: '≥ 5× faster' }
    expect(row({ ...base, measured: ms(40), reference: { ...ms(200), name: 'Python' }, goal })).toMatchObject({ ratio: 5, verdict: 'PASS' })
    expect(row({ ...base, measured: ms(50), reference: { ...ms(200), name: 'Python' }, goal })).toMatchObject({ ratio: 4, verdict: 'FAIL' })
  })

  it('judges a max-value goal on the figure itself, whatever the reference', () => {
    const goal = { kind: 'max-value' as const, limit: 1500, text: '≤ 1.5 s' }
    expect(row({ ...base, measured: ms(1400), reference: { ...ms(10), name: '500 flows' }, goal })).toMatchObject({ ratio: 140, verdict: 'PASS' })
    expect(judge(ms(1501), undefined, goal)).toBe('FAIL')
  })

  it('informs without a goal or with an info goal, and keeps the ratio for the reader', () => {
    expect(row({ ...base, measured: ms(20), reference: { ...ms(10), name: 'x' } })).toMatchObject({ ratio: 2, verdict: 'INFO' })
    expect(judge(ms(20), 2, { kind: 'info', text: '≤ 14 ms on an idle machine' })).toBe('INFO')
  })

  it('cannot judge a ratio goal without its reference, or against a reference of 0: ERROR with the reason', () => {
    const goal = { kind: 'max-ratio' as const, limit: 8, text: '≤ 8× node -e 0' }
    expect(row({ ...base, measured: ms(300), goal })).toMatchObject({ verdict: 'ERROR', error: expect.stringMatching(/no reference was measured/) })
    expect(row({ ...base, measured: ms(300), reference: { ...ms(0), name: 'node -e 0' }, goal })).toMatchObject({
      verdict: 'ERROR',
      error: expect.stringMatching(/node -e 0 measured 0 ms/)
    })
  })

  it('turns a throw into an ERROR row with its message', () => {
    expect(errorRow('assess', 'assess run', new Error('dist/index.js ended with exit code 1'))).toEqual({
      group: 'assess',
      name: 'assess run',
      verdict: 'ERROR',
      error: 'dist/index.js ended with exit code 1'
    })
  })
})

describe('goal groups', () => {
  it('selects every group without arguments, the named ones otherwise, and names the known ones for a typo', () => {
    expect(selectedGroups([])).toEqual(GOAL_GROUPS.map(group => group.id))
    expect(selectedGroups(['diff', 'assess'])).toEqual(['diff', 'assess'])
    expect(() => selectedGroups(['dif'])).toThrow(/Unknown benchmark group\(s\) dif; name some of: load, diff, assess, concurrency, polls, earlier/)
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

  it('backs off from 2 s to 15 s over a 10-minute deployment with the defaults, judged on the most requests jitter allows', () => {
    const check = checkDefaultPollSchedule()
    expect(check).toMatchObject({ deploymentMs: 600_000, initialMs: 2000, maxMs: 15_000, fixedIntervalRequests: 300 })
    // 2 + 3 + 4.5 + 6.75 + 10.125 s, then 15 s waits: 5 + 39 polls reach 600 s.
    expect(check.nominal.requests).toBe(44)
    expect(check.fewest.requests).toBeLessThanOrEqual(check.nominal.requests)
    expect(check.most.requests).toBeGreaterThanOrEqual(check.nominal.requests)
    const polls = pollScheduleRow(check)
    expect(polls).toMatchObject({ measured: { value: check.most.requests, unit: 'requests' }, reference: { value: 300 } })
    expect(polls.verdict).toBe(check.most.requests <= check.maxRequests ? 'PASS' : 'FAIL')
    expect(pollScheduleRow({ ...check, most: { ...check.most, requests: check.maxRequests + 1 } }).verdict).toBe('FAIL')
  })
})

describe('generated data', () => {
  it('the large bundle has the stated size and differs from its baseline in a fifth of the resources', () => {
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

  it('the change mix modifies 1 %, adds 0.5 % and removes 0.5 % of the flows, spread over the names', () => {
    expect(countFates(10_000)).toEqual({ modified: 100, added: 50, removed: 50 })
    const firstTwoHundred = Array.from({ length: 200 }, (_, index) => fateOf(index)).filter(fate => fate !== 'same')
    expect(firstTwoHundred).toEqual(['modified', 'added', 'modified', 'removed'])
  })

  it('the diff case holds separate objects on each side and the mix as its expected change', () => {
    const testCase = buildDiffCase(400)
    const before = testCase.before.flows as Record<string, unknown>
    const after = testCase.after.flows as Record<string, unknown>
    expect(testCase.expected).toEqual({ modified: 4, added: 2, removed: 2 })
    expect(Object.keys(before)).toHaveLength(398)
    expect(Object.keys(after)).toHaveLength(398)
    expect(before['flow-000000']).not.toBe(after['flow-000000'])
    expect(before['flow-000000']).toEqual(after['flow-000000'])
    expect(JSON.stringify(after['flow-000007'])).toContain(MODIFIED_PROMPT)
    expect(JSON.stringify(before['flow-000007'])).not.toContain(MODIFIED_PROMPT)
  })

  it('the changed baseline of the loading manifest lacks the added flows, holds the retired ones and older versions', () => {
    const flows = (manifest: Record<string, unknown>): Record<string, { version: string }> =>
      (manifest.targetConfig as { flows: Record<string, { version: string }> }).flows
    const bundle = flows(generateManifest(400))
    const baseline = flows(changedBaseline(400))
    expect(Object.keys(bundle)).toHaveLength(400)
    expect(Object.keys(baseline).filter(name => !(name in bundle))).toEqual(['retired-flow-00113', 'retired-flow-00313'])
    expect(Object.keys(bundle).filter(name => !(name in baseline))).toEqual(['flow-00013', 'flow-00213'])
    expect(Object.keys(bundle).filter(name => name in baseline && baseline[name].version !== bundle[name].version)).toEqual([
      'flow-00007',
      'flow-00107',
      'flow-00207',
      'flow-00307'
    ])
  })
})

describe('loading rows', () => {
  const summary = (medianMs: number) => ({ runs: 5, medianMs, p95Ms: medianMs, minMs: medianMs })
  const timing = (medianMs: number): SizeResult['load'] => ({ wall: summary(medianMs), cpuMs: medianMs })
  const size = (flows: number, jsonMs: number, loadMs: number, baselineMs: number): SizeResult => ({
    flows,
    megabytes: flows / 1800,
    leaves: flows * 18,
    jsonParse: timing(jsonMs),
    load: timing(loadMs),
    baseline: timing(baselineMs),
    fingerprint: timing(1),
    maxRssMb: 100 + flows / 100,
    findings: 0
  })
  const growth = (loadFrom: number, loadTo: number): GrowthResult => ({
    load: { from: summary(loadFrom), to: summary(loadTo) },
    baseline: { from: summary(300), to: summary(2000) }
  })

  it('judges 10,000 flows against JSON.parse and the growth to 50,000, and only informs at the other sizes', () => {
    // The growth comes from its own measurement (both sizes in one process), not from the sizes' separate figures.
    const rows = loadRows({ sizes: [size(1000, 5, 80, 20), size(10_000, 40, 390, 500), size(50_000, 200, 9999, 2000)], growth: growth(400, 2000) })
    const verdicts = Object.fromEntries(rows.map(entry => [entry.name, entry.verdict]))
    expect(verdicts).toEqual({
      'loadBundle, 1,000 flows': 'INFO',
      'loadBundle, 10,000 flows': 'PASS',
      'loadBundle, 50,000 flows': 'INFO',
      'readBaselineFile, 1,000 flows': 'INFO',
      'readBaselineFile, 10,000 flows': 'FAIL',
      'readBaselineFile, 50,000 flows': 'INFO',
      'loadBundle: growth 10,000 flows → 50,000': 'PASS',
      'readBaselineFile: growth 10,000 flows → 50,000': 'INFO'
    })
    expect(rows.find(entry => entry.name === 'loadBundle, 10,000 flows')).toMatchObject({ ratio: 9.75, peakMemoryMb: 200 })
    expect(rows.find(entry => entry.name === 'loadBundle: growth 10,000 flows → 50,000')).toMatchObject({ ratio: 5 })
    const steep = loadRows({ sizes: [], growth: growth(390, 2400) }).find(entry => entry.name.startsWith('loadBundle: growth'))
    expect(steep?.ratio).toBeCloseTo(6.15, 2)
    expect(steep?.verdict).toBe('FAIL')
  })

  it('leaves the growth out when it was not measured (a single size)', () => {
    expect(loadRows({ sizes: [size(10_000, 40, 390, 300)] }).map(entry => entry.name)).toEqual(['loadBundle, 10,000 flows', 'readBaselineFile, 10,000 flows'])
  })
})

describe('results table', () => {
  it('aligns numbers right and text left under a rule', () => {
    expect(
      alignColumns([
        ['name', 'measured'],
        ['a', '5 ms'],
        ['longer', '15 ms']
      ])
    ).toEqual(['name    measured', '------  --------', 'a           5 ms', 'longer     15 ms'])
  })

  it('prints each group under its goal, in the groups’ order, with the reference, ratio, memory, notes and errors', () => {
    const text = formatResultsTable(
      [
        row({
          group: 'earlier',
          name: 'cold start',
          measured: { value: 350, unit: 'ms' },
          reference: { value: 45, unit: 'ms', name: 'node -e 0' },
          goal: { kind: 'max-ratio', limit: 8, text: '≤ 8× node -e 0' },
          note: 'main step'
        }),
        row({
          group: 'assess',
          name: 'assess run: peak memory',
          measured: { value: 236.4, unit: 'MB' },
          goal: { kind: 'max-value', limit: 300, text: '≤ 300 MB' },
          peakMemoryMb: 236.4
        }),
        errorRow('diff', 'diff + impact', new Error('python3 is missing'))
      ],
      GOAL_GROUPS
    )
    const lines = text.split('\n')
    const at = (pattern: RegExp): number => lines.findIndex(line => pattern.test(line))
    expect(at(/^2\. Diff \+ impact/)).toBeLessThan(at(/^diff \+ impact\s+-\s+-\s+-\s+-\s+ERROR/))
    expect(at(/^diff \+ impact/)).toBeLessThan(at(/^3\. Whole assess run/))
    expect(at(/^3\. Whole assess run/)).toBeLessThan(at(/^assess run: peak memory\s+236 MB\s+-\s+-\s+≤ 300 MB\s+PASS\s+236 MB maxRSS$/))
    expect(at(/^assess run: peak memory/)).toBeLessThan(at(/^6\. Earlier goals/))
    expect(text).toMatch(/cold start\s+350 ms\s+node -e 0: 45\.0 ms\s+7\.78×\s+≤ 8× node -e 0\s+PASS/)
    expect(text).toContain('  goal: wall time ≤ 1.5 s and peak memory ≤ 300 MB')
    expect(text).not.toMatch(/^1\. Load/m)
    expect(text).toContain('  cold start: main step')
    expect(text).toContain('Could not run:\n  diff + impact: python3 is missing')
    expect(formatMs(42.84)).toBe('42.8 ms')
    expect(formatRatio(12.345)).toBe('12.3×')
  })

  it('says a missed goal keeps exit code 0 and a benchmark that could not run makes it 1', () => {
    expect(formatFooter(0, 1, 'bench/.results/latest.json', 1000)).toMatch(/1 goal\(s\) missed \(FAIL\)\. Exit code 0/)
    expect(formatFooter(1, 0, 'bench/.results/latest.json', 1000)).toMatch(/could not run: exit code 1/)
  })
})

describe('measuring helpers', () => {
  it('reads the peak memory GNU time prints last, and says so when it is not there', () => {
    expect(maxRssFromGnuTime('::notice::done\nRSS_KB=241664\n')).toBeCloseTo(236, 0)
    expect(() => maxRssFromGnuTime('Killed\n')).toThrow(/did not report the peak memory .*"Killed"/)
  })

  it('sums a CPU profile’s self time per function, most first', () => {
    const frame = (functionName: string, lineNumber: number) => ({ functionName, url: 'file:///dist/index.js', lineNumber })
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('inKeyOrder', 9) },
        { id: 2, callFrame: frame('read', 41) },
        { id: 3, callFrame: frame('inKeyOrder', 9) }
      ],
      samples: [1, 2, 3, 1],
      timeDeltas: [1000, 3000, 2000, 1000]
    }
    const top = topSelfTime(profile)
    expect(top.map(entry => [entry.location, entry.selfMs])).toEqual([
      ['inKeyOrder (index.js:10)', 4],
      ['read (index.js:42)', 3]
    ])
    expect(top[0].percent).toBeCloseTo((4 / 7) * 100, 6)
  })
})
