/**
 * The pull-request side of the action, in-process, against the Genesys simulator and a GitHub API stand-in:
 * sticky comments, the risk gate, the baseline from the base commit, and the deploy run that reports on the merged
 * pull request.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VirtualClock } from '../__fixtures__/recording-io.js'
import { runOnRepository } from '../__fixtures__/repository-run.js'
import type { InputName } from '../src/constants.js'
import { parseCommentMarker } from '../src/report/comment.js'
import { startGitHubApi, type GitHubApiStandIn } from '../simulator/github-api.js'
import { startSimulator, type Simulator } from '../simulator/server.js'

const REPO = 'acme/contact-center'
const TOKEN = 'ghs_prTestToken0001'
const BASE_SHA = 'b'.repeat(40)
const HEAD_SHA = 'c'.repeat(40)
const MERGE_SHA = 'd'.repeat(40)

let simulator: Simulator
let github: GitHubApiStandIn
let clock: VirtualClock
let workspace: string

beforeEach(async () => {
  clock = new VirtualClock()
  simulator = await startSimulator({ now: clock.now, scenario: { deployDurationMs: 5000 } })
  workspace = await mkdtemp(join(tmpdir(), 'gbd-pr-'))
  await cp(join(process.cwd(), 'examples'), workspace, { recursive: true })
  // The base commit held the previous manifest: the one examples/baseline.yaml describes.
  github = await startGitHubApi({
    repository: REPO,
    token: TOKEN,
    files: { [BASE_SHA]: { 'bundle.yaml': await readFile(join(workspace, 'baseline.yaml'), 'utf8') } }
  })
  github.addPullRequest({ number: 7, headSha: HEAD_SHA, baseSha: BASE_SHA, labels: [] })
})

afterEach(async () => {
  await simulator.close()
  await github.close()
})

function pullRequestEvent(labels: string[] = [], number = 7) {
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      state: 'open',
      labels: labels.map(name => ({ name })),
      head: { sha: HEAD_SHA, ref: 'feature' },
      base: { sha: BASE_SHA, ref: 'main' }
    },
    repository: { full_name: REPO }
  }
}

function runWith(options: { inputs?: Partial<Record<InputName, string>>; eventName: string; event: unknown; sha?: string }) {
  return runOnRepository({ workspace, simulator, github, clock, repository: REPO, token: TOKEN }, { ...options, sha: options.sha ?? HEAD_SHA })
}

const assess = (inputs: Partial<Record<InputName, string>> = {}, labels: string[] = []) =>
  runWith({ inputs, eventName: 'pull_request', event: pullRequestEvent(labels) })

describe('pull request assessment', () => {
  it('compares with the manifest at the base commit and gates the HIGH risk it finds', async () => {
    const io = await assess()
    expect(io.outputs.status).toBe('ASSESSED')
    expect(JSON.parse(io.outputs.diff!)).toEqual({
      added: ['flows.after-hours'],
      removed: ['flows.holiday-closure'],
      modified: ['flows.main-entry.routingStrategy', 'flows.main-entry.version', 'queues.support-tier1.skills']
    })
    expect(io.outputs['risk-level']).toBe('HIGH')
    expect(github.requests.some(r => r.path.endsWith('/contents/bundle.yaml') && r.query.ref === BASE_SHA)).toBe(true)
    expect(io.failed).toMatch(/Risk HIGH .*removes flow `holiday-closure`.*add the label `genesys-risk-accepted`/)
    expect(simulator.requests.some(r => r.path.endsWith('/deploy'))).toBe(false)
    // The comment is written before the gate fails the step.
    expect(github.comments(7)).toHaveLength(1)
    expect(github.comments(7)[0].body).toContain('holiday-closure')
  })

  it('lets the risk pass with the accepting label, or a higher threshold', async () => {
    const labelled = await assess({}, ['genesys-risk-accepted'])
    expect(labelled.outputs.status).toBe('ASSESSED')
    expect(labelled.failed).toBeUndefined()
    expect(labelled.summary).toContain('genesys-risk-accepted')
    expect((await assess({ 'fail-on-risk': 'never' })).failed).toBeUndefined()
  })

  it('keeps exactly one comment per bundle and environment, updated in place', async () => {
    for (let i = 0; i < 3; i++) await assess({ 'fail-on-risk': 'never' })
    expect(github.comments(7)).toHaveLength(1)
    const posts = github.requests.filter(r => r.method === 'POST' && r.path.endsWith('/issues/7/comments'))
    expect(posts).toHaveLength(1)
    const marker = parseCommentMarker(github.comments(7)[0].body)
    expect(marker).toMatchObject({ bundleId: 'contact-center-core', environmentId: 'prod-7f3a' })
    expect(marker?.fingerprint).toMatch(/^[0-9a-f]{64}$/)

    await assess({ 'fail-on-risk': 'never', 'environment-id': 'staging-2' })
    await assess({ 'fail-on-risk': 'never', 'environment-id': 'staging-2' })
    const environments = github
      .comments(7)
      .map(c => parseCommentMarker(c.body)?.environmentId)
      .sort()
    expect(environments).toEqual(['prod-7f3a', 'staging-2'])
  })

  it('skips the comment when `comment` is false', async () => {
    await assess({ comment: 'false', 'fail-on-risk': 'never' })
    expect(github.comments(7)).toHaveLength(0)
  })

  it('warns with the fix and still passes when the token cannot comment', async () => {
    github.denyCommentWrites()
    const io = await assess({ 'fail-on-risk': 'never' })
    expect(io.failed).toBeUndefined()
    expect(io.outputs.status).toBe('ASSESSED')
    expect(io.summary).toContain('holiday-closure')
    expect(io.warnings.map(w => w.message).join('\n')).toMatch(/pull-requests: write/)
  })

  it('caps a huge comment at 60,000 bytes while the job summary stays complete', async () => {
    const manifest = await readFile(join(workspace, 'bundle.yaml'), 'utf8')
    const padding = Array.from({ length: 400 }, (_, i) => `    bulk-${i}: { note: "${'x'.repeat(150)}" }`).join('\n')
    await writeFile(
      join(workspace, 'bundle.yaml'),
      manifest.replace('  queues:\n', `    ${''}\n${padding}\n  queues:\n`).replace('maxFlowCount: 500', 'maxFlowCount: 1000')
    )
    const io = await assess({ 'fail-on-risk': 'never' })
    expect(io.outputs.status).toBe('ASSESSED')
    const body = github.comments(7)[0].body
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(60_000)
    // The field changes are cut first, saying how many are shown and that all are in the job summary.
    expect(body).toMatch(
      /_Showing \d+ of 40\d field changes; all are in the \[job summary\]\(https:\/\/github\.com\/acme\/contact-center\/actions\/runs\/99\)\._/
    )
    expect(Buffer.byteLength(io.summary, 'utf8')).toBeGreaterThan(70_000)
    expect(io.summary).toContain('bulk-399')
  })

  it('assesses without credentials, saying platform validation was skipped and why', async () => {
    const io = await assess({ 'client-id': '', 'client-secret': '', 'fail-on-risk': 'never' })
    expect(io.outputs.status).toBe('ASSESSED')
    expect(simulator.requests).toHaveLength(0)
    expect(io.summary).toMatch(/skipped.*client-id/i)
    expect(JSON.parse(io.outputs.impact!).compatibilityPassed).toBeNull()
  })

  it('comments on an invalid bundle too, with its problems', async () => {
    await writeFile(join(workspace, 'bundle.yaml'), 'bundleId: contact-center-core\nenvironmentId: prod-7f3a\ntargetConfig:\n  qeues: {}\n')
    const io = await assess()
    expect(io.outputs.status).toBe('VALIDATION_FAILED')
    expect(github.comments(7)).toHaveLength(1)
    expect(github.comments(7)[0].body).toContain('qeues')
  })

  it('annotates at most 9 problems of an invalid bundle, counts the rest in the failure (the tenth error) and logs them', async () => {
    const keys = Array.from({ length: 14 }, (_, i) => `unknown${String(i + 1).padStart(2, '0')}: 1`).join('\n')
    await writeFile(
      join(workspace, 'bundle.yaml'),
      `bundleId: contact-center-core\nenvironmentId: prod-7f3a\ntargetConfig:\n  flows:\n    main-entry: { version: 2.1.0 }\n${keys}\n`
    )
    const io = await assess()
    expect(io.outputs.status).toBe('VALIDATION_FAILED')
    // GitHub shows 10 error annotations per step: 9 problems, then the step's failure, which counts the other 5.
    expect(io.errors).toHaveLength(9)
    expect(io.errors.map(error => error.properties?.startLine)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14])
    expect(io.failed).toMatch(/has 14 problem/)
    expect(io.failed).toMatch(/and 5 more problems, not annotated .* all 14 are listed in the job summary of this run/)
    for (let line = 15; line <= 19; line++)
      expect(io.infos).toContainEqual(
        expect.stringMatching(new RegExp(`^bundle\\.yaml:${line}:1: error: \`unknown${String(line - 5).padStart(2, '0')}\` is not a known key`))
      )
    expect(io.infos).toContain('Not assessed: the bundle has 14 problems (listed above and in the job summary)')
    for (const report of [io.summary, github.comments(7)[0].body]) {
      expect(report).toContain('**VALIDATION_FAILED** · **not assessed** · 14 problems')
      expect(report).toContain('> **What to do:** Fix `bundle.yaml:6` and the 13 other problems listed below, then push again.')
      expect(report).not.toMatch(/risk \*\*|everything shows as added|No changes/)
    }
  })

  it('reports a deploy on push on the merged pull request, updating its comment', async () => {
    await assess({ 'fail-on-risk': 'never' })
    const commentId = github.comments(7)[0].id
    github.addPullRequest({ number: 7, state: 'closed', merged: true, headSha: HEAD_SHA, baseSha: BASE_SHA, mergeCommitSha: MERGE_SHA })
    github.setFiles(BASE_SHA, { 'bundle.yaml': await readFile(join(workspace, 'baseline.yaml'), 'utf8') })
    const io = await runWith({ eventName: 'push', sha: MERGE_SHA, event: { ref: 'refs/heads/main', before: BASE_SHA, after: MERGE_SHA } })
    expect(io.outputs.status).toBe('COMPLETED')
    const comments = github.comments(7)
    expect(comments).toHaveLength(1)
    expect(comments[0].id).toBe(commentId)
    expect(comments[0].body).toContain('COMPLETED')
    expect(comments[0].body).toContain(io.outputs['deployment-id'])
    expect(comments[0].body).toContain('/actions/runs/99')
    const bodies = github.requests.filter(r => r.method === 'PATCH').map(r => (r.json as { body: string }).body)
    expect(bodies.some(body => body.includes('DEPLOYING'))).toBe(true)
    // The outcome leads: the alert with the run link opens the comment, before anything about the assessment.
    const opening = comments[0].body.split('\n').slice(0, 7).join('\n')
    expect(opening).toMatch(/> \[!TIP\]\n> \*\*Deployed to `prod-7f3a`\*\*: Deployment `[^`]+` completed\./)
    expect(opening).toContain('[Workflow run](https://github.com/acme/contact-center/actions/runs/99)')
    expect(bodies.find(body => body.includes('DEPLOYING'))).toContain('> [!NOTE]\n> **Deploying to `prod-7f3a`**')
  })

  it('records a pull-request run with invalid inputs as an assessment, not a deployment', async () => {
    const io = await assess({ 'fail-on-risk': 'extreme' })
    expect(io.outputs.status).toBe('VALIDATION_FAILED')
    const audit = JSON.parse(await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8'))
    expect(audit.action).toBe('BUNDLE_ASSESSMENT')
    expect(JSON.parse(io.outputs.metrics!)).toMatchObject({ total: 0 })
  })

  it('never puts the GitHub token or Genesys secret in a comment', async () => {
    await assess({ 'fail-on-risk': 'never' })
    const written = github
      .comments(7)
      .map(c => c.body)
      .join('\n')
    expect(written).not.toContain(TOKEN)
    expect(written).not.toContain('sim-secret')
  })
})
