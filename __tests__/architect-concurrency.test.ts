/**
 * Flow jobs by dependency level, side by side up to `max-parallel-jobs`, each on its own poll schedule: the architect
 * driver over the real HTTP client against the simulator, driven by the deploy state machine, on a virtual clock
 * shared by all. What ran when is read from the simulator's own record of the requests (uploads start a job, the last
 * status read sees its end), and checked against the run's `flowJobs`.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { rm } from 'node:fs/promises'
import { VirtualClock } from '../__fixtures__/recording-io.js'
import { simulatorClient } from '../__fixtures__/simulator-client.js'
import { leveledFlowKey, leveledFlowName, writeLeveledBundle, type LeveledBundleSpec } from '../bench/leveled-bundle.js'
import type { Bundle } from '../src/bundle/bundle.js'
import { loadBundle } from '../src/bundle/loader.js'
import { runDeployment } from '../src/deploy/deploy-runner.js'
import type { DeployResult } from '../src/deploy/result.js'
import { MAX_STEP_TRIES } from '../src/genesys/architect-requests.js'
import { ArchitectDriver } from '../src/genesys/architect-driver.js'
import { GenesysApiError } from '../src/genesys/genesys-api-error.js'
import { GenesysHttpClient } from '../src/genesys/http-client.js'
import { startSimulator, type Simulator } from '../simulator/server.js'

const CLIENT = { id: 'concurrency-ci', secret: 'concurrency-secret-31' }
/** The inputs' defaults: 2 s first interval, 15 s largest. */
const POLL = { pollIntervalMs: 2_000, maxPollIntervalMs: 15_000 }

let clock: VirtualClock
let sim: Simulator
let workspaces: string[]

beforeEach(async () => {
  clock = new VirtualClock()
  sim = await startSimulator({
    now: clock.now,
    clients: { [CLIENT.id]: CLIENT.secret },
    scenario: { flowJobDurationMs: 1_000, existingResources: { queues: ['leveled-queue'] } }
  })
  workspaces = []
})

afterEach(async () => {
  await sim.close()
  for (const workspace of workspaces) await rm(workspace, { recursive: true, force: true })
})

async function leveledBundle(spec: LeveledBundleSpec): Promise<Bundle> {
  const workspace = await writeLeveledBundle(spec)
  workspaces.push(workspace)
  const loaded = await loadBundle('bundle.yaml', { workspace })
  if (!loaded.bundle) throw new Error(`the generated bundle did not load: ${JSON.stringify(loaded.findings)}`)
  return loaded.bundle
}

async function deploy(bundle: Bundle, maxParallelJobs: number): Promise<{ result: DeployResult; requestedAt: number; logs: string[] }> {
  const logs: string[] = []
  const client = simulatorClient(sim.url, CLIENT, clock)
  const driver = new ArchitectDriver(client, { now: clock.now, sleep: clock.sleep, random: () => 0.5, log: line => logs.push(line), maxParallelJobs, ...POLL })
  const requestedAt = clock.now()
  const result = await runDeployment({
    driver,
    bundle,
    rollbackOnFailure: true,
    timeoutMs: 600_000,
    ...POLL,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    log: line => logs.push(line)
  })
  return { result, requestedAt, logs }
}

/** One flow job as the simulator saw it: uploaded (started) and last read (its end seen). */
interface SeenJob {
  name: string
  jobId: string
  uploadedAt: number
  reads: number[]
}

function seenJobs(): SeenJob[] {
  return sim.requests
    .filter(request => request.method === 'PUT' && request.path.startsWith('/__upload/') && request.status === 200)
    .map(upload => {
      const jobId = upload.path.split('/').pop()!
      const reads = sim.requests
        .filter(request => request.method === 'GET' && request.path === `/api/v2/flows/jobs/${jobId}`)
        .map(request => request.receivedAt)
      return { name: /name: (.*)/.exec(upload.body)![1], jobId, uploadedAt: upload.receivedAt, reads }
    })
}

/** Most jobs running at one moment: a job runs from its upload until the read that saw it end. */
function mostAtOnce(jobs: SeenJob[]): number {
  return Math.max(...jobs.map(job => jobs.filter(other => other.uploadedAt <= job.uploadedAt && job.uploadedAt < other.reads.at(-1)!).length))
}

const levelOf = (name: string): number => Number(/ L(\d+) /.exec(name)![1])

describe('flow jobs by dependency level', () => {
  it('runs a level side by side, never more than max-parallel-jobs at once, and starts a level only when the one before is published', async () => {
    const bundle = await leveledBundle({ levels: 3, perLevel: 5 })
    const { result, requestedAt } = await deploy(bundle, 2)
    expect(result.status).toBe('COMPLETED')

    const jobs = seenJobs()
    expect(jobs).toHaveLength(15)
    expect(mostAtOnce(jobs)).toBe(2)
    for (const level of [1, 2]) {
      const firstStart = Math.min(...jobs.filter(job => levelOf(job.name) === level).map(job => job.uploadedAt))
      const lastEnd = Math.max(...jobs.filter(job => levelOf(job.name) === level - 1).map(job => job.reads.at(-1)!))
      expect(firstStart).toBeGreaterThanOrEqual(lastEnd)
    }

    // The run's records say the same: each flow's job, level and times, in deploy order.
    expect(result.flowJobs).toHaveLength(15)
    expect(result.flowJobs!.map(record => record.level)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2])
    for (const record of result.flowJobs!) {
      const seen = jobs.find(job => job.name === record.name)!
      expect(record).toEqual({
        flow: leveledFlowKey(levelOf(record.name), Number(record.name.slice(-2))),
        name: record.name,
        level: levelOf(record.name),
        jobId: seen.jobId,
        startedAtMs: seen.uploadedAt - requestedAt,
        endedAtMs: seen.reads.at(-1)! - requestedAt,
        outcome: 'published'
      })
    }
  })

  it('reads each job on its own schedule from its upload: a 1 s job is seen at 2 s, however late it started', async () => {
    const { result } = await deploy(await leveledBundle({ levels: 1, perLevel: 6 }), 1)
    expect(result.status).toBe('COMPLETED')
    const jobs = seenJobs()
    expect(jobs).toHaveLength(6)
    // One read per job, one first interval after its upload; the next job starts at that read.
    for (const job of jobs) expect(job.reads.map(at => at - job.uploadedAt)).toEqual([2_000])
    // The first step comes at the poll floor (200 ms), not after a first interval: nothing had started.
    expect(result.latencyMs).toBe(200 + 6 * 2_000)
  })

  it('after a failure starts no new job, lets the running ones finish, and restores the published flows in reverse order', async () => {
    const [done, slow, failing, next] = [0, 1, 2, 3].map(index => leveledFlowName(0, index))
    sim.setScenario({
      architectFlows: [done, slow, failing, next].map(name => ({ name, type: 'inboundCall', id: `seed-${name.slice(-3).trim()}` })),
      flowJobDurationsMs: { [slow]: 6_000, [failing]: 3_000 },
      flowJobFailures: { [failing]: ['Archy: the flow has 1 error.'] }
    })
    const { result, requestedAt } = await deploy(await leveledBundle({ levels: 2, perLevel: 4 }), 2)
    expect(result.status).toBe('ROLLBACK_COMPLETED')

    const jobs = seenJobs()
    expect(jobs.map(job => job.name)).toEqual([done, slow, failing])
    const failureSeenAt = sim.requests.find(
      request => request.path === `/api/v2/flows/jobs/${jobs[2].jobId}` && request.receivedAt === jobs[2].reads.at(-1)
    )!.receivedAt
    // Nothing registered once the failure was seen; the slow job, still running then, was followed to its end.
    expect(sim.requests.filter(request => request.path === '/api/v2/flows/jobs' && request.receivedAt >= failureSeenAt)).toEqual([])
    expect(jobs[1].reads.at(-1)).toBeGreaterThan(failureSeenAt)
    // Latest first: the slow flow (after `done` in deploy order), then `done`.
    expect(sim.requests.filter(request => request.path === '/api/v2/flows/actions/publish').map(request => request.query.flow)).toEqual([
      'seed-F01',
      'seed-F00'
    ])
    expect(
      sim
        .architectFlows()
        .filter(flow => flow.name.startsWith('Leveled'))
        .map(flow => [flow.name, flow.publishedVersionId])
    ).toEqual([
      [done, '1.0'],
      [slow, '1.0'],
      [failing, '1.0'],
      [next, '1.0']
    ])

    const records = Object.fromEntries(result.flowJobs!.map(record => [record.name, record]))
    expect(records[done]).toMatchObject({ outcome: 'published', rollback: 'restored', jobId: jobs[0].jobId })
    expect(records[slow]).toMatchObject({
      outcome: 'published',
      rollback: 'restored',
      startedAtMs: jobs[1].uploadedAt - requestedAt,
      endedAtMs: jobs[1].reads.at(-1)! - requestedAt
    })
    expect(records[failing]).toMatchObject({
      outcome: 'failed',
      jobId: jobs[2].jobId,
      endedAtMs: failureSeenAt - requestedAt,
      detail: expect.stringContaining('Archy: the flow has 1 error.')
    })
    expect(records[failing].rollback).toBeUndefined()
    expect(records[next]).toEqual({ flow: leveledFlowKey(0, 3), name: next, level: 0, outcome: 'not started' })
    expect(result.flowJobs!.filter(record => record.level === 1).map(record => record.outcome)).toEqual([
      'not started',
      'not started',
      'not started',
      'not started'
    ])
  })
})

describe('how much the limit buys (virtual time, default poll inputs, 1 s jobs)', () => {
  it('deploys 24 flows in 3 levels within 20 s at the default 4 jobs at once, and 5 times faster with 8 than with 1', async () => {
    const bundle = await leveledBundle({ levels: 3, perLevel: 8 })
    const latency: Record<number, number> = {}
    for (const limit of [1, 4, 8]) {
      sim.reset()
      const { result } = await deploy(bundle, limit)
      expect(result.status).toBe('COMPLETED')
      latency[limit] = result.latencyMs
    }
    expect(latency[4]).toBeLessThanOrEqual(20_000)
    expect(latency[1] / latency[8]).toBeGreaterThanOrEqual(5)
    expect(latency).toEqual({ 1: 200 + 24 * 2_000, 4: 200 + 6 * 2_000, 8: 200 + 3 * 2_000 })
  })
})

describe('a flow job step that keeps failing', () => {
  it('is tried MAX_STEP_TRIES times, then the flow fails (no new registrations, long before the deadline)', async () => {
    const bundle = await leveledBundle({ levels: 1, perLevel: 2 })
    const attempts: number[] = []
    const original = GenesysHttpClient.prototype.uploadToPresignedUrl
    // An upload URL that never takes the file, with an error that looks temporary each time.
    GenesysHttpClient.prototype.uploadToPresignedUrl = async function () {
      attempts.push(clock.now())
      throw new GenesysApiError({ kind: 'network', method: 'PUT', endpoint: '/upload', detail: 'connection reset' })
    }
    try {
      const { result, requestedAt } = await deploy(bundle, 1)
      expect(['FAILED', 'ROLLBACK_COMPLETED']).toContain(result.status)
      expect(result.error).toMatch(/\(3 tries\): .*connection reset/)
      expect(attempts).toHaveLength(MAX_STEP_TRIES)
      expect(sim.requests.filter(request => request.method === 'POST' && request.path === '/api/v2/flows/jobs')).toHaveLength(1)
      expect(clock.now() - requestedAt).toBeLessThan(600_000)
    } finally {
      GenesysHttpClient.prototype.uploadToPresignedUrl = original
    }
  })
})
