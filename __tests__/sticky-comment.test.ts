import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import { assemblePlan } from '../src/assess/assemble-plan.js'
import { emptyBaseline } from '../src/assess/baseline.js'
import type { Plan } from '../src/assess/plan.js'
import { loadBundle } from '../src/bundle/loader.js'
import { FinalStatus } from '../src/constants.js'
import type { DeployResult } from '../src/deploy/result.js'
import { createGitHubHelper, GitHubApiError, type GitHubHelper, type IssueComment } from '../src/github/github-helper.js'
import { isCommentFor, parseCommentMarker, renderComment, renderCommentMarker } from '../src/report/comment.js'
import { pickStickyComment, upsertStickyComment, findStickyComment } from '../src/report/sticky-comment.js'
import type { RunContext } from '../src/run-context.js'
import { GITHUB_ACTIONS_BOT, startGitHubApi, type GitHubApiStandIn } from '../simulator/github-api.js'

const REPOSITORY = 'acme/contact-center'
const TOKEN = 'ghs_stickyTestToken'
const BUNDLE = 'contact-center-core'
const MERGE_SHA = '9'.repeat(40)
const WORKSPACE = fileURLToPath(new URL('./fixtures/bundles/valid-yaml/', import.meta.url))

const context: RunContext = {
  repository: REPOSITORY,
  sha: '0123456789abcdef0123456789abcdef01234567',
  ref: 'refs/pull/7/merge',
  actor: 'octocat',
  eventName: 'pull_request',
  runUrl: `https://github.com/${REPOSITORY}/actions/runs/42`,
  pullRequestNumber: 7,
  pullRequestLabels: []
}

let api: GitHubApiStandIn
let helper: GitHubHelper
let clock: number

beforeEach(async () => {
  clock = Date.UTC(2025, 4, 1, 12, 0, 0)
  api = await startGitHubApi({ repository: REPOSITORY, token: TOKEN, now: () => clock })
  api.addPullRequest({ number: 7 })
  const created = await createGitHubHelper({ token: TOKEN, apiUrl: api.url, repository: REPOSITORY, log: () => undefined, sleep: async () => undefined })
  if (!created) throw new Error('expected a helper')
  helper = created
})

afterEach(async () => {
  await api.close()
})

/** A plan of the fixture bundle, as the action assembles it, for one environment. */
async function planFor(environmentId: string): Promise<Plan> {
  const loaded = await loadBundle('bundle.yaml', { workspace: WORKSPACE, overrides: { environmentId } })
  return assemblePlan({
    api: 'architecture-manager',
    loaded,
    baseline: emptyBaseline(),
    remoteValidation: { ran: false, reason: 'no credentials in this test' }
  })
}

async function assessComment(environmentId: string): Promise<{ plan: Plan; body: string }> {
  const plan = await planFor(environmentId)
  return { plan, body: renderComment(plan, undefined, context, { status: FinalStatus.Assessed }) }
}

function comment(id: number, body: string, createdAt: string): IssueComment {
  return { id, body, createdAt, updatedAt: createdAt, htmlUrl: `https://github.com/${REPOSITORY}/pull/7#issuecomment-${id}`, author: 'github-actions[bot]' }
}

function marker(bundleId: string, environmentId: string): string {
  return renderCommentMarker({ bundleId, environmentId, fingerprint: 'f'.repeat(64) })
}

describe('upsertStickyComment against the GitHub API stand-in', () => {
  it('keeps exactly one comment over several runs, updated in place', async () => {
    const outcomes = []
    for (const run of [1, 2, 3]) {
      const { body } = await assessComment('prod-7f3a')
      clock += 60_000
      outcomes.push(await upsertStickyComment(helper, { prNumber: 7, bundleId: BUNDLE, environmentId: 'prod-7f3a', body: `${body}\n<!-- run ${run} -->` }))
    }

    expect(outcomes.map(outcome => outcome.action)).toEqual(['created', 'updated', 'updated'])
    const comments = api.comments(7)
    expect(comments).toHaveLength(1)
    expect(outcomes.every(outcome => outcome.commentId === comments[0].id)).toBe(true)
    expect(comments[0].body).toContain('<!-- run 3 -->')
    expect(comments[0].updated_at).not.toBe(comments[0].created_at)
    expect(api.requests.filter(request => request.method === 'POST')).toHaveLength(1)
    expect(api.requests.filter(request => request.method === 'PATCH')).toHaveLength(2)
  })

  it('writes nothing when the comment already says the same', async () => {
    const { body } = await assessComment('prod-7f3a')
    const first = await upsertStickyComment(helper, { prNumber: 7, bundleId: BUNDLE, environmentId: 'prod-7f3a', body })

    const second = await upsertStickyComment(helper, { prNumber: 7, bundleId: BUNDLE, environmentId: 'prod-7f3a', body })

    expect(second).toEqual({ action: 'unchanged', commentId: first.commentId, htmlUrl: first.htmlUrl, duplicateIds: [] })
    expect(api.requests.filter(request => request.method !== 'GET')).toHaveLength(1)
  })

  it('keeps one comment per environment: two environments, two comments', async () => {
    for (const environmentId of ['prod-7f3a', 'stage-42', 'prod-7f3a', 'stage-42']) {
      const { body } = await assessComment(environmentId)
      await upsertStickyComment(helper, { prNumber: 7, bundleId: BUNDLE, environmentId, body: `${body}\n<!-- ${environmentId} at ${clock++} -->` })
    }

    const markers = api.comments(7).map(stored => parseCommentMarker(stored.body))
    expect(markers.map(found => found?.environmentId)).toEqual(['prod-7f3a', 'stage-42'])
    expect(markers.every(found => found?.bundleId === BUNDLE)).toBe(true)
    expect(api.requests.filter(request => request.method === 'POST')).toHaveLength(2)
  })

  it('finds its comment past the first page of a busy pull request', async () => {
    const { body } = await assessComment('prod-7f3a')
    const ours = api.addComment(7, body, { login: 'github-actions[bot]', id: 41898282, type: 'Bot' })
    for (let index = 0; index < 150; index++) api.addComment(7, `review comment ${index}`)
    clock += 1000

    const outcome = await upsertStickyComment(helper, { prNumber: 7, bundleId: BUNDLE, environmentId: 'prod-7f3a', body: `${body}\nupdated` })

    expect(outcome).toMatchObject({ action: 'updated', commentId: ours.id })
    expect(api.comments(7)).toHaveLength(151)
  })

  it('updates the newest of several matching comments and touches nothing else', async () => {
    const older = api.addComment(7, `${marker(BUNDLE, 'prod-7f3a')}\nolder`, GITHUB_ACTIONS_BOT)
    clock += 1000
    const newer = api.addComment(7, `${marker(BUNDLE, 'prod-7f3a')}\nnewer`, GITHUB_ACTIONS_BOT)
    const otherEnvironment = api.addComment(7, `${marker(BUNDLE, 'stage-42')}\nstage`, GITHUB_ACTIONS_BOT)
    const otherBundle = api.addComment(7, `${marker('digital-routing', 'prod-7f3a')}\nother bundle`, GITHUB_ACTIONS_BOT)
    // A person's comment that spells the marker (a forged assessment) is never taken for the action's own.
    clock += 1000
    const forged = api.addComment(7, `${marker(BUNDLE, 'prod-7f3a')}\nforged by a person`)
    const otherTool = api.addComment(7, '<!-- terraform-plan {"bundleId":"contact-center-core"} -->\nplan output')
    const person = api.addComment(7, 'LGTM, but see genesys-bundle-deploy above')
    const before = new Map(api.comments(7).map(stored => [stored.id, { ...stored }]))
    clock += 1000

    const outcome = await upsertStickyComment(helper, {
      prNumber: 7,
      bundleId: BUNDLE,
      environmentId: 'prod-7f3a',
      body: `${marker(BUNDLE, 'prod-7f3a')}\nlatest`
    })

    expect(outcome).toMatchObject({ action: 'updated', commentId: newer.id, duplicateIds: [older.id] })
    for (const untouched of [older, otherEnvironment, otherBundle, otherTool, person, forged]) {
      expect(api.comments(7).find(stored => stored.id === untouched.id)).toEqual(before.get(untouched.id))
    }
    expect(api.comments(7).find(stored => stored.id === newer.id)?.body).toContain('latest')
    expect(api.requests.filter(request => request.method === 'PATCH').map(request => request.path)).toEqual([
      `/repos/${REPOSITORY}/issues/comments/${newer.id}`
    ])
  })

  it('fails with the fix when the token cannot comment, leaving nothing behind', async () => {
    api.denyCommentWrites()
    const { body } = await assessComment('prod-7f3a')

    const error = await upsertStickyComment(helper, { prNumber: 7, bundleId: BUNDLE, environmentId: 'prod-7f3a', body }).catch((thrown: unknown) => thrown)

    expect(error).toBeInstanceOf(GitHubApiError)
    expect((error as GitHubApiError).status).toBe(403)
    expect((error as Error).message).toContain('the token lacks `pull-requests: write` (or this is a fork PR')
    expect(api.comments(7)).toHaveLength(0)
  })

  it('refuses a body without the marker of its bundle and environment, before any request', async () => {
    const { body } = await assessComment('stage-42')

    await expect(upsertStickyComment(helper, { prNumber: 7, bundleId: BUNDLE, environmentId: 'prod-7f3a', body })).rejects.toThrow(
      /carries no marker for them; render it with renderComment/
    )
    expect(api.requests).toHaveLength(0)
  })

  it('lets a deploy on push update the comment of the pull request it merged, with the outcome and the run link', async () => {
    const assessed = await assessComment('prod-7f3a')
    const assessedOutcome = await upsertStickyComment(helper, { prNumber: 7, bundleId: BUNDLE, environmentId: 'prod-7f3a', body: assessed.body })
    api.addPullRequest({ number: 7, merged: true, mergeCommitSha: MERGE_SHA })
    api.addPullRequest({ number: 8, commits: [MERGE_SHA] })

    // The deploy run: find the merged pull request of the pushed commit, read the assessed fingerprint, update.
    const [merged] = await helper.findPullRequestsForCommit(MERGE_SHA)
    const previous = await findStickyComment(helper, { prNumber: merged.number, bundleId: BUNDLE, environmentId: 'prod-7f3a' })
    const deployContext: RunContext = {
      ...context,
      eventName: 'push',
      ref: 'refs/heads/main',
      sha: MERGE_SHA,
      runUrl: `https://github.com/${REPOSITORY}/actions/runs/43`
    }
    const result: DeployResult = {
      status: FinalStatus.Completed,
      deploymentId: 'dep-123',
      latencyMs: 4200,
      timeline: [
        { atMs: 0, state: 'DEPLOY_REQUESTED' },
        { atMs: 4200, state: 'COMPLETED' }
      ]
    }
    const deployBody = renderComment(assessed.plan, result, deployContext)
    const deployed = await upsertStickyComment(helper, { prNumber: merged.number, bundleId: BUNDLE, environmentId: 'prod-7f3a', body: deployBody })

    expect(merged.number).toBe(7)
    expect(parseCommentMarker(previous?.body ?? '')?.fingerprint).toBe(assessed.plan.fingerprint)
    expect(deployed).toMatchObject({ action: 'updated', commentId: assessedOutcome.commentId })
    const [stored] = api.comments(7)
    expect(api.comments(7)).toHaveLength(1)
    expect(stored.body).toContain('COMPLETED')
    expect(stored.body).toContain('dep-123')
    expect(stored.body).toContain(deployContext.runUrl)
    expect(api.comments(8)).toHaveLength(0)
  })
})

describe('marker round trip', () => {
  it('reads back the bundle, environment and fingerprint a rendered comment carries, through GitHub', async () => {
    const { plan, body } = await assessComment('prod-7f3a')
    await upsertStickyComment(helper, { prNumber: 7, bundleId: BUNDLE, environmentId: 'prod-7f3a', body })

    const [listed] = await helper.listIssueComments(7)

    expect(plan.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    // The marker also carries the status it reports (what a later deploy reads to check the assessed plan).
    expect(parseCommentMarker(listed.body)).toEqual({ bundleId: BUNDLE, environmentId: 'prod-7f3a', fingerprint: plan.fingerprint, status: 'ASSESSED' })
    expect(isCommentFor(listed.body, BUNDLE, 'prod-7f3a')).toBe(true)
    expect(isCommentFor(listed.body, BUNDLE, 'stage-42')).toBe(false)
  })
})

describe('pickStickyComment', () => {
  it('picks the newest by creation time, then by id within the same second', () => {
    const body = marker(BUNDLE, 'prod-7f3a')
    const comments = [
      comment(10, body, '2025-05-01T12:00:00Z'),
      comment(12, body, '2025-05-01T12:00:05Z'),
      comment(11, body, '2025-05-01T12:00:05Z'),
      comment(13, 'unrelated', '2025-05-01T12:10:00Z')
    ]

    const picked = pickStickyComment(comments, BUNDLE, 'prod-7f3a')

    expect(picked.comment?.id).toBe(12)
    expect(picked.duplicates.map(duplicate => duplicate.id)).toEqual([11, 10])
    expect(pickStickyComment(comments, BUNDLE, 'stage-42')).toEqual({ duplicates: [] })
  })
})
