/**
 * Only the assessed plan is deployed: a pull request is assessed (its comment's marker records the plan), merged, and
 * deployed; whatever changed in between — a file, the live flows, the gate — stops the deploy before any request to
 * Genesys Cloud with `on-plan-change: fail`, or warns with `warn`. In process, against the simulator and a GitHub API
 * stand-in.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VirtualClock } from '../__fixtures__/recording-io.js'
import { runOnRepository } from '../__fixtures__/repository-run.js'
import type { InputName } from '../src/constants.js'
import { parseCommentMarker, renderCommentMarker, type CommentMarker } from '../src/report/comment-marker.js'
import { startGitHubApi, type GitHubApiStandIn } from '../simulator/github-api.js'
import { startSimulator, type Simulator } from '../simulator/server.js'

const REPO = 'acme/contact-center'
const TOKEN = 'ghs_integrityToken0001'
const BASE_SHA = 'b'.repeat(40)
const HEAD_SHA = 'c'.repeat(40)
const MERGE_SHA = 'd'.repeat(40)

let simulator: Simulator
let github: GitHubApiStandIn
let clock: VirtualClock
let workspace: string

beforeEach(async () => {
  clock = new VirtualClock()
  simulator = await startSimulator({ now: clock.now, scenario: { deployDurationMs: 2000, flowJobDurationMs: 500 } })
  workspace = await mkdtemp(join(tmpdir(), 'gbd-integrity-'))
  await cp(join(process.cwd(), 'examples'), workspace, { recursive: true })
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

function runWith(options: { inputs?: Partial<Record<InputName, string>>; eventName: string; event: unknown; sha: string }) {
  return runOnRepository({ workspace, simulator, github, clock, repository: REPO, token: TOKEN }, { ...options, sha: options.sha })
}

const assess = (inputs: Partial<Record<InputName, string>> = {}, labels: string[] = []) =>
  runWith({
    inputs: { 'fail-on-risk': 'never', ...inputs },
    eventName: 'pull_request',
    sha: HEAD_SHA,
    event: {
      action: 'synchronize',
      number: 7,
      pull_request: { number: 7, labels: labels.map(name => ({ name })), head: { sha: HEAD_SHA }, base: { sha: BASE_SHA } }
    }
  })

async function deployMerge(inputs: Partial<Record<InputName, string>> = {}) {
  github.addPullRequest({ number: 7, state: 'closed', merged: true, headSha: HEAD_SHA, baseSha: BASE_SHA, mergeCommitSha: MERGE_SHA })
  simulator.reset()
  return runWith({ inputs, eventName: 'push', sha: MERGE_SHA, event: { ref: 'refs/heads/main', before: BASE_SHA, after: MERGE_SHA } })
}

const platformRequests = () => simulator.requests.filter(request => !request.path.startsWith('/oauth'))

describe('the marker records the assessed plan', () => {
  it('round-trips the plan facts, and a deploy finds them on the merged pull request', async () => {
    await assess()
    const marker = parseCommentMarker(github.comments(7)[0].body)!
    expect(marker).toMatchObject({ gate: 'passed', baselineSource: 'base-commit', headSha: HEAD_SHA, status: 'ASSESSED' })
    expect(marker.baselineFingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(Object.keys(marker.files ?? {}).sort()).toEqual(['bundle.yaml', 'flows/after-hours.yaml'])
    expect(parseCommentMarker(renderCommentMarker(marker))).toEqual(marker)
  })

  it('drops a forged or oversized field rather than trusting it', () => {
    const marker: CommentMarker = {
      bundleId: 'b',
      environmentId: 'e',
      fingerprint: 'f',
      live: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, '1.0']))
    }
    expect(parseCommentMarker(renderCommentMarker(marker))?.live).toBeUndefined()
    const tampered = renderCommentMarker({ bundleId: 'b', environmentId: 'e', fingerprint: 'f' }).replace(
      '"f"}',
      '"f","gate":"waved-through","headSha":"not a sha"}'
    )
    expect(parseCommentMarker(tampered)).toEqual({ bundleId: 'b', environmentId: 'e', fingerprint: 'f' })
  })
})

describe('deploying only the assessed plan', () => {
  it('deploys a merge whose bundle, baseline and gate match the assessment', async () => {
    await assess()
    const io = await deployMerge()
    expect(io.outputs.status).toBe('COMPLETED')
    expect(io.infos).toContainEqual(expect.stringMatching(/^The bundle and gate match the plan assessed .* on ccccccc \(pull request #7\)\./))
    // The comment keeps the assessment's facts through the deploy's updates, so a re-run compares with the review too.
    expect(parseCommentMarker(github.comments(7)[0].body)).toMatchObject({ status: 'COMPLETED', gate: 'passed', headSha: HEAD_SHA })
  })

  it('stops before any request to Genesys Cloud when a file changed after the review, naming the file', async () => {
    await assess()
    const flow = join(workspace, 'flows', 'after-hours.yaml')
    await writeFile(flow, (await readFile(flow, 'utf8')).replace(/tts: .*/, 'tts: We are closed. Changed after the review.'))
    const io = await deployMerge()
    expect(io.outputs.status).toBe('VALIDATION_FAILED')
    expect(io.failed).toMatch(/does not apply the plan assessed .*: the bundle is not the one assessed: changed since: `flows\/after-hours\.yaml`/)
    expect(io.failed).toMatch(/Nothing was sent to Genesys Cloud/)
    expect(platformRequests()).toEqual([])
  })

  it('warns and deploys the changed bundle with on-plan-change: warn', async () => {
    await assess()
    await writeFile(
      join(workspace, 'bundle.yaml'),
      `${await readFile(join(workspace, 'bundle.yaml'), 'utf8')}\n# edited after the review\n`.replace('serviceLevel: "80/20"', 'serviceLevel: "85/20"')
    )
    const io = await deployMerge({ 'on-plan-change': 'warn' })
    expect(io.outputs.status).toBe('COMPLETED')
    expect(io.warnings.map(warning => warning.message)).toContainEqual(
      expect.stringMatching(/changed since: `bundle\.yaml`.*Deploying anyway \(`on-plan-change: warn`\)/)
    )
  })

  it('does not deploy a plan whose gate failed without the accepting label', async () => {
    await assess({ 'fail-on-risk': 'high' })
    expect(parseCommentMarker(github.comments(7)[0].body)?.gate).toBe('failed')
    const io = await deployMerge()
    expect(io.outputs.status).toBe('VALIDATION_FAILED')
    expect(io.failed).toMatch(/the assessment's risk gate failed and it was not accepted with the label `genesys-risk-accepted`/)
    expect(platformRequests()).toEqual([])
  })

  it('deploys a risky plan that the label accepted', async () => {
    await assess({ 'fail-on-risk': 'high' }, ['genesys-risk-accepted'])
    expect(parseCommentMarker(github.comments(7)[0].body)?.gate).toBe('accepted')
    expect((await deployMerge()).outputs.status).toBe('COMPLETED')
  })

  it('warns on a direct push without an assessed plan, and refuses it with require-assessed-plan', async () => {
    const push = { ref: 'refs/heads/main', before: BASE_SHA, after: 'e'.repeat(40) }
    const warned = await runWith({ eventName: 'push', sha: 'e'.repeat(40), event: push })
    expect(warned.outputs.status).toBe('COMPLETED')
    expect(warned.warnings.map(warning => warning.message)).toContainEqual(
      expect.stringMatching(/^No assessed plan to compare with: commit eeeeeee did not come from a merged pull request/)
    )
    simulator.reset()
    const refused = await runWith({ inputs: { 'require-assessed-plan': 'true' }, eventName: 'push', sha: 'e'.repeat(40), event: push })
    expect(refused.outputs.status).toBe('VALIDATION_FAILED')
    expect(refused.failed).toMatch(/`require-assessed-plan` is true, so nothing was deployed/)
    expect(platformRequests()).toEqual([])
  })
})

describe('the live baseline (architect)', () => {
  beforeEach(async () => {
    await cp(join(process.cwd(), 'examples', 'architect'), workspace, { recursive: true })
    simulator.setScenario({
      architectFlows: [
        { name: 'Acme After Hours', type: 'inboundCall' },
        { name: 'Acme Sales Hold', type: 'inqueueCall' }
      ]
    })
  })

  it('stops when a live flow was published in Architect after the review, naming it and since when', async () => {
    await assess({ api: 'architect' })
    const marker = parseCommentMarker(github.comments(7)[0].body)!
    expect(marker).toMatchObject({ baselineSource: 'live', live: { 'after-hours': '1.0', 'sales-hold': '1.0', 'main-menu': null } })
    github.addPullRequest({ number: 7, state: 'closed', merged: true, headSha: HEAD_SHA, baseSha: BASE_SHA, mergeCommitSha: MERGE_SHA })
    simulator.publishFlowOutOfBand('Acme After Hours', 'Dana Reyes')
    const io = await runWith({
      inputs: { api: 'architect' },
      eventName: 'push',
      sha: MERGE_SHA,
      event: { ref: 'refs/heads/main', before: BASE_SHA, after: MERGE_SHA }
    })
    expect(io.outputs.status).toBe('VALIDATION_FAILED')
    expect(io.failed).toMatch(
      /live flows changed in Genesys Cloud since the review: `after-hours` \(published version 1\.0 then, 2\.0 now since \d{4}-\d\d-\d\dT[\d:.]+Z by Dana Reyes\)/
    )
    expect(simulator.requests.some(request => request.path.startsWith('/api/v2/flows/jobs'))).toBe(false)
  })
})
