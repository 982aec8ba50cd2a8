/**
 * Wall time of an `api: architect` deployment of 24 flows in 3 dependency levels, in real time against the simulator
 * (in this process, port 0), with 1 s flow jobs and the default poll inputs (2 s first interval, 15 s largest):
 * preflight (validate) plus the deployment through the driver factory and the deploy state machine, with
 * `max-parallel-jobs` 1, 4 (the default) and 8. Goals: at most 20 s at the default, and 8 at least 5 times faster
 * than 1 (the reference). Run alone with `npx tsx bench/architect-concurrency.ts`; a missed goal is reported, exit
 * code 1 only when a deployment could not complete.
 */
import { rm } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import { loadBundle } from '../src/bundle/loader.js'
import { runDeployment } from '../src/deploy/deploy-runner.js'
import { createDriver } from '../src/genesys/driver-factory.js'
import { realSleep } from '../src/retry-helper.js'
import { startSimulator } from '../simulator/server.js'
import { CONCURRENCY_BUNDLE, writeLeveledBundle } from './leveled-bundle.js'
import { runStandalone } from './standalone.js'
import { row, type BenchRow } from './verdict.js'

const CLIENT = { clientId: 'bench-client', clientSecret: 'bench-secret' }
/** The inputs' defaults. */
const POLL = { pollIntervalMs: 2_000, maxPollIntervalMs: 15_000 }
const FLOW_JOB_MS = 1_000
const LIMITS = [1, 4, 8] as const
const GOALS = { defaultLimitMaxSeconds: 20, speedupOf8Over1: 5 }

/** One measured deployment. */
interface Measurement {
  maxParallelJobs: number
  status: string
  wallMs: number
  validateMs: number
  requests: number
}

async function measure(maxParallelJobs: number, workspace: string, simulatorUrl: string, requestCount: () => number): Promise<Measurement> {
  const loaded = await loadBundle('bundle.yaml', { workspace })
  if (!loaded.bundle) throw new Error(`The generated bundle did not load: ${JSON.stringify(loaded.findings)}`)
  const bundle = loaded.bundle
  const driver = createDriver(
    { api: 'architect', apiUrl: simulatorUrl, authUrl: simulatorUrl, credentials: CLIENT, maxParallelJobs, ...POLL },
    { sleep: realSleep, random: Math.random, now: Date.now, io: { info: () => undefined } }
  )
  const before = requestCount()
  const started = performance.now()
  const validation = await driver.validate(bundle)
  const validateMs = performance.now() - started
  if (!validation.valid) throw new Error(`The preflight refused the bundle: ${validation.errors.join('; ')}`)
  const result = await runDeployment({
    driver,
    bundle,
    rollbackOnFailure: true,
    timeoutMs: 600_000,
    ...POLL,
    now: Date.now,
    sleep: realSleep,
    random: Math.random,
    log: () => undefined
  })
  return { maxParallelJobs, status: result.status, wallMs: performance.now() - started, validateMs, requests: requestCount() - before }
}

/** Deploys the leveled bundle at each limit, then judges the default limit and the speed-up of 8 over 1. */
export async function benchmarkArchitectConcurrency(): Promise<BenchRow[]> {
  const simulator = await startSimulator({
    clients: { [CLIENT.clientId]: CLIENT.clientSecret },
    scenario: { flowJobDurationMs: FLOW_JOB_MS, existingResources: { queues: ['leveled-queue'] } }
  })
  const workspace = await writeLeveledBundle(CONCURRENCY_BUNDLE)
  const measured: Measurement[] = []
  try {
    for (const limit of LIMITS) {
      simulator.reset()
      measured.push(await measure(limit, workspace, simulator.url, () => simulator.requests.length))
    }
  } finally {
    await simulator.close()
    await rm(workspace, { recursive: true, force: true })
  }
  const failed = measured.find(entry => entry.status !== 'COMPLETED')
  if (failed) {
    throw new Error(
      `The deployment with max-parallel-jobs ${failed.maxParallelJobs} ended ${failed.status}, not COMPLETED; run the simulator tests (architect) to see why.`
    )
  }
  const at = (limit: number): Measurement => measured.find(entry => entry.maxParallelJobs === limit)!
  const seconds = (entry: Measurement): { value: number; unit: 's' } => ({ value: entry.wallMs / 1000, unit: 's' })
  const one = { ...seconds(at(1)), name: 'max-parallel-jobs 1' }
  const detail = (entry: Measurement): string => `${entry.requests} requests, preflight ${(entry.validateMs / 1000).toFixed(2)} s`
  return [
    row({
      group: 'concurrency',
      name: 'architect: max-parallel-jobs 4 (default)',
      measured: seconds(at(4)),
      reference: one,
      goal: { kind: 'max-value', limit: GOALS.defaultLimitMaxSeconds, text: `≤ ${GOALS.defaultLimitMaxSeconds} s` },
      note: `preflight + deployment through the driver factory and the deploy runner; ${detail(at(4))} (1: ${detail(at(1))})`
    }),
    row({
      group: 'concurrency',
      name: 'architect: max-parallel-jobs 8 vs 1',
      measured: seconds(at(8)),
      reference: one,
      goal: { kind: 'min-speedup', limit: GOALS.speedupOf8Over1, text: `≥ ${GOALS.speedupOf8Over1}× faster than 1` },
      note: detail(at(8))
    })
  ]
}

await runStandalone(import.meta.url, 'architect concurrency', benchmarkArchitectConcurrency)
