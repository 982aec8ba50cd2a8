import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Bundle } from '../src/bundle/bundle.js'
import { canonicalJson, fingerprintBundle } from '../src/bundle/fingerprint.js'
import { loadBundle, type LoadOptions } from '../src/bundle/loader.js'

const fixtures = fileURLToPath(new URL('./fixtures/bundles', import.meta.url))
const validYaml = path.join(fixtures, 'valid-yaml')

let scratch: string
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'fingerprint-'))
})
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true })
})

async function load(workspace: string, manifest = 'bundle.yaml', overrides?: LoadOptions['overrides']): Promise<Bundle> {
  const result = await loadBundle(manifest, { workspace, overrides })
  expect(result.findings.filter(finding => finding.severity === 'error')).toEqual([])
  return result.bundle!
}

/** A copy of the valid YAML bundle, with `edit` applied to each file's text. */
async function copyOfValidBundle(edit: (name: string, text: string) => string = (_, text) => text): Promise<string> {
  const workspace = await fs.mkdtemp(path.join(scratch, 'ws-'))
  await fs.mkdir(path.join(workspace, 'flows'))
  for (const name of ['bundle.yaml', 'flows/main-entry.yaml', 'flows/after-hours.yaml']) {
    const text = await fs.readFile(path.join(validYaml, name), 'utf8')
    await fs.writeFile(path.join(workspace, name), edit(name, text))
  }
  return workspace
}

describe('fingerprintBundle', () => {
  it('is a sha256 hex digest, the same on every load of the same bundle', async () => {
    const first = fingerprintBundle(await load(validYaml))
    const second = fingerprintBundle(await load(validYaml))
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(second).toBe(first)
  })

  it('ignores key order, YAML vs JSON spelling and line endings', async () => {
    const original = fingerprintBundle(await load(validYaml))
    const reordered = await copyOfValidBundle((name, text) => {
      const withCrlf = text.replace(/\n/g, '\r\n')
      if (name !== 'bundle.yaml') return withCrlf
      // Same manifest: top-level keys in another order, flows and queues swapped, in JSON form.
      return JSON.stringify(
        {
          substitutions: { company: 'Acme Insurance' },
          targetConfig: {
            queues: { 'support-tier1': {}, 'sales-inbound': { serviceLevel: '80/20' } },
            flows: {
              'main-entry': { routingStrategy: 'longest-idle', version: '2.1.0', file: 'flows/main-entry.yaml' },
              'after-hours': { file: 'flows/after-hours.yaml' }
            }
          },
          dependencyMatrix: {
            order: ['queues', 'flows'],
            queues: ['sales-inbound', 'support-tier1'],
            flows: ['base-routing', 'main-entry']
          },
          capacityConstraints: { maxQueueCount: 100, maxFlowCount: 500 },
          rollbackOnFailure: true,
          overrideValidation: false,
          environmentId: 'prod-7f3a',
          bundleId: 'contact-center-core'
        },
        null,
        2
      ).replace(/\n/g, '\r\n')
    })
    expect(fingerprintBundle(await load(reordered))).toBe(original)
  })

  it('does not depend on the order of the files', async () => {
    const bundle = await load(validYaml)
    expect(fingerprintBundle({ ...bundle, files: [...bundle.files].reverse() })).toBe(fingerprintBundle(bundle))
  })

  it('changes when a manifest value changes', async () => {
    const original = fingerprintBundle(await load(validYaml))
    const edited = await copyOfValidBundle((name, text) => (name === 'bundle.yaml' ? text.replace('serviceLevel: "80/20"', 'serviceLevel: "80/30"') : text))
    expect(fingerprintBundle(await load(edited))).not.toBe(original)
  })

  it('changes when a flow file changes, even by one character', async () => {
    const original = fingerprintBundle(await load(validYaml))
    const edited = await copyOfValidBundle((name, text) => (name === 'flows/after-hours.yaml' ? text.replace('is closed.', 'is closed!') : text))
    expect(fingerprintBundle(await load(edited))).not.toBe(original)
  })

  it('changes with the overrides, since they are part of the payload', async () => {
    const original = fingerprintBundle(await load(validYaml))
    const otherEnvironment = fingerprintBundle(await load(validYaml, 'bundle.yaml', { environmentId: 'dr-site' }))
    const sameEnvironment = fingerprintBundle(await load(validYaml, 'bundle.yaml', { environmentId: 'prod-7f3a' }))
    expect(otherEnvironment).not.toBe(original)
    expect(sameEnvironment).toBe(original)
  })

  it('changes when the list order changes, since order is meaningful', async () => {
    const bundle = await load(validYaml)
    const swapped = {
      ...bundle,
      manifest: { ...bundle.manifest, dependencyMatrix: { ...bundle.manifest.dependencyMatrix, order: ['flows', 'queues'] } }
    }
    expect(fingerprintBundle(swapped)).not.toBe(fingerprintBundle(bundle))
  })

  it('changes when a file moves to another path with the same content', async () => {
    const bundle = await load(validYaml)
    const moved = { ...bundle, files: bundle.files.map((file, i) => (i === 0 ? { ...file, path: 'x/' + file.path } : file)) }
    expect(fingerprintBundle(moved)).not.toBe(fingerprintBundle(bundle))
  })
})

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}')
  })

  it('serializes dates and other toJSON values as JSON.stringify does', () => {
    const at = new Date('2024-05-01T10:00:00.000Z')
    expect(canonicalJson({ at, n: null })).toBe('{"at":"2024-05-01T10:00:00.000Z","n":null}')
  })

  it("is exactly the JSON of a copy with every object's keys sorted, whatever the data", () => {
    const reference = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reference)
      if (value === null || typeof value !== 'object') return value
      const withJson = value as { toJSON?: () => unknown }
      if (typeof withJson.toJSON === 'function') return reference(withJson.toJSON())
      const record = value as Record<string, unknown>
      return Object.fromEntries(
        Object.keys(record)
          .sort()
          .filter(key => record[key] !== undefined)
          .map(key => [key, reference(record[key])])
      )
    }
    const data = {
      zeta: [3, undefined, { b: 1, a: [{ y: 'é', x: '\u2028' }] }],
      alpha: { inOrder: { a: 1, b: 2 }, '10': 'ten', '9': 'nine', Z: true, a: null },
      when: new Date('2024-01-02T03:04:05.000Z'),
      custom: { toJSON: () => ({ second: 2, first: 1 }) },
      ['__proto__']: { polluted: true },
      emoji: { '😀': 1, a: 2 }
    }
    Object.defineProperty(data, '__proto__', { value: { polluted: true }, enumerable: true })
    expect(canonicalJson(data)).toBe(JSON.stringify(reference(data)))
    expect(canonicalJson(data)).toContain('"__proto__":{"polluted":true}')
  })
})
