import type { Bundle } from '../src/bundle/bundle.js'
import { runDeployment, STATUS_REFUSALS_BEFORE_GIVING_UP, type DeployRunOptions } from '../src/deploy/deploy-runner.js'
import type { DeployDriver, DeploymentObservation, DeploymentState } from '../src/genesys/driver.js'
import { GenesysApiError } from '../src/genesys/genesys-api-error.js'

/**
 * A driver that answers from a script: the state machine is tested here against the driver interface, with a
 * virtual clock; the same paths run against the simulator in the integration tests.
 */
class ScriptedDriver implements DeployDriver {
  readonly api = 'architecture-manager' as const
  readonly calls: string[] = []
  constructor(
    private readonly deployStates: (DeploymentState | Error)[],
    private readonly rollbackStates: (DeploymentState | Error)[] = ['ROLLED_BACK'],
    private readonly rollbackRequest: DeploymentState | Error = 'ROLLBACK_IN_PROGRESS'
  ) {}
  private rollingBack = false
  async validate() {
    return { valid: true, warnings: [], errors: [] }
  }
  async deploy() {
    this.calls.push('deploy')
    return { id: 'dep-1', state: 'PENDING' as const }
  }
  async getStatus(_bundle: Bundle, id: string): Promise<DeploymentObservation> {
    this.calls.push('status')
    const script = this.rollingBack ? this.rollbackStates : this.deployStates
    const next = script.length > 1 ? script.shift()! : script[0]
    if (next instanceof Error) throw next
    return { id, state: next, detail: next === 'FAILED' ? 'flow main-entry: invalid action' : undefined }
  }
  async rollback(_bundle: Bundle, id: string, reason: string): Promise<DeploymentObservation> {
    this.calls.push(`rollback:${reason}`)
    if (this.rollbackRequest instanceof Error) throw this.rollbackRequest
    this.rollingBack = true
    return { id, state: this.rollbackRequest }
  }
}

function options(driver: DeployDriver, extra: Partial<DeployRunOptions> = {}) {
  let clock = 0
  const sleeps: number[] = []
  const opts: DeployRunOptions = {
    driver,
    bundle: {} as Bundle,
    rollbackOnFailure: true,
    timeoutMs: 60_000,
    pollIntervalMs: 1000,
    maxPollIntervalMs: 5000,
    now: () => clock,
    sleep: async ms => {
      sleeps.push(ms)
      clock += ms
    },
    random: () => 0.5,
    log: () => undefined,
    ...extra
  }
  return { opts, sleeps, elapsed: () => clock }
}

describe('runDeployment', () => {
  it('polls with a growing interval until COMPLETED', async () => {
    const driver = new ScriptedDriver(['PENDING', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED'])
    const started: string[] = []
    const { opts, sleeps } = options(driver, { onDeploymentStarted: id => started.push(id) })
    const result = await runDeployment(opts)
    expect(result.status).toBe('COMPLETED')
    expect(result.deploymentId).toBe('dep-1')
    expect(started).toEqual(['dep-1'])
    expect(sleeps).toEqual([1000, 1500, 2250, 3375])
    expect(result.latencyMs).toBe(8125)
    expect(result.timeline.map(e => e.state)).toEqual(['DEPLOY_REQUESTED', 'PENDING', 'IN_PROGRESS', 'COMPLETED'])
    expect(result.error).toBeUndefined()
  })

  it('rolls a FAILED deployment back and waits for ROLLED_BACK', async () => {
    const driver = new ScriptedDriver(['IN_PROGRESS', 'FAILED'], ['ROLLBACK_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLED_BACK'])
    const result = await runDeployment(options(driver).opts)
    expect(result.status).toBe('ROLLBACK_COMPLETED')
    expect(result.rollback).toEqual({ reason: expect.stringContaining('FAILED: flow main-entry: invalid action'), state: 'ROLLED_BACK' })
    expect(driver.calls.filter(c => c.startsWith('rollback:'))).toHaveLength(1)
    expect(driver.calls.filter(c => c === 'status')).toHaveLength(5)
    expect(result.timeline.map(e => e.state)).toEqual([
      'DEPLOY_REQUESTED',
      'PENDING',
      'IN_PROGRESS',
      'FAILED',
      'ROLLBACK_REQUESTED',
      'ROLLBACK_IN_PROGRESS',
      'ROLLED_BACK'
    ])
  })

  it('rolls back VALIDATION_ERROR too', async () => {
    const result = await runDeployment(options(new ScriptedDriver(['VALIDATION_ERROR'])).opts)
    expect(result.status).toBe('ROLLBACK_COMPLETED')
  })

  it('reports ROLLBACK_FAILED when the rollback fails', async () => {
    const result = await runDeployment(options(new ScriptedDriver(['FAILED'], ['ROLLBACK_IN_PROGRESS', 'ROLLBACK_FAILED'])).opts)
    expect(result.status).toBe('ROLLBACK_FAILED')
    expect(result.error).toMatch(/rollback failed/)
  })

  it('reports ROLLBACK_FAILED when the rollback request is refused', async () => {
    const refused = new GenesysApiError({ kind: 'http', status: 409, method: 'POST', endpoint: '/rollback' })
    const result = await runDeployment(options(new ScriptedDriver(['FAILED'], ['ROLLED_BACK'], refused)).opts)
    expect(result.status).toBe('ROLLBACK_FAILED')
    expect(result.error).toMatch(/rollback request failed/)
  })

  it('leaves a failure alone when rollback is off', async () => {
    const driver = new ScriptedDriver(['FAILED'])
    const result = await runDeployment(options(driver, { rollbackOnFailure: false }).opts)
    expect(result.status).toBe('FAILED')
    expect(driver.calls.some(c => c.startsWith('rollback:'))).toBe(false)
  })

  it('reports a rollback the platform started by itself', async () => {
    expect((await runDeployment(options(new ScriptedDriver(['IN_PROGRESS', 'ROLLBACK_TRIGGERED'])).opts)).status).toBe('ROLLBACK_TRIGGERED')
    expect((await runDeployment(options(new ScriptedDriver(['IN_PROGRESS', 'ROLLED_BACK'])).opts)).status).toBe('ROLLBACK_TRIGGERED')
  })

  it('times out at the deadline without waiting past it', async () => {
    const { opts, elapsed } = options(new ScriptedDriver(['IN_PROGRESS']), { timeoutMs: 10_000 })
    const result = await runDeployment(opts)
    expect(result.status).toBe('TIMED_OUT')
    expect(elapsed()).toBe(10_000)
    expect(result.error).toMatch(/did not finish within 10 s.*timeout-seconds/)
  })

  it('gives the rollback a deadline of its own and times out when it never ends', async () => {
    const { opts, elapsed } = options(new ScriptedDriver(['FAILED'], ['ROLLBACK_IN_PROGRESS']), { timeoutMs: 10_000 })
    const result = await runDeployment(opts)
    expect(result.status).toBe('TIMED_OUT')
    expect(result.rollback?.state).toBe('ROLLBACK_IN_PROGRESS')
    expect(elapsed()).toBe(11_000)
  })

  it('keeps polling through temporary errors', async () => {
    const flaky = new GenesysApiError({ kind: 'http', status: 503, method: 'GET', endpoint: '/deployments/dep-1' })
    const result = await runDeployment(options(new ScriptedDriver(['IN_PROGRESS', flaky, flaky, 'COMPLETED'])).opts)
    expect(result.status).toBe('COMPLETED')
  })

  it('rolls back when the status cannot be read at all', async () => {
    const gone = new GenesysApiError({ kind: 'http', status: 404, method: 'GET', endpoint: '/deployments/dep-1' })
    const result = await runDeployment(options(new ScriptedDriver([gone])).opts)
    expect(result.status).toBe('ROLLBACK_COMPLETED')
    expect(result.rollback?.reason).toMatch(/could not be read/)
  })

  it('keeps polling through answers it cannot read, and says so at the deadline', async () => {
    const garbled = new GenesysApiError({ kind: 'invalid-response', method: 'GET', endpoint: '/deployments/dep-1', detail: 'status "WIBBLE"' })
    const driver = new ScriptedDriver(['IN_PROGRESS', garbled, 'COMPLETED'])
    expect((await runDeployment(options(driver).opts)).status).toBe('COMPLETED')

    const stuck = await runDeployment(options(new ScriptedDriver([garbled]), { timeoutMs: 5000 }).opts)
    expect(stuck.status).toBe('TIMED_OUT')
    expect(stuck.error).toContain('WIBBLE')
  })

  it('reads the status again after a refusal or two (a 404 from one replica), and completes without a rollback', async () => {
    const notFound = new GenesysApiError({ kind: 'http', method: 'GET', endpoint: '/deployments/dep-1', status: 404 })
    const driver = new ScriptedDriver(['IN_PROGRESS', notFound, notFound, 'COMPLETED'])
    const result = await runDeployment(options(driver).opts)
    expect(result.status).toBe('COMPLETED')
    expect(driver.calls).not.toContain('rollback')
  })

  it('takes the status as unreadable after STATUS_REFUSALS_BEFORE_GIVING_UP refusals in a row', async () => {
    const notFound = new GenesysApiError({ kind: 'http', method: 'GET', endpoint: '/deployments/dep-1', status: 404 })
    const driver = new ScriptedDriver(Array.from({ length: STATUS_REFUSALS_BEFORE_GIVING_UP }, () => notFound))
    const result = await runDeployment(options(driver, { rollbackOnFailure: false }).opts)
    expect(result.status).toBe('FAILED')
    expect(result.error).toMatch(/status could not be read/)
    expect(driver.calls.filter(c => c === 'status')).toHaveLength(STATUS_REFUSALS_BEFORE_GIVING_UP)
  })

  it('stops polling at once when the platform refuses the credentials', async () => {
    const refused = new GenesysApiError({ kind: 'auth', method: 'POST', endpoint: '/oauth/token', status: 401 })
    const driver = new ScriptedDriver([refused])
    const result = await runDeployment(options(driver, { rollbackOnFailure: false }).opts)
    expect(result.status).toBe('FAILED')
    expect(driver.calls.filter(c => c === 'status')).toHaveLength(1)
  })

  it('takes a final state in the deploy answer without polling', async () => {
    const driver: DeployDriver = {
      api: 'architecture-manager',
      validate: async () => ({ valid: true, warnings: [], errors: [] }),
      deploy: async () => ({ id: 'd', state: 'COMPLETED' }),
      getStatus: async () => {
        throw new Error('must not poll')
      },
      rollback: async () => ({ id: 'd', state: 'ROLLED_BACK' })
    }
    const { opts, sleeps } = options(driver)
    expect((await runDeployment(opts)).status).toBe('COMPLETED')
    expect(sleeps).toEqual([])
  })

  it('ends VALIDATION_FAILED when the platform refuses the deploy request, and rethrows what it cannot judge', async () => {
    const refusing = (error: Error): DeployDriver => ({
      api: 'architecture-manager',
      validate: async () => ({ valid: true, warnings: [], errors: [] }),
      deploy: async () => {
        throw error
      },
      getStatus: async () => ({ id: 'd', state: 'COMPLETED' }),
      rollback: async () => ({ id: 'd', state: 'ROLLED_BACK' })
    })
    const conflict = new GenesysApiError({ kind: 'http', method: 'POST', endpoint: '/deploy', status: 409 })
    const refused = await runDeployment(options(refusing(conflict)).opts)
    expect(refused).toMatchObject({ status: 'VALIDATION_FAILED', deploymentId: '' })
    expect(refused.error).toMatch(/refused the deploy request, so nothing was deployed/)

    const unavailable = new GenesysApiError({ kind: 'http', method: 'POST', endpoint: '/deploy', status: 503 })
    await expect(runDeployment(options(refusing(unavailable)).opts)).rejects.toBe(unavailable)
  })

  it('ends TIMED_OUT when the deploy request itself outlasts the deadline', async () => {
    let clock = 0
    const slow: DeployDriver = {
      api: 'architecture-manager',
      validate: async () => ({ valid: true, warnings: [], errors: [] }),
      deploy: async () => {
        clock += 10_000
        throw new GenesysApiError({ kind: 'timeout', method: 'POST', endpoint: '/deploy', timeoutMs: 10_000 })
      },
      getStatus: async () => ({ id: 'd', state: 'COMPLETED' }),
      rollback: async () => ({ id: 'd', state: 'ROLLED_BACK' })
    }
    const result = await runDeployment({ ...options(slow).opts, now: () => clock, timeoutMs: 5000 })
    expect(result.status).toBe('TIMED_OUT')
    expect(result.error).toMatch(/deploy request did not go through within 5 s/)
  })

  it('honours Retry-After when the status answer carries it', async () => {
    const driver: DeployDriver = {
      api: 'architecture-manager',
      validate: async () => ({ valid: true, warnings: [], errors: [] }),
      deploy: async () => ({ id: 'd', state: 'PENDING' }),
      getStatus: (() => {
        let n = 0
        return async () => (++n === 1 ? { id: 'd', state: 'IN_PROGRESS' as const, retryAfterSeconds: 7 } : { id: 'd', state: 'COMPLETED' as const })
      })(),
      rollback: async () => ({ id: 'd', state: 'ROLLBACK_IN_PROGRESS' })
    }
    const { opts, sleeps } = options(driver)
    await runDeployment(opts)
    expect(sleeps).toEqual([1000, 7000])
  })

  it("waits as the driver's own schedule says: never below the poll floor, never past the deadline, from the first interval again after an error", async () => {
    const flaky = new GenesysApiError({ kind: 'http', status: 503, method: 'GET', endpoint: '/api/v2/flows/jobs/j1' })
    const steps: (DeploymentObservation | Error)[] = [
      { id: 'd', state: 'IN_PROGRESS', nextPollInMs: 50 },
      { id: 'd', state: 'IN_PROGRESS', nextPollInMs: 3_000 },
      flaky,
      flaky,
      { id: 'd', state: 'IN_PROGRESS', nextPollInMs: 100_000 },
      { id: 'd', state: 'COMPLETED' }
    ]
    const driver: DeployDriver = {
      api: 'architect',
      validate: async () => ({ valid: true, warnings: [], errors: [] }),
      deploy: async () => ({ id: 'd', state: 'PENDING', nextPollInMs: 0 }),
      getStatus: async () => {
        const next = steps.shift()!
        if (next instanceof Error) throw next
        return next
      },
      rollback: async () => ({ id: 'd', state: 'ROLLBACK_IN_PROGRESS' })
    }
    const { opts, sleeps } = options(driver, { timeoutMs: 30_000 })
    const result = await runDeployment(opts)
    // 0 and 50 ms are raised to the 200 ms floor; after two errors the runner backs off from its first interval (1 s,
    // then 1.5 s); 100 s is cut at the deadline, where one last read still counts.
    expect(sleeps).toEqual([200, 200, 3_000, 1_000, 1_500, 30_000 - 5_900])
    expect(result).toMatchObject({ status: 'COMPLETED', latencyMs: 30_000 })
  })

  it('ends TIMED_OUT, not ROLLBACK_FAILED, when the rollback request gets no answer before its deadline', async () => {
    let clock = 0
    const hung: DeployDriver = {
      api: 'architect',
      validate: async () => ({ valid: true, warnings: [], errors: [] }),
      deploy: async () => ({ id: 'd', state: 'PENDING' }),
      getStatus: async () => ({ id: 'd', state: 'FAILED', detail: 'flow job j1 failed' }),
      rollback: async () => {
        clock += 10_000
        throw new GenesysApiError({ kind: 'timeout', method: 'POST', endpoint: '/api/v2/flows/actions/publish?flow=…&version=…', timeoutMs: 10_000 })
      }
    }
    const base = options(hung).opts
    const result = await runDeployment({ ...base, now: () => clock, sleep: async ms => void (clock += ms), timeoutMs: 10_000 })
    expect(result.status).toBe('TIMED_OUT')
    expect(result.error).toMatch(/rollback request got no answer within 10 s .*may still be running on the platform: check the environment in Genesys Cloud/)
    expect(result.rollback).toEqual({ reason: expect.stringContaining('flow job j1 failed') })
    expect(result.timeline.at(-1)).toMatchObject({ state: 'DEADLINE_REACHED', detail: 'rollback request' })
  })

  it("records each flow's job from the driver, timed from the deploy request", async () => {
    const requested: number[] = []
    const driver = new ScriptedDriver(['IN_PROGRESS', 'COMPLETED'])
    const withJobs: DeployDriver = Object.assign(driver, {
      flowJobs: (requestedAt: number) => {
        requested.push(requestedAt)
        return [{ flow: 'main', name: 'Main', level: 0, jobId: 'j1', startedAtMs: 200, endedAtMs: 2_200, outcome: 'published' as const }]
      }
    })
    const { opts } = options(withJobs)
    const result = await runDeployment(opts)
    expect(requested).toEqual([0])
    expect(result.flowJobs).toEqual([{ flow: 'main', name: 'Main', level: 0, jobId: 'j1', startedAtMs: 200, endedAtMs: 2_200, outcome: 'published' }])
  })
})
