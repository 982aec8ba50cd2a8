/**
 * The records step of a run (writeRecords) at its boundary: a real workspace, RUNNER_TEMP, the GitHub API stand-in for
 * the history branch and a local webhook receiver. The plan is given, so no platform is needed.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { largePlan } from '../__fixtures__/large-plan.js'
import { RecordingIO, VirtualClock } from '../__fixtures__/recording-io.js'
import type { Plan } from '../src/assess/plan.js'
import { Inputs, type InputName } from '../src/constants.js'
import type { DeployResult } from '../src/deploy/result.js'
import { chainAuditEntry, GENESIS_HASH, verifyAuditLog, type AuditEntry, type AuditRecord } from '../src/record/audit-log.js'
import { MAX_OUTPUT_BYTES } from '../src/record/bounded-plan.js'
import type { RunContext } from '../src/run-context.js'
import type { RunDependencies } from '../src/run/action-io.js'
import { lazyGitHub } from '../src/run/github-access.js'
import { writeRecords } from '../src/run/records.js'
import type { RunState } from '../src/run/run-state.js'
import { readSettings } from '../src/settings.js'
import { startGitHubApi, type GitHubApiStandIn } from '../simulator/github-api.js'

const REPOSITORY = 'acme/contact-center'
const TOKEN = 'ghs_recordsTestToken77'
const BRANCH = 'genesys-history'
const KIB = 1024

const context: RunContext = {
  repository: REPOSITORY,
  sha: 'abc1234',
  ref: 'refs/heads/main',
  actor: 'octocat',
  eventName: 'push',
  runUrl: `https://github.com/${REPOSITORY}/actions/runs/7`,
  pullRequestLabels: []
}

let api: GitHubApiStandIn
let workspace: string
let runnerTemp: string
let webhook: Server
let webhookUrl: string
let webhookBodies: string[]

beforeEach(async () => {
  api = await startGitHubApi({ repository: REPOSITORY, token: TOKEN })
  workspace = await mkdtemp(join(tmpdir(), 'records-ws-'))
  runnerTemp = await mkdtemp(join(tmpdir(), 'records-tmp-'))
  webhookBodies = []
  webhook = createServer((request, response) => {
    let body = ''
    request.on('data', chunk => (body += String(chunk)))
    request.on('end', () => {
      webhookBodies.push(body)
      response.writeHead(204).end()
    })
  })
  await new Promise<void>(resolve => webhook.listen(0, '127.0.0.1', resolve))
  webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`
})

afterEach(async () => {
  await api.close()
  await new Promise(resolve => webhook.close(resolve))
  await rm(workspace, { recursive: true, force: true })
  await rm(runnerTemp, { recursive: true, force: true })
})

function smallPlan(): Plan {
  return {
    bundle: undefined,
    assessed: true,
    baselineFingerprint: '',
    bundleId: 'contact-center-core',
    environmentId: 'prod-7f3a',
    fingerprint: 'a'.repeat(64),
    localFindings: [],
    remoteValidation: { ran: false, reason: 'not asked' },
    baseline: { source: 'empty', description: 'none', config: {} },
    diff: { added: ['flows.main'], removed: [], modified: [], changes: [{ path: 'flows.main', kind: 'added', after: { version: '1' } }] },
    impact: {
      riskLevel: 'LOW',
      reasons: [],
      riskDrivers: [],
      criticalRemovals: [],
      warningCount: 0,
      compatibilityPassed: null,
      capacityUtilization: null,
      capacity: []
    }
  }
}

/** Writes the records of one deploy run and returns what the runner saw. */
async function recordRun(
  options: { plan?: Plan; result?: DeployResult; inputs?: Partial<Record<InputName, string>>; secrets?: string[]; context?: RunContext } = {}
): Promise<RecordingIO> {
  const inputs: Partial<Record<InputName, string>> = {
    [Inputs.Mode]: 'deploy',
    [Inputs.Bundle]: 'bundle.yaml',
    [Inputs.ClientId]: 'client',
    [Inputs.ClientSecret]: 'client-secret-value',
    [Inputs.GithubToken]: TOKEN,
    [Inputs.Comment]: 'false',
    [Inputs.HistoryBranch]: BRANCH,
    [Inputs.WebhookUrl]: webhookUrl,
    ...options.inputs
  }
  const io = new RecordingIO(inputs)
  const clock = new VirtualClock()
  const deps: RunDependencies = { io, env: { GITHUB_API_URL: api.url, RUNNER_TEMP: runnerTemp }, now: clock.now, sleep: clock.sleep, random: () => 0.5 }
  const settings = readSettings(name => inputs[name] ?? '', 'push')
  const state: RunState = {
    settings,
    api: { api: 'architect', reason: 'test' },
    plan: options.plan ?? smallPlan(),
    result: options.result ?? { status: 'COMPLETED', deploymentId: 'dep-1', latencyMs: 3000, timeline: [] },
    secrets: options.secrets ?? ['client-secret-value', TOKEN],
    github: lazyGitHub(settings, context, deps)
  }
  await writeRecords(state, options.context ?? context, workspace, deps)
  return io
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

describe('writeRecords at 20,000 flows', () => {
  it('keeps outputs, audit entry and webhook body bounded, and the diff and impact files complete', async () => {
    const plan = largePlan(20_000)
    const io = await recordRun({ plan })
    expect(io.warnings).toEqual([])

    const outputs = Object.entries(io.outputs)
    expect(outputs.length).toBe(12)
    for (const [name, value] of outputs) expect([name, bytes(value ?? '') <= MAX_OUTPUT_BYTES]).toEqual([name, true])
    expect(outputs.reduce((sum, [, value]) => sum + bytes(value ?? ''), 0)).toBeLessThan(256 * KIB)
    expect(JSON.parse(io.outputs.diff ?? '')).toMatchObject({ truncated: true })
    expect(JSON.parse(io.outputs.impact ?? '')).toMatchObject({ truncated: true, riskLevel: 'HIGH' })

    const diffFile = JSON.parse(await readFile(io.outputs['diff-file'] ?? '', 'utf8')) as Plan['diff']
    expect(diffFile.added).toEqual(plan.diff.added)
    expect(diffFile.removed).toEqual(plan.diff.removed)
    expect(diffFile.modified).toEqual(plan.diff.modified)
    expect(diffFile.changes).toHaveLength(plan.diff.changes.length)
    expect(JSON.parse(await readFile(io.outputs['impact-file'] ?? '', 'utf8'))).toEqual(plan.impact)

    const auditText = await readFile(io.outputs['audit-log'] ?? '', 'utf8')
    expect(bytes(auditText)).toBeLessThanOrEqual(32 * KIB)
    expect(verifyAuditLog(auditText)).toEqual({ valid: true, entries: 1 })
    expect(JSON.parse(auditText)).toMatchObject({ api: 'architect', configurationDiff: { truncated: true } })

    expect(webhookBodies).toHaveLength(1)
    expect(bytes(webhookBodies[0] as string)).toBeLessThanOrEqual(32 * KIB)
    expect(JSON.parse(webhookBodies[0] as string)).toMatchObject({ fingerprint: plan.fingerprint, impactAssessment: { truncated: true } })

    // The history branch got the same bounded entry.
    const history = api.files(BRANCH)?.['prod-7f3a.jsonl'] ?? ''
    expect(bytes(history)).toBeLessThanOrEqual(32 * KIB)
    expect(JSON.parse(history)).toEqual(JSON.parse(auditText))
  }, 60_000)
})

describe('writeRecords and secrets in the outputs', () => {
  it('masks before cutting, so a short secret that occurs in every path cannot push an output over 64 KiB', async () => {
    // "n" occurs five times in every flow path of the large plan: masked, each path grows by ten characters, enough to
    // push a value cut to size before masking over the limit.
    const io = await recordRun({ plan: largePlan(20_000), secrets: ['n', TOKEN], inputs: { [Inputs.ClientSecret]: 'n', [Inputs.HistoryBranch]: '' } })
    for (const name of ['diff', 'impact'] as const) {
      const value = io.outputs[name] ?? ''
      expect(bytes(value)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES)
      expect(value).not.toContain('n')
      expect(value).toContain('I***bou***d Customer Service Routi***g')
      expect(() => JSON.parse(value)).not.toThrow()
    }
  }, 60_000)
})

describe('writeRecords with a history branch', () => {
  it('creates the branch on first use, and both of two runs at once land with the chain intact', async () => {
    const [first, second] = await Promise.all([
      recordRun({ result: { status: 'COMPLETED', deploymentId: 'dep-a', latencyMs: 1000, timeline: [] } }),
      recordRun({ result: { status: 'FAILED', deploymentId: 'dep-b', latencyMs: 3000, timeline: [] } })
    ])
    expect([...first.warnings, ...second.warnings]).toEqual([])
    const history = api.files(BRANCH)?.['prod-7f3a.jsonl'] ?? ''
    expect(verifyAuditLog(history)).toEqual({ valid: true, entries: 2 })
    expect(api.headCommit(BRANCH)?.parents).toHaveLength(1)
    expect([...first.infos, ...second.infos].some(line => line.includes('(branch created)'))).toBe(true)
    // The local log holds both too: the two runs share the workspace here.
    expect(verifyAuditLog(await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8'))).toEqual({ valid: true, entries: 2 })
  })

  it('never writes the history to a branch of the code (the default branch, the one deployed), and says what to name instead', async () => {
    const io = await recordRun({ inputs: { [Inputs.HistoryBranch]: 'main' }, context: { ...context, codeBranches: ['main'] } })
    expect(api.files('main')).toBeUndefined()
    expect(io.warnings.map(warning => warning.message).join('\n')).toMatch(
      /`history-branch` is `main`, a branch of this repository's code: the history is not written there/
    )
    expect(await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')).toContain('"finalStatus":"COMPLETED"')
  })

  it('computes the metrics over the whole history, not the one-entry local log of a fresh workspace', async () => {
    const earlier: AuditRecord[] = []
    for (const [index, latencyMs] of [2000, 4000, 6000].entries()) {
      const entry = {
        ...(JSON.parse(JSON.stringify(baseEntry())) as AuditEntry),
        deploymentId: `old-${index}`,
        latencyMs,
        finalStatus: index === 1 ? 'ROLLBACK_COMPLETED' : 'COMPLETED'
      } as AuditEntry
      earlier.push(chainAuditEntry(entry, earlier.at(-1)?.hash ?? GENESIS_HASH))
    }
    api.setFiles(BRANCH, { 'prod-7f3a.jsonl': earlier.map(record => JSON.stringify(record)).join('\n') + '\n' })

    const io = await recordRun({ result: { status: 'COMPLETED', deploymentId: 'dep-new', latencyMs: 8000, timeline: [] } })
    expect(JSON.parse(io.outputs.metrics ?? '')).toEqual({
      total: 4,
      successful: 3,
      failed: 1,
      successRate: 0.75,
      avgLatencyMs: 5000,
      p50LatencyMs: 4000,
      p95LatencyMs: 8000
    })
    expect(verifyAuditLog(api.files(BRANCH)?.['prod-7f3a.jsonl'] ?? '')).toEqual({ valid: true, entries: 4 })
  })

  it('warns once, naming the permission, when the token may not write, and still writes the local log and outputs', async () => {
    api.denyContentWrites()
    const io = await recordRun()
    expect(io.warnings).toHaveLength(1)
    expect(io.warnings[0]?.message).toContain('permissions: contents: write')
    expect(io.warnings[0]?.message).toContain(BRANCH)
    expect(verifyAuditLog(await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8'))).toEqual({ valid: true, entries: 1 })
    expect(JSON.parse(io.outputs.metrics ?? '')).toMatchObject({ total: 1, successful: 1 })
    expect(io.outputs.status).toBe('COMPLETED')
  })

  it('reports a tampered history as a warning naming its line, and still appends', async () => {
    const first = chainAuditEntry(baseEntry(), GENESIS_HASH)
    const second = chainAuditEntry({ ...baseEntry(), deploymentId: 'old-2' }, first.hash)
    const forged = { ...first, finalStatus: 'COMPLETED' as const, latencyMs: 1 }
    api.setFiles(BRANCH, { 'prod-7f3a.jsonl': `${JSON.stringify(forged)}\n${JSON.stringify(second)}\n` })
    const io = await recordRun()
    expect(io.warnings.map(warning => warning.message)).toEqual([
      expect.stringMatching(/history `prod-7f3a.jsonl` on branch `genesys-history` breaks its hash chain at line 1: .*edited/)
    ])
    expect((api.files(BRANCH)?.['prod-7f3a.jsonl'] ?? '').trim().split('\n')).toHaveLength(3)
  })
})

describe('writeRecords and the audit-log input', () => {
  it.each([['../outside.jsonl'], ['.git/audit.jsonl']])('refuses %s with a warning and still writes the other records', async path => {
    const io = await recordRun({ inputs: { [Inputs.AuditLog]: path, [Inputs.HistoryBranch]: '' } })
    expect(io.warnings).toHaveLength(1)
    expect(io.warnings[0]?.message).toMatch(/The audit log `.*` \(input `audit-log`\).*No audit entry was written there; the other records were\./)
    expect(io.outputs.status).toBe('COMPLETED')
    expect(io.outputs['audit-log']).toBe('')
    expect(webhookBodies).toHaveLength(1)
    await expect(readFile(join(workspace, '..', 'outside.jsonl'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('keeps the record files inside RUNNER_TEMP whatever the ids say', async () => {
    const io = await recordRun({ plan: { ...smallPlan(), environmentId: '../../escape' }, inputs: { [Inputs.HistoryBranch]: '' } })
    for (const output of ['report', 'diff-file', 'impact-file'] as const) {
      expect(io.outputs[output]?.startsWith(`${runnerTemp}/genesys-bundle-`)).toBe(true)
      expect(io.outputs[output]).not.toContain('/../')
    }
  })
})

function baseEntry(): AuditEntry {
  return {
    action: 'BUNDLE_DEPLOYMENT',
    bundleId: 'contact-center-core',
    environmentId: 'prod-7f3a',
    deploymentId: 'old-1',
    finalStatus: 'COMPLETED',
    latencyMs: 2000,
    configurationDiff: { paths: { added: 0, removed: 0, modified: 0 }, resources: {}, otherPaths: 0 },
    riskLevel: 'LOW',
    timestamp: '2026-11-01T00:00:00.000Z',
    governanceTag: 'INFRASTRUCTURE_UPDATE',
    repository: REPOSITORY,
    sha: 'old',
    ref: 'refs/heads/main',
    actor: 'octocat',
    runUrl: '',
    eventName: 'push',
    fingerprint: 'e'.repeat(64)
  }
}
