import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RecordingIO } from '../__fixtures__/recording-io.js'
import { ScriptedServer } from '../__fixtures__/scripted-server.js'
import { chooseApi, isApiChoiceProblem } from '../src/bundle/api-choice.js'
import { run } from '../src/main.js'

describe('chooseApi', () => {
  it('keeps an explicit choice, whatever the flows are', () => {
    expect(chooseApi('architecture-manager', { a: { file: 'a.yaml' } })).toMatchObject({
      api: 'architecture-manager',
      reason: expect.stringContaining('as set in the workflow')
    })
    expect(chooseApi('architect', { a: {} })).toMatchObject({ api: 'architect' })
  })

  it('auto: Archy files mean architect, settings only (or no flows) architecture-manager', () => {
    expect(chooseApi('auto', { a: { file: 'a.yaml' }, b: { file: 'b.yaml' } })).toEqual({
      api: 'architect',
      reason: "`api: auto` chose `architect`: the bundle's 2 flows are Archy files (`file:`)"
    })
    expect(chooseApi('auto', { a: { version: '1' } } as Record<string, { file?: unknown }>)).toMatchObject({
      api: 'architecture-manager',
      reason: expect.stringContaining('settings only')
    })
    expect(chooseApi('auto', {})).toMatchObject({ api: 'architecture-manager', reason: expect.stringContaining('no flows') })
  })

  it('auto: a mix is a problem naming the flows of each kind and the fix', () => {
    const chosen = chooseApi('auto', { main: {}, after: { file: 'after.yaml' }, other: {} })
    expect(isApiChoiceProblem(chosen)).toBe(true)
    if (!isApiChoiceProblem(chosen)) return
    expect(chosen.withFile).toEqual(['after'])
    expect(chosen.withoutFile).toEqual(['main', 'other'])
    expect(chosen.message).toContain('flow `after` is an Archy file')
    expect(chosen.message).toContain('flows `main`, `other` are settings only')
    expect(chosen.message).toContain('set the `api` input')
  })

  it('names at most five flows of a kind, then how many more', () => {
    const flows = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, {}]))
    const chosen = chooseApi('auto', { ...flows, x: { file: 'x.yaml' } })
    expect(isApiChoiceProblem(chosen) && chosen.message).toContain('`f0`, `f1`, `f2`, `f3`, `f4` and 3 more')
  })
})

describe('the API choice in a whole run', () => {
  it('says which API it chose and why, and a 404 from the bundle endpoints points at api: architect', async () => {
    const org = await ScriptedServer.start()
    try {
      const workspace = await mkdtemp(join(tmpdir(), 'gbd-api-'))
      // A manifest of flow settings only: auto chooses the bundle API, which a real org does not have.
      await writeFile(join(workspace, 'settings-only.yaml'), 'bundleId: core\nenvironmentId: prod\ntargetConfig:\n  flows:\n    main: { version: 1.0.0 }\n')
      const io = new RecordingIO({
        mode: 'deploy',
        bundle: 'settings-only.yaml',
        'api-url': org.url,
        'auth-url': org.url,
        'client-id': 'id',
        'client-secret': 'secret-xyz'
      })
      await run({ io, env: { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'push', RUNNER_TEMP: workspace }, sleep: async () => {} })
      expect(io.infos).toContain("API: `api: auto` chose `architecture-manager`: the bundle's flows are settings only (no `file:`).")
      expect(io.outputs.status).toBe('VALIDATION_FAILED')
      expect(io.failed).toMatch(/The org has no bundle API .* deploy Archy flow files with `api: architect`/)
      expect(org.requests.some(request => request.path === '/api/v2/architect/bundles/core/validate')).toBe(true)
    } finally {
      await org.close()
    }
  })
})
