import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { baselineRefFromEvent, flowFileReferences, readBaselineAtRef, repositoryPath } from '../src/assess/baseline-from-git.js'
import { computeDiff } from '../src/assess/diff.js'
import { createGitHubHelper, GitHubApiError, type GitHubHelper } from '../src/github/github-helper.js'
import { startGitHubApi, type GitHubApiStandIn } from '../simulator/github-api.js'

const REPOSITORY = 'acme/contact-center'
const TOKEN = 'ghs_baselineTestToken'
const BASE_SHA = '1234567'.padEnd(40, 'a')
const HEAD_SHA = '7654321'.padEnd(40, 'b')
const FIXTURE = new URL('./fixtures/bundles/valid-yaml/', import.meta.url)

let api: GitHubApiStandIn
let helper: GitHubHelper
let fixture: { manifest: string; mainEntry: string; afterHours: string }

beforeEach(async () => {
  api = await startGitHubApi({ repository: REPOSITORY, token: TOKEN })
  const created = await createGitHubHelper({ token: TOKEN, apiUrl: api.url, repository: REPOSITORY, log: () => undefined, sleep: async () => undefined })
  if (!created) throw new Error('expected a helper')
  helper = created
  const read = (path: string): Promise<string> => readFile(fileURLToPath(new URL(path, FIXTURE)), 'utf8')
  fixture = { manifest: await read('bundle.yaml'), mainEntry: await read('flows/main-entry.yaml'), afterHours: await read('flows/after-hours.yaml') }
})

afterEach(async () => {
  await api.close()
})

describe('baselineRefFromEvent', () => {
  it('takes the base commit of a pull request', () => {
    const payload = { pull_request: { number: 7, base: { sha: BASE_SHA, ref: 'main' }, head: { sha: HEAD_SHA } } }
    expect(baselineRefFromEvent('pull_request', payload)).toEqual({ ref: BASE_SHA, source: 'base-commit' })
    expect(baselineRefFromEvent('pull_request_target', payload)).toEqual({ ref: BASE_SHA, source: 'base-commit' })
  })

  it('takes the commit before a push, but not the zeros of a new branch', () => {
    expect(baselineRefFromEvent('push', { before: BASE_SHA, after: HEAD_SHA })).toEqual({ ref: BASE_SHA, source: 'before-commit' })
    expect(baselineRefFromEvent('push', { before: '0'.repeat(40), after: HEAD_SHA, created: true })).toBeUndefined()
  })

  it('has nothing for other events and for payloads without the commit', () => {
    expect(baselineRefFromEvent('workflow_dispatch', { before: BASE_SHA })).toBeUndefined()
    expect(baselineRefFromEvent('pull_request', {})).toBeUndefined()
    expect(baselineRefFromEvent('pull_request', { pull_request: { base: { sha: 42 } } })).toBeUndefined()
    expect(baselineRefFromEvent('push', null)).toBeUndefined()
  })
})

describe('readBaselineAtRef', () => {
  it('reads the manifest and its flow files at the base commit, not at the head', async () => {
    api.setFiles(BASE_SHA, {
      'genesys/bundle.yaml': fixture.manifest,
      'genesys/flows/main-entry.yaml': fixture.mainEntry,
      'genesys/flows/after-hours.yaml': fixture.afterHours
    })
    api.setFiles(HEAD_SHA, { 'genesys/bundle.yaml': fixture.manifest.replace('longest-idle', 'most-skilled') })

    const baseline = await readBaselineAtRef(helper, { manifestPath: 'genesys/bundle.yaml', ref: BASE_SHA, describe: 'base-commit' })

    expect(baseline?.source).toBe('base-commit')
    expect(baseline?.config).toMatchObject({ flows: { 'main-entry': { routingStrategy: 'longest-idle', file: 'flows/main-entry.yaml' } } })
    // Filled with that commit's substitutions (`company: Acme Insurance`): the text deployed then.
    expect(baseline?.files).toEqual({
      'main-entry': fixture.mainEntry.replaceAll('{{company}}', 'Acme Insurance'),
      'after-hours': fixture.afterHours.replaceAll('{{company}}', 'Acme Insurance')
    })
    expect(fixture.mainEntry).toContain('{{company}}')
    expect(baseline?.description).toBe(
      'The manifest `genesys/bundle.yaml` at the base commit `1234567`, with 2 of its 2 flow file(s), read through the GitHub API.'
    )
    expect(api.requests.every(request => request.query.ref === BASE_SHA)).toBe(true)
    expect(api.requests.map(request => decodeURIComponent(request.path)).sort()).toEqual([
      `/repos/${REPOSITORY}/contents/genesys/bundle.yaml`,
      `/repos/${REPOSITORY}/contents/genesys/flows/after-hours.yaml`,
      `/repos/${REPOSITORY}/contents/genesys/flows/main-entry.yaml`
    ])
  })

  it('gives a diff of what the pull request changes', async () => {
    api.setFiles(BASE_SHA, { 'bundle.yaml': fixture.manifest })
    const baseline = await readBaselineAtRef(helper, { manifestPath: './bundle.yaml', ref: BASE_SHA, describe: 'base-commit' })
    const changed = JSON.parse(JSON.stringify(baseline?.config ?? {})) as { flows: Record<string, Record<string, unknown>> }
    changed.flows['main-entry'].routingStrategy = 'most-skilled'
    delete changed.flows['after-hours']

    const diff = computeDiff(baseline?.config ?? {}, changed)

    expect(diff.modified).toEqual(['flows.main-entry.routingStrategy'])
    expect(diff.removed).toEqual(['flows.after-hours'])
    expect(diff.added).toEqual([])
  })

  it('notes flow files missing at that commit and skips references that leave the repository', async () => {
    const manifest = [
      'bundleId: core',
      'targetConfig:',
      '  flows:',
      '    main-entry: { file: flows/main-entry.yaml }',
      '    gone: { file: flows/gone.yaml }',
      '    escape: { file: ../../etc/passwd }',
      '    inline: { version: 1.0.0 }'
    ].join('\n')
    api.setFiles(BASE_SHA, { 'genesys/bundle.yaml': manifest, 'genesys/flows/main-entry.yaml': fixture.mainEntry })

    const baseline = await readBaselineAtRef(helper, { manifestPath: 'genesys/bundle.yaml', ref: BASE_SHA, describe: 'before-commit' })

    expect(baseline?.files).toEqual({ 'main-entry': fixture.mainEntry })
    expect(baseline?.description).toBe(
      'The manifest `genesys/bundle.yaml` at the commit before the push `1234567`, with 1 of its 2 flow file(s) (missing there: `genesys/flows/gone.yaml`), read through the GitHub API.'
    )
    expect(api.requests.some(request => decodeURIComponent(request.path).includes('passwd'))).toBe(false)
  })

  it('reads a JSON manifest', async () => {
    const json = await readFile(fileURLToPath(new URL('./fixtures/bundles/valid-json/bundle.json', import.meta.url)), 'utf8')
    api.setFiles(BASE_SHA, { 'bundle.json': json })

    const baseline = await readBaselineAtRef(helper, { manifestPath: 'bundle.json', ref: BASE_SHA, describe: 'base-commit' })

    expect(baseline?.config).toEqual({
      flows: { 'chat-entry': { version: '1.4.0', routingStrategy: 'best-available' } },
      queues: { 'chat-support': { serviceLevel: '90/30', alertingTimeoutSeconds: 8 } }
    })
    expect(baseline?.files).toEqual({})
  })

  it('says plainly that a bundle is new when its manifest did not exist at that commit', async () => {
    api.setFiles(BASE_SHA, { 'README.md': '# config' })

    const baseline = await readBaselineAtRef(helper, { manifestPath: 'genesys/bundle.yaml', ref: BASE_SHA, describe: 'base-commit' })

    expect(baseline).toEqual({
      source: 'base-commit',
      description: 'The manifest `genesys/bundle.yaml` did not exist at the base commit `1234567`: the bundle is new, so everything in it shows as added.',
      config: {},
      files: {}
    })
  })

  it('explains an old manifest that cannot serve as a baseline', async () => {
    api.setFiles(BASE_SHA, { 'broken.yaml': 'bundleId: core\ntargetConfig:\n  flows: [unclosed\n', 'plain.yaml': 'bundleId: core\n' })

    await expect(readBaselineAtRef(helper, { manifestPath: 'broken.yaml', ref: BASE_SHA, describe: 'base-commit' })).rejects.toThrow(
      /^The manifest `broken.yaml` at the base commit `1234567` cannot be read as a baseline: line \d+: YAML syntax/
    )
    await expect(readBaselineAtRef(helper, { manifestPath: 'plain.yaml', ref: BASE_SHA, describe: 'base-commit' })).rejects.toThrow(
      'The manifest `plain.yaml` at the base commit `1234567` holds no `targetConfig` mapping'
    )
  })

  it('fails with the GitHub error when the commit is gone', async () => {
    const error = await readBaselineAtRef(helper, { manifestPath: 'bundle.yaml', ref: BASE_SHA, describe: 'before-commit' }).catch((thrown: unknown) => thrown)

    expect(error).toBeInstanceOf(GitHubApiError)
    expect((error as Error).message).toContain('a force push may have removed it')
  })

  it('asks nothing for a ref that names no commit', async () => {
    await expect(readBaselineAtRef(helper, { manifestPath: 'bundle.yaml', ref: '0'.repeat(40), describe: 'before-commit' })).resolves.toBeUndefined()
    await expect(readBaselineAtRef(helper, { manifestPath: 'bundle.yaml', ref: '', describe: 'base-commit' })).resolves.toBeUndefined()
    expect(api.requests).toHaveLength(0)
  })
})

describe('paths', () => {
  it('writes the manifest path from the repository root, and refuses one outside it', () => {
    expect(repositoryPath('./genesys/bundle.yaml')).toBe('genesys/bundle.yaml')
    expect(repositoryPath('genesys\\sub\\..\\bundle.yaml')).toBe('genesys/bundle.yaml')
    expect(() => repositoryPath('../other/bundle.yaml')).toThrow(/not a path inside the repository; give the `bundle` input/)
    expect(() => repositoryPath('/abs/bundle.yaml')).toThrow(/not a path inside the repository/)
  })

  it('resolves flow files against the manifest folder', () => {
    const config = { flows: { a: { file: 'flows/a.yaml' }, b: { file: '../shared/b.yaml' }, c: { file: '/abs.yaml' }, d: 'not a mapping' } }
    expect(flowFileReferences(config, 'genesys/core')).toEqual([
      { flow: 'a', path: 'genesys/core/flows/a.yaml' },
      { flow: 'b', path: 'genesys/shared/b.yaml' }
    ])
    expect(flowFileReferences(config, '.')).toEqual([{ flow: 'a', path: 'flows/a.yaml' }])
  })
})
