import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { toAnnotation } from '../src/bundle/annotation.js'
import type { Finding } from '../src/bundle/finding.js'
import { fillPlaceholders, loadBundle, parseManifestSource, resolveFlowFilePath, workspacePath } from '../src/bundle/loader.js'

const fixtures = fileURLToPath(new URL('./fixtures/bundles', import.meta.url))

/** Compact view of a finding for assertions: severity, file:line and the manifest path. */
function where(finding: Finding): string {
  return `${finding.severity} ${finding.file}:${finding.line} ${finding.path ?? ''}`.trim()
}

let scratch: string
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'bundle-loader-'))
})
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true })
})

/** A fresh workspace under the scratch folder holding the given files. */
async function workspaceWith(files: Record<string, string>): Promise<string> {
  const workspace = await fs.mkdtemp(path.join(scratch, 'ws-'))
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(workspace, name)), { recursive: true })
    await fs.writeFile(path.join(workspace, name), content)
  }
  return workspace
}

const MINIMAL = 'bundleId: minimal\nenvironmentId: dev-1\ntargetConfig:\n  queues:\n    q1: {}\n'

describe('loadBundle: valid bundles', () => {
  it('loads the YAML bundle with its two Archy flow files', async () => {
    const result = await loadBundle('valid-yaml/bundle.yaml', { workspace: fixtures })

    expect(result.findings).toEqual([])
    const bundle = result.bundle!
    expect(bundle.manifestPath).toBe('valid-yaml/bundle.yaml')
    expect(bundle.absoluteManifestPath).toBe(path.join(fixtures, 'valid-yaml/bundle.yaml'))
    expect(bundle.environmentId).toBe('prod-7f3a')
    expect(bundle.manifest.bundleId).toBe('contact-center-core')
    expect(bundle.manifest.targetConfig.flows?.['main-entry']).toEqual({
      file: 'flows/main-entry.yaml',
      version: '2.1.0',
      routingStrategy: 'longest-idle'
    })
    expect(bundle.files.map(file => [file.flow, file.path])).toEqual([
      ['main-entry', 'flows/main-entry.yaml'],
      ['after-hours', 'flows/after-hours.yaml']
    ])
    expect(bundle.files[0].absolutePath).toBe(path.join(fixtures, 'valid-yaml/flows/main-entry.yaml'))
    // The text as deployed: placeholders filled from `substitutions` when loading, so what was checked is uploaded.
    expect(bundle.files[0].content).toContain('name: "Acme Insurance Main Entry"')
    expect(bundle.files[0].content).not.toContain('{{')
    expect(bundle.groupOrder).toEqual(['queues', 'flows'])
    expect(bundle.externalDependencies).toEqual([{ group: 'flows', name: 'base-routing' }])
    expect(result.bundleId).toBe('contact-center-core')
    expect(result.environmentId).toBe('prod-7f3a')
  })

  it('records the position of every key and list item', async () => {
    const { bundle } = await loadBundle('valid-yaml/bundle.yaml', { workspace: fixtures })
    expect(bundle!.positions).toMatchObject({
      bundleId: { line: 2, column: 1 },
      'capacityConstraints.maxQueueCount': { line: 8, column: 3 },
      'dependencyMatrix.order.1': { line: 12, column: 19 },
      'targetConfig.flows.after-hours': { line: 19, column: 5 },
      'targetConfig.flows.after-hours.file': { line: 20, column: 7 },
      'targetConfig.queues.support-tier1': { line: 24, column: 5 },
      'substitutions.company': { line: 26, column: 3 }
    })
  })

  it('loads a JSON manifest with positions and the default group order', async () => {
    const result = await loadBundle('valid-json/bundle.json', { workspace: fixtures })

    expect(result.findings).toEqual([])
    const bundle = result.bundle!
    expect(bundle.manifest.overrideValidation).toBe(true)
    expect(bundle.manifest.targetConfig.queues?.['chat-support']).toEqual({
      serviceLevel: '90/30',
      alertingTimeoutSeconds: 8
    })
    expect(bundle.files).toEqual([])
    expect(bundle.groupOrder).toEqual(['queues', 'flows'])
    expect(bundle.externalDependencies).toEqual([{ group: 'flows', name: 'shared-greeting' }])
    expect(bundle.positions['targetConfig.flows.chat-entry']).toEqual({ line: 12, column: 7 })
    expect(bundle.positions['dependencyMatrix.flows.1']).toEqual({ line: 7, column: 29 })
  })

  it('accepts an absolute manifest path', async () => {
    const result = await loadBundle(path.join(fixtures, 'valid-json/bundle.json'), { workspace: fixtures })
    expect(result.bundle?.manifest.bundleId).toBe('digital-routing')
  })

  it('orders groups present in targetConfig only when dependencyMatrix.order is absent', async () => {
    const workspace = await workspaceWith({ 'b.yaml': MINIMAL })
    const { bundle } = await loadBundle('b.yaml', { workspace })
    expect(bundle?.groupOrder).toEqual(['queues'])
  })
})

describe('loadBundle: overrides', () => {
  it('replaces environmentId, overrideValidation and rollbackOnFailure in the payload', async () => {
    const result = await loadBundle('valid-yaml/bundle.yaml', {
      workspace: fixtures,
      overrides: { environmentId: 'dr-site', overrideValidation: true, rollbackOnFailure: false }
    })
    const bundle = result.bundle!
    expect(bundle.environmentId).toBe('dr-site')
    expect(bundle.manifest).toMatchObject({
      environmentId: 'dr-site',
      overrideValidation: true,
      rollbackOnFailure: false
    })
    expect(result.environmentId).toBe('dr-site')
  })

  it('keeps the manifest values for overrides that are not set or empty', async () => {
    const { bundle } = await loadBundle('valid-yaml/bundle.yaml', {
      workspace: fixtures,
      overrides: { environmentId: '' }
    })
    expect(bundle!.manifest).toMatchObject({
      environmentId: 'prod-7f3a',
      overrideValidation: false,
      rollbackOnFailure: true
    })
  })

  it('asks for an environment when neither the manifest nor the input names one', async () => {
    const workspace = await workspaceWith({ 'b.yaml': 'bundleId: no-env\ntargetConfig:\n  queues:\n    q1: {}\n' })

    const result = await loadBundle('b.yaml', { workspace })
    expect(result.bundle).toBeUndefined()
    expect(result.bundleId).toBe('no-env')
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0]).toMatchObject({ severity: 'error', file: 'b.yaml', line: 1, path: 'environmentId' })
    expect(result.findings[0].message).toContain('set `environmentId` in the manifest or the `environment-id` input')

    const withInput = await loadBundle('b.yaml', { workspace, overrides: { environmentId: 'from-input' } })
    expect(withInput.findings).toEqual([])
    expect(withInput.bundle?.manifest.environmentId).toBe('from-input')
  })
})

describe('loadBundle: the manifest file itself', () => {
  it('reports a missing manifest and names the input to fix', async () => {
    const result = await loadBundle('nowhere/bundle.yaml', { workspace: fixtures })
    expect(result.bundle).toBeUndefined()
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0]).toMatchObject({ severity: 'error', file: 'nowhere/bundle.yaml' })
    expect(result.findings[0].message).toMatch(/`nowhere\/bundle.yaml` does not exist.*set the `bundle` input/)
  })

  it('reports a folder given as the manifest and lists the manifests inside it', async () => {
    const result = await loadBundle('valid-yaml', { workspace: fixtures })
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0].message).toContain('is a folder (it holds `bundle.yaml`)')
  })

  it.each([
    ['an empty file', '', /is empty/],
    ['a file of comments only', '# nothing yet\n', /is empty/]
  ])('reports %s', async (_, text, expected) => {
    const workspace = await workspaceWith({ 'b.yaml': text })
    const result = await loadBundle('b.yaml', { workspace })
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0]).toMatchObject({ severity: 'error', file: 'b.yaml', line: 1 })
    expect(result.findings[0].message).toMatch(expected)
  })

  it('reports a top level that is not a mapping, at its line', async () => {
    const workspace = await workspaceWith({ 'b.yaml': '# a list by mistake\n- bundleId: x\n' })
    const result = await loadBundle('b.yaml', { workspace })
    expect(result.findings.map(where)).toEqual(['error b.yaml:2'])
    expect(result.findings[0].message).toContain('top level is a list; it must be a mapping')
  })

  it('reports duplicate keys and syntax errors at their lines, and checks nothing further', async () => {
    const result = await loadBundle('broken-syntax/bundle.yaml', { workspace: fixtures })
    expect(result.bundle).toBeUndefined()
    expect(result.findings.map(where)).toEqual(['error broken-syntax/bundle.yaml:6 bundleId', 'error broken-syntax/bundle.yaml:9'])
    expect(result.findings[0].message).toBe('`bundleId` appears twice in the same mapping; keep one (YAML would silently keep only the last).')
    expect(result.findings[1].message).toMatch(/^YAML syntax: .*; check the indentation and that every bracket/)
    expect(result.bundleId).toBe('contact-center-copy')
  })

  it('reports JSON syntax errors and duplicate keys with JSON wording', async () => {
    const workspace = await workspaceWith({
      'dup.json': '{\n  "bundleId": "a",\n  "targetConfig": {},\n  "bundleId": "b"\n}\n',
      'bad.json': '{\n  "bundleId": "a",\n  "targetConfig": {\n}\n'
    })
    const duplicate = await loadBundle('dup.json', { workspace })
    expect(duplicate.findings.map(where)).toEqual(['error dup.json:4 bundleId'])
    expect(duplicate.findings[0].message).toContain('JSON would silently keep only the last')

    const broken = await loadBundle('bad.json', { workspace })
    expect(broken.findings.length).toBeGreaterThan(0)
    expect(broken.findings.every(finding => finding.severity === 'error' && finding.file === 'bad.json')).toBe(true)
    expect(broken.findings[0].message).toMatch(/^JSON syntax: /)
  })

  it('reports tabs used for indentation with the fix', async () => {
    const workspace = await workspaceWith({ 'b.yaml': 'bundleId: x\ntargetConfig:\n\tflows: {}\n' })
    const result = await loadBundle('b.yaml', { workspace })
    expect(result.findings[0]).toMatchObject({ line: 3 })
    expect(result.findings[0].message).toContain('indent with spaces, not tabs')
  })

  it('reports an alias with no anchor instead of throwing', async () => {
    const workspace = await workspaceWith({ 'b.yaml': 'bundleId: *missing\ntargetConfig: {}\n' })
    const result = await loadBundle('b.yaml', { workspace })
    expect(result.bundle).toBeUndefined()
    expect(result.findings.some(finding => finding.severity === 'error' && /missing/.test(finding.message))).toBe(true)
  })
})

describe('loadBundle: schema problems, all at once, at their lines', () => {
  it('reports every schema issue and rule of the broken manifest with its line', async () => {
    const result = await loadBundle('broken-schema/bundle.yaml', { workspace: fixtures })

    expect(result.bundle).toBeUndefined()
    expect(result.findings.map(where)).toEqual([
      'error broken-schema/bundle.yaml:1 bundleId',
      'error broken-schema/bundle.yaml:2 environmentId',
      'error broken-schema/bundle.yaml:3 overrideValidation',
      'error broken-schema/bundle.yaml:5 capacityConstraints.maxFlowCount',
      'error broken-schema/bundle.yaml:6 capacityConstraints.maxQueueCount',
      'error broken-schema/bundle.yaml:9 dependencyMatrix.order.0',
      'error broken-schema/bundle.yaml:13 targetConfig.qeues',
      'error broken-schema/bundle.yaml:15 rollbackOnFailur'
    ])
    expect(result.bundleId).toBe('contact center core')
  })

  it('names the path, quotes the value and says the fix', async () => {
    const { findings } = await loadBundle('broken-schema/bundle.yaml', { workspace: fixtures })
    const message = (dottedPath: string): string => findings.find(finding => finding.path === dottedPath)!.message

    expect(message('bundleId')).toBe('`bundleId` is `"contact center core"`: use a name without dots, slashes or spaces.')
    expect(message('environmentId')).toBe('`environmentId` is `12345` (a number); it must be text. Quote it: `environmentId: "12345"`.')
    expect(message('overrideValidation')).toContain('Write `overrideValidation: true` or `overrideValidation: false`')
    expect(message('capacityConstraints.maxFlowCount')).toBe(
      '`capacityConstraints.maxFlowCount` is `"500"` (text); it must be a number. Write it without quotes: `maxFlowCount: 500`.'
    )
    expect(message('capacityConstraints.maxQueueCount')).toBe('`capacityConstraints.maxQueueCount` is `-1`; it must be 0 or more.')
    expect(message('dependencyMatrix.order.0')).toBe(
      '`dependencyMatrix.order` names `qeues`, which is not a group of targetConfig (flows, queues); did you mean `queues`?'
    )
  })

  it('suggests the closest key for an unknown key and lists the allowed ones', async () => {
    const { findings } = await loadBundle('broken-schema/bundle.yaml', { workspace: fixtures })
    const unknownQueues = findings.find(finding => finding.path === 'targetConfig.qeues')!
    expect(unknownQueues).toMatchObject({ line: 13, column: 3 })
    expect(unknownQueues.message).toBe('`targetConfig.qeues` is not a known key; did you mean `queues`? Allowed under `targetConfig`: flows, queues')
    const unknownTopLevel = findings.find(finding => finding.path === 'rollbackOnFailur')!
    expect(unknownTopLevel.message).toMatch(/did you mean `rollbackOnFailure`\? Allowed at the top level: bundleId, /)
  })

  it('points at the parent of a missing key and at list items', async () => {
    const workspace = await workspaceWith({
      'b.yaml': [
        'environmentId: dev',
        'dependencyMatrix:',
        '  flows:',
        '    - ok',
        '    - 42',
        'targetConfig:',
        '  flows:',
        '    Sales Inbound: {}',
        '    no-settings:',
        ''
      ].join('\n')
    })
    const { findings } = await loadBundle('b.yaml', { workspace })
    expect(findings.map(where)).toEqual(['error b.yaml:1 bundleId', 'error b.yaml:5 dependencyMatrix.flows.1', 'error b.yaml:9 targetConfig.flows.no-settings'])
    expect(findings[0].message).toBe('`bundleId` is missing; add it to the top level of the manifest as text.')
    expect(findings[1].message).toContain('`dependencyMatrix.flows.1` is `42` (a number); it must be text.')
    expect(findings[2].message).toBe('`targetConfig.flows.no-settings` has no value; give it a mapping of keys.')
  })

  it('accepts flow and queue names with spaces and dots, as Genesys names often are', async () => {
    const workspace = await workspaceWith({
      'b.yaml': [
        'bundleId: core',
        'environmentId: dev',
        'targetConfig:',
        '  flows:',
        '    Main Menu v2.1: { version: 1 }',
        '  queues:',
        '    Sales Inbound: {}',
        ''
      ].join('\n')
    })
    const { bundle, findings } = await loadBundle('b.yaml', { workspace })
    expect(findings.filter(f => f.severity === 'error')).toEqual([])
    expect(Object.keys(bundle!.manifest.targetConfig.flows!)).toEqual(['Main Menu v2.1'])
  })

  it('needs Archy-shaped flow files only when asked (the architect API); otherwise a file that parses will do', async () => {
    const workspace = await workspaceWith({
      'b.yaml': ['bundleId: core', 'environmentId: dev', 'targetConfig:', '  flows:', '    closed: { file: closed.yaml }', ''].join('\n'),
      'closed.yaml': 'name: after-hours\nprompt: closed\n'
    })
    const strict = await loadBundle('b.yaml', { workspace })
    expect(strict.bundle).toBeUndefined()
    expect(strict.findings.some(f => f.severity === 'error' && f.file === 'closed.yaml')).toBe(true)
    const lenient = await loadBundle('b.yaml', { workspace, requireArchyFlows: false })
    expect(lenient.bundle?.files.map(f => f.path)).toEqual(['closed.yaml'])
    expect(lenient.findings.filter(f => f.file === 'closed.yaml').map(f => f.severity)).toEqual(['warning'])
  })
})

describe('loadBundle: flow files', () => {
  it('reports missing, escaping, absolute, unparsable and malformed flow files where they are', async () => {
    const result = await loadBundle('bad-flows/bundle.yaml', { workspace: fixtures })

    expect(result.bundle).toBeUndefined()
    expect(result.findings.map(where)).toEqual([
      'error bad-flows/bundle.yaml:5 targetConfig.flows.missing.file',
      'error bad-flows/bundle.yaml:6 targetConfig.flows.escaping.file',
      'error bad-flows/bundle.yaml:7 targetConfig.flows.absolute.file',
      'error bad-flows/flows/broken.yaml:5 targetConfig.flows.broken.file',
      'error bad-flows/flows/two-flows.yaml:3 targetConfig.flows.two-flows.file',
      'error bad-flows/flows/no-name.yaml:1 targetConfig.flows.no-name.file',
      // A flow kind Archy does not know is an error now that the table of kinds is complete (Archy rejects it).
      'error bad-flows/flows/unknown-type.yaml:1 targetConfig.flows.unknown-type.file',
      'error bad-flows/bundle.yaml:12 targetConfig.flows.folder.file',
      // An undefined placeholder is an error: a flow is never deployed with `{{…}}` left in it.
      'error bad-flows/flows/unfilled.yaml:3 targetConfig.flows.unfilled.file'
    ])
  })

  it('explains each flow file problem with the fix', async () => {
    const { findings } = await loadBundle('bad-flows/bundle.yaml', { workspace: fixtures })
    const message = (flow: string): string => findings.find(finding => finding.path === `targetConfig.flows.${flow}.file`)!.message

    expect(message('missing')).toContain('`flows/missing.yaml`, which does not exist (looked for `bad-flows/flows/missing.yaml`)')
    expect(message('escaping')).toContain('`../../outside.yaml`, which leads outside the workspace')
    expect(message('absolute')).toContain("an absolute path; write it relative to the manifest's folder `bad-flows`")
    expect(message('broken')).toMatch(/^YAML syntax: /)
    expect(message('two-flows')).toContain('2 top-level keys (inboundCall, inQueueCall)')
    expect(message('no-name')).toContain('The `inboundCall` flow has no `name`')
    expect(message('unknown-type')).toContain('`inbondCall` is not a flow type Archy is known to accept; did you mean `inboundCall`?')
    expect(message('folder')).toContain('which is a folder')
    expect(message('unfilled')).toContain("uses `{{brand}}`, which the manifest's `substitutions` does not define")
  })

  it('still returns the bundle when flow files raise only warnings', async () => {
    const workspace = await workspaceWith({
      'b.yaml': 'bundleId: b\nenvironmentId: e\ntargetConfig:\n  flows:\n    odd: { file: flows/odd.yaml }\nsubstitutions:\n  who: Acme\n',
      'flows/odd.yaml': 'futureFlowType:\n  name: "{{who}} flow"\n'
    })
    const result = await loadBundle('b.yaml', { workspace, requireArchyFlows: false })
    expect(result.findings.map(where)).toEqual(['warning flows/odd.yaml:1 targetConfig.flows.odd.file'])
    expect(result.bundle?.files.map(file => file.path)).toEqual(['flows/odd.yaml'])
  })

  it('makes an undefined placeholder an error in every mode, at the placeholder', async () => {
    const workspace = await workspaceWith({
      'b.yaml': 'bundleId: b\nenvironmentId: e\ntargetConfig:\n  flows:\n    odd: { file: flows/odd.yaml }\n',
      'flows/odd.yaml': 'inboundCall:\n  name: Main\n  description: for {{who}}\n'
    })
    for (const options of [{}, { requireArchyFlows: false }, { api: 'architecture-manager' as const }, { api: 'architect' as const }]) {
      const result = await loadBundle('b.yaml', { workspace, ...options })
      expect(result.bundle).toBeUndefined()
      expect(result.findings).toEqual([expect.objectContaining({ severity: 'error', file: 'flows/odd.yaml', line: 3, column: 20 })])
      expect(result.findings[0].message).toContain("uses `{{who}}`, which the manifest's `substitutions` does not define")
    }
  })

  it('checks the flow file as deployed, with placeholders filled', async () => {
    // Unquoted, `{{name}}` would be a YAML mapping; filled, it is a plain name.
    const workspace = await workspaceWith({
      'b.yaml': 'bundleId: b\nenvironmentId: e\ntargetConfig:\n  flows:\n    f: { file: f.yaml }\nsubstitutions:\n  flowName: Main\n',
      'f.yaml': 'inboundCall:\n  name: {{flowName}}\n'
    })
    const result = await loadBundle('b.yaml', { workspace })
    expect(result.findings).toEqual([])
    expect(result.bundle?.files[0].content).toBe('inboundCall:\n  name: Main\n')
  })

  it('reports an Archy file whose top level is not one flow mapping', async () => {
    const workspace = await workspaceWith({
      'b.yaml': [
        'bundleId: b',
        'environmentId: e',
        'targetConfig:',
        '  flows:',
        '    empty: { file: empty.yaml }',
        '    listed: { file: listed.yaml }',
        '    scalar: { file: scalar.yaml }',
        ''
      ].join('\n'),
      'empty.yaml': '',
      'listed.yaml': '\n- inboundCall: {}\n',
      'scalar.yaml': 'inboundCall: just text\n'
    })
    const { findings } = await loadBundle('b.yaml', { workspace })
    expect(findings.map(where)).toEqual([
      'error empty.yaml:1 targetConfig.flows.empty.file',
      'error listed.yaml:2 targetConfig.flows.listed.file',
      'error scalar.yaml:1 targetConfig.flows.scalar.file'
    ])
    expect(findings[0].message).toContain('The flow file is empty')
    expect(findings[1].message).toContain("The flow file's top level is a list")
    expect(findings[2].message).toContain("must hold the flow's settings as a mapping")
  })

  it('rejects a symbolic link that leads outside the workspace', async () => {
    const outside = path.join(scratch, 'outside-secret.yaml')
    await fs.writeFile(outside, 'inboundCall:\n  name: Secret\n')
    const workspace = await workspaceWith({
      'b.yaml': 'bundleId: b\nenvironmentId: e\ntargetConfig:\n  flows:\n    linked: { file: linked.yaml }\n'
    })
    await fs.symlink(outside, path.join(workspace, 'linked.yaml'))

    const result = await loadBundle('b.yaml', { workspace })
    expect(result.bundle).toBeUndefined()
    expect(result.findings.map(where)).toEqual(['error b.yaml:5 targetConfig.flows.linked.file'])
    expect(result.findings[0].message).toContain('symbolic link to a place outside the workspace')
    expect(result.findings[0].message).not.toContain(outside)
  })

  it('still checks flow files when another part of the manifest fails the schema', async () => {
    const workspace = await workspaceWith({
      'b.yaml': 'bundleId: b\nenvironmentId: e\nrolbackOnFailure: true\ntargetConfig:\n  flows:\n    f: { file: gone.yaml }\n'
    })
    const { findings } = await loadBundle('b.yaml', { workspace })
    expect(findings.map(where)).toEqual(['error b.yaml:3 rolbackOnFailure', 'error b.yaml:6 targetConfig.flows.f.file'])
  })
})

describe('pure helpers of the loader', () => {
  it('resolves flow file references inside the workspace only', () => {
    const workspace = '/repo'
    expect(resolveFlowFilePath('flows/a.yaml', '/repo/bundles', workspace)).toEqual({
      ok: true,
      absolutePath: '/repo/bundles/flows/a.yaml'
    })
    expect(resolveFlowFilePath('../shared/a.yaml', '/repo/bundles', workspace)).toEqual({
      ok: true,
      absolutePath: '/repo/shared/a.yaml'
    })
    expect(resolveFlowFilePath('../../etc/passwd', '/repo/bundles', workspace)).toEqual({
      ok: false,
      problem: 'outside-workspace'
    })
    expect(resolveFlowFilePath('../repository-next/a.yaml', '/repo', workspace)).toEqual({
      ok: false,
      problem: 'outside-workspace'
    })
    expect(resolveFlowFilePath('/repo/a.yaml', '/repo', workspace)).toEqual({ ok: false, problem: 'absolute' })
  })

  it('shows paths relative to the workspace with forward slashes', () => {
    expect(workspacePath('/repo/bundles/core.yaml', '/repo')).toBe('bundles/core.yaml')
    expect(workspacePath('/elsewhere/core.yaml', '/repo')).toBe('/elsewhere/core.yaml')
  })

  it('fills known placeholders and lists unknown ones at their offsets', () => {
    const filled = fillPlaceholders('a: {{ company }}\nb: {{unknown}} {{n}}\n', { company: 'Acme', n: 3 })
    expect(filled.text).toBe('a: Acme\nb: {{unknown}} 3\n')
    expect(filled.unknown).toEqual([{ name: 'unknown', offset: 11 }])
    expect(filled.text.slice(11, 22)).toBe('{{unknown}}')
  })

  it('parses manifest text with positions without touching the disk', () => {
    const source = parseManifestSource('bundleId: x\ntargetConfig:\n  flows: {}\n', 'inline.yaml')
    expect(source.findings).toEqual([])
    expect(source.document).toEqual({ bundleId: 'x', targetConfig: { flows: {} } })
    expect(source.positions['targetConfig.flows']).toEqual({ line: 3, column: 3 })
  })
})

describe('toAnnotation', () => {
  it('maps a positioned finding onto core.error properties', async () => {
    const { findings } = await loadBundle('broken-schema/bundle.yaml', { workspace: fixtures })
    const finding = findings.find(candidate => candidate.path === 'targetConfig.qeues')!
    expect(toAnnotation(finding)).toEqual({
      level: 'error',
      message: finding.message,
      properties: {
        title: 'Genesys bundle: targetConfig.qeues',
        file: 'broken-schema/bundle.yaml',
        startLine: 13,
        startColumn: 3
      }
    })
  })

  it('maps a warning and leaves out a position it does not know', () => {
    const annotation = toAnnotation({ severity: 'warning', message: 'Heads up.', file: 'b.yaml' })
    expect(annotation).toEqual({
      level: 'warning',
      message: 'Heads up.',
      properties: { title: 'Genesys bundle', file: 'b.yaml' }
    })
    expect(Object.keys(annotation.properties)).not.toContain('startLine')
  })

  it('gives a line without a column when only the line is known', () => {
    const annotation = toAnnotation({ severity: 'error', message: 'm', file: 'f.yaml', line: 4 })
    expect(annotation.properties).toEqual({ title: 'Genesys bundle', file: 'f.yaml', startLine: 4 })
  })
})
