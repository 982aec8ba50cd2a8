/**
 * Polls that learn, through the whole run: after a few deployments of the same bundle (their durations in the audit
 * log), the next one waits quietly until the usual duration and polls densely around it, with fewer status requests
 * than the plain backoff; per flow for `architect`. In process, against the simulator, on a virtual clock.
 */
import { cp, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RecordingIO, VirtualClock } from '../__fixtures__/recording-io.js'
import type { InputName } from '../src/constants.js'
import { run } from '../src/main.js'
import { startSimulator, type Simulator } from '../simulator/server.js'

let simulator: Simulator
let clock: VirtualClock
let workspace: string

beforeEach(async () => {
  clock = new VirtualClock()
  simulator = await startSimulator({ now: clock.now, scenario: { deployDurationMs: 90_000, flowJobDurationMs: 40_000 } })
  workspace = await mkdtemp(join(tmpdir(), 'gbd-learn-'))
  await cp(join(process.cwd(), 'examples'), workspace, { recursive: true })
})

afterEach(async () => {
  await simulator.close()
})

async function deploy(inputs: Partial<Record<InputName, string>> = {}) {
  const io = new RecordingIO({
    mode: 'deploy',
    api: 'architecture-manager',
    bundle: 'bundle.yaml',
    'api-url': simulator.url,
    'auth-url': simulator.url,
    'client-id': 'sim-client',
    'client-secret': 'sim-secret',
    comment: 'false',
    'poll-interval-seconds': '5',
    'max-poll-interval-seconds': '30',
    'timeout-seconds': '900',
    ...inputs
  })
  const before = simulator.requests.length
  const sleepsBefore = clock.sleeps.length
  await run({
    io,
    env: { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'push', RUNNER_TEMP: workspace },
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5
  })
  const statusReads = simulator.requests
    .slice(before)
    .filter(request => request.method === 'GET' && /\/deployments\/|\/flows\/jobs\//.test(request.path)).length
  return { io, statusReads, sleeps: clock.sleeps.slice(sleepsBefore) }
}

describe('learned polling through the run', () => {
  it('architecture-manager: after three deployments of ~90 s, waits quietly, sees the end sooner, with no more status reads', async () => {
    const plain = await deploy()
    expect(plain.io.outputs.status).toBe('COMPLETED')
    expect(plain.io.infos).toContain('Poll timing: too few earlier deployments to learn from; the plain backoff applies.')
    await deploy()
    await deploy()
    const learned = await deploy()
    expect(learned.io.outputs.status).toBe('COMPLETED')
    expect(learned.io.infos).toContainEqual(expect.stringMatching(/^Poll timing learned from 3 earlier deployment\(s\): usually \d+\.\d s–9\d\.\d s/))
    // One quiet wait up to the earliest the deployment was seen still running before (65.9 s); the plain schedule starts at 5 s.
    expect(learned.sleeps.find(ms => ms >= 60_000)).toBeDefined()
    expect(learned.statusReads).toBeLessThanOrEqual(plain.statusReads)
    // Detected sooner: the plain schedule's poll after 90 s came late (latency includes its lag).
    expect(Number(learned.io.outputs['latency-ms'])).toBeLessThan(Number(plain.io.outputs['latency-ms']))
  })

  it('architect: each flow job is polled around its own usual duration', async () => {
    await cp(join(process.cwd(), 'examples', 'architect'), workspace, { recursive: true })
    const inputs = { api: 'architect' as const, 'max-parallel-jobs': '4' }
    const first = await deploy(inputs)
    expect(first.io.outputs.status).toBe('COMPLETED')
    for (let i = 0; i < 3; i++) await deploy(inputs)
    const learned = await deploy(inputs)
    expect(learned.io.outputs.status).toBe('COMPLETED')
    expect(learned.io.infos).toContainEqual(expect.stringMatching(/^Poll timing learned from \d+ earlier deployment\(s\): the flow jobs of 3 flow\(s\)/))
    expect(learned.statusReads).toBeLessThanOrEqual(first.statusReads)
    expect(Number(learned.io.outputs['latency-ms'])).toBeLessThanOrEqual(Number(first.io.outputs['latency-ms']))
  })
})
