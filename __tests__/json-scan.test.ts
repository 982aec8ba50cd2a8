/**
 * The JSON scan: what `JSON.parse` keeps quiet about (a repeated key, deep nesting), and positions equal to
 * what the loader gets today by reading JSON with the `yaml` library.
 */
import { LineCounter, parseDocument } from 'yaml'
import { scanJson } from '../src/bundle/json-scan.js'
import type { SourcePositionIndex } from '../src/bundle/source-position-index.js'
import { parseManifestSource } from '../src/bundle/loader.js'
import { pick, randomData, seededRandom } from './fixtures/yaml-corpus.js'
import { secondKeyPosition } from './fixtures/yaml-oracle.js'

const DEEP = 10_000

/** JSON text of `value`, with random layout; with `repeatKeys`, objects sometimes repeat one of their keys. */
function writeJson(value: unknown, random: () => number, repeatKeys: boolean, indent = ''): string {
  const step = '  '
  const inner = indent + step
  const newline = random() < 0.5 ? '\n' : ''
  const pad = newline ? inner : ''
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    return `[${newline}${value.map(item => pad + writeJson(item, random, repeatKeys, inner)).join(',' + newline)}${newline}${newline ? indent : ''}]`
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
    if (repeatKeys && entries.length > 0 && random() < 0.05) entries.push([pick(random, entries)[0], 'again'])
    if (entries.length === 0) return '{}'
    const written = entries.map(([key, item]) => `${pad}${JSON.stringify(key)}: ${writeJson(item, random, repeatKeys, inner)}`)
    return `{${newline}${written.join(',' + newline)}${newline}${newline ? indent : ''}}`
  }
  return JSON.stringify(value) ?? 'null'
}

describe('positions', () => {
  it('are what the loader collects today for JSON, on random documents', () => {
    const random = seededRandom(0x15011)
    for (let index = 0; index < 300; index++) {
      const data = { root: randomData(random, 5), list: [randomData(random, 3)] }
      const text = random() < 0.5 ? JSON.stringify(data, null, pick(random, [0, 2, 4, '\t'])) : writeJson(data, random, false)
      const result = scanJson(text, { maxDepth: 64, recordPositions: true })
      expect(result.kind).toBe('ok')
      const index = (result as { positions: SourcePositionIndex }).positions
      const expected = parseManifestSource(text, 'manifest.json').positions
      expect({ text, positions: index.toRecord() }).toEqual({ text, positions: expected })
      const looked = Object.fromEntries(Object.keys(expected).map(path => [path, index.get(path)]))
      expect({ text, positions: looked }).toEqual({ text, positions: expected })
    }
  })

  it('count keys with escapes and strings with quotes and backslashes right', () => {
    const text = '{\n  "a\\"b": "x\\\\",\n  "c\\\\": ["\\"", "\\\\\\"", {"\\u0064": 1}],\n  "e": "]}{["\n}'
    const result = scanJson(text, { maxDepth: 8, recordPositions: true })
    expect((result as { positions: SourcePositionIndex }).positions.toRecord()).toEqual(parseManifestSource(text, 'manifest.json').positions)
  })

  it('are left out unless asked for', () => {
    expect(scanJson('{"a": [1]}', { maxDepth: 4 })).toEqual({ kind: 'ok' })
  })
})

describe('repeated keys', () => {
  it.each<[string, (string | number)[], number, number]>([
    ['{"a": 1, "a": 2}', ['a'], 1, 10],
    ['{\n  "x": [\n    {"k": 1},\n    {"k": 1, "k": 2}\n  ]\n}', ['x', 1, 'k'], 4, 14],
    ['{"a\\u0062": 1, "ab": 2}', ['ab'], 1, 16],
    ['{"a": {"b": 1}, "a": 2}', ['a'], 1, 17],
    ['{"": 1, "": 2}', [''], 1, 9]
  ])('in %s', (text, path, line, column) => {
    expect(scanJson(text, { maxDepth: 8 })).toEqual({ kind: 'duplicate-key', path, line, column })
  })

  it.each(['[{"a": 1}, {"a": 2}]', '{"a": {"a": 1}}', '{"x": {"b": 1}, "b": 2}', '{"a": [{"b": {"c": 1}}, {"c": 2}], "c": 3}'])(
    'not in %s (equal keys in different objects)',
    text => {
      expect(scanJson(text, { maxDepth: 8 }).kind).toBe('ok')
    }
  )

  it('are the first repeat the yaml library reports, on random documents', () => {
    const random = seededRandom(0xd0b1e)
    let found = 0
    for (let index = 0; index < 300; index++) {
      const text = writeJson({ root: randomData(random, 5) }, random, true)
      JSON.parse(text)
      const result = scanJson(text, { maxDepth: 64 })
      const lineCounter = new LineCounter()
      const first = parseDocument(text, { lineCounter }).errors.find(error => error.code === 'DUPLICATE_KEY')
      if (first === undefined) {
        expect({ text, result }).toEqual({ text, result: { kind: 'ok' } })
        continue
      }
      found++
      const { line, col } = lineCounter.linePos(first.pos[0])
      expect({ text, result }).toEqual({ text, result: expect.objectContaining({ kind: 'duplicate-key', line, column: col }) })
      const { path } = result as { path: (string | number)[] }
      expect(secondKeyPosition(text, path)).toEqual({ line, column: col })
    }
    expect(found).toBeGreaterThan(20)
  })

  it('finds the repeat among 10,000 keys, at the end', () => {
    const keys = Array.from({ length: DEEP }, (_, index) => `"key-${index}": ${index}`)
    const text = `{\n${[...keys, '"key-0": 0'].join(',\n')}\n}`
    expect(scanJson(text, { maxDepth: 4 })).toEqual({ kind: 'duplicate-key', path: ['key-0'], line: DEEP + 2, column: 1 })
  })
})

describe('nesting', () => {
  it('stops at the limit, not before', () => {
    expect(scanJson('{"a": [{"b": 1}]}', { maxDepth: 3 }).kind).toBe('ok')
    expect(scanJson('{"a": [{"b": 1}]}', { maxDepth: 2 })).toEqual({ kind: 'too-deep', line: 1, column: 8, depth: 3 })
  })

  it.each([
    ['10,000 arrays', '['.repeat(DEEP) + ']'.repeat(DEEP), 33],
    ['10,000 objects', '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP), 161]
  ])('%s: too deep at the level beyond the limit', (_name, text, column) => {
    expect(scanJson(text, { maxDepth: 32 })).toEqual({ kind: 'too-deep', line: 1, column, depth: 33 })
    expect(scanJson(text, { maxDepth: DEEP }).kind).toBe('ok')
  })
})
