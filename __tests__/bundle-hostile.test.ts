/**
 * A pull request is untrusted input: it controls the manifest, its flow files, their names, links and sizes. Each
 * case here must end as findings at the right file and line, never as a read outside the workspace, a quoted secret,
 * a raw control character in a message, a stack overflow, a hang or an out-of-memory.
 */
import { promises as fs } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Finding } from '../src/bundle/finding.js'
import { loadFlowFiles } from '../src/bundle/flow-files.js'
import { loadBundle } from '../src/bundle/loader.js'
import { MAX_NESTING_DEPTH } from '../src/bundle/yaml-source.js'

let scratch: string
beforeAll(async () => {
  scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'bundle-hostile-'))
})
afterAll(async () => {
  await fs.rm(scratch, { recursive: true, force: true })
})

async function workspaceWith(files: Record<string, string | Buffer>): Promise<string> {
  const workspace = await fs.mkdtemp(path.join(scratch, 'ws-'))
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(workspace, name)), { recursive: true })
    await fs.writeFile(path.join(workspace, name), content)
  }
  return workspace
}

const where = (finding: Finding): string => `${finding.severity} ${finding.file}:${finding.line} ${finding.path ?? ''}`.trim()

/** Every message is free of raw control / bidirectional characters and quotes at most a short snippet. */
function expectSafeMessages(findings: readonly Finding[], secrets: readonly string[] = []): void {
  for (const finding of findings) {
    expect(finding.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
    expect(finding.message.length).toBeLessThan(1200)
    for (const secret of secrets) expect(finding.message).not.toContain(secret)
  }
}

const FLOW_MANIFEST = (reference: string): string => `bundleId: b\nenvironmentId: e\ntargetConfig:\n  flows:\n    f: { file: ${reference} }\n`

describe('flow files that lead where they may not', () => {
  it('refuses a link to .git/config and says so at the manifest key, without its content', async () => {
    const workspace = await workspaceWith({ 'b.yaml': FLOW_MANIFEST('flows/f.yaml'), '.git/config': '[remote "origin"]\n  url = https://token@github.com/x\n' })
    await fs.mkdir(path.join(workspace, 'flows'))
    await fs.symlink('../.git/config', path.join(workspace, 'flows', 'f.yaml'))
    const result = await loadBundle('b.yaml', { workspace })
    expect(result.bundle).toBeUndefined()
    expect(result.findings.map(where)).toEqual(['error b.yaml:5 targetConfig.flows.f.file'])
    expect(result.findings[0].message).toContain('inside `.git/`')
    expectSafeMessages(result.findings, ['token@github.com'])
  })

  it('refuses a link to /proc/self/environ', async () => {
    const workspace = await workspaceWith({ 'b.yaml': FLOW_MANIFEST('environ.yaml') })
    await fs.symlink('/proc/self/environ', path.join(workspace, 'environ.yaml'))
    process.env.HOSTILE_TEST_SECRET = 'do-not-print-me'
    const result = await loadBundle('b.yaml', { workspace })
    expect(result.findings.map(where)).toEqual(['error b.yaml:5 targetConfig.flows.f.file'])
    expect(result.findings[0].message).toContain('symbolic link to a place outside the workspace')
    expectSafeMessages(result.findings, ['do-not-print-me'])
  })

  it('refuses `../` and absolute references before touching the disk', async () => {
    const workspace = await workspaceWith({
      'bundles/b.yaml': 'bundleId: b\nenvironmentId: e\ntargetConfig:\n  flows:\n    up: { file: ../../../etc/passwd }\n    abs: { file: /etc/passwd }\n'
    })
    const result = await loadBundle('bundles/b.yaml', { workspace })
    expect(result.findings.map(where)).toEqual(['error bundles/b.yaml:5 targetConfig.flows.up.file', 'error bundles/b.yaml:6 targetConfig.flows.abs.file'])
    expectSafeMessages(result.findings, ['root:x:0:0'])
  })

  it('bounds the bytes of all flow files of one bundle together', async () => {
    const workspace = await workspaceWith({
      'a.yaml': `inboundCall:\n  name: A\n  note: ${'x'.repeat(600)}\n`,
      'b.yaml': `inboundCall:\n  name: B\n  note: ${'y'.repeat(600)}\n`
    })
    const loaded = await loadFlowFiles(
      [
        { flow: 'a', reference: 'a.yaml' },
        { flow: 'b', reference: 'b.yaml' }
      ],
      {
        workspace,
        manifestDirectory: workspace,
        manifestFile: 'bundle.yaml',
        manifestPosition: () => ({ line: 7, column: 5 }),
        substitutions: {},
        requireArchyFlows: true,
        maxTotalBytes: 1000
      }
    )
    expect(loaded.files.map(file => file.flow)).toEqual(['a'])
    expect(loaded.findings.map(where)).toEqual(['error bundle.yaml:7 targetConfig.flows.b.file'])
    expect(loaded.findings[0].message).toContain("the bundle's flow files pass")
  })
})

describe('manifests that are too large, not UTF-8 or not a mapping', () => {
  it('refuses a 70 MB manifest from its size alone', async () => {
    const workspace = await workspaceWith({})
    const manifest = path.join(workspace, 'huge.yaml')
    // A sparse file: 70 MB long, nothing written, so the test holds no such file and reading it would be all zeros.
    await fs.writeFile(manifest, 'bundleId: huge\n')
    await fs.truncate(manifest, 70 * 1024 * 1024)
    const result = await loadBundle('huge.yaml', { workspace })
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0].message).toMatch(/is 70\.0 MiB, more than the 64\.0 MiB this action reads/)
    expect(result.findings[0].message).toContain('input `bundle`')
  })

  it('refuses invalid UTF-8 with its line, in the manifest and in a flow file', async () => {
    const latin1 = Buffer.concat([Buffer.from('bundleId: b\nenvironmentId: e\n# caf'), Buffer.from([0xe9]), Buffer.from('\ntargetConfig: {}\n')])
    const flow = Buffer.concat([Buffer.from('inboundCall:\n  name: A\n  tts: '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')])
    const workspace = await workspaceWith({ 'latin1.yaml': latin1, 'b.yaml': FLOW_MANIFEST('f.yaml'), 'f.yaml': flow })
    const manifest = await loadBundle('latin1.yaml', { workspace })
    expect(manifest.findings).toEqual([expect.objectContaining({ severity: 'error', file: 'latin1.yaml', line: 3, column: 6 })])
    expect(manifest.findings[0].message).toContain('not valid UTF-8 (an invalid byte at line 3, column 6)')
    const flowFile = await loadBundle('b.yaml', { workspace })
    expect(flowFile.findings.map(where)).toEqual(['error b.yaml:5 targetConfig.flows.f.file'])
    expect(flowFile.findings[0].message).toContain('an invalid byte at line 3, column 8')
  })

  it('never quotes a top-level value that is not a mapping', async () => {
    const workspace = await workspaceWith({ 'b.yaml': 'password=correct-horse-battery-staple\n' })
    const result = await loadBundle('b.yaml', { workspace })
    expect(result.findings[0].message).toContain("The manifest's top level is a text value")
    expectSafeMessages(result.findings, ['correct-horse'])
  })

  it('keeps messages short for a huge unknown key', async () => {
    // YAML caps an implicit key at 1024 characters; a longer one is a syntax error.
    const key = `k${'e'.repeat(1_000)}y`
    const workspace = await workspaceWith({ 'b.yaml': `bundleId: b\nenvironmentId: e\ntargetConfig: {}\n${key}: 1\n` })
    const result = await loadBundle('b.yaml', { workspace })
    expect(result.findings.map(where)).toEqual(['warning b.yaml:3 targetConfig', expect.stringMatching(/^error b\.yaml:4 ke{59}…$/)])
    expectSafeMessages(result.findings)
  })
})

describe('identifiers with control and invisible characters', () => {
  const manifest = [
    'bundleId: "core\\a"',
    'environmentId: "prod\\0"',
    'dependencyMatrix:',
    '  queues: ["sales\\x7f"]',
    'targetConfig:',
    '  flows:',
    '    "main\\u202Emenu": { version: 1 }',
    '  queues:',
    '    "  ": {}',
    `    ${'q'.repeat(300)}: {}`,
    ''
  ].join('\n')

  it('reports each at its key, naming the character as U+XXXX and the fix', async () => {
    const workspace = await workspaceWith({ 'b.yaml': manifest })
    const result = await loadBundle('b.yaml', { workspace })
    expect(result.bundle).toBeUndefined()
    const summary = result.findings.map(finding => `${finding.line} ${finding.message.slice(0, 70)}`)
    expect(summary).toEqual([
      expect.stringMatching(/^1 `bundleId` holds the control character U\+0007 \(character 5\); remove it/),
      expect.stringMatching(/^2 `environmentId` holds the control character U\+0000/),
      expect.stringMatching(/^4 `dependencyMatrix\.queues\.0` holds the control character U\+007F/),
      expect.stringMatching(/^7 The flow name `main<U\+202E>menu` \(a key of `targetConfig\.flows`\) holds/),
      expect.stringMatching(/^9 The queue name ` {2}` \(a key of `targetConfig\.queues`\) is blank/),
      expect.stringMatching(/^10 The queue name `q{50}/)
    ])
    expect(result.findings[5].message).toContain('is 300 characters long; shorten it to at most 256')
    expectSafeMessages(result.findings)
    // What the report may show of a broken manifest's ids is escaped too.
    expect(result.bundleId).toBe('core<U+0007>')
  })

  it('checks the environment-id input the same way', async () => {
    const workspace = await workspaceWith({ 'b.yaml': 'bundleId: b\ntargetConfig:\n  queues: { q: {} }\n' })
    const result = await loadBundle('b.yaml', { workspace, overrides: { environmentId: 'prod\u0007' } })
    expect(result.findings).toEqual([expect.objectContaining({ severity: 'error', path: 'environmentId' })])
    expect(result.findings[0].message).toBe(
      'The `environment-id` input holds the control character U+0007 (character 5); remove it: names and ids must be plain printable text.'
    )
  })
})

describe('nesting and aliases that would exhaust the stack or the memory', () => {
  it('reports 10,000 nested flow collections as a finding at their line', async () => {
    const deep = `bundleId: b\nenvironmentId: e\ntargetConfig:\n  queues: {}\nx: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`
    const workspace = await workspaceWith({ 'b.yaml': deep, 'b.json': `{"bundleId": "b",\n"x": ${'['.repeat(10_000)}${']'.repeat(10_000)}}` })
    for (const file of ['b.yaml', 'b.json']) {
      const result = await loadBundle(file, { workspace })
      expect(result.findings).toEqual([expect.objectContaining({ severity: 'error', file, line: file === 'b.yaml' ? 5 : 2 })])
      expect(result.findings[0].message).toContain(`nests more than ${MAX_NESTING_DEPTH} mappings and lists`)
    }
  })

  it('reports 10,000 nested block sequences and deep indentation as findings', async () => {
    const dashes = `bundleId: b\nx:\n  ${'- '.repeat(10_000)}leaf\n`
    const indented = ['bundleId: b', ...Array.from({ length: 1_000 }, (_, depth) => `${'  '.repeat(depth)}k${depth}:`), ''].join('\n')
    const workspace = await workspaceWith({ 'dashes.yaml': dashes, 'indented.yaml': indented })
    const dashed = await loadBundle('dashes.yaml', { workspace })
    expect(dashed.findings).toEqual([expect.objectContaining({ severity: 'error', line: 3 })])
    const indent = await loadBundle('indented.yaml', { workspace })
    expect(indent.findings).toEqual([expect.objectContaining({ severity: 'error', line: MAX_NESTING_DEPTH + 2 })])
  })

  it('reports a "billion laughs" file at its first alias instead of expanding it', async () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level)
      const name = String.fromCharCode(97 + level)
      levels.push(`${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]`)
    }
    const workspace = await workspaceWith({ 'b.yaml': `bundleId: b\nenvironmentId: e\ntargetConfig: {}\n${levels.join('\n')}\n` })
    const started = Date.now()
    const result = await loadBundle('b.yaml', { workspace })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(result.bundle).toBeUndefined()
    expect(result.findings).toEqual([expect.objectContaining({ severity: 'error', file: 'b.yaml', line: 5 })])
    expect(result.findings[0].message).toContain('expands its aliases')
  })
})

describe('substitutions that cannot ship', () => {
  it('reports a value that breaks the YAML of a flow file, naming the key and the placeholder line', async () => {
    const workspace = await workspaceWith({
      'b.yaml': `${FLOW_MANIFEST('f.yaml')}substitutions:\n  queue: "Sales: Tier 1"\n`,
      'f.yaml':
        'inboundCall:\n  name: Main\n  tasks:\n    - task:\n        actions:\n          - transferToAcd:\n              targetQueue:\n                lit:\n                  name: {{queue}}\n'
    })
    const result = await loadBundle('b.yaml', { workspace, api: 'architecture-manager' })
    expect(result.bundle).toBeUndefined()
    expect(result.findings.map(where)).toEqual(['error f.yaml:9 targetConfig.flows.f.file'])
    expect(result.findings[0].message).toContain('the substitution `queue` (`Sales: Tier 1`)')
  })
})
