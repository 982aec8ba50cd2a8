/**
 * Wall time of an `api: architect` deployment of 24 flows in 3 dependency levels, in real time against the simulator
 * (in this process, port 0), with 1 s flow jobs and the default poll inputs (2 s first interval, 15 s largest):
 * preflight (validate) plus the deployment through the driver factory and the deploy state machine, with
 * `max-parallel-jobs` 1, 4 (the default) and 8. Goals: at most 20 s at the default, and 8 at least 5 times faster
 * than 1. Run with `npx tsx bench/architect-concurrency.ts`; a missed goal is reported, exit code 1 only when a
 * deployment could not complete.
 */
import { rm } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import { loadBundle } from '../src/bundle/loader.js'
import { runDeployment } from '../src/deploy/deploy-runner.js'
import { createDriver } from '../src/genesys/driver-factory.js'
import { realSleep } from '../src/retry-helper.js'
import { startSimulator } from '../simulator/server.js'
import { CONCURRENCY_BUNDLE, writeLeveledBundle } from './leveled-bundle.js'

const CLIENT = { clientId: 'bench-client', clientSecret: 'bench-secret' }
/** The inputs' defaults. */
const POLL = { pollIntervalMs: 2_000, maxPollIntervalMs: 15_000 }
const FLOW_JOB_MS = 1_000
const LIMITS = [1, 4, 8] as const
const GOALS = { defaultLimitMaxMs: 20_000, speedupOf8Over1: 5 }

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

async function main(): Promise<void> {
  const simulator = await startSimulator({
    clients: { [CLIENT.clientId]: CLIENT.clientSecret },
    scenario: { flowJobDurationMs: FLOW_JOB_MS, existingResources: { queues: ['leveled-queue'] } }
  })
  const workspace = await writeLeveledBundle(CONCURRENCY_BUNDLE)
  const flows = CONCURRENCY_BUNDLE.levels * CONCURRENCY_BUNDLE.perLevel
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

  console.log(`architect: ${flows} flows in ${CONCURRENCY_BUNDLE.levels} levels, ${FLOW_JOB_MS / 1000} s jobs, poll ${POLL.pollIntervalMs / 1000} s / ${POLL.maxPollIntervalMs / 1000} s, real time`)
  console.log('max-parallel-jobs | status    | wall time | of which preflight | requests')
  for (const row of measured) {
    console.log(
      `${String(row.maxParallelJobs).padStart(17)} | ${row.status.padEnd(9)} | ${(row.wallMs / 1000).toFixed(2).padStart(7)} s | ${(row.validateMs / 1000).toFixed(2).padStart(16)} s | ${String(row.requests).padStart(8)}`
    )
  }
  const at = (limit: number): Measurement => measured.find(row => row.maxParallelJobs === limit)!
  const speedup = at(1).wallMs / at(8).wallMs
  const defaultOk = at(4).wallMs <= GOALS.defaultLimitMaxMs
  const speedupOk = speedup >= GOALS.speedupOf8Over1
  console.log(`default (4): ${(at(4).wallMs / 1000).toFixed(2)} s, goal ≤ ${GOALS.defaultLimitMaxMs / 1000} s: ${defaultOk ? 'PASS' : 'FAIL'}`)
  console.log(`1 vs 8: ${speedup.toFixed(2)}× faster with 8, goal ≥ ${GOALS.speedupOf8Over1}×: ${speedupOk ? 'PASS' : 'FAIL'}`)
  if (measured.some(row => row.status !== 'COMPLETED')) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  process.exitCode = 1
})
