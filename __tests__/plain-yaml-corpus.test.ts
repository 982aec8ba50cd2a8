/**
 * The plain YAML reader against the `yaml` library on generated corpora (seeded, so every run sees the same
 * documents): what emitters write must be read by the fast path, never refused; perturbed and random texts
 * must be read exactly as the library reads them, or refused.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse, stringify, type ToStringOptions } from 'yaml'
import { wideManifest, wideManifestYaml } from '../bench/wide-manifest-fixture.js'
import { readPlainYaml, type PlainYamlResult } from '../src/bundle/plain-yaml.js'
import { pick, randomData, randomSoup, seededRandom } from './fixtures/yaml-corpus.js'
import { libraryPositions, readLikeLibrary, tally } from './fixtures/yaml-oracle.js'
import { randomStyle, writeYaml } from './fixtures/yaml-writer.js'

/** `yaml.stringify` options that change how documents are written. */
const STRINGIFY_VARIANTS: ToStringOptions[] = [
  {},
  { indentSeq: false },
  { indent: 4 },
  { indent: 1 },
  { lineWidth: 20, minContentWidth: 0 },
  { defaultStringType: 'QUOTE_DOUBLE' },
  { defaultStringType: 'QUOTE_SINGLE' },
  { defaultStringType: 'BLOCK_LITERAL' },
  { defaultStringType: 'BLOCK_FOLDED' },
  { defaultKeyType: 'QUOTE_DOUBLE', defaultStringType: 'PLAIN' },
  { collectionStyle: 'flow' },
  { collectionStyle: 'flow', lineWidth: 30, flowCollectionPadding: false },
  { nullStr: '~', trueStr: 'True', falseStr: 'FALSE' },
  { nullStr: '' },
  { doubleQuotedAsJSON: true },
  { blockQuote: 'folded' },
  { blockQuote: false },
  { singleQuote: true },
  { directives: true }
]

describe('yaml.stringify output', () => {
  it.each(STRINGIFY_VARIANTS.map(options => [JSON.stringify(options), options] as const))('with %s is read by the fast path, exactly', (_name, options) => {
    const random = seededRandom(0x5eed + JSON.stringify(options).length)
    const results = Array.from({ length: 40 }, () => readLikeLibrary(stringify(randomData(random, 5), options)))
    expect(tally(results)).toEqual({ data: 40, 'duplicate-key': 0, 'too-deep': 0, unsupported: 0 })
  })
})

describe('other emitters', () => {
  it('PyYAML-style and js-yaml-style writing (generated) is read by the fast path, exactly', () => {
    const random = seededRandom(0xc0ffee)
    const results = Array.from({ length: 200 }, () => readLikeLibrary(writeYaml(randomData(random, 5), randomStyle(random), random)))
    expect(tally(results)).toEqual({ data: 200, 'duplicate-key': 0, 'too-deep': 0, unsupported: 0 })
  })

  const samples = fileURLToPath(new URL('./fixtures/plain-yaml/', import.meta.url))
  it.each(readdirSync(samples))('the sample %s (written by that emitter) is read by the fast path, exactly', name => {
    expect(readLikeLibrary(readFileSync(samples + name, 'utf8')).kind).toBe('data')
  })
})

describe('texts near the edges', () => {
  /** One random change to one line: indentation, an inserted indicator, a removed or repeated line. */
  function perturb(text: string, random: () => number): string {
    const lines = text.split('\n')
    const at = Math.floor(random() * lines.length)
    const roll = random()
    if (roll < 0.4) lines[at] = random() < 0.5 ? ' ' + lines[at] : lines[at].replace(/^ /, '')
    else if (roll < 0.7) {
      const offset = Math.floor(random() * (lines[at].length + 1))
      const inserted = pick(random, [' ', '#', ':', '-', '"', "'", '[', ']', '{', '}', ',', '\t', '|', '>', '\\', ' #', ': ', '- '])
      lines[at] = lines[at].slice(0, offset) + inserted + lines[at].slice(offset)
    } else if (roll < 0.85) lines.splice(at, 1)
    else lines.splice(at, 0, lines[Math.floor(random() * lines.length)])
    return lines.join('\n')
  }

  it('perturbed documents are read exactly as the library reads them, or refused', () => {
    const random = seededRandom(0xbadc0de)
    const results = Array.from({ length: 800 }, () => readLikeLibrary(perturb(writeYaml(randomData(random, 4), randomStyle(random), random), random)))
    const counts = tally(results)
    // Most perturbations leave a readable document: the fast path must still read those.
    expect(counts.data).toBeGreaterThan(results.length * 0.5)
    expect(counts['duplicate-key']).toBeGreaterThan(0)
  })

  it('random line soup is read exactly as the library reads it, or refused', () => {
    const random = seededRandom(0x50a9)
    const results: PlainYamlResult[] = Array.from({ length: 2000 }, () => readLikeLibrary(randomSoup(random)))
    expect(tally(results).data).toBeGreaterThan(results.length * 0.05)
  })
})

describe('size', () => {
  it('the fast writer of the wide manifest writes what yaml.stringify writes', () => {
    expect(wideManifestYaml(30)).toBe(stringify(wideManifest(30)))
  })

  it('reads a 10,000-flow manifest (about 6 MB) to the data it was written from', () => {
    const text = wideManifestYaml()
    expect(text.length).toBeGreaterThan(6_000_000)
    const result = readPlainYaml(text, { maxDepth: 16 })
    expect(result.kind).toBe('data')
    // JSON text as the comparison: exact for this data (no NaN, -0 or undefined) and fast at this size.
    const read = JSON.stringify((result as Extract<PlainYamlResult, { kind: 'data' }>).value)
    expect(read === JSON.stringify(wideManifest())).toBe(true)
  })

  it('reads a 500-flow manifest as the library does, with its positions', () => {
    const text = wideManifestYaml(500)
    const result = readPlainYaml(text, { maxDepth: 16, recordPositions: true })
    expect(result.kind).toBe('data')
    const { value, positions } = result as Extract<PlainYamlResult, { kind: 'data' }>
    expect(value).toEqual(parse(text))
    // Every key and item of every flow has a position: about twenty-five per flow.
    const all = positions!.toMap()
    expect(all.size).toBeGreaterThan(12_500)
    expect(all).toEqual(libraryPositions(text))
  })
})
