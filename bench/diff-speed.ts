/**
 * Speed and memory of `computeDiff` + `assessImpact` on 10,000 Archy flows (about 20 leaves each; 1 % modified,
 * 0.5 % added, 0.5 % removed: diff-case.ts), against a straightforward Python implementation (reference_diff.py)
 * fed the same data as JSON and measured in the same run, interleaved run by run so that both share whatever else
 * the machine is doing. Only the diff is timed on both sides, not the reading. Python's paths are checked to be
 * exactly computeDiff's first: a reference that did less (or other) work would make the ratio meaningless.
 *
 * The action is given the flows as it reads them (untimed), both ways it can: with `api: architect` each flow is an
 * Archy file, read by comparable-config.ts; with `architecture-manager` the flows are a manifest's `targetConfig`,
 * the baseline read from the manifest at the base commit and the bundle through the loader's schema check. Either
 * way each flow's text is remembered (source-text.ts), so that the diff compares unchanged flows by text; both are
 * judged. The same data as plain objects with no text (what the diff has for a JSON baseline or a live one) is
 * timed too, against the floor of reading every value once, and reported beside Python's (INFO). Also: the median
 * (the absolute target, ≤ 14 ms on an idle machine, as INFO), the peak heap and the bytes allocated.
 *
 *   npx tsx bench/diff-speed.ts            # 10,000 flows
 *   npx tsx bench/diff-speed.ts 50000      # another size
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { GCProfiler } from 'node:v8'
import { stringify } from 'yaml'
import { comparableBaseline, comparableConfig } from '../src/assess/comparable-config.js'
import { computeDiff, resourceChanges, type Diff } from '../src/assess/diff.js'
import { assessImpact } from '../src/assess/impact.js'
import type { Bundle } from '../src/bundle/bundle.js'
import { checkManifest } from '../src/bundle/checks.js'
import { parseManifestSource } from '../src/bundle/manifest-source.js'
import { collectGarbage } from './full-gc.js'
import { buildDiffCase, type Config, type DiffCase } from './diff-case.js'
import { pathDisagreement, startPythonReference } from './python-reference.js'
import { summarize } from './stats.js'
import { runStandalone } from './standalone.js'
import { row, timedFigure, type BenchRow } from './verdict.js'

/** The size the goal is stated for. */
export const DIFF_GOAL_FLOWS = 10_000

/** The absolute target for the median on an idle machine; reported, not judged (see goals.ts). */
const IDLE_TARGET_MS = 14

const SPEEDUP_GOAL = 5
const WARMUP_RUNS = 3
const RUNS = 15

/** The diff and impact, as the plan assembles them. */
function diffAndImpact(before: Config, after: Config): ReturnType<typeof assessImpact> {
  return assessImpact({ diff: computeDiff(before, after), remoteValidation: { ran: false, reason: 'benchmark' } })
}

/** Visits every value once and counts the leaves: what any comparison of the whole data has to do at least. */
function readEveryValue(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 1
  let leaves = 0
  if (Array.isArray(value)) {
    for (const item of value) leaves += readEveryValue(item)
    return leaves
  }
  const mapping = value as Record<string, unknown>
  for (const key in mapping) leaves += readEveryValue(mapping[key])
  return leaves
}

/** Throws unless the diff finds exactly the flows the case adds, removes and modifies. */
export function expectGeneratedChange(testCase: DiffCase, diff: Diff): void {
  const found = { added: 0, removed: 0, modified: 0 }
  for (const resource of resourceChanges(diff).resources) found[resource.kind]++
  const { expected } = testCase
  if (found.added !== expected.added || found.removed !== expected.removed || found.modified !== expected.modified) {
    throw new Error(
      `The diff of ${testCase.flowCount} flows found ${JSON.stringify(found)} flows added/removed/modified; the case makes ` +
        `${JSON.stringify(expected)}. Check computeDiff or bench/diff-case.ts.`
    )
  }
}

/** Peak heap above the heap at the start (after a full collection) and bytes allocated, of one run of `step`. */
function measureHeap(step: () => unknown): { peakHeapBytes: number; allocatedBytes: number } {
  collectGarbage()
  const profiler = new GCProfiler()
  const start = process.memoryUsage().heapUsed
  profiler.start()
  const result = step()
  const end = process.memoryUsage().heapUsed
  const { statistics } = profiler.stop()
  let peak = end
  let reclaimed = 0
  for (const gc of statistics) {
    peak = Math.max(peak, gc.beforeGC.heapStatistics.usedHeapSize)
    reclaimed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize
  }
  void result
  return { peakHeapBytes: Math.max(0, peak - start), allocatedBytes: Math.max(0, end - start + reclaimed) }
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}

/** Each flow's Archy file, as text: what a team commits and what the architect diff reads. */
function flowFiles(config: Config): Record<string, string> {
  const flows = config.flows as Record<string, Config>
  return Object.fromEntries(Object.entries(flows).map(([name, document]) => [name, stringify(document)]))
}

/**
 * Both sides as the action has them with `api: architect`: the baseline's flow files (a manifest at the base commit)
 * and the bundle's, each read from its text by comparable-config.ts.
 */
function readAsArchitect(testCase: DiffCase): { before: Config; after: Config } {
  const beforeFiles = flowFiles(testCase.before)
  const afterFiles = flowFiles(testCase.after)
  const entries = (files: Record<string, string>): Record<string, { file: string }> =>
    Object.fromEntries(Object.keys(files).map(name => [name, { file: `flows/${name}.yaml` }]))
  const before = comparableBaseline(
    { source: 'base-commit', description: 'benchmark', config: { flows: entries(beforeFiles) }, files: beforeFiles },
    'architect'
  )
  const bundle: Bundle = {
    manifestPath: 'bundle.yaml',
    absoluteManifestPath: '/bench/bundle.yaml',
    manifest: { bundleId: 'bench', targetConfig: { flows: entries(afterFiles) } },
    environmentId: 'bench',
    files: Object.entries(afterFiles).map(([flow, content]) => ({
      flow,
      path: `flows/${flow}.yaml`,
      absolutePath: `/bench/flows/${flow}.yaml`,
      content
    })),
    groupOrder: ['flows'],
    externalDependencies: [],
    positions: {}
  }
  return { before, after: comparableConfig(bundle, 'architect') }
}

/**
 * Both sides as the action has them with `architecture-manager`: the baseline is the manifest at the base commit,
 * read as such (baseline-from-git.ts), the bundle's manifest goes through the loader's schema check too.
 */
function readAsManifests(testCase: DiffCase): { before: Config; after: Config } {
  const manifest = (config: Config): string => stringify({ bundleId: 'bench', targetConfig: config })
  const base = parseManifestSource(manifest(testCase.before), 'bundle.yaml').document as { targetConfig: Config }
  const head = parseManifestSource(manifest(testCase.after), 'bundle.yaml')
  const checked = checkManifest(head.document, {}, 'bundle.yaml')
  if (checked.manifest === undefined) throw new Error(`The benchmark's manifest does not pass the checks: ${checked.findings[0]?.message}`)
  return { before: base.targetConfig, after: checked.manifest.targetConfig }
}

/** The diff at `flowCount` flows against Python, and without texts against the floor; see the file comment. */
export async function benchmarkDiff(flowCount = DIFF_GOAL_FLOWS): Promise<BenchRow[]> {
  const testCase = buildDiffCase(flowCount)
  const { before, after } = readAsArchitect(testCase)
  const manifests = readAsManifests(testCase)
  const folder = await mkdtemp(join(tmpdir(), 'gbd-bench-diff-'))
  const caseFile = join(folder, 'case.json')
  const json = JSON.stringify({ before, after })
  await writeFile(caseFile, json, 'utf8')
  // The same data as plain objects, without texts: the diff compares them value by value.
  const plain = JSON.parse(json) as { before: Config; after: Config }
  expectGeneratedChange(testCase, computeDiff(before, after))
  expectGeneratedChange(testCase, computeDiff(plain.before, plain.after))
  expectGeneratedChange(testCase, computeDiff(manifests.before, manifests.after))
  const python = await startPythonReference(caseFile)
  try {
    const samples = { action: [] as number[], python: [] as number[], manifest: [] as number[], plain: [] as number[], floor: [] as number[] }
    let leavesRead = 0
    for (let run = 0; run < WARMUP_RUNS + RUNS; run++) {
      const pythonMs = await python.time()
      let begin = performance.now()
      diffAndImpact(before, after)
      const actionMs = performance.now() - begin
      begin = performance.now()
      diffAndImpact(manifests.before, manifests.after)
      const manifestMs = performance.now() - begin
      begin = performance.now()
      diffAndImpact(plain.before, plain.after)
      const plainMs = performance.now() - begin
      begin = performance.now()
      leavesRead = readEveryValue(plain.before) + readEveryValue(plain.after)
      const floorMs = performance.now() - begin
      if (run < WARMUP_RUNS) continue
      samples.python.push(pythonMs)
      samples.action.push(actionMs)
      samples.manifest.push(manifestMs)
      samples.plain.push(plainMs)
      samples.floor.push(floorMs)
    }
    const pythonPaths = await python.paths()
    const disagreement =
      pathDisagreement(pythonPaths, computeDiff(before, after)) ??
      pathDisagreement(pythonPaths, computeDiff(manifests.before, manifests.after)) ??
      pathDisagreement(pythonPaths, computeDiff(plain.before, plain.after))
    if (disagreement !== undefined) {
      throw new Error(`The Python reference did not find the same changes: ${disagreement}. Fix bench/reference_diff.py, so that both do the same work.`)
    }
    const heap = measureHeap(() => diffAndImpact(before, after))
    const manifestHeap = measureHeap(() => diffAndImpact(manifests.before, manifests.after))
    const plainHeap = measureHeap(() => diffAndImpact(plain.before, plain.after))
    const action = summarize(samples.action)
    const pythonFigure = { ...timedFigure(summarize(samples.python)), name: 'Python (reference_diff.py)' }
    const memory = `heap +${mib(heap.peakHeapBytes)}, ${mib(heap.allocatedBytes)} allocated`
    const size = `${flowCount.toLocaleString('en-US')} flows`
    return [
      row({
        group: 'diff',
        name: `computeDiff + assessImpact, ${size}`,
        measured: timedFigure(action),
        reference: pythonFigure,
        goal: { kind: 'min-speedup', limit: SPEEDUP_GOAL, text: `≥ ${SPEEDUP_GOAL}× faster than Python` },
        memory,
        note:
          `${RUNS} runs after ${WARMUP_RUNS} warm-up runs, interleaved with Python ${python.version}'s; the flows read from ` +
          'their Archy files as with api: architect (unchanged flows compared by text), Python given the same data as JSON; same paths found'
      }),
      row({
        group: 'diff',
        name: `computeDiff + assessImpact, ${size}, manifest`,
        measured: timedFigure(summarize(samples.manifest)),
        reference: pythonFigure,
        goal: { kind: 'min-speedup', limit: SPEEDUP_GOAL, text: `≥ ${SPEEDUP_GOAL}× faster than Python` },
        memory: `heap +${mib(manifestHeap.peakHeapBytes)}, ${mib(manifestHeap.allocatedBytes)} allocated`,
        note:
          'the same flows inline in a manifest, as with api: architecture-manager: the baseline read from the manifest at the base commit, ' +
          "the bundle's through the loader's schema check (unchanged flows compared by text); same paths found"
      }),
      row({
        group: 'diff',
        name: `computeDiff + assessImpact, ${size}: median`,
        measured: timedFigure(action),
        reference: { value: IDLE_TARGET_MS, unit: 'ms', name: "the issue's target on an idle machine" },
        goal: { kind: 'info', text: `≤ ${IDLE_TARGET_MS} ms on an idle machine` },
        memory,
        note: 'the absolute target is not judged on a shared machine'
      }),
      row({
        group: 'diff',
        name: `computeDiff + assessImpact, ${size}, plain objects`,
        measured: timedFigure(summarize(samples.plain)),
        reference: { ...timedFigure(summarize(samples.floor)), name: 'reading every value once' },
        goal: { kind: 'info', text: `${(pythonFigure.value / summarize(samples.plain).medianMs).toFixed(2)}× faster than Python` },
        memory: `heap +${mib(plainHeap.peakHeapBytes)}, ${mib(plainHeap.allocatedBytes)} allocated`,
        note:
          `the same data as objects without texts (a JSON baseline, a live one), compared value by value; the reference ` +
          `reads all ${leavesRead} leaves of both sides once, the floor of such a comparison`
      })
    ]
  } finally {
    await python.close()
    await rm(folder, { recursive: true, force: true })
  }
}

await runStandalone(import.meta.url, 'diff', () => benchmarkDiff(process.argv[2] ? Number(process.argv[2]) : DIFF_GOAL_FLOWS))
