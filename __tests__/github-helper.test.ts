import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  classifyGitHubFailure,
  createGitHubHelper,
  GitHubApiError,
  orderPullRequestsForCommit,
  type AssociatedPullRequest,
  type GitHubHelper
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

async function makeHelper(token: string | undefined): Promise<GitHubHelper> {
  const created = await createGitHubHelper({
    token,
    apiUrl: api.url,
    repository: REPOSITORY,
    log: message => logs.push(message),
    sleep: async ms => {
      sleeps.push(ms)
    },
    random: () => 0.5
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
    expect(classifyGitHubFailure({ status: 403, response: response({ 'retry-after': '3' }) })).toEqual({ retry: true, reason: 'HTTP 403 rate limit', waitMs: 3000 })
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

    const tooLong = await fetch(`${api.url}/repos/${REPOSITORY}/issues/7/comments`, { method: 'POST', headers, body: JSON.stringify({ body: 'x'.repeat(65_537) }) })
    const elsewhere = await fetch(`${api.url}/repos/acme/other/issues/7/comments`, { headers })

    expect(tooLong.status).toBe(422)
    expect(JSON.stringify(await tooLong.json())).toContain('Body is too long')
    expect(elsewhere.status).toBe(404)
    expect(api.comments(7)).toHaveLength(0)
  })
})
