/**
 * The plain YAML reader on hand-written documents, feature by feature: each must read exactly as the `yaml`
 * library reads it (data and positions), or be refused as `unsupported` where the library is needed.
 */
import { parse } from 'yaml'
import { parseManifestSource } from '../src/bundle/loader.js'
import { readPlainYaml, type PlainYamlResult } from '../src/bundle/plain-yaml.js'
import { readLikeLibrary } from './fixtures/yaml-oracle.js'

/** Reads `text`, checks it against the library, and requires the fast path to have handled it. */
function expectRead(text: string): unknown {
  const result = readLikeLibrary(text)
  expect({ text, kind: result.kind }).toEqual({ text, kind: 'data' })
  return (result as Extract<PlainYamlResult, { kind: 'data' }>).value
}

describe('block structure', () => {
  it.each([
    ['nested mappings', 'a: 1\nb:\n  c: two\n  d:\n    e: true\nf: last\n'],
    ['a sequence under a key', 'list:\n  - a\n  - b\nnext: 1\n'],
    ['an indentless sequence (PyYAML)', 'list:\n- a\n- b\nnext: 1\n'],
    ['indentless sequences of mappings', 'items:\n- name: a\n  value: 1\n- name: b\n  other:\n  - x\n  - y\nend: true\n'],
    ['`- key: value` items with more keys after', '- a: 1\n  b: 2\n- c: 3\n  d:\n    e: 4\n'],
    ['extra spaces after the dash', '-   a: 1\n    b: 2\n-  x\n'],
    ['nested sequences on one line', '- - - a\n    - b\n  - c\n- d\n'],
    ['an item on the line after its dash', '-\n  a: 1\n-\n  - x\n'],
    ['four-space and one-space indentation', 'a:\n    b:\n        - c\n    d: 1\ne:\n f: 2\n'],
    ['collections indented at the top level', '  a: 1\n  b:\n    - c\n'],
    ['empty values and items', 'a:\nb: ~\nc: null\nd:\nlist:\n-\n- \n- # comment\n- x\n'],
    ['a value on the next, more indented line', 'key:\n  value\nother:\n    "quoted"\n'],
    ['comments everywhere', '# top\na: 1 # trailing\n# between\nb:   # after key\n  c: 2\n  # indented\n    # deeper\nd: [1, 2] # after flow\n'],
    ['blank lines everywhere', '\n\na: 1\n\n\nb:\n\n  - x\n\n  - y\n\n'],
    ['document markers', '---\na: 1\n...\n# after the end\n'],
    ['a start marker with a comment', '--- # the manifest\na: 1\n'],
    ['a byte order mark', '\ufeffa: 1\nb: 2\n'],
    ['CRLF line endings', 'a: 1\r\nb:\r\n  - x\r\n  - "y"\r\nc: |\r\n  text\r\n  more\r\n'],
    ['trailing spaces', 'a: 1   \nb:   \n  - x   \n'],
    ['no final line break', 'a: 1\nb: 2'],
    ['an empty document', ''],
    ['only comments', '# nothing\n\n# here\n'],
    ['only a start marker', '---\n'],
    ['a top-level scalar', 'hello world\n'],
    ['a top-level quoted scalar', '"hello"\n'],
    ['a top-level sequence', '- 1\n- two\n'],
    ['a scalar after the start marker', '--- text\n'],
    ['a block scalar after the start marker', '--- |\n  text\n'],
    ['a flow collection after the start marker', '--- {a: 1}\n']
  ])('%s', (_name, text) => {
    expectRead(text)
  })

  it('reads an Archy flow as the library does', () => {
    const archy = [
      'inboundCall:',
      '  name: Main Menu',
      '  startUpRef: "/inboundCall/menus/menu[Main Menu_10]"',
      '  initialGreeting:',
      '    tts: Welcome to Acme',
      '  menus:',
      '    - menu:',
      '        name: Main Menu',
      '        refId: Main Menu_10',
      '        audio: { tts: Press 1 for sales }',
      '        choices:',
      '          - menuTransferToAcd:',
      '              name: Sales',
      '              dtmf: digit_1',
      '              targetQueue: { lit: { name: Sales } }',
      '          - menuDisconnect:',
      '              name: Disconnect',
      ''
    ].join('\n')
    expect(expectRead(archy)).toEqual(parse(archy))
  })
})

describe('plain scalars (YAML 1.2 core schema)', () => {
  const tokens = [
    '~',
    'null',
    'Null',
    'NULL',
    'nULL',
    'true',
    'True',
    'TRUE',
    'tRue',
    'false',
    'False',
    'FALSE',
    'yes',
    'no',
    'on',
    'off',
    'y',
    'n',
    '0',
    '-0',
    '+0',
    '12',
    '-12',
    '+12',
    '08',
    '0001',
    '1_000',
    '0b1',
    '0o17',
    '0o8',
    '0o',
    '0x1F',
    '0x1f',
    '0X1F',
    '-0x1',
    '0x',
    '1.5',
    '-1.5',
    '+1.5',
    '.5',
    '-.5',
    '1.',
    '0.',
    '1e3',
    '1E3',
    '1e+3',
    '1e-3',
    '+1e3',
    '.5e3',
    '1.e3',
    '1e',
    'e3',
    '1.5.2',
    '.inf',
    '.Inf',
    '.INF',
    '+.inf',
    '-.inf',
    '-.Inf',
    '.nan',
    '.NaN',
    '.NAN',
    '+.nan',
    '-.nan',
    'Infinity',
    'NaN',
    '.',
    '..',
    '+',
    '-1',
    '2001-12-14',
    '12:30',
    '1,000',
    '9007199254740993',
    '123456789012345678901234567890',
    '0xFFFFFFFFFFFFFFFFFF',
    '1e400',
    '-1e400',
    '-x',
    '?x',
    ':x',
    'a:b',
    'a#b',
    'http://x.test/a?b=c#d',
    'a b  c',
    '<<'
  ]
  it.each(tokens)('`%s` as a value, an item and a key', token => {
    expectRead(`value: ${token}\n`)
    expectRead(`- ${token}\n`)
    expectRead(`${token}: key\n`)
  })

  it('keeps the library quirks that differ from other readers', () => {
    const value = expectRead('a: 1_000\nb: 0b1\nc: +1\nd: .5\ne: 1e3\nf: 2001-12-14\ng: 08\nh: yes\ni: +.nan\n')
    expect(value).toEqual({ a: '1_000', b: '0b1', c: 1, d: 0.5, e: 1000, f: '2001-12-14', g: 8, h: 'yes', i: '+.nan' })
  })

  it.each([
    ['a folded value', 'a: word1\n  word2\n\n  word3\n\n\n  word4\nb: 2\n'],
    ['a folded item', '- first\n  second\n- third\n'],
    ['a folded value on its own line', 'key:\n  value\n more\n'],
    ['a folded top-level scalar', 'one\ntwo\n\nthree\n'],
    ['a folded value ending in a comment', 'a: one\n  two # comment\nb: 1\n'],
    ['a tab inside a value', 'a: one\ttwo\n'],
    ['a tab before a comment', 'a: one\t# comment\n'],
    ['continuation lines starting with indicators', 'a: one\n  - two\n  ? three\n  [four] {five} "six" \'seven\' &8 *9 !10 |11 >12 %13 @14\n'],
    ['continuation lines of an item starting with a dash', '- one\n  - two\n'],
    ['a scalar after a comment line', 'a:\n  # comment\n  value\n']
  ])('%s', (_name, text) => {
    expectRead(text)
  })
})

describe('quoted scalars', () => {
  it.each([
    ['single quotes', "a: 'it''s'\nb: ''\nc: '# not a comment'\nd: ' spaced '\n"],
    ['single quotes over lines', "a: 'one\n  two\n\n  three  \n\n\n  four'\n"],
    ['double quotes', 'a: "x"\nb: ""\nc: "say \\"hi\\""\nd: "# no comment"\n'],
    ['double-quoted escapes', 'a: "\\0\\a\\b\\t\\\t\\n\\v\\f\\r\\e\\ \\"\\/\\\\\\N\\_\\L\\P"\n'],
    ['hexadecimal escapes', 'a: "\\x41\\u263A\\U0001F600\\ud83d\\ude00"\n'],
    ['double quotes over lines', 'a: "one\n  two\n\n  three"\n'],
    ['an escaped line break', 'a: "one\\\n  two \\\n  \\ three"\n'],
    ['trailing blanks before a fold', 'a: "one  \n  two\t\n  three"\n'],
    ['escaped blanks before a fold', 'a: "one\\t\n  two\\ \n  three"\n'],
    ['quoted keys', '"a b": 1\n\'c d\': 2\n"": empty\n"x": [1]\n'],
    ['a quoted key with spaces before the colon', '"a" : 1\n'],
    ['quoted items', '- "a"\n- \'b\'\n- "c": d\n'],
    ['a comment after a quoted value', 'a: "x" # comment\n'],
    ['a quoted scalar on its own line', 'a:\n  "one\n  two"\n']
  ])('%s', (_name, text) => {
    expectRead(text)
  })
})

describe('block scalars', () => {
  const headers = ['|', '|-', '|+', '>', '>-', '>+', '|2', '|2-', '|-2', '|+2', '>1', '>2+', '|1']
  const bodies = [
    '    line one\n    line two\n',
    '    line one\n\n    line two\n\n\n',
    '    text\n      more indented\n    back\n\n',
    '    one\n    two\n\n    three\n     spaced\n    four\n',
    '\n\n    after empty lines\n',
    '    trailing spaces   \n    \n      \n',
    '    last line without break'
  ]
  it.each(headers)('`%s` with each body', header => {
    for (const body of bodies) {
      readLikeLibrary(`a:\n  b: ${header}\n${body}`)
      readLikeLibrary(`- ${header}\n${body}`)
    }
  })

  it.each([
    ['a literal value', 'a: |\n  line one\n  line two\nb: 1\n'],
    ['a kept end', 'a: |+\n  x\n\n\nb: 1\n'],
    ['a stripped end', 'a: |-\n  x\n\n\nb: 1\n'],
    ['a folded value', 'a: >\n  one\n  two\n\n  three\n    spaced\n  four\n'],
    ['a tab-led line in a folded value', 'a: >\n  one\n  \ttab\n  two\n'],
    ['an indentation indicator', 'a: |2\n    starts with spaces\n  then not\n'],
    ['an item of a compact mapping', '- a: |\n    text\n  b: 2\n'],
    ['a top-level block scalar', '|\n  text\n'],
    ['a top-level block scalar at column 0', '>\ntext\nmore\n'],
    ['a top-level indentation indicator', '|1-\n  lead\n'],
    ['a header with a comment', 'a: | # note\n  text\n'],
    ['an empty block scalar', 'a: |\nb: 1\n'],
    ['an empty block scalar at the end', 'a: >-\n'],
    ['empty lines only', 'a: |\n\n\nb: 1\n'],
    ['a block scalar on its own line', 'a:\n  |\n   text\n'],
    ['content with comment signs', 'a: |\n  # not a comment\n  x # neither\n']
  ])('%s', (_name, text) => {
    expectRead(text)
  })
})

describe('flow collections', () => {
  it.each([
    ['one line', 'a: [1, two, "three", \'four\']\nb: {x: 1, y: [2, 3]}\n'],
    ['empty', 'a: []\nb: {}\nc: [[], {}]\n'],
    ['nested', 'a: [[1, [2, [3]]], {b: {c: [d]}}]\n'],
    ['trailing commas', 'a: [1, 2,]\nb: {x: 1,}\n'],
    ['JSON-style', '{"a":1,"b":[true,null,"x"],"c":{"d":-2.5e3}}\n'],
    ['empty values in a mapping', 'a: {x: , y: 1, z: }\n'],
    ['over lines', 'a: [\n  1,\n  2\n]\nb: {\n  x: 1,\n  y: 2\n  }\n'],
    ['comments inside', 'a: [ # first\n  1, # one\n  # alone\n  2\n]\n'],
    ['folded plain scalars inside', 'a: [one\n  two, three\n\n  four]\n'],
    ['quoted scalars over lines inside', 'a: ["one\n  two", \'three\n  four\']\n'],
    ['items on their own lines', '- [a, b]\n-\n  {c: d}\n'],
    ['a comma on the next line', 'a: [x\n  , y]\n'],
    ['a top-level flow collection', '[1, {a: b}]\n'],
    ['a top-level flow collection over lines', '{\na: 1,\nb: [2]\n}\n'],
    ['plain scalars with inner colons', 'a: [http://x.test, a:b, 12:30]\n']
  ])('%s', (_name, text) => {
    expectRead(text)
  })
})

describe('keys', () => {
  it.each([
    ['YAML 1.1 words are strings', 'on: 1\noff: 2\nyes: 3\nno: 4\ny: 5\n'],
    ['numbers become strings', '1: a\n1.5: b\n0x10: c\n-0: d\n.inf: e\n1e3: f\n'],
    ['a null key is the empty string', '~: a\n'],
    ['booleans become strings', 'true: 1\nFalse: 2\n'],
    ['keys with spaces and colons', 'key with spaces: 1\na:b: 2\nhttp://x.test: 3\n'],
    ['keys that look like other things', '"1": a\n"true": b\n"null": c\n'],
    ['object property names', 'constructor: 1\ntoString: 2\nhasOwnProperty: 3\n'],
    ['unicode keys', 'ключ: 1\n日本: 2\n"😀": 3\n']
  ])('%s', (_name, text) => {
    expectRead(text)
  })
})

describe('positions', () => {
  it('are what the loader collects today for a manifest', () => {
    const manifest = [
      'bundleId: main',
      'targetConfig:',
      '  flows:',
      '    main-entry: { file: flows/main.yaml }',
      '    after-hours:',
      '      file: flows/after.yaml',
      '  queues:',
      '    sales:',
      '      skills:',
      '      - claims',
      '      -   policy',
      '      - name: x',
      'dependencyMatrix:',
      '  order: [queues, flows]',
      ''
    ].join('\n')
    const result = readPlainYaml(manifest, { maxDepth: 16, recordPositions: true })
    expect(result.kind).toBe('data')
    const positions = (result as Extract<PlainYamlResult, { kind: 'data' }>).positions!
    expect(positions.toRecord()).toEqual(parseManifestSource(manifest, 'manifest.yaml').positions)
    expect(positions.get('targetConfig.queues.sales.skills.1')).toEqual({ line: 11, column: 11 })
  })

  it('keep the first of two equal dotted paths', () => {
    expectRead('a.b: 1\na:\n  b: 2\n')
  })

  it('are left out unless asked for', () => {
    const result = readPlainYaml('a: 1\n', { maxDepth: 4 })
    expect(result).toEqual({ kind: 'data', value: { a: 1 } })
  })
})
