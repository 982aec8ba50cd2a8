/**
 * Times reading a 10,000-flow manifest in one process: `JSON.parse` of its JSON, the plain YAML reader (without
 * and with positions), the JSON duplicate-key scan, and the `yaml` library's `parse` of its YAML. Prints
 * medians and ratios to `JSON.parse`; the reader's goal is at most 4×. Run: `npx tsx bench/plain-yaml-speed.ts`.
 */
import { parse, stringify } from 'yaml'
import { scanJson } from '../src/bundle/json-scan.js'
import { readPlainYaml } from '../src/bundle/plain-yaml.js'
import { measureRuns } from './measure.js'
import { summarize } from './stats.js'
import { wideManifest } from './wide-manifest-fixture.js'

const MAX_DEPTH = 64
const GOAL_RATIO = 4

const data = wideManifest()
const yamlText = stringify(data)
const jsonText = JSON.stringify(data)

/** A check that the reader really read the document, so a timing never stands for a refusal. */
function expectData(result: ReturnType<typeof readPlainYaml>): void {
  if (result.kind !== 'data') throw new Error(`The plain YAML reader refused the benchmark manifest: ${JSON.stringify(result)}.`)
}

async function time(label: string, step: () => void, runs: number, warmupRuns = 2): Promise<number> {
  const samples = await measureRuns(async () => step(), { warmupRuns, runs, budgetMs: 20_000 })
  const summary = summarize(samples)
  console.log(
    `${label.padEnd(34)} median ${summary.medianMs.toFixed(1).padStart(8)} ms   min ${summary.minMs.toFixed(1).padStart(8)} ms   (${summary.runs} runs)`
  )
  return summary.medianMs
}

console.log(`YAML ${(yamlText.length / 1e6).toFixed(2)} MB, JSON ${(jsonText.length / 1e6).toFixed(2)} MB, ${Object.keys((data.targetConfig as { flows: object }).flows).length} flows`)
const json = await time('JSON.parse (JSON text)', () => JSON.parse(jsonText), 15)
const plain = await time('readPlainYaml', () => expectData(readPlainYaml(yamlText, { maxDepth: MAX_DEPTH })), 15)
const withPositions = await time('readPlainYaml + positions', () => expectData(readPlainYaml(yamlText, { maxDepth: MAX_DEPTH, recordPositions: true })), 15)
const scan = await time('scanJson', () => scanJson(jsonText, { maxDepth: MAX_DEPTH }), 15)
const scanPositions = await time('scanJson + positions', () => scanJson(jsonText, { maxDepth: MAX_DEPTH, recordPositions: true }), 15)
const library = await time('yaml.parse', () => parse(yamlText), 3, 1)

const ratio = (value: number): string => `${(value / json).toFixed(2)}×`
console.log('\nRatios to JSON.parse:')
console.log(`  readPlainYaml              ${ratio(plain)}  (goal ≤ ${GOAL_RATIO}×: ${plain / json <= GOAL_RATIO ? 'PASS' : 'FAIL'})`)
console.log(`  readPlainYaml + positions  ${ratio(withPositions)}`)
console.log(`  JSON.parse + scanJson      ${ratio(json + scan)}`)
console.log(`  JSON.parse + scanJson + positions ${ratio(json + scanPositions)}`)
console.log(`  yaml.parse                 ${ratio(library)}`)
