/**
 * Times reading a 10,000-flow manifest in one process: `JSON.parse` of its JSON, the plain YAML reader (without
 * and with positions), the JSON scan (without and with positions), and the `yaml` library's `parse` of its YAML.
 * The fast steps run in turns, one run of each per round, so that a busy machine slows them alike; printed are
 * medians, and ratios to `JSON.parse` as the median of each round's ratio. The reader's goal is at most 4×.
 * Run: `npx tsx bench/plain-yaml-speed.ts [rounds]`.
 */
import { performance } from 'node:perf_hooks'
import { parse, stringify } from 'yaml'
import { scanJson } from '../src/bundle/json-scan.js'
import { readPlainYaml } from '../src/bundle/plain-yaml.js'
import { median } from './stats.js'
import { wideManifest } from './wide-manifest-fixture.js'

const MAX_DEPTH = 64
const GOAL_RATIO = 4
const WARMUP_ROUNDS = 3
const ROUNDS = Number(process.argv[2] ?? 21)
const LIBRARY_RUNS = 3

const data = wideManifest()
const yamlText = stringify(data)
const jsonText = JSON.stringify(data)

/** A check that the reader really read the document, so a timing never stands for a refusal. */
function expectData(result: ReturnType<typeof readPlainYaml>): void {
  if (result.kind !== 'data') throw new Error(`The plain YAML reader refused the benchmark manifest: ${JSON.stringify(result)}.`)
}

const steps: Record<string, () => unknown> = {
  'JSON.parse': () => JSON.parse(jsonText),
  readPlainYaml: () => expectData(readPlainYaml(yamlText, { maxDepth: MAX_DEPTH })),
  'readPlainYaml + positions': () => expectData(readPlainYaml(yamlText, { maxDepth: MAX_DEPTH, recordPositions: true })),
  scanJson: () => scanJson(jsonText, { maxDepth: MAX_DEPTH }),
  'scanJson + positions': () => scanJson(jsonText, { maxDepth: MAX_DEPTH, recordPositions: true })
}

function timeOnce(step: () => unknown): number {
  const begin = performance.now()
  step()
  return performance.now() - begin
}

console.log(`YAML ${(yamlText.length / 1e6).toFixed(2)} MB, JSON ${(jsonText.length / 1e6).toFixed(2)} MB, 10,000 flows`)
for (let round = 0; round < WARMUP_ROUNDS; round++) for (const step of Object.values(steps)) step()
const samples: Record<string, number[]> = Object.fromEntries(Object.keys(steps).map(name => [name, []]))
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, step] of Object.entries(steps)) samples[name].push(timeOnce(step))
}
const library = Array.from({ length: LIBRARY_RUNS }, () => timeOnce(() => parse(yamlText)))

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b)
for (const [name, values] of [...Object.entries(samples), ['yaml.parse', library] as const]) {
  const ordered = sorted(values)
  console.log(`${name.padEnd(28)} median ${median(ordered).toFixed(1).padStart(8)} ms   min ${ordered[0].toFixed(1).padStart(8)} ms   (${ordered.length} runs)`)
}

/** Median over the rounds of `name`'s time divided by JSON.parse's in the same round. */
function ratio(name: string, plusJsonParse = false): number {
  const json = samples['JSON.parse']
  return median(sorted(samples[name].map((value, round) => (value + (plusJsonParse ? json[round] : 0)) / json[round])))
}
const readRatio = ratio('readPlainYaml')
console.log('\nRatios to JSON.parse (median of per-round ratios):')
console.log(`  readPlainYaml                      ${readRatio.toFixed(2)}×  (goal ≤ ${GOAL_RATIO}×: ${readRatio <= GOAL_RATIO ? 'PASS' : 'FAIL'})`)
console.log(`  readPlainYaml + positions          ${ratio('readPlainYaml + positions').toFixed(2)}×`)
console.log(`  JSON.parse + scanJson              ${ratio('scanJson', true).toFixed(2)}×`)
console.log(`  JSON.parse + scanJson + positions  ${ratio('scanJson + positions', true).toFixed(2)}×`)
console.log(`  yaml.parse                         ${(median(sorted(library)) / median(sorted(samples['JSON.parse']))).toFixed(2)}×`)
