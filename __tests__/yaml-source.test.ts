import { jest } from '@jest/globals'
import { findJsonSyntaxProblem } from '../src/bundle/json-syntax.js'
import { findExcessNesting } from '../src/bundle/nesting-scan.js'
import { readYamlSource } from '../src/bundle/yaml-source.js'

describe('readYamlSource', () => {
  it('reads plain YAML with positions given on demand', () => {
    const source = readYamlSource('a: 1\nb:\n  - x\n  - c: d\n', 'f.yaml', { format: 'YAML' })
    expect(source.findings).toEqual([])
    expect(source.data).toEqual({ a: 1, b: ['x', { c: 'd' }] })
    expect(source.positionAt('b.1.c')).toEqual({ line: 4, column: 5 })
    expect(source.positionAt('b.1')).toEqual({ line: 4, column: 5 })
  })

  it('reads what only the library reads (anchors, tags) with the same data, and finds every repeated key', () => {
    const source = readYamlSource('base: &base { x: 1 }\ncopy: *base\nn: !!str 5\nn: 6\ncopy: 2\n', 'f.yaml', { format: 'YAML' })
    expect(source.data).toEqual({ base: { x: 1 }, copy: 2, n: 6 })
    expect(source.findings.map(finding => [finding.line, finding.path])).toEqual([
      [4, 'n'],
      [5, 'copy']
    ])
  })

  it('refuses what only the library reads in a text too large for it, naming the line and the fix', () => {
    const text = `a: 1\nb: &anchor 2\n${'c: 3\n'.repeat(10)}`
    const source = readYamlSource(text, 'f.yaml', { format: 'YAML', maxLibraryTextLength: 16 })
    expect(source.data).toBeUndefined()
    expect(source.findings).toEqual([expect.objectContaining({ severity: 'error', file: 'f.yaml', line: 2, column: 4 })])
    expect(source.findings[0].message).toMatch(/^This line uses an anchor \(`&name`\), which only the full YAML reader handles/)
    expect(source.findings[0].message).toMatch(/write the file as plain block YAML \(no anchors, aliases or tags\) or as JSON/)
  })

  it('reads JSON with JSON.parse and reports a syntax error at its line and column, without quoting the text', () => {
    const ok = readYamlSource('{"a": [1, 2], "b": {"c": null}}', 'f.json', { format: 'JSON' })
    expect(ok.data).toEqual({ a: [1, 2], b: { c: null } })
    const broken = readYamlSource('{\n  "token": "s3cr3t-value",\n  "b": }\n', 'f.json', { format: 'JSON' })
    expect(broken.findings).toEqual([expect.objectContaining({ severity: 'error', line: 3, column: 8 })])
    expect(broken.findings[0].message).toBe('JSON syntax: `}` does not start a value; correct the JSON at this line.')
  })

  it('keeps library warnings out of the log', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
    try {
      // A collection as a key: the library warns that it stringifies it.
      const source = readYamlSource('? [a, b]\n: 1\nc: &x 2\n', 'f.yaml', { format: 'YAML' })
      expect(source.data).toEqual({ '[ a, b ]': 1, c: 2 })
      expect(stderr).not.toHaveBeenCalled()
      expect(warn).not.toHaveBeenCalled()
      expect(emit).not.toHaveBeenCalled()
    } finally {
      stderr.mockRestore()
      warn.mockRestore()
      emit.mockRestore()
    }
  })
})

describe('findJsonSyntaxProblem', () => {
  it.each([
    ['{"a": 1,}', 8, 'expected a key in double quotes, found `}`'],
    ['[1 2]', 3, 'expected `,` or `]`, found `2`'],
    ['{"a" 1}', 5, 'expected `:` after the key, found `1`'],
    ['{"a": "b', 6, 'a string is not closed, or holds an unescaped control character'],
    ['{"a": 1} x', 9, 'unexpected `x` after the end of the document'],
    ['[[', 2, 'the document ends before it is complete (a bracket, brace or value is missing)'],
    ['{"a": tru}', 6, '`t` does not start a value']
  ])('locates the first problem of %s', (text, offset, problem) => {
    expect(findJsonSyntaxProblem(text)).toEqual({ offset, problem })
  })

  it('accepts valid JSON of any depth without recursion', () => {
    expect(findJsonSyntaxProblem('{"a": [1, -2.5e3, true, false, null, "x\\"y", {}], "b": []}')).toBeUndefined()
    expect(findJsonSyntaxProblem(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeUndefined()
  })
})

describe('findExcessNesting', () => {
  it('counts block and flow collections, and ignores brackets inside scalars, quotes, comments and block text', () => {
    const text = ['a:', '  b:', '    - c: [d, {e: f}]', '  tts: press [1] "[[[" # [[[', '  text: |', '    [[[[[[[[', ''].join('\n')
    // a → b → the list → c → [ → {: six levels, and none from the brackets of `tts`, the quotes, comment or block.
    expect(findExcessNesting(text, 6)).toBeUndefined()
    expect(findExcessNesting(text, 5)).toEqual({ line: 3, column: 14, depth: 6 })
  })

  it('finds indentation deeper than the bound at its line', () => {
    const text = Array.from({ length: 10 }, (_, depth) => `${'  '.repeat(depth)}k${depth}:`).join('\n')
    expect(findExcessNesting(text, 6)).toEqual({ line: 7, column: 13, depth: 7 })
  })
})
