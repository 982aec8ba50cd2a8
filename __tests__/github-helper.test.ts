import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readBaselineAtRef } from '../src/assess/baseline-from-git.js'
import { computeDiff } from '../src/assess/diff.js'
import {
  classifyGitHubFailure,
  createGitHubHelper,
  GitHubApiError,
  MAX_COMMENT_PAGES,
  orderPullRequestsForCommit,
  type AssociatedPullRequest,
  type GitHubHelper,
  type GitHubHelperOptions
} from '../src/github/github-helper.js'
import { startGitHubApi, type GitHubApiStandIn } from '../simulator/github-api.js'

const REPOSITORY = 'acme/contact-center'
const TOKEN = 'ghs_helperTestToken123'
const BASE_SHA = 'a'.repeat(40)
const MERGE_SHA = 'b'.repeat(40)

let api: GitHubApiStandIn
let helper: GitHubHelper
let logs: string[]
let sleeps: number[]

beforeEach(async () => {
  api = await startGitHubApi({ repository: REPOSITORY, token: TOKEN, now: () => Date.UTC(2025, 0, 2, 3, 4, 5) })
  logs = []
  sleeps = []
  helper = await makeHelper(TOKEN)
})

afterEach(async () => {
  await api.close()
})

async function makeHelper(token: string | undefined, more: Partial<GitHubHelperOptions> = {}): Promise<GitHubHelper> {
  const created = await createGitHubHelper({
    token,
    apiUrl: api.url,
    repository: REPOSITORY,
    log: message => logs.push(message),
    sleep: async ms => {
      sleeps.push(ms)
    },
    random: () => 0.5,
    ...more
  })
  if (!created) throw new Error('expected a helper')
  return created
}

async function failure(promise: Promise<unknown>): Promise<GitHubApiError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown
  )
  expect(error).toBeInstanceOf(GitHubApiError)
  return error as GitHubApiError
}

describe('createGitHubHelper', () => {
  it('gives no helper without a token', async () => {
    for (const token of [undefined, '', '   ']) {
      await expect(createGitHubHelper({ token, apiUrl: api.url, repository: REPOSITORY, log: () => undefined })).resolves.toBeUndefined()
    }
    expect(api.requests).toHaveLength(0)
  })

  it('refuses a repository that is not owner/name', async () => {
    await expect(createGitHubHelper({ token: TOKEN, repository: 'just-a-name', log: () => undefined })).rejects.toThrow(/"just-a-name".*owner\/name/)
  })

  it('refuses a request timeout that is not a positive number of milliseconds', async () => {
    for (const requestTimeoutMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(createGitHubHelper({ token: TOKEN, apiUrl: api.url, repository: REPOSITORY, log: () => undefined, requestTimeoutMs })).rejects.toThrow(
        `requestTimeoutMs is ${requestTimeoutMs}; expected a positive number of milliseconds`
      )
    }
  })
})

describe('comments', () => {
  it('lists every page of comments, oldest first, with the token', async () => {
    api.addPullRequest({ number: 7 })
    for (let index = 1; index <= 250; index++) api.addComment(7, `comment ${index}`)

    const comments = await helper.listIssueComments(7)

    expect(comments).toHaveLength(250)
    expect(comments[0].body).toBe('comment 1')
    expect(comments[249].body).toBe('comment 250')
    const pages = api.requests.filter(request => request.path === `/repos/${REPOSITORY}/issues/7/comments`)
    expect(pages.map(request => request.query.page ?? '1')).toEqual(['1', '2', '3'])
    expect(pages.every(request => request.query.per_page === '100')).toBe(true)
    expect(pages[0].headers.authorization).toBe(`token ${TOKEN}`)
  })

  it('reads at most MAX_COMMENT_PAGES pages of comments, however many `next` pages GitHub names', async () => {
    api.addPullRequest({ number: 7 })
    for (let index = 1; index <= MAX_COMMENT_PAGES * 100 + 50; index++) api.addComment(7, `comment ${index}`)

    const comments = await helper.listIssueComments(7)

    expect(comments).toHaveLength(MAX_COMMENT_PAGES * 100)
    expect(api.requests.filter(request => request.path === `/repos/${REPOSITORY}/issues/7/comments`)).toHaveLength(MAX_COMMENT_PAGES)
  })

  it('creates and updates a comment, reading back GitHub fields', async () => {
    api.addPullRequest({ number: 7 })

    const created = await helper.createComment(7, 'first')
    const updated = await helper.updateComment(created.id, 'second')

    expect(created).toMatchObject({ body: 'first', author: 'github-actions[bot]', createdAt: '2025-01-02T03:04:05Z' })
    expect(created.htmlUrl).toBe(`https://github.com/${REPOSITORY}/pull/7#issuecomment-${created.id}`)
    expect(updated).toMatchObject({ id: created.id, body: 'second' })
    expect(api.comments(7).map(comment => comment.body)).toEqual(['second'])
    const writes = api.requests.filter(request => request.method !== 'GET')
    expect(writes.map(request => `${request.method} ${request.path}`)).toEqual([
      `POST /repos/${REPOSITORY}/issues/7/comments`,
      `PATCH /repos/${REPOSITORY}/issues/comments/${created.id}`
    ])
    expect(writes.map(request => request.json)).toEqual([{ body: 'first' }, { body: 'second' }])
  })

  it('explains a 403 on a comment write: the permission, the fork case and the fix', async () => {
    api.addPullRequest({ number: 7 })
    api.denyCommentWrites()

    const error = await failure(helper.createComment(7, 'report'))

    expect(error.status).toBe(403)
    expect(error.endpoint).toBe(`POST /repos/${REPOSITORY}/issues/7/comments`)
    expect(error.message).toContain('Resource not accessible by integration')
    expect(error.message).toContain('the token lacks `pull-requests: write` (or this is a fork PR')
    expect(error.message).toContain('`comment: false`')
    expect(error.message).not.toContain(TOKEN)
    // A permission does not come back by waiting: no retry.
    expect(api.requests.filter(request => request.method === 'POST')).toHaveLength(1)
  })

  it('explains a bad token and an unknown pull request', async () => {
    api.addPullRequest({ number: 7 })
    const badHelper = await makeHelper('ghs_revoked')

    const unauthorized = await failure(badHelper.listIssueComments(7))
    const missing = await failure(helper.listIssueComments(99))

    expect(unauthorized.status).toBe(401)
    expect(unauthorized.message).toMatch(/Bad credentials.*`github-token` input is not a valid token/)
    expect(unauthorized.message).not.toContain('ghs_revoked')
    expect(missing.status).toBe(404)
    expect(missing.message).toContain(`GET /repos/${REPOSITORY}/issues/99/comments`)
    expect(missing.message).toContain(`pull request #99 is not in ${REPOSITORY}`)
  })

  it('retries a read that meets a server error, and says so in the log', async () => {
    api.addPullRequest({ number: 7 })
    api.addComment(7, 'hello')
    api.failNext({ method: 'GET', path: /\/comments$/ }, { status: 502, body: { message: 'Server Error' } })

    const comments = await helper.listIssueComments(7)

    expect(comments.map(comment => comment.body)).toEqual(['hello'])
    expect(api.requests.map(request => request.status)).toEqual([502, 200])
    expect(logs).toEqual([expect.stringMatching(/GitHub GET \/repos\/acme\/contact-center\/issues\/7\/comments: attempt 1 of 3 failed \(HTTP 502\)/)])
    expect(sleeps).toHaveLength(1)
  })

  it('retries an update, which repeats safely, naming the comment in the log', async () => {
    api.addPullRequest({ number: 7 })
    const existing = api.addComment(7, 'old')
    api.failNext({ method: 'PATCH' }, { status: 500, body: { message: 'Server Error' } })

    const updated = await helper.updateComment(existing.id, 'new')

    expect(updated.body).toBe('new')
    expect(api.requests.map(request => `${request.method} ${request.status}`)).toEqual(['PATCH 500', 'PATCH 200'])
    expect(logs).toEqual([expect.stringContaining(`GitHub PATCH /repos/${REPOSITORY}/issues/comments/${existing.id}: attempt 1 of 3 failed (HTTP 500)`)])
  })

  it('waits the Retry-After of a rate limit before retrying', async () => {
    api.addPullRequest({ number: 7 })
    api.failNext({ method: 'GET' }, { status: 429, body: { message: 'API rate limit exceeded' }, headers: { 'retry-after': '7' } })

    await helper.listIssueComments(7)

    expect(sleeps).toEqual([7000])
  })

  it('never retries creating a comment, which could post it twice', async () => {
    api.addPullRequest({ number: 7 })
    api.failNext({ method: 'POST' }, { status: 502, body: { message: 'Server Error' } })

    const error = await failure(helper.createComment(7, 'report'))

    expect(error.status).toBe(502)
    expect(error.message).toContain('githubstatus.com')
    expect(api.requests.filter(request => request.method === 'POST')).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it('gives up on a read after three attempts', async () => {
    api.addPullRequest({ number: 7 })
    api.failNext({ method: 'GET' }, { status: 503, body: { message: 'Service Unavailable' } }, 5)

    const error = await failure(helper.listIssueComments(7))

    expect(error.status).toBe(503)
    expect(api.requests).toHaveLength(3)
  })

  it('explains that GitHub could not be reached', async () => {
    await api.close()

    const error = await failure(helper.listIssueComments(7))

    expect(error.status).toBeUndefined()
    expect(error.message).toMatch(/no answer from GitHub to GET \/repos\/acme\/contact-center\/issues\/7\/comments .*GITHUB_API_URL/)
    expect(sleeps).toHaveLength(2)
    api = await startGitHubApi() // for afterEach
  })
})

/**
 * Held requests never answer, so they time out whatever the clock; the limit only has to leave the stand-in on
 * loopback ample time to answer the requests that are not held.
 */
const TIMEOUT_MS = 250

describe('request timeout', () => {
  beforeEach(async () => {
    helper = await makeHelper(TOKEN, { requestTimeoutMs: TIMEOUT_MS })
    api.addPullRequest({ number: 7 })
  })

  it('abandons a read that gets no answer and retries it, saying so in the log', async () => {
    api.addComment(7, 'hello')
    api.hangNext({ method: 'GET', path: /\/comments$/ })

    const comments = await helper.listIssueComments(7)

    expect(comments.map(comment => comment.body)).toEqual(['hello'])
    expect(api.requests.map(request => request.status)).toEqual([0, 200])
    expect(logs).toEqual([
      expect.stringContaining(`GitHub GET /repos/${REPOSITORY}/issues/7/comments: attempt 1 of 3 failed (no answer within ${TIMEOUT_MS} ms)`)
    ])
    expect(sleeps).toHaveLength(1)
  })

  it('retries an update that timed out, which repeats safely', async () => {
    const existing = api.addComment(7, 'old')
    api.hangNext({ method: 'PATCH' })

    const updated = await helper.updateComment(existing.id, 'new')

    expect(updated.body).toBe('new')
    expect(api.requests.map(request => `${request.method} ${request.status}`)).toEqual(['PATCH 0', 'PATCH 200'])
  })

  it('gives up on a read that never answers, naming the endpoint, the timeout and the fix', async () => {
    api.hangNext({ method: 'GET' }, 5)

    const error = await failure(helper.listIssueComments(7))

    expect(error.status).toBeUndefined()
    expect(error.endpoint).toBe(`GET /repos/${REPOSITORY}/issues/7/comments`)
    expect(error.message).toContain(
      `Could not list the comments of pull request #7: GitHub did not answer GET /repos/${REPOSITORY}/issues/7/comments within ${TIMEOUT_MS} ms (3 attempts)`
    )
    expect(error.message).toContain('https://www.githubstatus.com')
    expect(error.message).toContain('GITHUB_API_URL')
    expect(api.requests).toHaveLength(3)
    expect(sleeps).toHaveLength(2)
  })

  it('stops asking a GitHub that gave no answer at all: later calls of the run fail at once', async () => {
    api.hangNext({ method: 'GET' }, 3)
    await failure(helper.listIssueComments(7))
    expect(api.requests).toHaveLength(3)

    const second = await failure(helper.readFileAtRef('bundle.yaml', 'main'))
    expect(second.message).toContain('did not answer')
    expect(api.requests).toHaveLength(3)
  })

  it('never repeats a comment post that timed out, and says the comment may exist', async () => {
    api.hangNext({ method: 'POST' })

    const error = await failure(helper.createComment(7, 'report'))

    expect(error.endpoint).toBe(`POST /repos/${REPOSITORY}/issues/7/comments`)
    expect(error.message).toContain(`GitHub did not answer POST /repos/${REPOSITORY}/issues/7/comments within ${TIMEOUT_MS} ms (1 attempt)`)
    expect(error.message).toContain('may have been made anyway')
    expect(api.requests.filter(request => request.method === 'POST')).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it('times out an answer that stops halfway through its body instead of reading it as empty', async () => {
    const manifest = 'bundleId: core\ntargetConfig:\n  flows:\n    main-entry: { version: 2.1.0 }\n'
    api.setFiles(BASE_SHA, { 'bundles/core.yaml': manifest })
    api.hangNext({ method: 'GET', path: /\/contents\// }, 1, 'mid-body')

    await expect(helper.readFileAtRef('bundles/core.yaml', BASE_SHA)).resolves.toBe(manifest)

    expect(api.requests.map(request => request.status)).toEqual([200, 200])
    expect(logs).toEqual([expect.stringContaining(`attempt 1 of 3 failed (no answer within ${TIMEOUT_MS} ms)`)])
  })
})

describe('readFileAtRef', () => {
  it('decodes a file at a commit, UTF-8 included', async () => {
    api.setFiles(BASE_SHA, { 'bundles/core.yaml': 'bundleId: café-core\n' })

    await expect(helper.readFileAtRef('bundles/core.yaml', BASE_SHA)).resolves.toBe('bundleId: café-core\n')

    const [request] = api.requests
    expect(decodeURIComponent(request.path)).toBe(`/repos/${REPOSITORY}/contents/bundles/core.yaml`)
    expect(request.query.ref).toBe(BASE_SHA)
  })

  it('reads an empty file as empty text', async () => {
    api.setFiles(BASE_SHA, { 'empty.yaml': '' })
    await expect(helper.readFileAtRef('empty.yaml', BASE_SHA)).resolves.toBe('')
  })

  it('answers undefined for a file the commit does not have', async () => {
    api.setFiles(BASE_SHA, { 'other.yaml': 'x: 1' })
    await expect(helper.readFileAtRef('bundles/core.yaml', BASE_SHA)).resolves.toBeUndefined()
  })

  it('fails, naming a force push, when the commit itself is unknown', async () => {
    const error = await failure(helper.readFileAtRef('bundles/core.yaml', BASE_SHA))

    expect(error.status).toBe(404)
    expect(error.message).toContain(`No commit found for the ref ${BASE_SHA}`)
    expect(error.message).toContain('a force push may have removed it')
  })

  it('falls back to the blob API for a file too large for the contents API', async () => {
    await api.close()
    api = await startGitHubApi({ repository: REPOSITORY, token: TOKEN, contentsMaxBytes: 64 })
    helper = await makeHelper(TOKEN)
    const large = `flows:\n${'  # padding line for size\n'.repeat(20)}`
    api.setFiles(BASE_SHA, { 'big.yaml': large })

    await expect(helper.readFileAtRef('big.yaml', BASE_SHA)).resolves.toBe(large)

    expect(api.requests.map(request => request.path)).toEqual([
      `/repos/${REPOSITORY}/contents/big.yaml`,
      expect.stringMatching(new RegExp(`^/repos/${REPOSITORY}/git/blobs/[0-9a-f]{40}$`))
    ])
  })

  it('refuses a folder', async () => {
    api.setFiles(BASE_SHA, { 'bundles/core.yaml': 'x: 1' })
    await expect(helper.readFileAtRef('bundles', BASE_SHA)).rejects.toThrow(`\`bundles\` at ${BASE_SHA.slice(0, 7)} is a folder; expected a file.`)
  })
})

describe('readFileAtRef with answers from other GitHub-like servers', () => {
  const PATH = 'bundles/core.yaml'
  const MANIFEST = 'bundleId: core\ntargetConfig:\n  flows:\n    main-entry: { version: 2.1.0 }\n    after-hours: { version: 1.0.0 }\n'
  const contentsPath = `/repos/${REPOSITORY}/contents/${PATH}`
  // Octokit sends the path's slashes percent-encoded.
  const contentsRequest = { method: 'GET', path: /\/contents\/bundles(\/|%2F)core\.yaml$/ }
  const base64Lines = (text: string): string =>
    (
      Buffer.from(text, 'utf8')
        .toString('base64')
        .match(/.{1,20}/g) ?? []
    ).join('\n')
  const answerContents = (body: unknown): void => api.answerNext(contentsRequest, { status: 200, body })
  const blobRequests = (): number => api.requests.filter(request => request.path.includes('/git/blobs/')).length

  it('decodes base64 content that comes without type, size or sha', async () => {
    answerContents({ encoding: 'base64', content: base64Lines(MANIFEST) })

    await expect(helper.readFileAtRef(PATH, BASE_SHA)).resolves.toBe(MANIFEST)
  })

  it('decodes content even when size is 0 or missing', async () => {
    answerContents({ type: 'file', encoding: 'base64', content: base64Lines(MANIFEST), size: 0, sha: 'c'.repeat(40) })
    answerContents({ type: 'file', encoding: 'base64', content: `${base64Lines(MANIFEST)}\r\n`, sha: 'c'.repeat(40) })

    await expect(helper.readFileAtRef(PATH, BASE_SHA)).resolves.toBe(MANIFEST)
    await expect(helper.readFileAtRef(PATH, BASE_SHA)).resolves.toBe(MANIFEST)
    expect(blobRequests()).toBe(0)
  })

  it('reads utf-8 content as plain text', async () => {
    for (const encoding of ['utf-8', 'utf8', 'UTF-8']) {
      answerContents({ encoding, content: 'bundleId: café-core\n' })
      await expect(helper.readFileAtRef(PATH, BASE_SHA)).resolves.toBe('bundleId: café-core\n')
    }
  })

  it('keeps a removed flow visible: the baseline from a bare answer is the whole old manifest', async () => {
    answerContents({ encoding: 'base64', content: base64Lines(MANIFEST) })

    const baseline = await readBaselineAtRef(helper, { manifestPath: PATH, ref: BASE_SHA, describe: 'base-commit' })
    const diff = computeDiff(baseline?.config ?? {}, { flows: { 'main-entry': { version: '2.1.0' } } })

    expect(diff.removed).toEqual(['flows.after-hours'])
  })

  it('refuses only entries that say they are not a file', async () => {
    for (const type of ['symlink', 'submodule']) {
      answerContents({ type, encoding: 'base64', content: '', sha: 'c'.repeat(40), size: 12 })
      await expect(helper.readFileAtRef(PATH, BASE_SHA)).rejects.toThrow(`\`${PATH}\` at ${BASE_SHA.slice(0, 7)} is a ${type}; expected a file.`)
    }
    answerContents({ type: 'dir', name: 'core.yaml', path: PATH })
    await expect(helper.readFileAtRef(PATH, BASE_SHA)).rejects.toThrow(`\`${PATH}\` at ${BASE_SHA.slice(0, 7)} is a folder; expected a file.`)
    answerContents('<html>proxy login</html>')
    await expect(helper.readFileAtRef(PATH, BASE_SHA)).rejects.toThrow(
      /answered the contents of `bundles\/core.yaml` at aaaaaaa with text, not a file's contents; check that GITHUB_API_URL/
    )
  })

  it('fetches the blob only when content is empty, a sha is given and size is not 0', async () => {
    api.setFiles('main', { [PATH]: MANIFEST })
    const sha = (
      (await fetch(`${api.url}${contentsPath}?ref=main`, { headers: { authorization: `token ${TOKEN}` } }).then(response => response.json())) as { sha: string }
    ).sha
    answerContents({ encoding: 'none', content: '', sha, size: Buffer.byteLength(MANIFEST) })

    await expect(helper.readFileAtRef(PATH, BASE_SHA)).resolves.toBe(MANIFEST)
    expect(api.requests.at(-1)?.path).toBe(`/repos/${REPOSITORY}/git/blobs/${sha}`)
  })

  it('asks the blob when content is empty and size is missing but a sha is given, and refuses a blob without content', async () => {
    api.setFiles('main', { [PATH]: MANIFEST })
    const sha = (
      (await fetch(`${api.url}${contentsPath}?ref=main`, { headers: { authorization: `token ${TOKEN}` } }).then(response => response.json())) as { sha: string }
    ).sha
    answerContents({ encoding: 'base64', content: '', sha })
    answerContents({ encoding: 'base64', content: '', sha })
    api.answerNext({ method: 'GET', path: /\/git\/blobs\// }, { status: 200, body: { sha, size: 96, encoding: 'base64', content: '' } })

    await expect(helper.readFileAtRef(PATH, BASE_SHA)).rejects.toThrow(
      `the blob ${sha.slice(0, 7)} of \`${PATH}\` has 96 bytes, but the answer holds no content`
    )
    await expect(helper.readFileAtRef(PATH, BASE_SHA)).resolves.toBe(MANIFEST)
    expect(blobRequests()).toBe(2)
  })

  it('reads as empty a file without content whose size is 0, or that has neither size nor sha', async () => {
    answerContents({ type: 'file', encoding: 'base64', content: '', size: 0, sha: 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391' })
    answerContents({ encoding: 'base64', content: '' })
    answerContents({ encoding: 'base64' })

    for (let read = 0; read < 3; read++) await expect(helper.readFileAtRef(PATH, BASE_SHA)).resolves.toBe('')
    expect(blobRequests()).toBe(0)
  })

  it('refuses content it cannot decode, and a size without content or sha, instead of reading it as empty', async () => {
    answerContents({ encoding: 'base64', content: 'bundleId: not base64!' })
    answerContents({ encoding: 'latin1', content: 'bundleId: core' })
    answerContents({ type: 'file', encoding: 'none', content: '', size: 120 })

    await expect(helper.readFileAtRef(PATH, BASE_SHA)).rejects.toThrow(/`bundles\/core.yaml` at aaaaaaa came as base64 that does not decode/)
    await expect(helper.readFileAtRef(PATH, BASE_SHA)).rejects.toThrow(
      /`bundles\/core.yaml` at aaaaaaa came in the encoding "latin1"; expected base64 or utf-8/
    )
    await expect(helper.readFileAtRef(PATH, BASE_SHA)).rejects.toThrow(
      /`bundles\/core.yaml` at aaaaaaa has 120 bytes, but the answer holds neither its content nor its blob sha/
    )
  })
})

describe('findPullRequestsForCommit', () => {
  it('puts the pull request the commit merged first, with its labels', async () => {
    api.addPullRequest({ number: 3, commits: [MERGE_SHA] })
    api.addPullRequest({ number: 5, merged: true, mergeCommitSha: 'c'.repeat(40), commits: [MERGE_SHA] })
    api.addPullRequest({ number: 7, merged: true, mergeCommitSha: MERGE_SHA, labels: ['genesys-risk-accepted', 'ops'] })

    const pulls = await helper.findPullRequestsForCommit(MERGE_SHA)

    expect(pulls.map(pr => pr.number)).toEqual([7, 5, 3])
    expect(pulls[0]).toEqual({
      number: 7,
      title: 'Pull request #7',
      state: 'closed',
      merged: true,
      mergeCommitSha: MERGE_SHA,
      labels: ['genesys-risk-accepted', 'ops'],
      htmlUrl: `https://github.com/${REPOSITORY}/pull/7`
    })
    expect(api.requests[0].path).toBe(`/repos/${REPOSITORY}/commits/${MERGE_SHA}/pulls`)
  })

  it('answers an empty list for a commit that is in no pull request', async () => {
    api.setFiles(MERGE_SHA, {})
    await expect(helper.findPullRequestsForCommit(MERGE_SHA)).resolves.toEqual([])
  })

  it('explains an unknown commit', async () => {
    const error = await failure(helper.findPullRequestsForCommit(MERGE_SHA))
    expect(error.status).toBe(422)
    expect(error.message).toContain(`No commit found for SHA: ${MERGE_SHA}`)
    expect(error.message).toContain(`the commit ${MERGE_SHA} is not in ${REPOSITORY}.`)
  })
})

describe('pure rules', () => {
  it('orders merged pull requests first and keeps GitHub order otherwise', () => {
    const pr = (number: number, merged: boolean, mergeCommitSha?: string): AssociatedPullRequest => ({
      number,
      title: '',
      state: merged ? 'closed' : 'open',
      merged,
      ...(mergeCommitSha ? { mergeCommitSha } : {}),
      labels: [],
      htmlUrl: ''
    })
    const ordered = orderPullRequestsForCommit([pr(1, false), pr(2, true, 'other'), pr(3, false), pr(4, true, 'sha')], 'sha')
    expect(ordered.map(p => p.number)).toEqual([4, 2, 1, 3])
  })

  it('retries only what waiting can fix', () => {
    const response = (headers: Record<string, string> = {}) => ({ headers, data: {} })
    expect(classifyGitHubFailure({ status: 502, response: response() }).retry).toBe(true)
    expect(classifyGitHubFailure({ status: 500, message: 'ECONNRESET' })).toMatchObject({ retry: true, reason: 'no answer (ECONNRESET)' })
    expect(classifyGitHubFailure({ status: 403, response: response({ 'retry-after': '3' }) })).toEqual({
      retry: true,
      reason: 'HTTP 403 rate limit',
      waitMs: 3000
    })
    expect(classifyGitHubFailure({ status: 403, response: response() }).retry).toBe(false)
    expect(classifyGitHubFailure({ status: 404, response: response() }).retry).toBe(false)
    expect(classifyGitHubFailure(new TypeError('bug')).retry).toBe(false)
    expect(classifyGitHubFailure({ status: 500, message: 'connect ECONNREFUSED 127.0.0.1:45999' }).retry).toBe(false)
    expect(classifyGitHubFailure({ status: 500, message: 'getaddrinfo ENOTFOUND ghe.example' }).retry).toBe(false)
  })
})

describe('GitHub API stand-in', () => {
  it('accepts Bearer as well as token, and refuses a missing or wrong token', async () => {
    api.addPullRequest({ number: 7 })
    const url = `${api.url}/repos/${REPOSITORY}/issues/7/comments`

    const bearer = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })
    const none = await fetch(url)
    const wrong = await fetch(url, { headers: { authorization: 'token nope' } })

    expect(bearer.status).toBe(200)
    expect(none.status).toBe(401)
    expect(await none.json()).toMatchObject({ message: 'Requires authentication' })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({ message: 'Bad credentials', documentation_url: expect.any(String) })
  })

  it('holds a request before its headers or halfway through its body, once', async () => {
    api.addPullRequest({ number: 7 })
    const url = `${api.url}/repos/${REPOSITORY}/issues/7/comments`
    const headers = { authorization: `token ${TOKEN}` }
    api.hangNext({ path: `/repos/${REPOSITORY}/issues/7/comments` }, 1, 'mid-body')
    api.hangNext({ method: 'POST' })

    const partial = await fetch(url, { headers, signal: AbortSignal.timeout(500) })
    const bodyRead = await partial.text().then(
      () => 'complete',
      (error: unknown) => (error as Error).name
    )
    const unanswered = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ body: 'x' }), signal: AbortSignal.timeout(100) }).then(
      () => 'answered',
      (error: unknown) => (error as Error).name
    )
    const next = await fetch(url, { headers })

    expect(partial.status).toBe(200)
    expect(bodyRead).toBe('TimeoutError')
    expect(unanswered).toBe('TimeoutError')
    expect(next.status).toBe(200)
    expect(api.requests.map(request => `${request.method} ${request.status}`)).toEqual(['GET 200', 'POST 0', 'GET 200'])
    expect(api.comments(7)).toHaveLength(0)
  })

  it('pages with a Link header as GitHub does', async () => {
    api.addPullRequest({ number: 7 })
    for (let index = 0; index < 5; index++) api.addComment(7, `c${index}`)

    const response = await fetch(`${api.url}/repos/${REPOSITORY}/issues/7/comments?per_page=2&page=2`, { headers: { authorization: `token ${TOKEN}` } })

    expect(((await response.json()) as { body: string }[]).map(comment => comment.body)).toEqual(['c2', 'c3'])
    const link = response.headers.get('link') ?? ''
    expect(link).toContain(`<${api.url}/repos/${REPOSITORY}/issues/7/comments?per_page=2&page=3>; rel="next"`)
    expect(link).toContain('page=3>; rel="last"')
    expect(link).toContain('page=1>; rel="prev"')
  })

  it('refuses comment bodies GitHub refuses, and other repositories', async () => {
    api.addPullRequest({ number: 7 })
    const headers = { authorization: `token ${TOKEN}`, 'content-type': 'application/json' }

    const tooLong = await fetch(`${api.url}/repos/${REPOSITORY}/issues/7/comments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ body: 'x'.repeat(65_537) })
    })
    const elsewhere = await fetch(`${api.url}/repos/acme/other/issues/7/comments`, { headers })

    expect(tooLong.status).toBe(422)
    expect(JSON.stringify(await tooLong.json())).toContain('Body is too long')
    expect(elsewhere.status).toBe(404)
    expect(api.comments(7)).toHaveLength(0)
  })
})
