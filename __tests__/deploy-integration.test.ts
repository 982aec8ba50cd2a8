/**
 * The whole run (settings → plan → deploy → records) in-process against the simulator on port 0, with a
 * virtual clock shared by the action and the simulator so that polling, Retry-After waits and token expiry
 * cost no real time.
 */
import { createHmac } from 'node:crypto'
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RecordingIO, VirtualClock } from '../__fixtures__/recording-io.js'
import type { InputName } from '../src/constants.js'
import { run } from '../src/main.js'
import { Outputs } from '../src/constants.js'
import { verifyAuditLog } from '../src/record/audit-log.js'
import { startSimulator, type Simulator } from '../simulator/server.js'

const SECRET = 'sim-secret-Zq81'
const WEBHOOK_SECRET = 'hook-key-77aa'
const EXAMPLES = join(process.cwd(), 'examples')

let simulator: Simulator
let clock: VirtualClock
let workspace: string

beforeEach(async () => {
  clock = new VirtualClock()
  simulator = await startSimulator({ clients: { 'ci-client': SECRET }, now: clock.now, scenario: { deployDurationMs: 8000, rollbackDurationMs: 4000 } })
  workspace = await mkdtemp(join(tmpdir(), 'gbd-int-'))
  await cp(EXAMPLES, workspace, { recursive: true })
})

afterEach(async () => {
  await simulator.close()
})

function inputs(extra: Partial<Record<InputName, string>> = {}): Partial<Record<InputName, string>> {
  return {
    mode: 'deploy',
    api: 'architecture-manager',
    bundle: 'bundle.yaml',
    'api-url': simulator.url,
    'auth-url': simulator.url,
    'client-id': 'ci-client',
    'client-secret': SECRET,
    'poll-interval-seconds': '1',
    'max-poll-interval-seconds': '5',
    'timeout-seconds': '120',
    ...extra
  }
}

async function runOnce(extra: Partial<Record<InputName, string>> = {}, eventName = 'push') {
  const io = new RecordingIO(inputs(extra))
  await run({
    io,
    env: {
      GITHUB_WORKSPACE: workspace,
      GITHUB_EVENT_NAME: eventName,
      GITHUB_REPOSITORY: 'acme/cc',
      GITHUB_SHA: 'abc123',
      GITHUB_RUN_ID: '7',
      RUNNER_TEMP: workspace
    },
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5
  })
  return io
}

const paths = () => simulator.requests.map(r => `${r.method} ${r.path}`)
const deployRequests = () => simulator.requests.filter(r => r.method === 'POST' && r.path.endsWith('/deploy'))

describe('deploy against the simulator', () => {
  it('completes: validates, deploys, polls, and records everything', async () => {
    const io = await runOnce()
    expect(io.failed).toBeUndefined()
    expect(io.outputs.status).toBe('COMPLETED')
    expect(io.outputs['deployment-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(Number(io.outputs['latency-ms'])).toBeGreaterThanOrEqual(8000)
    expect(io.outputs.fingerprint).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.parse(io.outputs.diff!)).toEqual({
      added: ['flows.after-hours', 'flows.main-entry', 'queues.sales-inbound', 'queues.support-tier1'],
      removed: [],
      modified: []
    })
    const latency = Number(io.outputs['latency-ms'])
    expect(JSON.parse(io.outputs.metrics!)).toEqual({
      total: 1,
      successful: 1,
      failed: 0,
      successRate: 1,
      avgLatencyMs: latency,
      p50LatencyMs: latency,
      p95LatencyMs: latency
    })
    expect(io.state['deployment-id']).toBe(io.outputs['deployment-id'])
    expect(paths()[0]).toBe('POST /oauth/token')
    expect(paths()).toContain('POST /api/v2/architect/bundles/contact-center-core/validate')
    expect(deployRequests()).toHaveLength(1)
    expect(deployRequests()[0].json).toMatchObject({
      bundleId: 'contact-center-core',
      environmentId: 'prod-7f3a',
      targetConfig: { flows: { 'main-entry': { version: '2.1.0' } } }
    })
    const audit = await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')
    expect(verifyAuditLog(audit)).toMatchObject({ valid: true, entries: 1 })
    expect(JSON.parse(audit)).toMatchObject({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'COMPLETED', governanceTag: 'INFRASTRUCTURE_UPDATE' })
    expect(io.summary).toContain('COMPLETED')
    expect(await readFile(io.outputs.report!, 'utf8')).toBe(io.summary)
  })

  it('applies environment-id and rollback-on-failure inputs over the manifest', async () => {
    simulator.setScenario({ outcome: 'FAILED' })
    const io = await runOnce({ 'environment-id': 'staging-1', 'rollback-on-failure': 'false' })
    expect(io.outputs.status).toBe('FAILED')
    expect(deployRequests()[0].json).toMatchObject({ environmentId: 'staging-1', rollbackOnFailure: false })
    expect(simulator.requests.some(r => r.path.endsWith('/rollback'))).toBe(false)
    expect(io.failed).toMatch(/^FAILED: .*rollback is off/i)
  })

  it('rolls a failed deployment back and waits for the rollback', async () => {
    simulator.setScenario({ outcome: 'FAILED', failureMessage: 'flow main-entry failed to publish' })
    const io = await runOnce()
    expect(io.outputs.status).toBe('ROLLBACK_COMPLETED')
    expect(io.failed).toMatch(/ROLLBACK_COMPLETED: .*flow main-entry failed to publish/)
    // The log folds each phase under its name, and every group is closed.
    expect(io.groups).toEqual([
      'Settings',
      'Bundle: load and check bundle.yaml',
      'Platform validation, baseline and impact (architecture-manager)',
      'Deploy',
      'Rollback',
      'Records'
    ])
    expect(io.groupDepth).toBe(0)
    const rollback = simulator.requests.find(r => r.path.endsWith('/rollback'))
    expect(rollback?.json).toEqual({ reason: expect.stringContaining('flow main-entry failed to publish') })
    expect(simulator.deployments[0].rollbacks).toHaveLength(1)
    expect(io.summary).toContain('ROLLED_BACK')
  })

  it('reports a rollback that fails', async () => {
    simulator.setScenario({ outcome: 'FAILED', rollbackOutcome: 'ROLLBACK_FAILED' })
    const io = await runOnce()
    expect(io.outputs.status).toBe('ROLLBACK_FAILED')
    expect(io.failed).toMatch(/restore it by hand/)
  })

  it('reports a rollback the platform started by itself', async () => {
    simulator.setScenario({ outcome: 'ROLLBACK_TRIGGERED' })
    const io = await runOnce()
    expect(io.outputs.status).toBe('ROLLBACK_TRIGGERED')
    expect(simulator.requests.some(r => r.path.endsWith('/rollback'))).toBe(false)
  })

  it('times out at the deadline and records it', async () => {
    simulator.setScenario({ deployDurationMs: 3_600_000 })
    const io = await runOnce({ 'timeout-seconds': '30' })
    expect(io.outputs.status).toBe('TIMED_OUT')
    expect(Number(io.outputs['latency-ms'])).toBe(30_000)
    expect(io.failed).toMatch(/TIMED_OUT: .*within 30 s/)
    const audit = JSON.parse(await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8'))
    expect(audit.finalStatus).toBe('TIMED_OUT')
  })

  it('keeps timeout-seconds even when every status read is refused or rate limited', async () => {
    simulator.setScenario({ deployDurationMs: 3_600_000, rateLimit: { count: 10_000, retryAfterSeconds: 5, on: 'status' } })
    const limited = await runOnce({ 'timeout-seconds': '20' })
    expect(limited.outputs.status).toBe('TIMED_OUT')
    expect(Number(limited.outputs['latency-ms'])).toBeLessThanOrEqual(20_000)

    simulator.reset()
    simulator.setScenario({ deployDurationMs: 3_600_000, serverErrors: { count: 10_000, status: 503, on: 'status' } })
    const failing = await runOnce({ 'timeout-seconds': '20' })
    expect(failing.outputs.status).toBe('TIMED_OUT')
    expect(Number(failing.outputs['latency-ms'])).toBeLessThanOrEqual(20_000)
    expect(failing.failed).toMatch(/last status request failed: .*503/)
  })

  it('keeps timeout-seconds while planning too: a rate-limited validate ends the run at the deadline', async () => {
    simulator.setScenario({ rateLimit: { count: 10_000, retryAfterSeconds: 30, on: 'validate' } })
    const started = clock.now()
    const io = await runOnce({ 'timeout-seconds': '20' })
    expect(io.outputs.status).toBe('VALIDATION_FAILED')
    expect(clock.now() - started).toBeLessThanOrEqual(20_000)
    expect(deployRequests()).toHaveLength(0)
  })

  it('ends TIMED_OUT, not FAILED, when the deploy request is rate limited past the deadline', async () => {
    simulator.setScenario({ rateLimit: { count: 1, retryAfterSeconds: 60, on: 'deploy' } })
    const io = await runOnce({ 'timeout-seconds': '10' })
    expect(io.outputs.status).toBe('TIMED_OUT')
    expect(io.failed).toMatch(/deploy request did not go through within 10 s/)
    expect(simulator.deployments).toHaveLength(0)
  })

  it('masks every access token it is issued, and keeps them out of the records', async () => {
    simulator.setScenario({ tokenLifetimeSeconds: 3 })
    const io = await runOnce()
    const tokens = [
      ...new Set(
        simulator.requests
          .map(r => r.headers.authorization)
          .filter((h): h is string => h?.startsWith('Bearer ') === true)
          .map(h => h.slice(7))
      )
    ]
    expect(tokens.length).toBeGreaterThan(1)
    expect(io.secrets).toEqual(expect.arrayContaining([...tokens, Buffer.from(`ci-client:${SECRET}`).toString('base64')]))
  })

  it('rides out a storm of 429s on the status endpoint, honouring Retry-After', async () => {
    simulator.setScenario({ rateLimit: { count: 12, retryAfterSeconds: 3, on: 'status' } })
    const io = await runOnce()
    expect(io.outputs.status).toBe('COMPLETED')
    expect(simulator.requests.filter(r => r.status === 429)).toHaveLength(12)
    expect(clock.sleeps.filter(ms => ms >= 3000).length).toBeGreaterThanOrEqual(12)
  })

  it('survives a 429 on the deploy request without deploying twice', async () => {
    simulator.setScenario({ rateLimit: { count: 2, retryAfterSeconds: 1, on: 'deploy' } })
    const io = await runOnce()
    expect(io.outputs.status).toBe('COMPLETED')
    expect(simulator.deployments).toHaveLength(1)
  })

  it('fetches a new token when it expires mid-poll', async () => {
    simulator.setScenario({ tokenLifetimeSeconds: 5, deployDurationMs: 60_000 })
    const io = await runOnce({ 'max-poll-interval-seconds': '4' })
    expect(io.outputs.status).toBe('COMPLETED')
    expect(simulator.requests.filter(r => r.path === '/oauth/token').length).toBeGreaterThan(3)
  })

  it('keeps polling through 5xx answers and connection resets', async () => {
    simulator.setScenario({ serverErrors: { count: 4, status: 503, on: 'status' } })
    const io = await runOnce()
    expect(io.outputs.status).toBe('COMPLETED')
    expect(simulator.requests.filter(r => r.status === 503)).toHaveLength(4)

    simulator.reset()
    simulator.setScenario({ connectionResets: { count: 2, on: 'status' } })
    expect((await runOnce()).outputs.status).toBe('COMPLETED')
  })

  it('stops at VALIDATION_FAILED when the platform rejects the bundle, with no deploy request', async () => {
    simulator.setScenario({ validationErrors: ['queue support-tier1: serviceLevel 90/30 is not allowed in this org'] })
    const io = await runOnce()
    expect(io.outputs.status).toBe('VALIDATION_FAILED')
    expect(io.failed).toMatch(/serviceLevel 90\/30 is not allowed/)
    expect(deployRequests()).toHaveLength(0)
    expect(io.summary).toMatch(/serviceLevel 90\/30 is not allowed/)
  })

  it('stops before any request when the manifest is invalid, annotating the line', async () => {
    await writeFile(join(workspace, 'bundle.yaml'), 'bundleId: core\nenvironmentId: e1\ntargetConfig:\n  qeues: {}\n')
    const io = await runOnce()
    expect(simulator.requests).toHaveLength(0)
    expect(io.outputs.status).toBe('VALIDATION_FAILED')
    expect(io.errors[0]).toMatchObject({ message: expect.stringContaining('did you mean `queues`'), properties: { file: 'bundle.yaml', startLine: 4 } })
    expect(io.outputs.fingerprint).toBe('')
    expect(verifyAuditLog(await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')).valid).toBe(true)
  })

  it('writes the records even when the inputs are invalid', async () => {
    const io = await runOnce({ 'timeout-seconds': 'forever', region: 'moon' })
    expect(simulator.requests).toHaveLength(0)
    expect(io.outputs.status).toBe('VALIDATION_FAILED')
    expect(io.failed).toMatch(/`timeout-seconds` is "forever"/)
    expect(io.failed).toMatch(/`region` is "moon"/)
    expect(Object.keys(io.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })

  it('fails clearly when the credentials are wrong', async () => {
    const io = await runOnce({ 'client-secret': 'wrong-secret-value' })
    expect(io.outputs.status).toBe('VALIDATION_FAILED')
    expect(io.failed).toMatch(/client-id.*client-secret/)
    expect(io.everythingWritten()).not.toContain('wrong-secret-value')
    expect(deployRequests()).toHaveLength(0)
  })

  it('chains the audit log across two runs', async () => {
    await runOnce()
    simulator.setScenario({ outcome: 'FAILED' })
    await runOnce()
    const text = await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')
    const [first, second] = text
      .trim()
      .split('\n')
      .map(line => JSON.parse(line))
    expect(second.prevHash).toBe(first.hash)
    expect(verifyAuditLog(text)).toMatchObject({ valid: true, entries: 2 })
    const tampered = text.replace('"COMPLETED"', '"FAILED"')
    expect(verifyAuditLog(tampered).valid).toBe(false)
  })

  describe('webhook', () => {
    let receiver: Server
    let received: { raw: Buffer; signature?: string }[]
    let url: string
    beforeEach(async () => {
      received = []
      receiver = createServer((request, response) => {
        const chunks: Buffer[] = []
        request.on('data', chunk => chunks.push(chunk))
        request.on('end', () => {
          received.push({ raw: Buffer.concat(chunks), signature: request.headers['x-signature-256'] as string | undefined })
          response.writeHead(200).end('ok')
        })
      })
      await new Promise<void>(done => receiver.listen(0, '127.0.0.1', done))
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    })
    afterEach(() => new Promise<void>(done => receiver.close(() => done())))

    it('delivers a signed body the receiver can verify, with no secret in it', async () => {
      const io = await runOnce({ 'webhook-url': url, 'webhook-secret': WEBHOOK_SECRET })
      expect(received).toHaveLength(1)
      const { raw, signature } = received[0]
      expect(signature).toBe(`sha256=${createHmac('sha256', WEBHOOK_SECRET).update(raw).digest('hex')}`)
      const body = JSON.parse(raw.toString('utf8'))
      expect(body).toMatchObject({
        event: 'deployment.completed',
        status: 'COMPLETED',
        bundleId: 'contact-center-core',
        environmentId: 'prod-7f3a',
        deploymentId: io.outputs['deployment-id'],
        repository: 'acme/cc',
        sha: 'abc123'
      })
      expect(body.impactAssessment.riskLevel).toBe(io.outputs['risk-level'])
      expect(raw.toString('utf8')).not.toContain(SECRET)
      expect(raw.toString('utf8')).not.toContain(WEBHOOK_SECRET)
    })

    it('is sent on a crash path too, and its failure is only a warning', async () => {
      await runOnce({ 'webhook-url': url, bundle: 'missing.yaml' })
      expect(received).toHaveLength(1)
      expect(JSON.parse(received[0].raw.toString('utf8')).status).toBe('VALIDATION_FAILED')

      const io = await runOnce({ 'webhook-url': 'http://127.0.0.1:9/nowhere' })
      expect(io.outputs.status).toBe('COMPLETED')
      expect(io.failed).toBeUndefined()
      expect(io.warnings.some(w => /webhook/i.test(w.message))).toBe(true)
    })
  })

  it('never writes a secret or token anywhere', async () => {
    simulator.setScenario({ outcome: 'FAILED', tokenLifetimeSeconds: 3 })
    const io = await runOnce({ 'webhook-secret': WEBHOOK_SECRET, 'webhook-url': 'http://127.0.0.1:9/x', 'github-token': 'ghs_fakeGithubToken123' })
    const tokens = simulator.requests
      .map(r => r.headers.authorization)
      .filter((h): h is string => typeof h === 'string' && h.startsWith('Bearer '))
      .map(h => h.slice('Bearer '.length))
    expect(tokens.length).toBeGreaterThan(0)
    const audit = await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')
    const report = await readFile(io.outputs.report!, 'utf8')
    const written = [io.everythingWritten(), audit, report].join('\n')
    for (const secret of [SECRET, WEBHOOK_SECRET, 'ghs_fakeGithubToken123', Buffer.from(`ci-client:${SECRET}`).toString('base64'), ...tokens]) {
      expect(written).not.toContain(secret)
    }
    expect(io.secrets).toEqual(expect.arrayContaining([SECRET, WEBHOOK_SECRET, 'ghs_fakeGithubToken123']))
  })
})
