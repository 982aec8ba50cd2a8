/**
 * Where the plain YAML reader stops: constructs it leaves to the `yaml` library, repeated keys (found in one
 * look-up each, reported at the second occurrence), and nesting beyond the limit (10,000 levels, block or
 * flow, never overflow the stack).
 */
import { parseDocument } from 'yaml'
import { readPlainYaml, type PlainYamlConstruct, type PlainYamlResult } from '../src/bundle/plain-yaml.js'
import { readLikeLibrary } from './fixtures/yaml-oracle.js'

const DEEP = 10_000

function read(text: string, maxDepth = 32): PlainYamlResult {
  return readPlainYaml(text, { maxDepth })
}

describe('constructs left to the library', () => {
  it.each<[PlainYamlConstruct, string, number, number]>([
    ['anchor', 'a: &x 1\nb: 2\n', 1, 4],
    ['anchor', '- &x\n  a: 1\n', 1, 3],
    ['alias', 'a: 1\nb: *x\n', 2, 4],
    ['tag', 'a: !!str 1\n', 1, 4],
    ['tag', '- !custom x\n', 1, 3],
    ['tag', 'a: [!t x]\n', 1, 5],
    ['directive', '%YAML 1.2\n---\na: 1\n', 1, 1],
    ['complex key', '? a\n: b\n', 1, 1],
    ['complex key', 'x: 1\n? a\n: b\n', 2, 1],
    ['complex key', '[a, b]: c\n', 1, 1],
    ['complex key', '{a: 1}: c\n', 1, 1],
    ['complex key', 'a: {[x]: 1}\n', 1, 5],
    ['empty key', ': value\n', 1, 1],
    ['multiple documents', 'a: 1\n---\nb: 2\n', 2, 1],
    ['multiple documents', 'a: 1\n...\nb: 2\n', 3, 1],
    ['multiple documents', '---\na: 1\n---\n', 3, 1],
    ['__proto__ key', '__proto__: 1\n', 1, 1],
    ['__proto__ key', 'a:\n  "__proto__": {}\n', 2, 3],
    ['__proto__ key', 'a: {__proto__: 1}\n', 1, 5],
    ['tab', 'a:\n\tb: 1\n', 2, 1],
    ['tab', 'a:\n  \tb: 1\n', 2, 3],
    ['tab', 'a: [1,\n\t2]\n', 2, 1],
    ['keys equal only as text', '1: a\n"1": b\n', 2, 1],
    ['keys equal only as text', '.nan: a\n.NaN: b\n', 2, 1],
    ['multi-line key', '"a\n  b": 1\n', 2, 5],
    ['multi-line key', 'a: one\n  two: three\n', 2, 3],
    ['long key', `${'k'.repeat(1100)}: 1\n`, 1, 1],
    ['lone carriage return', 'a: 1\rb: 2\n', 1, 5],
    ['quoted scalar form', 'a: "one\\\n\n  two"\n', 3, 3],
    ['block scalar form', 'a: |\n      \n    x\n', 3, 5],
    ['flow form', 'a: [b: c]\n', 1, 6],
    ['flow form', 'a: {b}\n', 1, 5],
    ['syntax error', 'a: b: c\n', 1, 5],
    ['syntax error', 'a: "open\n', 2, 1],
    ['syntax error', 'a: [1, 2\n', 2, 1],
    ['syntax error', 'a: 1\n- b\n', 2, 1],
    ['syntax error', 'a:\n    b: 1\n  c: 2\n', 3, 3],
    ['syntax error', 'a:\n  - b\n - c\n', 3, 2],
    ['syntax error', 'a: "x" y\n', 1, 8],
    ['syntax error', 'a: @x\n', 1, 4],
    ['syntax error', 'a: "\\q"\n', 1, 5]
  ])('%s in %j', (construct, text, line, column) => {
    expect(read(text)).toEqual({ kind: 'unsupported', line, column, construct })
  })

  it('refuses a repeated key when something unsupported follows, so the library reports both', () => {
    expect(read('a: 1\na: 2\nb: &x 3\n')).toMatchObject({ kind: 'unsupported', construct: 'anchor' })
  })

  it('is never used for a text the library rejects: each refused example above is checked', () => {
    for (const text of ['a: b: c\n', 'a: "open\n', 'a: [1, 2\n', 'a: 1\n- b\n', 'a: "x" y\n', 'a: "\\q"\n']) {
      expect(parseDocument(text).errors.length).toBeGreaterThan(0)
    }
  })
})

describe('repeated keys', () => {
  it.each<[string, (string | number)[], number, number]>([
    ['a: 1\nb: 2\na: 3\n', ['a'], 3, 1],
    ['x:\n  - k: 1\n    k: 2\n', ['x', 0, 'k'], 3, 5],
    ['a: {b: 1, b: 2}\n', ['a', 'b'], 1, 11],
    ['"a": 1\na: 2\n', ['a'], 2, 1],
    ['1: a\n0x1: b\n', ['1'], 2, 1],
    ['~: a\nnull: b\n', ['null'], 2, 1],
    ['a:\nb:\na:\n', ['a'], 3, 1],
    ['a: 1\na: 2\nb: 1\nb: 2\n', ['a'], 2, 1],
    ['list:\n- x\n- k:\n    deep: 1\n    deep: 2\n', ['list', 1, 'k', 'deep'], 5, 5]
  ])('in %j', (text, path, line, column) => {
    const result = readLikeLibrary(text)
    expect(result).toEqual({ kind: 'duplicate-key', path, line, column })
  })

  it('finds the repeat among 10,000 keys, at the end', () => {
    const keys = Array.from({ length: DEEP }, (_, index) => `key-${index}: ${index}`)
    const text = [...keys, 'key-0: again', ''].join('\n')
    expect(read(text)).toEqual({ kind: 'duplicate-key', path: ['key-0'], line: DEEP + 1, column: 1 })
  })
})

describe('nesting', () => {
  it('stops at the limit, not before', () => {
    const four = 'a:\n  b:\n    c: [1]\n'
    expect(read(four, 4).kind).toBe('data')
    expect(read(four, 3)).toEqual({ kind: 'too-deep', line: 3, column: 8, depth: 4 })
  })

  it('counts block and flow collections alike', () => {
    expect(read('- {a: [x]}\n', 3).kind).toBe('data')
    expect(read('- {a: [x]}\n', 2)).toEqual({ kind: 'too-deep', line: 1, column: 7, depth: 3 })
  })

  const cases: [string, string, number, number][] = [
    ['10,000 nested mappings', Array.from({ length: DEEP }, (_, level) => `${' '.repeat(2 * level)}k:`).join('\n'), 33, 65],
    ['10,000 dashes on one line', '- '.repeat(DEEP) + 'x\n', 1, 65],
    ['10,000 nested items on their own lines', Array.from({ length: DEEP }, (_, level) => `${' '.repeat(2 * level)}-`).join('\n'), 33, 65],
    ['10,000 `[`', '['.repeat(DEEP) + ']'.repeat(DEEP), 1, 33],
    ['10,000 `{a: `', 'x: ' + '{a: '.repeat(DEEP) + '1' + '}'.repeat(DEEP), 1, 128],
    ['10,000 unclosed `[`', '['.repeat(DEEP), 1, 33]
  ]
  it.each(cases)('%s: too deep at the level beyond the limit, without overflowing', (_name, text, line, column) => {
    expect(read(text, 32)).toEqual({ kind: 'too-deep', line, column, depth: 33 })
  })

  it.each(cases.filter(([name]) => !name.includes('unclosed')))('%s: read without recursion when the limit allows it', (_name, text) => {
    const result = read(text, 2 * DEEP)
    expect(result.kind).toBe('data')
    let depth = 0
    let node = (result as Extract<PlainYamlResult, { kind: 'data' }>).value
    while (typeof node === 'object' && node !== null) {
      depth++
      node = Array.isArray(node) ? node[0] : Object.values(node)[0]
    }
    expect(depth).toBeGreaterThanOrEqual(DEEP)
  })
})
