/**
 * The texts the plain YAML reader keeps for block mappings (what lets the diff compare a manifest's unchanged flows
 * and queues by text): each must decide its mapping alone. Checked the strongest way there is: the `yaml` library,
 * given nothing but the kept text as a document of its own, reads the same value, on every document of the
 * generated corpora. Then the manifest and baseline readers that use them, and the diff.
 */
import { parseDocument, stringify } from 'yaml'
import { computeDiff } from '../src/assess/diff.js'
import { readBaselineFile } from '../src/assess/baseline.js'
import { checkManifest } from '../src/bundle/checks.js'
import { parseManifestSource } from '../src/bundle/manifest-source.js'
import { readPlainYaml, type MappingTexts } from '../src/bundle/plain-yaml.js'
import { readFromEqualTexts } from '../src/bundle/source-text.js'
import { randomData, randomSoup, seededRandom } from './fixtures/yaml-corpus.js'
import { randomStyle, writeYaml } from './fixtures/yaml-writer.js'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Every depth: the property must hold for any mapping the reader keeps a text for. */
const ALL_DEPTHS = 256

function mappingTexts(text: string, depth = ALL_DEPTHS): MappingTexts | undefined {
  const read = readPlainYaml(text, { maxDepth: ALL_DEPTHS, mappingTextDepth: depth })
  return read.kind === 'data' ? read.mappingTexts : undefined
}

/** The kept texts whose own reading by the library differs from the mapping they were kept for. */
function textsThatDoNotDecide(text: string): { text: string; kept: string; problem: string }[] {
  const kept = mappingTexts(text)
  if (kept === undefined) return []
  const wrong: { text: string; kept: string; problem: string }[] = []
  kept.values.forEach((value, index) => {
    const alone = parseDocument(kept.texts[index], { uniqueKeys: true })
    if (alone.errors.length > 0) wrong.push({ text, kept: kept.texts[index], problem: alone.errors[0].message })
    else if (!isDeepStrictEqual(alone.toJS(), value)) wrong.push({ text, kept: kept.texts[index], problem: 'another value' })
  })
  return wrong
}

function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b)
    return true
  } catch {
    return false
  }
}

describe('the text kept for a block mapping', () => {
  it('runs from its first key line (indentation included) to the line that closes it, or the end', () => {
    const text = 'top:\n  a:\n    x: 1\n    # about y\n    y: |\n      two\n\n# between\n  b:\n    z: 3\n# the end\n'
    const top = parseDocument(text).toJS() as { top: Record<string, Record<string, unknown>> }
    const read = readPlainYaml(text, { maxDepth: 8, mappingTextDepth: 8 }) as { value: typeof top; mappingTexts: MappingTexts }
    const kept = read.mappingTexts
    const byValue = new Map(kept.values.map((value, index) => [value, kept.texts[index]]))
    expect(kept.values).toHaveLength(4)
    const value = read.value
    expect(value).toEqual(top)
    expect(byValue.get(value.top.a)).toBe('    x: 1\n    # about y\n    y: |\n      two\n\n# between\n')
    expect(byValue.get(value.top.b)).toBe('    z: 3\n# the end\n')
    expect(byValue.get(value.top)).toBe(text.slice('top:\n'.length))
    expect(byValue.get(value)).toBe(text)
  })

  it('is kept only for block mappings that start their line, down to the depth asked', () => {
    const text = 'list:\n  - a: 1\n    b: 2\n  -\n    c: 3\nflow: {d: 4}\ndeep:\n  e:\n    f:\n      g: 5\n'
    const read = readPlainYaml(text, { maxDepth: 8, mappingTextDepth: 3 }) as { value: Record<string, any>; mappingTexts: MappingTexts }
    const kept = new Set(read.mappingTexts.values)
    // `- a: 1` starts after the dash: its text would need the dash's column, so it has none.
    expect(kept.has(read.value.list[0])).toBe(false)
    expect(kept.has(read.value.list[1])).toBe(true)
    expect(kept.has(read.value.flow)).toBe(false)
    expect(kept.has(read.value.deep.e)).toBe(true)
    expect(kept.has(read.value.deep.e.f)).toBe(false)
    expect(readPlainYaml(text, { maxDepth: 8 })).not.toHaveProperty('mappingTexts')
  })

  it.each([
    ['block scalars with indentation indicators', 'a:\n  b:\n    s: |1\n      text\n    t: >2-\n       folded\n       more\n'],
    ['multi-line plain and quoted scalars', 'a:\n  b:\n    p: one\n      two\n\n      three\n    q: "x\n      y"\n    r: \'s\n      t\'\n'],
    ['indentless sequences and comments at column 0', 'a:\n  b:\n    list:\n    - 1\n# at column 0\n    - 2\n    next: x\n'],
    ['empty values and a document end marker', 'a:\n  b:\n    c:\n    d: ~\n...\n# after\n'],
    ['CRLF line ends', 'a:\r\n  b:\r\n    c: 1\r\n    d:\r\n      - x\r\n'],
    ['keys that resolve to other types', 'a:\n  b:\n    1: one\n    true: yes\n    null: nothing\n    "2": two\n']
  ])('decides its mapping alone: %s', (_name, text) => {
    expect(mappingTexts(text)!.values.length).toBeGreaterThan(1)
    expect(textsThatDoNotDecide(text)).toEqual([])
  })

  it('decides its mapping alone on 600 generated documents, 800 perturbed ones and 2,000 random line soups', () => {
    const random = seededRandom(0x7e47)
    const written = Array.from({ length: 600 }, () => writeYaml(randomData(random, 5), randomStyle(random), random))
    const stringified = Array.from({ length: 200 }, () => stringify(randomData(random, 5), { indent: 1 + Math.floor(random() * 4) }))
    const perturbed = written.slice(0, 800).map(text => {
      const lines = text.split('\n')
      const at = Math.floor(random() * lines.length)
      lines[at] = random() < 0.5 ? ' ' + lines[at] : lines[at].replace(/^ /, '') + (random() < 0.5 ? ' # c' : '')
      return lines.join('\n')
    })
    const soups = Array.from({ length: 2000 }, () => randomSoup(random))
    const all = [...written, ...stringified, ...perturbed, ...soups]
    const keptCount = all.reduce((count, text) => count + (mappingTexts(text)?.values.length ?? 0), 0)
    // The corpora hold thousands of block mappings: the property is not checked on nothing.
    expect(keptCount).toBeGreaterThan(2000)
    expect(all.flatMap(textsThatDoNotDecide)).toEqual([])
  })
})

const MANIFEST = (greeting: string, indent = '  ') =>
  [
    'bundleId: cc-core',
    'targetConfig:',
    `${indent}flows:`,
    `${indent}${indent}main-entry:`,
    `${indent}${indent}${indent}type: inboundcall`,
    `${indent}${indent}${indent}greeting: ${greeting}`,
    `${indent}${indent}after-hours:`,
    `${indent}${indent}${indent}type: inboundcall`,
    `${indent}${indent}${indent}hours: [9, 17]`,
    `${indent}queues:`,
    `${indent}${indent}sales:`,
    `${indent}${indent}${indent}skills: [english]`,
    ''
  ].join('\n')

/** The manifest as the loader has it: read, then checked by the schema, which copies each entry. */
function checkedTargetConfig(text: string): Record<string, Record<string, object>> {
  const source = parseManifestSource(text, 'bundle.yaml')
  const checked = checkManifest(source.document, {}, 'bundle.yaml')
  expect(checked.findings).toEqual([])
  return checked.manifest!.targetConfig as Record<string, Record<string, object>>
}

describe('resources read from a manifest', () => {
  it('keep their text through the schema check, so equal resources of two manifests compare by text', () => {
    const before = (parseManifestSource(MANIFEST('Hello'), 'base.yaml').document as { targetConfig: Record<string, Record<string, object>> }).targetConfig
    const after = checkedTargetConfig(MANIFEST('Welcome'))
    expect(readFromEqualTexts(before.flows['after-hours'], after.flows['after-hours'])).toBe(true)
    expect(readFromEqualTexts(before.queues.sales, after.queues.sales)).toBe(true)
    expect(readFromEqualTexts(before.flows['main-entry'], after.flows['main-entry'])).toBe(false)
    // Another indentation is another text: compared value by value, and still equal.
    const reindented = checkedTargetConfig(MANIFEST('Hello', '    '))
    expect(readFromEqualTexts(before.flows['after-hours'], reindented.flows['after-hours'])).toBe(false)
    expect(computeDiff(before, reindented).changes).toEqual([])
    expect(computeDiff(before, after).modified).toEqual(['flows.main-entry.greeting'])
  })

  it('are compared by text first: told falsely, the diff believes the text', () => {
    const before = checkedTargetConfig(MANIFEST('Hello'))
    const after = checkedTargetConfig(MANIFEST('Hello'))
    // Changing a value after reading breaks the rule the texts rely on; the diff does not look, which proves it
    // compares the texts of unchanged resources instead of walking them.
    ;(after.flows['after-hours'] as Record<string, unknown>).hours = [0, 24]
    expect(computeDiff(before, after).changes).toEqual([])
    const copies = JSON.parse(JSON.stringify({ before, after })) as { before: Record<string, unknown>; after: Record<string, unknown> }
    expect(computeDiff(copies.before, copies.after).modified).toEqual(['flows.after-hours.hours'])
  })

  it('read from a baseline file keep theirs too; a JSON baseline or one the library reads (anchors) has none', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gbd-mapping-texts-'))
    try {
      writeFileSync(join(folder, 'base.yaml'), MANIFEST('Hello'))
      writeFileSync(join(folder, 'anchored.yaml'), MANIFEST('Hello').replace('type: inboundcall', 'type: &kind inboundcall'))
      writeFileSync(join(folder, 'base.json'), JSON.stringify(parseDocument(MANIFEST('Hello')).toJS()))
      const after = checkedTargetConfig(MANIFEST('Welcome'))
      const fromYaml = (await readBaselineFile('base.yaml', folder)).config as Record<string, Record<string, object>>
      expect(readFromEqualTexts(fromYaml.flows['after-hours'], after.flows['after-hours'])).toBe(true)
      for (const other of ['anchored.yaml', 'base.json']) {
        const config = (await readBaselineFile(other, folder)).config as Record<string, Record<string, object>>
        expect(readFromEqualTexts(config.flows['after-hours'], after.flows['after-hours'])).toBe(false)
        expect(computeDiff(config, after).modified).toEqual(['flows.main-entry.greeting'])
      }
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})

describe('the schema check', () => {
  it('keeps the very entry objects that were read, and reports bad entries at the same paths as before', () => {
    const source = parseManifestSource(MANIFEST('Hello'), 'bundle.yaml')
    const read = (source.document as { targetConfig: Record<string, Record<string, object>> }).targetConfig
    const checked = checkManifest(source.document, {}, 'bundle.yaml').manifest!.targetConfig as Record<string, Record<string, object>>
    expect(checked.flows['main-entry']).toBe(read.flows['main-entry'])
    expect(checked.queues.sales).toBe(read.queues.sales)
    // The findings the earlier `z.object` schema gave for these entries, word for word.
    const problems = (flows: string): string[] => {
      const text = `bundleId: b\ntargetConfig:\n  flows:\n${flows}  queues:\n    q: 7\n`
      return checkManifest(parseManifestSource(text, 'bundle.yaml').document, {}, 'bundle.yaml').findings.map(finding => `${finding.path}: ${finding.message}`)
    }
    const queue = 'targetConfig.queues.q: `targetConfig.queues.q` is `7` (a number); it must be a mapping of keys.'
    expect(problems('    main: 5\n')).toEqual(['targetConfig.flows.main: `targetConfig.flows.main` is `5` (a number); it must be a mapping of keys.', queue])
    expect(problems('    main: { file: 3 }\n')).toEqual([
      'targetConfig.flows.main.file: `targetConfig.flows.main.file` is `3` (a number); it must be text. Quote it: `file: "3"`.',
      queue
    ])
    expect(problems("    main: { file: '' }\n")).toEqual([
      'targetConfig.flows.main.file: `targetConfig.flows.main.file` is empty; set it to a non-empty value or remove the key.',
      queue
    ])
    expect(problems('    main: [a]\n')).toEqual(['targetConfig.flows.main: `targetConfig.flows.main` is a list; it must be a mapping of keys.', queue])
    expect(problems('    main:\n')).toEqual(['targetConfig.flows.main: `targetConfig.flows.main` has no value; give it a mapping of keys.', queue])
    expect(problems('    main: { file: [x] }\n')).toEqual(['targetConfig.flows.main.file: `targetConfig.flows.main.file` is a list; it must be text.', queue])
  })
})
