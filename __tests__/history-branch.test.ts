import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createGitHubHelper, GitHubApiError, type GitHubHelper } from '../src/github/github-helper.js'
import { chainAuditEntry, GENESIS_HASH, verifyAuditLog, type AuditEntry, type AuditRecord } from '../src/record/audit-log.js'
import { appendToHistory, HistoryPermissionError } from '../src/record/history-branch.js'
import { historyFileName } from '../src/record/history-file-name.js'
import { parseDeploymentHistory, readDeploymentHistory } from '../src/record/history-reader.js'
import { startGitHubApi, type GitHubApiStandIn } from '../simulator/github-api.js'

const REPOSITORY = 'acme/contact-center'
const TOKEN = 'ghs_historyTestToken42'
const BRANCH = 'genesys-history'
const FILE = 'prod-7f3a.jsonl'

let api: GitHubApiStandIn
let github: GitHubHelper
let logs: string[]
let sleeps: number[]

beforeEach(async () => {
  api = await startGitHubApi({ repository: REPOSITORY, token: TOKEN, files: { main: { 'bundle.yaml': 'bundleId: core\n' } } })
  logs = []
  sleeps = []
  const created = await createGitHubHelper({
    token: TOKEN,
    apiUrl: api.url,
    repository: REPOSITORY,
    log: message => logs.push(message),
    sleep: async () => undefined
  })
  if (!created) throw new Error('expected a helper')
  github = created
})

afterEach(async () => {
  await api.close()
})

function entry(deploymentId: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    action: 'BUNDLE_DEPLOYMENT',
    bundleId: 'contact-center-core',
    environmentId: 'prod-7f3a',
    deploymentId,
    finalStatus: 'COMPLETED',
    latencyMs: 4200,
    configurationDiff: { paths: { added: 1, removed: 0, modified: 0 }, resources: {}, otherPaths: 0 },
    riskLevel: 'LOW',
    timestamp: '2026-11-27T10:00:00.000Z',
    governanceTag: 'INFRASTRUCTURE_UPDATE',
    repository: REPOSITORY,
    sha: 'abc',
    ref: 'refs/heads/main',
    actor: 'octocat',
    runUrl: 'https://github.com/acme/contact-center/actions/runs/1',
    eventName: 'push',
    fingerprint: 'f'.repeat(64),
    ...extra
  }
}

const append = (deploymentId: string, extra: Partial<AuditEntry> = {}) =>
  appendToHistory({
    github,
    branch: BRANCH,
    entry: entry(deploymentId, extra),
    sleep: async ms => void sleeps.push(ms),
    random: () => 0.5,
    log: message => logs.push(message)
  })

const historyText = (): string => api.files(BRANCH)?.[FILE] ?? ''
const requests = (): string[] => api.requests.map(request => `${request.method} ${request.path} ${request.status}`)

describe('appendToHistory', () => {
  it('creates the branch on first use as an orphan holding only the history file', async () => {
    const first = await append('dep-1')
    expect(first).toMatchObject({ path: FILE, createdBranch: true, attempts: 1 })
    expect(first.record.prevHash).toBe(GENESIS_HASH)
    expect(api.files(BRANCH)).toEqual({ [FILE]: `${JSON.stringify(first.record)}\n` })
    expect(api.headCommit(BRANCH)).toMatchObject({ parents: [], message: expect.stringContaining('[skip ci]') })
    expect(requests().filter(line => line.startsWith('POST'))).toEqual([
      `POST /repos/${REPOSITORY}/git/trees 201`,
      `POST /repos/${REPOSITORY}/git/commits 201`,
      `POST /repos/${REPOSITORY}/git/refs 201`
    ])
    // The default branch is untouched.
    expect(api.files('main')).toEqual({ 'bundle.yaml': 'bundleId: core\n' })
  })

  it('appends later entries with the blob sha it read, chained after the last line', async () => {
    const first = await append('dep-1')
    const second = await append('dep-2')
    expect(second).toMatchObject({ createdBranch: false, attempts: 1 })
    expect(second.record.prevHash).toBe(first.record.hash)
    expect(second.text).toBe(historyText())
    expect(verifyAuditLog(historyText())).toEqual({ valid: true, entries: 2 })
    const put = api.requests.find(request => request.method === 'PUT')
    expect(put?.json).toMatchObject({ branch: BRANCH, sha: expect.stringMatching(/^[0-9a-f]{40}$/) })
    expect(api.headCommit(BRANCH)?.parents).toHaveLength(1)
  })

  it('lands every entry of runs that append at once, and the chain verifies', async () => {
    await append('dep-0')
    const results = await Promise.all(['a', 'b', 'c', 'd'].map(id => append(`dep-${id}`)))
    const text = historyText()
    expect(verifyAuditLog(text)).toEqual({ valid: true, entries: 5 })
    const ids = text
      .trim()
      .split('\n')
      .map(line => (JSON.parse(line) as AuditRecord).deploymentId)
    expect(ids.slice(1).sort()).toEqual(['dep-a', 'dep-b', 'dep-c', 'dep-d'])
    // They read the same version, so all but one met a conflict (409) and retried after reading again.
    expect(results.some(result => result.attempts > 1)).toBe(true)
    expect(requests()).toContainEqual(expect.stringMatching(new RegExp(`^PUT /repos/${REPOSITORY}/contents/${FILE} 409$`)))
    expect(logs.some(line => line.includes('another run wrote the file first'))).toBe(true)
  })

  it('lands every entry when runs create the branch at once', async () => {
    await Promise.all(['a', 'b', 'c'].map(id => append(`dep-${id}`)))
    expect(verifyAuditLog(historyText())).toEqual({ valid: true, entries: 3 })
    expect(requests()).toContainEqual(`POST /repos/${REPOSITORY}/git/refs 422`)
  })

  it('reports a tampered history by its line, appends after the last line and rewrites nothing', async () => {
    const lines = [chainAuditEntry(entry('dep-1'), GENESIS_HASH)]
    lines.push(chainAuditEntry(entry('dep-2'), lines[0].hash))
    lines.push(chainAuditEntry(entry('dep-3'), lines[1].hash))
    const edited = { ...lines[1], finalStatus: 'COMPLETED' as const, latencyMs: 1 }
    const tampered = [lines[0], edited, lines[2]].map(line => JSON.stringify(line)).join('\n') + '\n'
    api.setFiles(BRANCH, { [FILE]: tampered })

    const appended = await append('dep-4')
    expect(appended.warning).toContain(`The history \`${FILE}\` on branch \`${BRANCH}\` breaks its hash chain at line 2:`)
    expect(appended.warning).toContain('edited')
    expect(appended.record.prevHash).toBe(lines[2].hash)
    expect(historyText().startsWith(tampered)).toBe(true)
    expect(verifyAuditLog(historyText())).toMatchObject({ valid: false, entries: 4, firstBrokenLine: 2 })
  })

  it('appends to a history larger than the 1 MB the contents API returns inline (read through the blob API)', async () => {
    const records: AuditRecord[] = []
    for (let index = 0; index < 1200; index++) {
      records.push(chainAuditEntry(entry(`dep-${index}`, { error: 'x'.repeat(900) }), records.at(-1)?.hash ?? GENESIS_HASH))
    }
    const seeded = records.map(record => JSON.stringify(record)).join('\n') + '\n'
    expect(Buffer.byteLength(seeded)).toBeGreaterThan(1024 * 1024)
    api.setFiles(BRANCH, { [FILE]: seeded })
    const appended = await append('dep-last')
    expect(appended.record.prevHash).toBe(records.at(-1)?.hash)
    expect(requests()).toContainEqual(expect.stringMatching(new RegExp(`^GET /repos/${REPOSITORY}/git/blobs/[0-9a-f]{40} 200$`)))
    expect(verifyAuditLog(historyText())).toEqual({ valid: true, entries: 1201 })
  })

  it('stops with a permission error naming contents: write when the token may not write', async () => {
    api.denyContentWrites()
    const failure = await append('dep-1').catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(HistoryPermissionError)
    expect((failure as Error).message).toContain('permissions: contents: write')
    expect(api.files(BRANCH)).toBeUndefined()
  })

  it('retries a server error, and does not write twice when the write it could not confirm had landed', async () => {
    await append('dep-1')
    api.failNext({ method: 'PUT' }, { status: 502, body: { message: 'Bad Gateway' } })
    await append('dep-2')
    expect(verifyAuditLog(historyText())).toEqual({ valid: true, entries: 2 })

    // A write that happened although its answer was an error: the next read finds it and does not append again.
    const lostAnswer: GitHubHelper = Object.create(github) as GitHubHelper
    lostAnswer.writeFileOnBranch = async write => {
      await github.writeFileOnBranch(write)
      throw new GitHubApiError('GitHub answered 502', 502, 'PUT contents')
    }
    const landed = await appendToHistory({ github: lostAnswer, branch: BRANCH, entry: entry('dep-3'), sleep: async () => undefined })
    expect(landed.record.deploymentId).toBe('dep-3')
    expect(verifyAuditLog(historyText())).toEqual({ valid: true, entries: 3 })
  })

  it('gives up after the attempts allowed, saying why and that the local log has the entry', async () => {
    await append('dep-1')
    api.failNext({ method: 'PUT' }, { status: 409, body: { message: `${FILE} does not match 0000` } }, 3)
    await expect(appendToHistory({ github, branch: BRANCH, entry: entry('dep-2'), maxAttempts: 3, sleep: async () => undefined })).rejects.toThrow(
      /after 3 attempts \(the last: another run wrote the file first\).*local audit log/
    )
  })
})

describe('the GitHub API stand-in: branches and refs', () => {
  const get = async (path: string) => {
    const response = await fetch(`${api.url}/repos/${REPOSITORY}${path}`, { headers: { authorization: `token ${TOKEN}` } })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  it('answers a branch and its ref with the head commit a write made, and 404 for a missing one', async () => {
    await append('dep-1')
    const head = api.headCommit(BRANCH)?.sha
    expect(await get(`/branches/${BRANCH}`)).toMatchObject({ status: 200, body: { name: BRANCH, commit: { sha: head } } })
    expect(await get(`/git/ref/heads/${BRANCH}`)).toMatchObject({ status: 200, body: { ref: `refs/heads/${BRANCH}`, object: { type: 'commit', sha: head } } })
    expect((await get('/branches/nope')).status).toBe(404)
    expect((await get('/git/ref/heads/nope')).status).toBe(404)
  })

  it('refuses a write without the sha of a file that exists (422) and one with a stale sha (409), as GitHub does', async () => {
    await append('dep-1')
    const put = (sha?: string) =>
      fetch(`${api.url}/repos/${REPOSITORY}/contents/${FILE}`, {
        method: 'PUT',
        headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'm', content: Buffer.from('x').toString('base64'), branch: BRANCH, ...(sha ? { sha } : {}) })
      })
    expect((await put()).status).toBe(422)
    expect((await put('0'.repeat(40))).status).toBe(409)
    const missing = await fetch(`${api.url}/repos/${REPOSITORY}/contents/x.jsonl`, {
      method: 'PUT',
      headers: { authorization: `token ${TOKEN}` },
      body: JSON.stringify({ message: 'm', content: '', branch: 'no-such-branch' })
    })
    expect(missing.status).toBe(404)
    expect(historyText().trim().split('\n')).toHaveLength(1)
  })
})

describe('historyFileName', () => {
  it.each([
    ['prod-7f3a', 'prod-7f3a.jsonl'],
    ['eu/prod', 'eu%2Fprod.jsonl'],
    ['..', '%2E..jsonl'],
    ['.hidden', '%2Ehidden.jsonl'],
    ['a\nb', 'a%0Ab.jsonl'],
    ['100%', '100%25.jsonl'],
    ['café', 'caf%C3%A9.jsonl'],
    ['', '~empty.jsonl']
  ])('makes %j the file %s', (id, name) => {
    expect(historyFileName(id)).toBe(name)
  })

  it('keeps long ids distinct and short', () => {
    const a = historyFileName(`${'x'.repeat(300)}a`)
    const b = historyFileName(`${'x'.repeat(300)}b`)
    expect(a).not.toBe(b)
    expect(a.length).toBeLessThanOrEqual(150 + 1 + 16 + '.jsonl'.length)
    expect(historyFileName('/'.repeat(100))).not.toMatch(/%[0-9A-F]?~/)
  })
})

describe('reading the deployment history', () => {
  it('gives each deployment with its api and flow job durations, oldest first, skipping the rest', async () => {
    await append('dep-1', { api: 'architect', flowJobs: [{ name: 'Main Entry', durationMs: 2500 }], latencyMs: 9000 })
    await append('assess', { action: 'BUNDLE_ASSESSMENT', finalStatus: 'ASSESSED', latencyMs: 0 })
    await append('dep-2', { api: 'architecture-manager', finalStatus: 'ROLLBACK_COMPLETED', latencyMs: 12000 })
    const deployments = await readDeploymentHistory(github, BRANCH, 'prod-7f3a')
    expect(deployments).toEqual([
      {
        bundleId: 'contact-center-core',
        environmentId: 'prod-7f3a',
        api: 'architect',
        finalStatus: 'COMPLETED',
        latencyMs: 9000,
        timestamp: '2026-11-27T10:00:00.000Z',
        flowJobs: [{ name: 'Main Entry', durationMs: 2500 }]
      },
      {
        bundleId: 'contact-center-core',
        environmentId: 'prod-7f3a',
        api: 'architecture-manager',
        finalStatus: 'ROLLBACK_COMPLETED',
        latencyMs: 12000,
        timestamp: '2026-11-27T10:00:00.000Z',
        flowJobs: []
      }
    ])
    expect(await readDeploymentHistory(github, BRANCH, 'staging')).toEqual([])
    expect(await readDeploymentHistory(github, 'no-such-branch', 'prod-7f3a')).toEqual([])
  })

  it('skips damaged entries and malformed flow jobs', () => {
    const text = [
      JSON.stringify({ action: 'BUNDLE_DEPLOYMENT', bundleId: 'b', environmentId: 'e', finalStatus: 'COMPLETED', latencyMs: 'slow', timestamp: 't' }),
      JSON.stringify({ action: 'BUNDLE_DEPLOYMENT', bundleId: 'b', environmentId: 'e', finalStatus: 'DONE', latencyMs: 1, timestamp: 't' }),
      JSON.stringify({
        action: 'BUNDLE_DEPLOYMENT',
        bundleId: 'b',
        environmentId: 'e',
        finalStatus: 'FAILED',
        latencyMs: 5,
        timestamp: 't',
        api: 'other',
        flowJobs: [{ name: 'x', durationMs: -1 }, { name: 'y', durationMs: 7 }, null]
      }),
      '{broken'
    ].join('\n')
    expect(parseDeploymentHistory(text)).toEqual([
      { bundleId: 'b', environmentId: 'e', finalStatus: 'FAILED', latencyMs: 5, timestamp: 't', flowJobs: [{ name: 'y', durationMs: 7 }] }
    ])
  })
})
