import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/server.js'

/** The simulator driven over plain fetch, on port 0, with an injected clock. */

const START = Date.UTC(2025, 0, 15, 12, 0, 0)
const BUNDLE = 'contact-center-core'
const ENVIRONMENT = 'prod-7f3a'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

let clock: number
let sim: Simulator

async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  sim = await startSimulator({ now: () => clock, ...options })
  return sim
}

beforeEach(() => {
  clock = START
})

afterEach(async () => {
  await sim?.close()
})

interface Answer {
  status: number
  headers: Headers
  json: Record<string, any>
}

function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`
}

async function answer(response: Response): Promise<Answer> {
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, any> }
}

async function requestToken(
  authorization = basic('sim-client', 'sim-secret'),
  body = 'grant_type=client_credentials',
  contentType = 'application/x-www-form-urlencoded'
): Promise<Answer> {
  const response = await fetch(`${sim.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization, 'content-type': contentType },
    body
  })
  return answer(response)
}

async function token(): Promise<string> {
  const { status, json } = await requestToken()
  expect(status).toBe(200)
  return json.access_token as string
}

async function call(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string } = {}
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let body: string | undefined = options.rawBody
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = JSON.stringify(options.body)
  }
  return answer(await fetch(`${sim.url}${path}`, { method, headers, body }))
}

function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    bundleId: BUNDLE,
    environmentId: ENVIRONMENT,
    overrideValidation: false,
    rollbackOnFailure: true,
    capacityConstraints: { maxFlowCount: 500, maxQueueCount: 100 },
    dependencyMatrix: { flows: ['base-routing', 'main-entry'], queues: ['sales-inbound'], order: ['queues', 'flows'] },
    targetConfig: {
      flows: { 'main-entry': { version: '2.1.0', routingStrategy: 'longest-idle' } },
      queues: { 'sales-inbound': { serviceLevel: '80/20' } }
    },
    ...overrides
  }
}

const bundlePath = (bundleId = BUNDLE): string => `/api/v2/architect/bundles/${bundleId}`

async function validate(accessToken: string, body: unknown = payload(), bundleId = BUNDLE): Promise<Answer> {
  return call('POST', `${bundlePath(bundleId)}/validate`, { token: accessToken, body })
}

async function deploy(accessToken: string, body: unknown = payload(), bundleId = BUNDLE): Promise<Answer> {
  return call('POST', `${bundlePath(bundleId)}/deploy`, { token: accessToken, body })
}

async function status(accessToken: string, id: string, bundleId = BUNDLE): Promise<Answer> {
  return call('GET', `${bundlePath(bundleId)}/deployments/${id}`, { token: accessToken })
}

async function rollback(accessToken: string, id: string, body: unknown = { reason: 'deployment failed' }, bundleId = BUNDLE): Promise<Answer> {
  return call('POST', `${bundlePath(bundleId)}/deployments/${id}/rollback`, { token: accessToken, body })
}

/** Deploys and moves the clock to the end of the deployment. */
async function deployToEnd(accessToken: string, bundleId = BUNDLE): Promise<string> {
  const accepted = await deploy(accessToken, payload({ bundleId }), bundleId)
  expect(accepted.status).toBe(202)
  clock += sim.scenario(bundleId).deployDurationMs
  return accepted.json.id as string
}

describe('OAuth token endpoint', () => {
  beforeEach(() => start())

  it('issues a bearer token for good client credentials', async () => {
    const { status, headers, json } = await requestToken()
    expect(status).toBe(200)
    expect(json).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 86400 })
    expect(json.access_token.length).toBeGreaterThanOrEqual(32)
    expect(headers.get('cache-control')).toBe('no-store')
    expect(headers.get('inin-correlation-id')).toMatch(UUID)
  })

  it('refuses a wrong secret, an unknown client and a missing Authorization header with invalid_client', async () => {
    for (const authorization of [basic('sim-client', 'wrong'), basic('someone', 'sim-secret'), '']) {
      const { status, headers, json } = await requestToken(authorization)
      expect(status).toBe(401)
      expect(json.error).toBe('invalid_client')
      expect(json.error_description).toMatch(/Authorization: Basic/)
      expect(headers.get('www-authenticate')).toMatch(/^Basic/)
    }
  })

  it('refuses another grant type, a missing grant type and a non-form content type', async () => {
    const password = await requestToken(undefined, 'grant_type=password')
    expect(password.status).toBe(400)
    expect(password.json.error).toBe('unsupported_grant_type')
    expect(password.json.error_description).toContain('"password"')

    const missing = await requestToken(undefined, 'scope=all')
    expect(missing.status).toBe(400)
    expect(missing.json.error).toBe('invalid_request')

    const asJson = await requestToken(undefined, '{"grant_type":"client_credentials"}', 'application/json')
    expect(asJson.status).toBe(400)
    expect(asJson.json.error).toBe('invalid_request')
    expect(asJson.json.error_description).toContain('application/x-www-form-urlencoded')
  })

  it('accepts only the configured clients', async () => {
    await sim.close()
    await start({ clients: { 'ci-client': 'ci-secret' } })
    expect((await requestToken()).status).toBe(401)
    expect((await requestToken(basic('ci-client', 'ci-secret'))).status).toBe(200)
  })

  it('takes the token lifetime from the scenario and expires tokens on the injected clock', async () => {
    sim.setScenario({ tokenLifetimeSeconds: 60 })
    const { json } = await requestToken()
    expect(json.expires_in).toBe(60)
    const accessToken = json.access_token as string

    clock += 59_999
    expect((await validate(accessToken)).status).toBe(200)

    clock += 1
    const expired = await validate(accessToken)
    expect(expired.status).toBe(401)
    expect(expired.json.code).toBe('authentication.required')
    expect(expired.json.message).toContain('expired')
    expect(expired.json.message).not.toContain(accessToken)

    expect((await validate(await token())).status).toBe(200)
  })

  it('answers API calls without a live bearer token with 401 authentication.required', async () => {
    const missing = await validate('')
    expect(missing.status).toBe(401)
    expect(missing.json).toEqual({
      message: expect.stringContaining('Authorization: Bearer'),
      code: 'authentication.required',
      status: 401,
      contextId: missing.headers.get('inin-correlation-id'),
      details: [],
      errors: []
    })
    const unknown = await validate('not-a-token-it-issued')
    expect(unknown.status).toBe(401)
    expect(unknown.json.code).toBe('authentication.required')
    const basicOnApi = await call('POST', `${bundlePath()}/validate`, {
      body: payload(),
      headers: { authorization: basic('sim-client', 'sim-secret') }
    })
    expect(basicOnApi.status).toBe(401)
  })
})

describe('validate', () => {
  let accessToken: string
  beforeEach(async () => {
    await start()
    accessToken = await token()
  })

  it('accepts a bundle whose external dependencies exist and reports capacity', async () => {
    const { status, json } = await validate(accessToken)
    expect(status).toBe(200)
    expect(json).toEqual({
      valid: true,
      warnings: [],
      errors: [],
      compatibilityCheck: {
        schemaVersion: '1.0',
        environmentCapacity: { availableFlowSlots: 1000, requiredFlowSlots: 1 }
      }
    })
  })

  it('reports an external dependency missing from the environment', async () => {
    const body = payload({ dependencyMatrix: { flows: ['base-routing', 'xyz'], queues: ['sales-inbound', 'vip'] } })
    const { status, json } = await validate(accessToken, body)
    expect(status).toBe(200)
    expect(json.valid).toBe(false)
    expect(json.errors).toHaveLength(2)
    expect(json.errors[0]).toContain(`dependency flows/xyz does not exist in environment ${ENVIRONMENT}`)
    expect(json.errors[1]).toContain(`dependency queues/vip does not exist in environment ${ENVIRONMENT}`)

    sim.setScenario({ existingResources: { flows: ['xyz'], queues: ['vip'] } })
    const withResources = await validate(accessToken, body)
    // existingResources replaces the default as a whole: base-routing is now missing.
    expect(withResources.json.errors).toEqual([expect.stringContaining('dependency flows/base-routing does not exist')])
  })

  it('adds injected warnings (still valid) and injected errors (invalid)', async () => {
    sim.setScenario({ validationWarnings: ['flow main-entry uses a deprecated action'] })
    const warned = await validate(accessToken)
    expect(warned.json.valid).toBe(true)
    expect(warned.json.warnings).toEqual(['flow main-entry uses a deprecated action'])

    sim.setScenario({ validationErrors: ['schema 0.9 is no longer supported'], schemaVersion: '2.3' })
    const failed = await validate(accessToken)
    expect(failed.json.valid).toBe(false)
    expect(failed.json.errors).toEqual(['schema 0.9 is no longer supported'])
    expect(failed.json.compatibilityCheck.schemaVersion).toBe('2.3')
  })

  it('reports a bundle needing more flow slots than the environment has', async () => {
    sim.setScenario({ availableFlowSlots: 1 })
    const fits = await validate(accessToken)
    expect(fits.json.valid).toBe(true)

    const twoFlows = payload({
      targetConfig: { flows: { 'main-entry': {}, 'after-hours': {} }, queues: { 'sales-inbound': {} } }
    })
    const { json } = await validate(accessToken, twoFlows)
    expect(json.valid).toBe(false)
    expect(json.errors).toEqual([expect.stringContaining(`bundle needs 2 flow slots but environment ${ENVIRONMENT} has 1 available`)])
    expect(json.compatibilityCheck.environmentCapacity).toEqual({ availableFlowSlots: 1, requiredFlowSlots: 2 })
  })

  it('answers 422 listing every fault of a malformed body', async () => {
    const { status, headers, json } = await validate(accessToken, { overrideValidation: 'yes' })
    expect(status).toBe(422)
    expect(json.code).toBe('invalid.request.body')
    expect(json.status).toBe(422)
    expect(json.contextId).toBe(headers.get('inin-correlation-id'))
    expect(json.details).toEqual([])
    expect(json.errors).toEqual([
      expect.stringContaining('bundleId is required'),
      expect.stringContaining('environmentId is required'),
      expect.stringContaining('targetConfig is required'),
      expect.stringContaining('overrideValidation must be true or false')
    ])

    const mismatch = await validate(accessToken, payload({ bundleId: 'other-bundle' }))
    expect(mismatch.status).toBe(422)
    expect(mismatch.json.errors).toEqual([expect.stringContaining(`"other-bundle" differs from the path's bundle id "${BUNDLE}"`)])
  })

  it('answers 415 to a body not sent as JSON and 400 to JSON that does not parse', async () => {
    const text = await call('POST', `${bundlePath()}/validate`, {
      token: accessToken,
      rawBody: JSON.stringify(payload()),
      headers: { 'content-type': 'text/plain' }
    })
    expect(text.status).toBe(415)
    const broken = await call('POST', `${bundlePath()}/validate`, {
      token: accessToken,
      rawBody: '{"bundleId": ',
      headers: { 'content-type': 'application/json' }
    })
    expect(broken.status).toBe(400)
    expect(broken.json.code).toBe('bad.request')
  })
})

describe('deploy and poll', () => {
  let accessToken: string
  beforeEach(async () => {
    await start()
    accessToken = await token()
  })

  it('moves PENDING -> IN_PROGRESS -> COMPLETED on the injected clock', async () => {
    const accepted = await deploy(accessToken)
    expect(accepted.status).toBe(202)
    expect(accepted.json).toEqual({
      id: expect.stringMatching(UUID),
      bundleId: BUNDLE,
      status: 'PENDING',
      selfUri: `${bundlePath()}/deployments/${accepted.json.id}`
    })
    const id = accepted.json.id as string
    const seen: Array<[number, string]> = []
    for (const elapsed of [0, 199, 200, 999, 1000, 5000]) {
      clock = START + elapsed
      seen.push([elapsed, (await status(accessToken, id)).json.status])
    }
    expect(seen).toEqual([
      [0, 'PENDING'],
      [199, 'PENDING'],
      [200, 'IN_PROGRESS'],
      [999, 'IN_PROGRESS'],
      [1000, 'COMPLETED'],
      [5000, 'COMPLETED']
    ])
    const done = await status(accessToken, id)
    expect(done.json).toEqual({
      id,
      bundleId: BUNDLE,
      environmentId: ENVIRONMENT,
      status: 'COMPLETED',
      dateCreated: new Date(START).toISOString(),
      dateCompleted: new Date(START + 1000).toISOString(),
      selfUri: `${bundlePath()}/deployments/${id}`
    })
    expect(sim.deployments.map(deployment => deployment.payload)).toEqual([payload()])
  })

  it('takes durations from the scenario and keeps a running deployment on the plan it started with', async () => {
    sim.setScenario({ deployDurationMs: 10_000, pendingMs: 0 })
    const id = (await deploy(accessToken)).json.id as string
    expect((await status(accessToken, id)).json.status).toBe('IN_PROGRESS')
    sim.setScenario({ outcome: 'FAILED', deployDurationMs: 1 })
    clock += 9_999
    expect((await status(accessToken, id)).json.status).toBe('IN_PROGRESS')
    clock += 1
    expect((await status(accessToken, id)).json.status).toBe('COMPLETED')
  })

  it('answers 400 to a deploy payload without environmentId, targetConfig or with another bundle id', async () => {
    const { status: code, json } = await deploy(accessToken, { bundleId: 'other-bundle' })
    expect(code).toBe(400)
    expect(json.code).toBe('bad.request')
    expect(json.errors).toEqual([
      expect.stringContaining('differs from the path'),
      expect.stringContaining('environmentId is required'),
      expect.stringContaining('targetConfig is required')
    ])
    expect(sim.deployments).toHaveLength(0)
  })

  it('ends VALIDATION_ERROR when the deployed payload fails the platform validation', async () => {
    const body = payload({ dependencyMatrix: { flows: ['missing-flow'] } })
    const id = (await deploy(accessToken, body)).json.id as string
    clock += 1000
    const { json } = await status(accessToken, id)
    expect(json.status).toBe('VALIDATION_ERROR')
    expect(json.message).toContain('dependency flows/missing-flow does not exist')
    expect(json.errorMessage).toBe(json.message)
  })

  it('FAILED, then a rollback reaches ROLLED_BACK after rollbackDurationMs', async () => {
    sim.setScenario({ outcome: 'FAILED', failureMessage: 'flow main-entry could not be published' })
    const id = await deployToEnd(accessToken)
    const failed = await status(accessToken, id)
    expect(failed.json.status).toBe('FAILED')
    expect(failed.json.message).toBe('flow main-entry could not be published')
    expect(failed.json.errorMessage).toBe('flow main-entry could not be published')

    const requested = await rollback(accessToken, id, { reason: 'deployment FAILED' })
    expect(requested.status).toBe(202)
    expect(requested.json).toEqual({ id, status: 'ROLLBACK_IN_PROGRESS' })
    const rollbackStart = clock
    expect((await status(accessToken, id)).json.status).toBe('ROLLBACK_IN_PROGRESS')
    clock += 499
    expect((await status(accessToken, id)).json.status).toBe('ROLLBACK_IN_PROGRESS')
    clock += 1
    const done = await status(accessToken, id)
    expect(done.json.status).toBe('ROLLED_BACK')
    expect(done.json.rollback).toEqual({
      reason: 'deployment FAILED',
      dateRequested: new Date(rollbackStart).toISOString(),
      dateCompleted: new Date(rollbackStart + 500).toISOString()
    })
  })

  it('FAILED, then a rollback ending ROLLBACK_FAILED, which can be retried', async () => {
    sim.setScenario({
      outcome: 'FAILED',
      rollbackOutcome: 'ROLLBACK_FAILED',
      rollbackDurationMs: 50,
      rollbackFailureMessage: 'previous version of main-entry is gone'
    })
    const id = await deployToEnd(accessToken)
    expect((await rollback(accessToken, id)).status).toBe(202)
    clock += 50
    const failed = await status(accessToken, id)
    expect(failed.json.status).toBe('ROLLBACK_FAILED')
    expect(failed.json.message).toBe('previous version of main-entry is gone')

    sim.setScenario({ rollbackOutcome: 'ROLLED_BACK' })
    expect((await rollback(accessToken, id, { reason: 'retry' })).status).toBe(202)
    clock += 50
    expect((await status(accessToken, id)).json.status).toBe('ROLLED_BACK')
  })

  it('ROLLBACK_TRIGGERED: the platform rolled back by itself, so a rollback request conflicts', async () => {
    sim.setScenario({ outcome: 'ROLLBACK_TRIGGERED' })
    const id = await deployToEnd(accessToken)
    const { json } = await status(accessToken, id)
    expect(json.status).toBe('ROLLBACK_TRIGGERED')
    expect(json.message).toContain('rolled it back automatically')
    const refused = await rollback(accessToken, id)
    expect(refused.status).toBe(409)
    expect(refused.json.code).toBe('conflict')
    expect(refused.json.message).toContain('ROLLBACK_TRIGGERED')
  })

  it('refuses to roll back a running deployment; rolls back a COMPLETED one; a repeat does not restart it', async () => {
    const id = (await deploy(accessToken)).json.id as string
    const running = await rollback(accessToken, id)
    expect(running.status).toBe(409)
    expect(running.json.code).toBe('conflict')
    expect(running.json.message).toContain('is PENDING')

    clock += 1000
    expect((await rollback(accessToken, id, { reason: 'undo a good deployment' })).status).toBe(202)
    clock += 300
    const repeated = await rollback(accessToken, id, { reason: 'retried request' })
    expect(repeated.status).toBe(202)
    expect(repeated.json).toEqual({ id, status: 'ROLLBACK_IN_PROGRESS' })

    clock += 200
    const done = await status(accessToken, id)
    expect(done.json.status).toBe('ROLLED_BACK')
    expect(done.json.rollback.reason).toBe('undo a good deployment')
    const again = await rollback(accessToken, id)
    expect(again.status).toBe(409)
    expect(again.json.message).toContain('already ROLLED_BACK')
  })

  it('requires a rollback reason', async () => {
    const id = await deployToEnd(accessToken)
    const { status: code, json } = await rollback(accessToken, id, {})
    expect(code).toBe(400)
    expect(json.message).toContain('reason')
    expect((await status(accessToken, id)).json.status).toBe('COMPLETED')
  })

  it('answers 404 not.found for an unknown deployment or one of another bundle', async () => {
    const id = (await deploy(accessToken)).json.id as string
    const unknown = await status(accessToken, '00000000-0000-4000-8000-000000000000')
    expect(unknown.status).toBe(404)
    expect(unknown.json.code).toBe('not.found')
    expect((await status(accessToken, id, 'other-bundle')).status).toBe(404)
    expect((await rollback(accessToken, id, undefined, 'other-bundle')).status).toBe(404)
  })
})

describe('routing', () => {
  beforeEach(() => start())

  it('answers 404 to an unknown path and 405 (with Allow) to a wrong method', async () => {
    const accessToken = await token()
    const unknown = await call('GET', '/api/v2/architect/nothing-here', { token: accessToken })
    expect(unknown.status).toBe(404)
    expect(unknown.json.code).toBe('not.found')

    const wrongMethod = await call('GET', `${bundlePath()}/validate`, { token: accessToken })
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get('allow')).toBe('POST')

    const tokenByGet = await call('GET', '/oauth/token')
    expect(tokenByGet.status).toBe(405)
  })

  it('puts a fresh correlation id on every answer and repeats it as contextId in errors', async () => {
    const first = await requestToken()
    const second = await call('GET', '/nowhere')
    const ids = [first.headers.get('inin-correlation-id'), second.headers.get('inin-correlation-id')]
    expect(ids).toEqual([expect.stringMatching(UUID), expect.stringMatching(UUID)])
    expect(ids[0]).not.toBe(ids[1])
    expect(second.json.contextId).toBe(ids[1])
    expect(second.headers.get('content-type')).toMatch(/^application\/json/)
  })
})

describe('fault injection', () => {
  let accessToken: string
  beforeEach(async () => {
    await start()
    accessToken = await token()
  })

  it('rateLimit: the next count matching requests answer 429 with Retry-After, others pass', async () => {
    sim.setScenario({ rateLimit: { count: 2, retryAfterSeconds: 7, on: 'deploy' } })
    expect((await validate(accessToken)).status).toBe(200)
    for (let attempt = 0; attempt < 2; attempt++) {
      const limited = await deploy(accessToken)
      expect(limited.status).toBe(429)
      expect(limited.headers.get('retry-after')).toBe('7')
      expect(limited.json).toEqual({
        message: 'Rate limit exceeded the maximum. Retry the request in [7] seconds',
        code: 'too.many.requests',
        status: 429,
        contextId: limited.headers.get('inin-correlation-id'),
        details: [],
        errors: []
      })
    }
    expect((await deploy(accessToken)).status).toBe(202)
    expect(sim.deployments).toHaveLength(1)
    expect(sim.requests.map(request => request.fault ?? null)).toEqual([null, null, 'rate-limit', 'rate-limit', null])
  })

  it('rateLimit on token, and with `any` (the default) on whatever comes next, before authentication', async () => {
    sim.setScenario({ rateLimit: { count: 1, on: 'token' } })
    const limited = await requestToken()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect((await requestToken()).status).toBe(200)

    sim.setScenario({ rateLimit: { count: 1 } })
    const unauthenticated = await validate('')
    expect(unauthenticated.status).toBe(429)
    expect((await validate('')).status).toBe(401)
  })

  it('serverErrors: the chosen 5xx with its Genesys code, then normal answers', async () => {
    const id = (await deploy(accessToken)).json.id as string
    sim.setScenario({ serverErrors: { count: 1, status: 502, on: 'status' } })
    const failed = await status(accessToken, id)
    expect(failed.status).toBe(502)
    expect(failed.json.code).toBe('bad.gateway')
    expect(failed.json.contextId).toBe(failed.headers.get('inin-correlation-id'))
    expect((await status(accessToken, id)).status).toBe(200)

    sim.setScenario({ serverErrors: { count: 1, on: 'rollback' } })
    clock += 1000
    const unavailable = await rollback(accessToken, id)
    expect(unavailable.status).toBe(503)
    expect(unavailable.json.code).toBe('service.unavailable')
    expect((await rollback(accessToken, id)).status).toBe(202)
  })

  it('connectionResets: the socket closes without an answer, and the next request is served', async () => {
    sim.setScenario({ connectionResets: { count: 1, on: 'deploy' } })
    await expect(deploy(accessToken)).rejects.toThrow()
    expect(sim.deployments).toHaveLength(0)
    expect((await deploy(accessToken)).status).toBe(202)
    const deploys = sim.requests.filter(request => request.path.endsWith('/deploy'))
    expect(deploys.map(request => [request.fault ?? null, request.status])).toEqual([
      ['connection-reset', null],
      [null, 202]
    ])
  })

  it('a cleared fault stops, and setting a fault again re-arms its count', async () => {
    sim.setScenario({ serverErrors: { count: 5, on: 'validate' } })
    expect((await validate(accessToken)).status).toBe(503)
    sim.setScenario({ serverErrors: null })
    expect((await validate(accessToken)).status).toBe(200)
    sim.setScenario({ serverErrors: { count: 1, status: 500, on: 'validate' } })
    expect((await validate(accessToken)).status).toBe(500)
    expect((await validate(accessToken)).status).toBe(200)
  })

  it('slowResponseMs: holds answers back so a client timeout trips, though the request was processed', async () => {
    sim.setScenario({ slowResponseMs: 10_000 })
    await expect(
      fetch(`${sim.url}${bundlePath()}/deploy`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(payload()),
        signal: AbortSignal.timeout(100)
      })
    ).rejects.toThrow(/abort|timeout/i)
    expect(sim.deployments).toHaveLength(1)
    expect(sim.requests.at(-1)?.status).toBeNull()

    sim.setScenario({ slowResponseMs: 60 })
    const started = performance.now()
    expect((await validate(accessToken)).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(55)
  })
})

describe('per-bundle overrides', () => {
  let accessToken: string
  beforeEach(async () => {
    await start()
    accessToken = await token()
  })

  it('lets two bundles behave differently while the default still reaches unnamed fields', async () => {
    sim.setScenario({ outcome: 'FAILED', failureMessage: 'bundle a broke' }, 'bundle-a')
    sim.setScenario({ deployDurationMs: 300 })
    expect(sim.scenario('bundle-a')).toMatchObject({ outcome: 'FAILED', deployDurationMs: 300 })

    const a = (await deploy(accessToken, payload({ bundleId: 'bundle-a' }), 'bundle-a')).json.id as string
    const b = (await deploy(accessToken, payload({ bundleId: 'bundle-b' }), 'bundle-b')).json.id as string
    clock += 300
    const stateA = await status(accessToken, a, 'bundle-a')
    expect([stateA.json.status, stateA.json.message]).toEqual(['FAILED', 'bundle a broke'])
    expect((await status(accessToken, b, 'bundle-b')).json.status).toBe('COMPLETED')
  })

  it('keeps fault counts per bundle', async () => {
    sim.setScenario({ serverErrors: { count: 1, status: 500, on: 'validate' } }, 'bundle-a')
    expect((await validate(accessToken, payload({ bundleId: 'bundle-b' }), 'bundle-b')).status).toBe(200)
    expect((await validate(accessToken, payload({ bundleId: 'bundle-a' }), 'bundle-a')).status).toBe(500)
    expect((await validate(accessToken, payload({ bundleId: 'bundle-a' }), 'bundle-a')).status).toBe(200)
  })
})

describe('request recording and reset', () => {
  it('records method, path, query, lower-case headers, raw body, parsed JSON, status and correlation id', async () => {
    await start()
    const accessToken = await token()
    const body = payload()
    const response = await fetch(`${sim.url}${bundlePath()}/validate?dryRun=true`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json', 'X-Trace-Id': 'run-42' },
      body: JSON.stringify(body)
    })
    expect(response.status).toBe(200)
    const [tokenRequest, validateRequest] = sim.requests
    expect(tokenRequest).toMatchObject({
      method: 'POST',
      path: '/oauth/token',
      body: 'grant_type=client_credentials',
      status: 200
    })
    expect(tokenRequest.json).toBeUndefined()
    expect(validateRequest).toMatchObject({
      method: 'POST',
      path: `${bundlePath()}/validate`,
      query: { dryRun: 'true' },
      body: JSON.stringify(body),
      json: body,
      status: 200,
      correlationId: response.headers.get('inin-correlation-id'),
      receivedAt: START
    })
    expect(validateRequest.headers).toMatchObject({
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      'x-trace-id': 'run-42'
    })
  })

  it('reset() clears deployments, requests, overrides, counts; restores the start scenario; keeps tokens', async () => {
    await start({ scenario: { deployDurationMs: 100, rateLimit: { count: 1, on: 'validate' } } })
    const accessToken = await token()
    expect((await validate(accessToken)).status).toBe(429)
    sim.setScenario({ outcome: 'FAILED' }, BUNDLE)
    sim.setScenario({ deployDurationMs: 5 })
    await deploy(accessToken)
    const requests = sim.requests

    sim.reset()
    expect(requests).toHaveLength(0)
    expect(sim.deployments).toHaveLength(0)
    expect(sim.scenario(BUNDLE)).toMatchObject({ outcome: 'COMPLETED', deployDurationMs: 100 })
    expect((await validate(accessToken)).status).toBe(429)
    expect((await validate(accessToken)).status).toBe(200)
  })
})

describe('control endpoints', () => {
  let accessToken: string
  beforeEach(async () => {
    await start()
    accessToken = await token()
  })

  const control = (method: string, path: string, body?: unknown): Promise<Answer> => call(method, `/__sim/${path}`, { body })

  it('POST /__sim/scenario patches the default or one bundle and answers the resulting scenario', async () => {
    const forBundle = await control('POST', 'scenario', {
      scenario: { outcome: 'FAILED', deployDurationMs: 40 },
      bundleId: 'bundle-a'
    })
    expect(forBundle.status).toBe(200)
    expect(forBundle.json.bundleId).toBe('bundle-a')
    expect(forBundle.json.scenario).toMatchObject({
      outcome: 'FAILED',
      deployDurationMs: 40,
      rollbackOutcome: 'ROLLED_BACK'
    })
    expect(sim.scenario().outcome).toBe('COMPLETED')

    const id = (await deploy(accessToken, payload({ bundleId: 'bundle-a' }), 'bundle-a')).json.id as string
    clock += 40
    expect((await status(accessToken, id, 'bundle-a')).json.status).toBe('FAILED')

    const cleared = await control('POST', 'scenario', { scenario: { outcome: null }, bundleId: 'bundle-a' })
    expect(cleared.json.scenario.outcome).toBe('COMPLETED')

    const faulted = await control('POST', 'scenario', { scenario: { rateLimit: { count: 1, on: 'validate' } } })
    expect(faulted.status).toBe(200)
    expect((await validate(accessToken)).status).toBe(429)
  })

  it('POST /__sim/scenario refuses a malformed scenario, naming every problem, and applies nothing', async () => {
    const bad = await control('POST', 'scenario', {
      scenario: { outcome: 'MAYBE', deployDurationMs: -1, colour: 'red' }
    })
    expect(bad.status).toBe(400)
    expect(bad.json.code).toBe('bad.request')
    expect(bad.json.message).toContain('scenario.outcome')
    expect(bad.json.message).toContain('scenario.deployDurationMs')
    expect(bad.json.message).toContain('colour')
    expect(sim.scenario()).toMatchObject({ outcome: 'COMPLETED', deployDurationMs: 1000 })

    const wrapper = await control('POST', 'scenario', { outcome: 'FAILED' })
    expect(wrapper.status).toBe(400)
    expect(wrapper.json.message).toContain('"scenario"')
  })

  it('GET /__sim/requests lists the Genesys requests only; POST /__sim/reset clears state', async () => {
    const id = (await deploy(accessToken)).json.id as string
    await control('POST', 'scenario', { scenario: { outcome: 'FAILED' }, bundleId: BUNDLE })
    const listed = await control('GET', 'requests')
    expect(listed.status).toBe(200)
    const paths = (listing: Answer): string[] => listing.json.requests.map((request: { path: string }) => request.path)
    expect(paths(listed)).toEqual(['/oauth/token', `${bundlePath()}/deploy`])

    const reset = await control('POST', 'reset')
    expect(reset.json).toEqual({ reset: true })
    expect((await status(accessToken, id)).status).toBe(404)
    expect(sim.scenario(BUNDLE).outcome).toBe('COMPLETED')
    expect(paths(await control('GET', 'requests'))).toEqual([`${bundlePath()}/deployments/${id}`])
  })

  it('answers 405 and 404 on the control prefix', async () => {
    expect((await control('GET', 'scenario')).status).toBe(405)
    const unknown = await control('POST', 'explode')
    expect(unknown.status).toBe(404)
    expect(unknown.json.message).toContain('POST /__sim/scenario')
  })
})

describe('cli', () => {
  const repoRoot = process.cwd()
  const tsx = resolve(repoRoot, 'node_modules/.bin/tsx')

  /** Runs the CLI; resolves with its output once `ready` matches it, or once it exits. */
  function runCli(args: string[], ready: RegExp) {
    const env = { ...process.env }
    delete env.NODE_OPTIONS
    const child = spawn(tsx, ['simulator/cli.ts', ...args], { cwd: repoRoot, env })
    let output = ''
    const exited = new Promise<number | null>(resolveExit => child.once('exit', code => resolveExit(code)))
    const readied = new Promise<string>(resolveReady => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString()
        if (ready.test(output)) resolveReady(output)
      }
      child.stdout.on('data', onData)
      child.stderr.on('data', onData)
      void exited.then(() => resolveReady(output))
    })
    return { child, readied, exited, output: () => output }
  }

  it('prints the URL and demo credentials, serves them, loads a scenario file and stops on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-cli-'))
    try {
      const scenarioFile = join(dir, 'scenario.json')
      await writeFile(scenarioFile, JSON.stringify({ tokenLifetimeSeconds: 120 }))
      const cli = runCli(['--port', '0', '--scenario', scenarioFile], /client-secret: \S+/)
      const output = await cli.readied
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
      expect(url).toBeDefined()
      expect(output).toContain('client-id: sim-client')
      const response = await fetch(`${url}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: basic('sim-client', 'sim-secret'),
          'content-type': 'application/x-www-form-urlencoded'
        },
        body: 'grant_type=client_credentials'
      })
      expect(((await response.json()) as { expires_in: number }).expires_in).toBe(120)
      cli.child.kill('SIGTERM')
      expect(await cli.exited).toBe(0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('exits 1 naming the field of an invalid scenario file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-cli-'))
    try {
      const scenarioFile = join(dir, 'bad.json')
      await writeFile(scenarioFile, JSON.stringify({ outcome: 'SOMETIMES' }))
      const cli = runCli(['--port', '0', '--scenario', scenarioFile], /^\b$/)
      expect(await cli.exited).toBe(1)
      expect(cli.output()).toContain(`${scenarioFile}.outcome`)
      expect(cli.output()).toContain('usage:')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
