/**
 * The HTTP client's run-wide rules against a real local server: one rate budget shared by concurrent workers, a 429's
 * Retry-After pausing every request, and which unparsable answers are asked for again. Sleeps are recorded, not
 * waited; the clock stands still unless a test moves it, so each wait shows exactly when the budget let a request go.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { ScriptedServer } from '../__fixtures__/scripted-server.js'
import { GenesysApiError } from '../src/genesys/genesys-api-error.js'
import { GenesysHttpClient, type GenesysHttpClientOptions } from '../src/genesys/http-client.js'

let server: ScriptedServer

beforeEach(async () => {
  server = await ScriptedServer.start()
})

afterEach(async () => {
  await server.close()
})

function client(overrides: Partial<GenesysHttpClientOptions> = {}) {
  const waits: number[] = []
  const logs: string[] = []
  const clock = { now: 5_000_000 }
  const created = new GenesysHttpClient({
    apiUrl: server.url,
    authUrl: server.url,
    clientId: 'client-budget',
    clientSecret: 'secret-budget-1',
    sleep: async ms => void waits.push(ms),
    random: () => 0,
    now: () => clock.now,
    log: line => logs.push(line),
    ...overrides
  })
  return { client: created, waits, logs, clock }
}

async function failure(promise: Promise<unknown>): Promise<GenesysApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught
  )
  if (!(error instanceof GenesysApiError)) throw new Error(`expected a GenesysApiError, got ${String(error)}`)
  return error
}

describe('one rate budget for every request of the run', () => {
  it('lets concurrent workers send no more than the limit in any window, the token request not counted', async () => {
    server.script('GET /api/v2/flows', { status: 200, body: { entities: [] } })
    const { client: shared, waits } = client({ rateBudget: { limit: 5, windowMs: 10_000 } })
    const worker = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) await shared.request({ method: 'GET', path: '/api/v2/flows' })
    }
    await Promise.all([worker(), worker(), worker(), worker()])

    expect(server.requestsTo('GET /api/v2/flows')).toHaveLength(12)
    expect(server.tokenRequests).toHaveLength(1)
    // The clock stands still, so each wait is when the request's slot came: 5 at once, 5 after 10 s, 2 after 20 s.
    expect([...waits].sort((a, b) => a - b)).toEqual([10_000, 10_000, 10_000, 10_000, 10_000, 20_000, 20_000])
  })

  it('holds every request back while a 429 Retry-After runs, not only the one that met it', async () => {
    server.script('GET /api/v2/first', { status: 429, headers: { 'retry-after': '3' } }, { status: 200, body: { first: true } })
    server.script('GET /api/v2/second', { status: 200, body: { second: true } })
    const pauseWaits: { ms: number; secondSent: number }[] = []
    let second: Promise<unknown> | undefined
    const {
      client: shared,
      logs,
      clock
    } = client({
      sleep: async ms => {
        pauseWaits.push({ ms, secondSent: server.requestsTo('GET /api/v2/second').length })
        // While the first request waits out its 429, another worker sends a request of its own.
        second ??= shared.request({ method: 'GET', path: '/api/v2/second' })
        // Time passes once the other worker has reached the budget.
        await new Promise(resolve => setImmediate(resolve))
        clock.now += ms
      }
    })

    const first = await shared.request({ method: 'GET', path: '/api/v2/first' })
    expect(first.body).toEqual({ first: true })
    expect(((await second) as { body: unknown }).body).toEqual({ second: true })

    // The first request's own retry wait, then the second's wait for the pause, before the second was sent.
    expect(pauseWaits).toEqual([
      { ms: 3_000, secondSent: 0 },
      { ms: 3_000, secondSent: 0 }
    ])
    expect(logs).toContainEqual(expect.stringMatching(/^Rate limited: every request of this run waits 3000 ms/))
  })

  it('ends a request the budget would hold past the caller deadline as a timeout that says why', async () => {
    server.script('GET /api/v2/flows', { status: 200, body: {} })
    const { client: shared, clock, waits } = client({ rateBudget: { limit: 1, windowMs: 60_000 }, deadline: () => clock.now + 5_000 })
    await shared.request({ method: 'GET', path: '/api/v2/flows' })
    const error = await failure(shared.request({ method: 'GET', path: '/api/v2/flows' }))
    expect(error.kind).toBe('timeout')
    expect(error.hint()).toMatch(/budget of 1 requests per 60 s .*lower `max-parallel-jobs`/)
    expect(waits).toEqual([5_000])
    expect(server.requestsTo('GET /api/v2/flows')).toHaveLength(1)
  })
})

describe('answers that could not be parsed', () => {
  const TRUNCATED = { status: 200, raw: '{"entities": [{"id": "f-1", "na', headers: { 'content-type': 'application/json' } }

  it('asks a read again when its JSON answer was cut short', async () => {
    server.script('GET /api/v2/flows', TRUNCATED, { status: 200, body: { entities: [] } })
    const { client: reader, logs, waits } = client()
    const response = await reader.request({ method: 'GET', path: '/api/v2/flows' })
    expect(response.body).toEqual({ entities: [] })
    expect(server.requestsTo('GET /api/v2/flows')).toHaveLength(2)
    expect(waits).toEqual([500])
    expect(logs).toContainEqual(expect.stringContaining('attempt 1 of 5 failed (an answer that could not be parsed)'))
  })

  it('gives up on a read after maxAttempts, saying so', async () => {
    server.script('GET /api/v2/flows', TRUNCATED)
    const error = await failure(client({ maxAttempts: 3 }).client.request({ method: 'GET', path: '/api/v2/flows' }))
    expect(error.kind).toBe('invalid-response')
    expect(error.message).toContain('after 3 attempts')
    expect(server.requestsTo('GET /api/v2/flows')).toHaveLength(3)
  })

  it('asks a POST that only validates again, and the token request', async () => {
    server.script(
      'POST /oauth/token',
      { status: 200, raw: '{"access_token": "tok-cut', headers: { 'content-type': 'application/json' } },
      { status: 200, body: { access_token: 'tok-whole-1', expires_in: 3600 } }
    )
    server.script('POST /api/v2/validate', TRUNCATED, { status: 200, body: { valid: true } })
    const { client: validator } = client()
    const response = await validator.request({ method: 'POST', path: '/api/v2/validate', body: {}, idempotent: true, readOnly: true })
    expect(response.body).toEqual({ valid: true })
    expect(server.tokenRequests).toHaveLength(2)
    expect(server.requestsTo('POST /api/v2/validate')).toHaveLength(2)
  })

  it('never asks again for a request with side effects: a deploy, or a flow job registration', async () => {
    server.script('POST /api/v2/deploy', TRUNCATED, { status: 200, body: { id: 'd-1' } })
    server.script('POST /api/v2/flows/jobs', TRUNCATED, { status: 200, body: { id: 'j-1' } })
    const { client: writer } = client()
    expect((await failure(writer.request({ method: 'POST', path: '/api/v2/deploy', body: {} }))).kind).toBe('invalid-response')
    expect((await failure(writer.request({ method: 'POST', path: '/api/v2/flows/jobs', idempotent: true }))).kind).toBe('invalid-response')
    expect(server.requestsTo('POST /api/v2/deploy')).toHaveLength(1)
    expect(server.requestsTo('POST /api/v2/flows/jobs')).toHaveLength(1)
  })

  it('does not repeat an answer of another kind (a proxy page): it would come back the same', async () => {
    server.script('GET /api/v2/flows', { status: 200, raw: '<html>Sign in</html>', headers: { 'content-type': 'text/html' } })
    const error = await failure(client().client.request({ method: 'GET', path: '/api/v2/flows' }))
    expect(error.message).toContain('not JSON (content-type text/html)')
    expect(server.requestsTo('GET /api/v2/flows')).toHaveLength(1)
  })
})
