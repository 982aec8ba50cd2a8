import { cp, mkdtemp, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assemblePlan } from '../src/assess/assemble-plan.js'
import { emptyBaseline, readBaselineFile } from '../src/assess/baseline.js'
import { loadBundle } from '../src/bundle/loader.js'

async function architectWorkspace(): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'gbd-baseline-'))
  await cp(join(process.cwd(), 'examples', 'architect'), workspace, { recursive: true })
  return workspace
}

describe('readBaselineFile', () => {
  it('reads a manifest and the flow files it references, placeholders filled with its own substitutions', async () => {
    const workspace = await architectWorkspace()
    const baseline = await readBaselineFile('bundle.yaml', workspace)
    expect(baseline.source).toBe('input')
    expect(Object.keys(baseline.files ?? {}).sort()).toEqual(['after-hours', 'main-menu', 'sales-hold'])
    expect(baseline.files?.['after-hours']).toContain('Acme Insurance')
    expect(baseline.files?.['after-hours']).not.toContain('{{company}}')
    expect(baseline.description).toContain('3 of its 3 flow file(s)')
  })

  it('compares flow documents on both sides for the architect API: an unchanged bundle shows no change', async () => {
    const workspace = await architectWorkspace()
    const loaded = await loadBundle('bundle.yaml', { workspace })
    const baseline = await readBaselineFile('bundle.yaml', workspace)
    const plan = assemblePlan({ api: 'architect', loaded, baseline, remoteValidation: { ran: false, reason: 'test' } })
    expect(plan.diff).toMatchObject({ added: [], removed: [], modified: [] })
    expect(plan.impact.riskLevel).toBe('LOW')

    const changed = assemblePlan({ api: 'architect', loaded, baseline: emptyBaseline(), remoteValidation: { ran: false, reason: 'test' } })
    expect(changed.diff.added).toEqual(['flows.after-hours', 'flows.main-menu', 'flows.sales-hold'])
  })

  it('notes flow files the baseline references but that are missing', async () => {
    const workspace = await architectWorkspace()
    await writeFile(join(workspace, 'old.yaml'), 'bundleId: acme-ivr\nenvironmentId: e\ntargetConfig:\n  flows:\n    gone: { file: flows/gone.yaml }\n')
    const baseline = await readBaselineFile('old.yaml', workspace)
    expect(baseline.files).toEqual({})
    expect(baseline.description).toContain('missing there: `flows/gone.yaml`')
  })

  it('says what to fix when the file cannot be read or holds no configuration', async () => {
    const workspace = await architectWorkspace()
    await expect(readBaselineFile('nope.yaml', workspace)).rejects.toThrow(/`baseline` names "nope.yaml", which cannot be read \(ENOENT\)/)
    await writeFile(join(workspace, 'list.yaml'), '- a\n- b\n')
    await expect(readBaselineFile('list.yaml', workspace)).rejects.toThrow(/neither a `targetConfig` mapping nor `flows` \/ `queues`/)
  })

  it('reads the file and its flow files through the workspace gate', async () => {
    const workspace = await architectWorkspace()
    await writeFile(join(workspace, 'linked.yaml'), 'bundleId: acme-ivr\nenvironmentId: e\ntargetConfig:\n  flows:\n    leak: { file: flows/leak.yaml }\n')
    await symlink('/proc/self/environ', join(workspace, 'flows', 'leak.yaml'))
    const linked = await readBaselineFile('linked.yaml', workspace)
    expect(linked.files).toEqual({})
    expect(linked.description).toContain('missing there: `flows/leak.yaml`')

    await symlink('/etc/hostname', join(workspace, 'outside.yaml'))
    await expect(readBaselineFile('outside.yaml', workspace)).rejects.toThrow(/The `baseline` input "outside.yaml" leads outside the workspace/)
    await writeFile(join(workspace, 'huge.yaml'), 'flows: {}\n')
    await truncate(join(workspace, 'huge.yaml'), 65 * 1024 * 1024)
    await expect(readBaselineFile('huge.yaml', workspace)).rejects.toThrow(/is 65\.0 MiB, more than the 64\.0 MiB/)
  })

  it('names the line of a syntax error, and reads JSON as JSON', async () => {
    const workspace = await architectWorkspace()
    await writeFile(join(workspace, 'broken.yaml'), 'targetConfig:\n  flows: [a\n')
    await expect(readBaselineFile('broken.yaml', workspace)).rejects.toThrow(/`baseline` file "broken.yaml" is not valid YAML or JSON: line \d+: YAML syntax/)
    await writeFile(join(workspace, 'old.json'), '{"targetConfig": {"queues": {"q": {"weight": 2}}}}')
    expect((await readBaselineFile('old.json', workspace)).config).toEqual({ queues: { q: { weight: 2 } } })
  })
})
