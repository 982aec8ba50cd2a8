/**
 * How bundle loading scales: `loadBundle` (read through the gate, parse, every check) and the fingerprint of a
 * manifest of 1,000 / 10,000 / 50,000 flows (about 20 leaves each, written with `yaml.stringify`), next to
 * `JSON.parse` of the same data in the same process, and the same for the `baseline` file. Each size runs in its
 * own child process that only reads the files written for it, so its peak memory (maxRSS) is loading's own. Then
 * the `yaml` library's time and peak memory on texts of 1–8 MiB (what MAX_LIBRARY_TEXT_LENGTH is set from).
 *
 *   npx tsx bench/bundle-load-speed.ts            # everything
 *   npx tsx bench/bundle-load-speed.ts 10000      # one size, in this process (workspace written first)
 *
 * Goals: load + check of 10,000 flows ≤ 10× JSON.parse; 10,000 → 50,000 flows grows the time ≤ ×6.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseDocument, stringify } from 'yaml'
import { readBaselineFile } from '../src/assess/baseline.js'
import { fingerprintBundle } from '../src/bundle/fingerprint.js'
import { loadBundle } from '../src/bundle/loader.js'
import { median } from './stats.js'

const SIZES = [1_000, 10_000, 50_000]
const RUNS = 5

/** A manifest of `flows` flows (settings only) and a tenth as many queues, about 20 leaves per flow. */
export function generateManifest(flows: number): Record<string, unknown> {
  const flowEntries: Record<string, unknown> = {}
  for (let index = 0; index < flows; index++) {
    flowEntries[`flow-${String(index).padStart(5, '0')}`] = {
      version: `2.${index % 7}.0`,
      routingStrategy: index % 2 === 0 ? 'longest-idle' : 'round-robin',
      description: `Routes calls for line ${index}: sales, support and billing # not a comment`,
      enabled: index % 5 !== 0,
      priority: index % 10,
      timeouts: { answerSeconds: 30, holdSeconds: 600, wrapUpSeconds: 45.5 },
      languages: ['en-us', 'es-us'],
      skills: ['claims', `tier-${index % 3}`],
      schedule: { open: '08:00', close: '18:00', timeZone: 'America/Chicago', holidays: null },
      labels: { team: `team-${index % 40}`, cost: "center 'A'" }
    }
  }
  const queues: Record<string, unknown> = {}
  for (let index = 0; index < Math.max(1, flows / 10); index++) queues[`queue-${index}`] = { serviceLevel: '80/20', skills: ['claims'] }
  return {
    bundleId: 'contact-center-large',
    environmentId: 'prod-7f3a',
    overrideValidation: false,
    rollbackOnFailure: true,
    capacityConstraints: { maxFlowCount: flows * 2, maxQueueCount: flows },
    dependencyMatrix: { flows: ['base-routing', 'flow-00001'], queues: ['queue-0'], order: ['queues', 'flows'] },
    targetConfig: { flows: flowEntries, queues },
    substitutions: { company: 'Acme Insurance' }
  }
}

interface Timing {
  wallMs: number
  cpuMs: number
}

interface SizeResult {
  flows: number
  megabytes: number
  leaves: number
  jsonParse: Timing
  load: Timing
  fingerprint: Timing
  baseline: Timing
  maxRssMb: number
  findings: number
}

/** Median wall time and median CPU time (user + system, this process) of `runs` runs, in ms. */
async function timeMedian(runs: number, action: () => unknown): Promise<{ wallMs: number; cpuMs: number }> {
  const wall: number[] = []
  const cpu: number[] = []
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    const startedCpu = process.cpuUsage()
    await action()
    const used = process.cpuUsage(startedCpu)
    wall.push(performance.now() - started)
    cpu.push((used.user + used.system) / 1000)
  }
  return { wallMs: median(wall), cpuMs: median(cpu) }
}

function countLeaves(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countLeaves(item), 0)
  if (value !== null && typeof value === 'object') return Object.values(value).reduce((sum: number, item) => sum + countLeaves(item), 0)
  return 1
}

/** Writes the manifest of `flows` flows (YAML, the same text as the baseline, and JSON) into a new workspace. */
async function writeWorkspace(flows: number): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'gbd-load-speed-'))
  const manifest = generateManifest(flows)
  const yamlText = stringify(manifest)
  await writeFile(join(workspace, 'bundle.yaml'), yamlText)
  await writeFile(join(workspace, 'baseline.yaml'), yamlText)
  await writeFile(join(workspace, 'bundle.json'), JSON.stringify(manifest))
  return workspace
}

/** One size, in this process, from the files writeWorkspace wrote (so the peak memory is loading's, not writing's). */
async function measureSize(flows: number, workspace: string): Promise<SizeResult> {
  const yamlBytes = readFileSync(join(workspace, 'bundle.yaml')).length
  const jsonText = readFileSync(join(workspace, 'bundle.json'), 'utf8')
  const runs = flows >= 50_000 ? 3 : RUNS
  // Warm up both, so neither pays for compiling the code it runs.
  const leaves = countLeaves(JSON.parse(jsonText))
  const warm = await loadBundle('bundle.yaml', { workspace })
  const jsonParse = await timeMedian(runs, () => JSON.parse(jsonText))
  const load = await timeMedian(runs, () => loadBundle('bundle.yaml', { workspace }))
  const bundle = warm.bundle
  const fingerprint = bundle ? await timeMedian(runs, () => fingerprintBundle(bundle)) : { wallMs: NaN, cpuMs: NaN }
  const baseline = await timeMedian(runs, () => readBaselineFile('baseline.yaml', workspace))
  return {
    flows,
    megabytes: yamlBytes / (1024 * 1024),
    leaves,
    jsonParse,
    load,
    fingerprint,
    baseline,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    findings: warm.findings.length
  }
}

/** Peak memory of the `yaml` library's document model on the text in `file`, in a fresh process. */
function libraryPeakMemory(file: string): { megabytes: number; ms: number; maxRssMb: number; baselineRssMb: number } {
  const text = readFileSync(file, 'utf8')
  const baselineRssMb = process.resourceUsage().maxRSS / 1024
  const started = performance.now()
  // As the YAML source calls it (its own linear check of repeated keys runs after, not counted here).
  const document = parseDocument(text, { uniqueKeys: false, logLevel: 'silent' })
  document.toJS({ maxAliasCount: 100 })
  return { megabytes: Buffer.byteLength(text) / (1024 * 1024), ms: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024, baselineRssMb }
}

function format(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-'
}

async function main(): Promise<void> {
  const [mode, argument] = process.argv.slice(2)
  if (mode === '--library') {
    process.stdout.write(JSON.stringify(libraryPeakMemory(argument)))
    return
  }
  if (mode !== undefined) {
    const flows = Number(mode)
    const workspace = argument ?? (await writeWorkspace(flows))
    try {
      process.stdout.write(JSON.stringify(await measureSize(flows, workspace)))
    } finally {
      if (argument === undefined) await rm(workspace, { recursive: true, force: true })
    }
    return
  }
  const self = fileURLToPath(import.meta.url)
  const child = (args: string[]): string => execFileSync(process.execPath, [...process.execArgv, self, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 })
  const results: SizeResult[] = []
  for (const flows of SIZES) {
    const workspace = await writeWorkspace(flows)
    try {
      results.push(JSON.parse(child([String(flows), workspace])) as SizeResult)
    } finally {
      await rm(workspace, { recursive: true, force: true })
    }
  }
  const both = (timing: Timing): string => `${format(timing.wallMs, 1)} / ${format(timing.cpuMs, 1)}`
  const ratio = (timing: Timing, reference: Timing): string => `${format(timing.wallMs / reference.wallMs, 1)} / ${format(timing.cpuMs / reference.cpuMs, 1)}`
  const rows = results.map(result => [
    String(result.flows),
    format(result.megabytes, 1),
    String(result.leaves),
    both(result.jsonParse),
    both(result.load),
    ratio(result.load, result.jsonParse),
    both(result.fingerprint),
    both(result.baseline),
    ratio(result.baseline, result.jsonParse),
    format(result.maxRssMb),
    String(result.findings)
  ])
  const header = ['flows', 'MB', 'leaves', 'JSON.parse ms', 'load ms', 'load/JSON', 'fingerprint ms', 'baseline ms', 'baseline/JSON', 'max RSS MB', 'findings']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column].length)))
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padStart(widths[column])).join('  ')
  process.stdout.write(`times: median wall / median CPU (ms); ratios the same\n${line(header)}\n${rows.map(line).join('\n')}\n`)
  const byFlows = new Map(results.map(result => [result.flows, result]))
  const ten = byFlows.get(10_000)
  const fifty = byFlows.get(50_000)
  if (ten && fifty) {
    process.stdout.write(
      `\nload + check, 10,000 flows: ${ratio(ten.load, ten.jsonParse)}× JSON.parse (goal ≤ 10×); ` +
        `10,000 → 50,000 flows: ×${ratio(fifty.load, ten.load)} (goal ≤ ×6)\n` +
        `baseline, 10,000 flows: ${ratio(ten.baseline, ten.jsonParse)}× JSON.parse; 10,000 → 50,000: ×${ratio(fifty.baseline, ten.baseline)}\n`
    )
  }
  process.stdout.write('\nyaml library (parseDocument + toJS), fresh process each:\n')
  const folder = await mkdtemp(join(tmpdir(), 'gbd-library-memory-'))
  try {
    for (const megabytes of [1, 2, 4, 8]) {
      const file = join(folder, `${megabytes}.yaml`)
      // About 560 bytes of YAML per generated flow.
      await writeFile(file, stringify(generateManifest(Math.round((megabytes * 1024 * 1024) / 560))))
      const result = JSON.parse(child(['--library', file])) as ReturnType<typeof libraryPeakMemory>
      process.stdout.write(
        `  ${format(result.megabytes, 1)} MiB: ${format(result.ms)} ms, peak RSS ${format(result.maxRssMb)} MB ` +
          `(${format(result.maxRssMb - result.baselineRssMb)} MB over the process before parsing)\n`
      )
    }
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}

// Run only as a script, not when a test imports the generator.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main()
