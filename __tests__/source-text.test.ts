import { describe, expect, it } from '@jest/globals'
import { comparableBaseline } from '../src/assess/comparable-config.js'
import { computeDiff } from '../src/assess/diff.js'
import type { Baseline } from '../src/assess/plan.js'
import { readFromEqualTexts, readFromText } from '../src/bundle/source-text.js'

/** Values read from equal texts by one reader are equal without a walk; anything else is compared value by value. */

const FLOW = `inboundCall:
  name: After Hours
  initialGreeting:
    tts: We are closed.
`

function baselineOf(text: string): Record<string, unknown> {
  const baseline: Baseline = {
    source: 'base-commit',
    description: 'test',
    config: { flows: { 'after-hours': { file: 'flows/after-hours.yaml' } } },
    files: { 'after-hours': text }
  }
  return comparableBaseline(baseline, 'architect')
}

describe('readFromEqualTexts', () => {
  it('is true only for two values read by the same reader from equal texts', () => {
    const text = 'a: 1\n'
    const first = readFromText({ a: 1 }, 'reader', text)
    const second = readFromText({ a: 1 }, 'reader', `a: ${1}\n`)
    expect(readFromEqualTexts(first, second)).toBe(true)
    expect(readFromEqualTexts(first, readFromText({ a: 1 }, 'another reader', text))).toBe(false)
    expect(readFromEqualTexts(first, readFromText({ a: 1 }, 'reader', 'a: 1 # same value\n'))).toBe(false)
    expect(readFromEqualTexts(first, { a: 1 })).toBe(false)
    expect(readFromEqualTexts({ a: 1 }, first)).toBe(false)
    expect(readFromEqualTexts(readFromText('a', 'reader', text), readFromText('a', 'reader', text))).toBe(false)
  })
})

describe('the diff with texts', () => {
  it('takes two flows read from equal texts as equal without looking inside', () => {
    // Told (falsely) that both came from one text, the diff believes it: proof that it compares texts first.
    const before = { flows: { x: readFromText({ prompt: 'old' }, 'reader', FLOW) } }
    const after = { flows: { x: readFromText({ prompt: 'new' }, 'reader', FLOW) } }
    expect(computeDiff(before, after).modified).toEqual([])
    // Without texts the same values differ.
    expect(computeDiff({ flows: { x: { prompt: 'old' } } }, { flows: { x: { prompt: 'new' } } }).modified).toEqual(['flows.x.prompt'])
  })

  it('finds no change between flow files of the same text, and every change between different texts', () => {
    const base = baselineOf(FLOW)
    expect(computeDiff(base, baselineOf(FLOW)).changes).toEqual([])
    // Different texts, same values: compared value by value, still no change.
    expect(computeDiff(base, baselineOf(`# reviewed\n${FLOW}`)).changes).toEqual([])
    const changed = computeDiff(base, baselineOf(FLOW.replace('We are closed.', 'Our offices are closed.')))
    expect(changed.modified).toEqual(['flows.after-hours.inboundCall.initialGreeting.tts'])
  })
})
