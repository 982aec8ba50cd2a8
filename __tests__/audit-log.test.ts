import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Plan } from '../src/assess/plan.js'
import type { DeployResult } from '../src/deploy/result.js'
import type { RunContext } from '../src/run-context.js'
import {
  appendAuditEntry,
  AuditAction,
  buildAuditEntry,
  chainAuditEntry,
  computeAuditHash,
  GENESIS_HASH,
  verifyAuditLog,
  type AuditEntry,
  type AuditRecord
} from '../src/record/audit-log.js'
import { canonicalJson } from '../src/bundle/fingerprint.js'
import { readFileTail } from '../src/record/file-tail.js'
import { redactSecrets } from '../src/redact-secrets.js'
import { PUSH_CONTEXT } from '../__fixtures__/report-plans.js'

const NOW = new Date('2025-03-04T05:06:07.089Z')

function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    bundle: undefined,
    assessed: true,
    baselineFingerprint: '',
    bundleId: 'contact-center-core',
    environmentId: 'prod-7f3a',
    fingerprint: 'f'.repeat(64),
    localFindings: [],
    remoteValidation: { ran: false, reason: 'no credentials' },
    baseline: { source: 'empty', description: 'no baseline', config: {} },
    diff: {
      added: ['flows.after-hours'],
      removed: ['queues.old-queue'],
      modified: ['flows.main-entry.routingStrategy'],
      changes: [
        { path: 'flows.after-hours', kind: 'added', after: { file: 'flows/after-hours.yaml' } },
        { path: 'flows.main-entry.routingStrategy', kind: 'modified', before: 'longest-idle', after: 'round-robin' },
        { path: 'queues.old-queue', kind: 'removed', before: { serviceLevel: '80/20' } }
      ]
    },
    impact: {
      riskLevel: 'HIGH',
      reasons: ['removes queue old-queue'],
      riskDrivers: ['removes queue old-queue'],
      criticalRemovals: ['queues.old-queue'],
      warningCount: 0,
      compatibilityPassed: null,
      capacityUtilization: null,
      capacity: []
    },
    ...overrides
  }
}

const context: RunContext = PUSH_CONTEXT

function result(overrides: Partial<DeployResult> = {}): DeployResult {
  return { status: 'COMPLETED', deploymentId: 'dep-1', latencyMs: 1234, timeline: [], ...overrides }
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-log-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function linesOf(text: string): string[] {
  return text.split('\n').filter(line => line !== '')
}

describe('buildAuditEntry', () => {
  it('builds a deployment entry with exactly the contract fields', () => {
    const rolledBack = result({ status: 'ROLLBACK_COMPLETED', error: 'flow failed' })
    const entry = buildAuditEntry({ plan: plan(), result: rolledBack, context, now: NOW })
    expect(entry).toEqual({
      action: 'BUNDLE_DEPLOYMENT',
      bundleId: 'contact-center-core',
      environmentId: 'prod-7f3a',
      deploymentId: 'dep-1',
      finalStatus: 'ROLLBACK_COMPLETED',
      latencyMs: 1234,
      configurationDiff: {
        paths: { added: 1, removed: 1, modified: 1 },
        resources: {
          flows: {
            added: { total: 1, names: ['after-hours'] },
            removed: { total: 0, names: [] },
            modified: { total: 1, names: ['main-entry'] }
          },
          queues: {
            added: { total: 0, names: [] },
            removed: { total: 1, names: ['old-queue'] },
            modified: { total: 0, names: [] }
          }
        },
        otherPaths: 0
      },
      riskLevel: 'HIGH',
      timestamp: '2025-03-04T05:06:07.089Z',
      governanceTag: 'INFRASTRUCTURE_UPDATE',
      repository: 'acme/cc-config',
      sha: 'abc1234def',
      ref: 'refs/heads/main',
      actor: 'octocat',
      runUrl: 'https://github.com/acme/cc-config/actions/runs/42',
      eventName: 'push',
      fingerprint: 'f'.repeat(64),
      error: 'flow failed'
    })
  })

  it('records an assessment without a result as ASSESSED with no deployment and no error field', () => {
    const entry = buildAuditEntry({ plan: plan(), context, now: NOW })
    expect(entry.action).toBe(AuditAction.Assessment)
    expect(entry.finalStatus).toBe('ASSESSED')
    expect(entry.deploymentId).toBe('')
    expect(entry.latencyMs).toBe(0)
    expect('error' in entry).toBe(false)
  })

  it('records a deploy run that crashed before having a result as a FAILED deployment with the error', () => {
    const entry = buildAuditEntry({ plan: plan(), context, now: NOW, mode: 'deploy', error: 'token request failed' })
    expect(entry.action).toBe(AuditAction.Deployment)
    expect(entry.finalStatus).toBe('FAILED')
    expect(entry.error).toBe('token request failed')
  })

  it('records a deploy run stopped before deploying with the status main gives, as a deployment', () => {
    const entry = buildAuditEntry({
      plan: plan(),
      context,
      now: NOW,
      mode: 'deploy',
      status: 'VALIDATION_FAILED',
      error: 'the platform rejected the bundle'
    })
    expect(entry).toMatchObject({
      action: 'BUNDLE_DEPLOYMENT',
      finalStatus: 'VALIDATION_FAILED',
      deploymentId: '',
      latencyMs: 0,
      error: 'the platform rejected the bundle'
    })
  })

  it('records an assess run whose bundle failed its checks as an assessment with that status', () => {
    const entry = buildAuditEntry({ plan: plan(), context, now: NOW, mode: 'assess', status: 'VALIDATION_FAILED' })
    expect(entry.action).toBe('BUNDLE_ASSESSMENT')
    expect(entry.finalStatus).toBe('VALIDATION_FAILED')
  })

  it('does not share the diff arrays with the plan', () => {
    const source = plan()
    const entry = buildAuditEntry({ plan: source, result: result(), context, now: NOW })
    entry.configurationDiff.resources.flows?.added.names.push('mutated')
    expect(source.diff.added).toEqual(['flows.after-hours'])
    expect(source.diff.changes.map(change => change.path)).toEqual(['flows.after-hours', 'flows.main-entry.routingStrategy', 'queues.old-queue'])
  })
})

describe('hash chain', () => {
  it('hashes sha256(prevHash + canonical JSON of the record without hash), independent of key order', () => {
    const entry = buildAuditEntry({ plan: plan(), result: result(), context, now: NOW })
    const record = chainAuditEntry(entry, GENESIS_HASH)
    const { hash, ...withoutHash } = record
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalJson(withoutHash), 'utf8')
      .digest('hex')
    expect(hash).toBe(expected)
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    const reordered = Object.fromEntries(Object.entries(withoutHash).reverse()) as typeof withoutHash
    expect(computeAuditHash(reordered)).toBe(hash)
  })

  it('canonical JSON sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 'é' }], c: undefined } })).toBe('{"a":{"d":[2,{"y":"é","z":1}]},"b":1}')
  })
})

describe('appendAuditEntry', () => {
  it('creates folders and chains entries across several appends and two separate runs', async () => {
    const path = join(dir, 'nested', 'deeper', 'audit.jsonl')
    const first = await appendAuditEntry(path, buildAuditEntry({ plan: plan(), result: result(), context, now: NOW }))
    expect(first.record.prevHash).toBe(GENESIS_HASH)
    expect(first.warning).toBeUndefined()
    const second = await appendAuditEntry(path, buildAuditEntry({ plan: plan(), context, now: NOW }))
    expect(second.record.prevHash).toBe(first.record.hash)

    // A later run: nothing is kept in memory, the chain continues from the file alone.
    const laterRun = buildAuditEntry({
      plan: plan(),
      result: result({ deploymentId: 'dep-2' }),
      context,
      now: new Date('2025-03-05T00:00:00Z')
    })
    const third = await appendAuditEntry(path, laterRun)
    expect(third.record.prevHash).toBe(second.record.hash)

    const text = await readFile(path, 'utf8')
    const lines = linesOf(text)
    expect(lines).toHaveLength(3)
    expect(text.endsWith('\n')).toBe(true)
    expect(JSON.parse(lines[2] as string)).toEqual(third.record)
    expect(verifyAuditLog(text)).toEqual({ valid: true, entries: 3 })
  })

  it('writes the fields in contract order with prevHash and hash last', async () => {
    const path = join(dir, 'audit.jsonl')
    const flowJobs: DeployResult['flowJobs'] = [{ flow: 'main-entry', name: 'Main Entry', level: 0, startedAtMs: 10, endedAtMs: 2510, outcome: 'published' }]
    await appendAuditEntry(path, buildAuditEntry({ plan: plan(), result: result({ error: 'x', flowJobs }), context, now: NOW, api: 'architect' }))
    const keys = Object.keys(JSON.parse(await readFile(path, 'utf8')) as object)
    expect(keys).toEqual([
      'action',
      'bundleId',
      'environmentId',
      'deploymentId',
      'finalStatus',
      'latencyMs',
      'configurationDiff',
      'riskLevel',
      'timestamp',
      'governanceTag',
      'repository',
      'sha',
      'ref',
      'actor',
      'runUrl',
      'eventName',
      'fingerprint',
      'api',
      'flowJobs',
      'error',
      'prevHash',
      'hash'
    ])
  })

  it('keeps the new entry when the last line is corrupt, chaining from the hash of its raw text', async () => {
    const path = join(dir, 'audit.jsonl')
    const good = await appendAuditEntry(path, buildAuditEntry({ plan: plan(), result: result(), context, now: NOW }))
    const brokenLine = '{"action":"BUNDLE_DEPLOYMENT","bundleId":"cut-off-by-a-crash'
    await writeFile(path, `${JSON.stringify(good.record)}\n${brokenLine}`, 'utf8')

    const appended = await appendAuditEntry(path, buildAuditEntry({ plan: plan(), result: result(), context, now: NOW }))
    expect(appended.record.prevHash).toBe(createHash('sha256').update(brokenLine, 'utf8').digest('hex'))
    expect(appended.warning).toContain(path)
    expect(appended.warning).toContain('not a valid audit record')

    const text = await readFile(path, 'utf8')
    const lines = linesOf(text)
    expect(lines).toHaveLength(3)
    expect(lines[1]).toBe(brokenLine)
    expect(JSON.parse(lines[2] as string)).toEqual(appended.record)
    expect(verifyAuditLog(text)).toMatchObject({ valid: false, entries: 3, firstBrokenLine: 2 })
  })

  it('never writes a secret, even one inside an error message or a bearer token minted during the run', async () => {
    const path = join(dir, 'audit.jsonl')
    const secret = 's3cr3t-Client-Value'
    const entry = buildAuditEntry({
      plan: plan(),
      result: result({
        status: 'FAILED',
        error: `token request with client secret ${secret} failed; header was Authorization: Bearer eyJhbGciOi.abc-def`
      }),
      context,
      now: NOW
    })
    const { record } = await appendAuditEntry(path, entry, { secrets: [secret, ''] })
    const text = await readFile(path, 'utf8')
    expect(text).not.toContain(secret)
    expect(text).not.toContain('eyJhbGciOi')
    expect(record.error).toBe('token request with client secret *** failed; header was Authorization: Bearer ***')
    // The hash covers what is on disk, so the redacted log still verifies.
    expect(verifyAuditLog(text).valid).toBe(true)
  })
})

describe('appendAuditEntry verifies the chain before appending', () => {
  async function logOf(count: number, path = join(dir, 'audit.jsonl')): Promise<string[]> {
    for (let index = 1; index <= count; index++) {
      await appendAuditEntry(path, buildAuditEntry({ plan: plan(), result: result({ deploymentId: `dep-${index}` }), context, now: NOW }))
    }
    return linesOf(await readFile(path, 'utf8'))
  }

  it('reports an edited entry by its line and what is wrong, appends after the last line, and rewrites nothing', async () => {
    const path = join(dir, 'audit.jsonl')
    const lines = await logOf(3, path)
    const edited = JSON.parse(lines[1] as string) as AuditRecord
    edited.finalStatus = 'COMPLETED'
    edited.deploymentId = 'dep-forged'
    const tampered = [lines[0], JSON.stringify(edited), lines[2]].join('\n') + '\n'
    await writeFile(path, tampered, 'utf8')

    const appended = await appendAuditEntry(path, buildAuditEntry({ plan: plan(), result: result({ deploymentId: 'dep-4' }), context, now: NOW }))
    expect(appended.warning).toContain(`The audit log ${path} breaks its hash chain at line 2:`)
    expect(appended.warning).toContain('a field of this entry was edited')
    expect(appended.warning).toContain('nothing was rewritten')
    expect(appended.record.prevHash).toBe((JSON.parse(lines[2] as string) as AuditRecord).hash)

    const text = await readFile(path, 'utf8')
    expect(text.startsWith(tampered)).toBe(true)
    expect(linesOf(text)).toHaveLength(4)
    expect(appended.logText).toBe(text)
    expect(appended.logComplete).toBe(true)
  })

  it('says nothing of an intact log', async () => {
    await logOf(2)
    const appended = await appendAuditEntry(join(dir, 'audit.jsonl'), buildAuditEntry({ plan: plan(), context, now: NOW }))
    expect(appended.warning).toBeUndefined()
  })

  it('verifies only the end of a log longer than the bound, and counts lines from where it starts reading', async () => {
    const path = join(dir, 'audit.jsonl')
    const lines = await logOf(6, path)
    const lineBytes = Buffer.byteLength(lines[0] as string) + 1
    // Room for the last three lines and a bit of the third-to-last: the read starts inside a line.
    const maxVerifiedBytes = lineBytes * 3 + 10

    // An edit before the part read goes unseen by this run (earlier runs checked those lines when they appended).
    const early = JSON.parse(lines[0] as string) as AuditRecord
    early.latencyMs = 1
    await writeFile(path, [JSON.stringify(early), ...lines.slice(1)].join('\n') + '\n', 'utf8')
    const quiet = await appendAuditEntry(path, buildAuditEntry({ plan: plan(), context, now: NOW }), { maxVerifiedBytes })
    expect(quiet.warning).toBeUndefined()
    expect(quiet.logComplete).toBe(false)
    expect(linesOf(quiet.logText)).toHaveLength(4)

    // An edit inside it is reported, by its line within the part read.
    const current = linesOf(await readFile(path, 'utf8'))
    const late = JSON.parse(current[5] as string) as AuditRecord
    late.latencyMs = 2
    current[5] = JSON.stringify(late)
    await writeFile(path, current.join('\n') + '\n', 'utf8')
    const loud = await appendAuditEntry(path, buildAuditEntry({ plan: plan(), context, now: NOW }), { maxVerifiedBytes })
    expect(loud.warning).toMatch(/breaks its hash chain at line 2: .*edited \(counting lines from the start of the last .* MiB checked\)/)
  })
})

describe('verifyAuditLog', () => {
  async function threeEntryLog(): Promise<string[]> {
    const path = join(dir, 'audit.jsonl')
    for (const id of ['dep-1', 'dep-2', 'dep-3']) {
      await appendAuditEntry(path, buildAuditEntry({ plan: plan(), result: result({ deploymentId: id }), context, now: NOW }))
    }
    return linesOf(await readFile(path, 'utf8'))
  }

  it('accepts an empty log and an intact one', async () => {
    expect(verifyAuditLog('')).toEqual({ valid: true, entries: 0 })
    expect(verifyAuditLog(`${(await threeEntryLog()).join('\n')}\n`)).toEqual({ valid: true, entries: 3 })
  })

  it('detects an edited field', async () => {
    const lines = await threeEntryLog()
    const edited = JSON.parse(lines[1] as string) as AuditRecord
    edited.finalStatus = 'COMPLETED'
    edited.latencyMs = 1
    lines[1] = JSON.stringify(edited)
    const verdict = verifyAuditLog(lines.join('\n'))
    expect(verdict).toMatchObject({ valid: false, entries: 3, firstBrokenLine: 2 })
    expect(verdict.problem).toContain('edited')
  })

  it('detects an edit whose hash was recomputed, at the next line', async () => {
    const lines = await threeEntryLog()
    const { hash: _old, ...edited } = JSON.parse(lines[0] as string) as AuditRecord
    const forged = chainAuditEntry({ ...(edited as AuditEntry), deploymentId: 'forged' }, edited.prevHash)
    lines[0] = JSON.stringify(forged)
    expect(verifyAuditLog(lines.join('\n'))).toMatchObject({ valid: false, firstBrokenLine: 2 })
  })

  it('detects a deleted line', async () => {
    const lines = await threeEntryLog()
    const verdict = verifyAuditLog([lines[0], lines[2]].join('\n'))
    expect(verdict).toMatchObject({ valid: false, entries: 2, firstBrokenLine: 2 })
    expect(verdict.problem).toContain('deleted, inserted or moved')
  })

  it('detects a deleted first line', async () => {
    const lines = await threeEntryLog()
    const verdict = verifyAuditLog(lines.slice(1).join('\n'))
    expect(verdict).toMatchObject({ valid: false, firstBrokenLine: 1 })
    expect(verdict.problem).toContain('genesis')
  })

  it('detects reordered lines', async () => {
    const lines = await threeEntryLog()
    expect(verifyAuditLog([lines[0], lines[2], lines[1]].join('\n'))).toMatchObject({
      valid: false,
      firstBrokenLine: 2
    })
  })

  it('detects a broken JSON line and counts lines including blank ones', async () => {
    const lines = await threeEntryLog()
    const text = [lines[0], '', (lines[1] as string).slice(0, 50), lines[2]].join('\n')
    const verdict = verifyAuditLog(text)
    expect(verdict).toMatchObject({ valid: false, entries: 3, firstBrokenLine: 3 })
    expect(verdict.problem).toContain('not a JSON object')
  })

  it('detects a JSON line that is not a chained record', async () => {
    const lines = await threeEntryLog()
    const verdict = verifyAuditLog([lines[0], '{"action":"BUNDLE_DEPLOYMENT"}'].join('\n'))
    expect(verdict).toMatchObject({ valid: false, firstBrokenLine: 2 })
    expect(verdict.problem).toContain('prevHash')
  })
})

describe('readFileTail', () => {
  it('reads a whole small file, a missing one as empty, and says whether it ends with a line break', async () => {
    const path = join(dir, 'log.jsonl')
    expect(await readFileTail(path, 1024)).toEqual({ text: '', complete: true, endsWithNewline: true, size: 0 })
    await writeFile(path, 'first\r\nsecond', 'utf8')
    expect(await readFileTail(path, 1024)).toEqual({ text: 'first\r\nsecond', complete: true, endsWithNewline: false, size: 13 })
  })

  it('reads only the last bytes of a long file, from the first whole line, multi-byte characters intact', async () => {
    const path = join(dir, 'log.jsonl')
    const long = `{"x":"${'é'.repeat(100_000)}"}`
    await writeFile(path, `${long}\n${long}\nlast\n`, 'utf8')
    const tail = await readFileTail(path, Buffer.byteLength(long) + 100)
    expect(tail).toMatchObject({ text: `${long}\nlast\n`, complete: false, endsWithNewline: true })
    // A cut inside the last line leaves that part of it: all there is to show.
    const inside = await readFileTail(path, 3)
    expect(inside).toMatchObject({ text: 'st\n', complete: false })
  })

  it('lets an append after a line without a final newline start a new line', async () => {
    const path = join(dir, 'audit.jsonl')
    const first = await appendAuditEntry(path, buildAuditEntry({ plan: plan(), result: result(), context, now: NOW }))
    await writeFile(path, JSON.stringify(first.record), 'utf8')
    await appendAuditEntry(path, buildAuditEntry({ plan: plan(), result: result(), context, now: NOW }))
    expect(verifyAuditLog(await readFile(path, 'utf8'))).toEqual({ valid: true, entries: 2 })
  })
})

describe('redactSecrets', () => {
  it('masks secrets in nested strings, keys and URL-encoded forms, longest first, and leaves other values', () => {
    const value = {
      message: 'used pa ss/word and pa ss/word-extended',
      list: ['pa%20ss%2Fword', 7, null, true],
      ['key-pa ss/word']: 'ok',
      token: 'ghp_abcdefghijklmnopqrstuvwxyz0123'
    }
    expect(redactSecrets(value, ['pa ss/word', 'pa ss/word-extended'])).toEqual({
      message: 'used *** and ***',
      list: ['***', 7, null, true],
      ['key-***']: 'ok',
      token: '***'
    })
    expect(value.message).toBe('used pa ss/word and pa ss/word-extended')
  })
})
