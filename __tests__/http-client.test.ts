import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { ScriptedServer } from '../__fixtures__/scripted-server.js'
import { GenesysApiError } from '../src/genesys/genesys-api-error.js'
import { describeEndpoint, GenesysHttpClient, type GenesysHttpClientOptions } from '../src/genesys/http-client.js'

/**
 * The client against a real local HTTP server that answers what each test scripts (__fixtures__/scripted-server.ts):
 * the token endpoint, status codes, headers, broken connections and silence are all real network behaviour.
 */

const CLIENT_ID = 'client-0a1b2c'
const CLIENT_SECRET = 's3cr3t-value-never-logged'
const BASIC = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')

let server: ScriptedServer
/** Every log line and error message of the test, checked for secrets after it. */
let output: string[]

beforeEach(async () => {
  server = await ScriptedServer.start()
  output = []
})

afterEach(async () => {
  await server.close()
  const secrets = [CLIENT_SECRET, BASIC, ...server.issuedTokens]
  for (const line of output) {
    for (const secret of secrets) expect(line).not.toContain(secret)
  }
})

interface Harness {
  client: GenesysHttpClient
  waits: number[]
  logs: string[]
  clock: { now: number }
}

function harness(overrides: Partial<GenesysHttpClientOptions> = {}): Harness {
  const waits: number[] = []
  const logs: string[] = []
  const clock = { now: 1_000_000 }
  const collect = (line: string): void => {
    logs.push(line)
    output.push(line)
  }
  const client = new GenesysHttpClient({
    apiUrl: server.url,
    authUrl: server.url,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    sleep: async ms => {
      waits.push(ms)
    },
    random: () => 0,
    now: () => clock.now,
    log: { debug: collect, info: collect },
    ...overrides
  })
  return { client, waits, logs, clock }
}

/** The error a promise rejects with, recorded for the secret check. */
async function failureOf(promise: Promise<unknown>): Promise<GenesysApiError> {
  try {
    await promise
  } catch (error) {
    if (!(error instanceof GenesysApiError)) throw error
    output.push(error.message)
    return error
  }
  throw new Error('expected the request to fail')
}

const FLOWS = 'GET /api/v2/flows'

describe('GenesysHttpClient: token', () => {
  it('asks for a client-credentials token with Basic auth and a form body, then sends it as Bearer', async () => {
    server.script(FLOWS, { status: 200, body: { entities: [] } })
    const { client } = harness()

    const response = await client.request<{ entities: unknown[] }>({ method: 'GET', path: '/api/v2/flows' })

    expect(response).toMatchObject({ status: 200, body: { entities: [] } })
    const [token] = server.tokenRequests
    expect(token.headers.authorization).toBe(`Basic ${BASIC}`)
    expect(token.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(token.body).toBe('grant_type=client_credentials')
    expect(server.requestsTo(FLOWS)[0].headers.authorization).toBe(`Bearer ${server.issuedTokens[0]}`)
  })

  it('reuses the token until shortly before it expires, then fetches a new one', async () => {
    server.setTokenLifetime(3600)
    server.script(FLOWS, { status: 200, body: {} })
    const { client, clock } = harness()

    await client.request({ method: 'GET', path: '/api/v2/flows' })
    clock.now += 3_000_000 // 50 min: still well inside the hour
    await client.request({ method: 'GET', path: '/api/v2/flows' })
    expect(server.tokenRequests).toHaveLength(1)

    clock.now += 541_000 // 59 min 1 s: inside the renewal margin (min(60 s, 10 %))
    await client.request({ method: 'GET', path: '/api/v2/flows' })
    expect(server.tokenRequests).toHaveLength(2)
    expect(server.requestsTo(FLOWS)[2].headers.authorization).toBe(`Bearer ${server.issuedTokens[1]}`)
  })

  it('shares one token fetch between concurrent requests', async () => {
    server.script(FLOWS, { status: 200, body: {} })
    const { client } = harness()

    await Promise.all([1, 2, 3].map(() => client.request({ method: 'GET', path: '/api/v2/flows' })))

    expect(server.tokenRequests).toHaveLength(1)
  })

  it('on a 401 fetches a new token once and repeats the request', async () => {
    server.script(FLOWS, { status: 401, body: { message: 'token expired', code: 'bad.credentials' } }, { status: 200, body: { ok: true } })
    const { client } = harness()

    const response = await client.request({ method: 'GET', path: '/api/v2/flows' })

    expect(response.body).toEqual({ ok: true })
    expect(server.tokenRequests).toHaveLength(2)
    const calls = server.requestsTo(FLOWS)
    expect(calls.map(call => call.headers.authorization)).toEqual([`Bearer ${server.issuedTokens[0]}`, `Bearer ${server.issuedTokens[1]}`])
  })

  it('fails with guidance when the API refuses the fresh token too', async () => {
    server.script(FLOWS, { status: 401, body: { message: 'Invalid login credentials.', code: 'bad.credentials' } })
    const { client } = harness()

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/flows' }))

    expect(error.status).toBe(401)
    expect(server.tokenRequests).toHaveLength(2)
    expect(server.requestsTo(FLOWS)).toHaveLength(2)
    expect(error.message).toContain('Invalid login credentials.')
    expect(error.hint()).toMatch(/Client Credentials grant.*org.*region/)
  })

  it('names client-id, client-secret and the auth URL when the token endpoint refuses the credentials', async () => {
    server.script('POST /oauth/token', {
      status: 401,
      body: { error: 'invalid_client', error_description: 'client not found' }
    })
    const { client } = harness()

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/flows' }))

    expect(error.kind).toBe('auth')
    expect(error.code).toBe('invalid_client')
    expect(error.message).toContain(`${server.url}/oauth/token`)
    expect(error.message).toContain('client not found')
    expect(error.message).toContain('`client-id`')
    expect(error.message).toContain('`client-secret`')
    expect(server.tokenRequests).toHaveLength(1)
    expect(server.requestsTo(FLOWS)).toHaveLength(0)
  })

  it('retries the token endpoint on 5xx and 429 like any request', async () => {
    server.script(
      'POST /oauth/token',
      { status: 503, raw: 'upstream unavailable' },
      { status: 429, headers: { 'retry-after': '2' } },
      { status: 200, body: { access_token: 'tok-late-xyz1', expires_in: 3600 } }
    )
    server.issuedTokens.push('tok-late-xyz1')
    server.script(FLOWS, { status: 200, body: {} })
    const { client, waits } = harness()

    await client.request({ method: 'GET', path: '/api/v2/flows' })

    expect(server.tokenRequests).toHaveLength(3)
    expect(waits).toEqual([500, 2000])
    expect(server.requestsTo(FLOWS)[0].headers.authorization).toBe('Bearer tok-late-xyz1')
  })

  it('does not quote a token answer it cannot read', async () => {
    server.script('POST /oauth/token', { status: 200, raw: 'access_token=tok-form-encoded-9&expires_in=60' })
    server.issuedTokens.push('tok-form-encoded-9')
    const { client } = harness()

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/flows' }))

    expect(error.kind).toBe('invalid-response')
    expect(error.message).toMatch(/token answer that is not JSON/)
  })
})

describe('GenesysHttpClient: rate limits', () => {
  it('waits Retry-After seconds after a 429 and then succeeds', async () => {
    server.script(FLOWS, { status: 429, headers: { 'retry-after': '7' }, body: { message: 'Rate limit exceeded' } }, { status: 200, body: { ok: 1 } })
    const { client, waits, logs } = harness({ random: () => 0.5 })

    const response = await client.request({ method: 'GET', path: '/api/v2/flows' })

    expect(response.body).toEqual({ ok: 1 })
    expect(waits).toEqual([7000 + 500]) // Retry-After plus half of the 1 s jitter
    expect(logs.some(line => /attempt 1 of 11 failed \(HTTP 429.*wait 1 of 10\); retrying in 7500 ms/.test(line))).toBe(true)
  })

  it('caps a long Retry-After at retryAfterCapMs', async () => {
    server.script(FLOWS, { status: 429, headers: { 'retry-after': '3600' } }, { status: 200, body: {} })
    const { client, waits } = harness({ retryAfterCapMs: 20_000 })

    await client.request({ method: 'GET', path: '/api/v2/flows' })

    expect(waits).toEqual([20_000])
  })

  it('retries a 429 even for a POST that is not idempotent: the platform did not process it', async () => {
    server.script('POST /api/v2/things', { status: 429, headers: { 'retry-after': '1' } }, { status: 201, body: { id: 'x' } })
    const { client } = harness()

    const response = await client.request({ method: 'POST', path: '/api/v2/things', body: { a: 1 } })

    expect(response.status).toBe(201)
    expect(server.requestsTo('POST /api/v2/things')).toHaveLength(2)
  })

  it('survives a storm of 429s longer than maxAttempts but within maxRateLimitWaits', async () => {
    const storm = Array.from({ length: 8 }, () => ({ status: 429, headers: { 'retry-after': '1' } }))
    server.script(FLOWS, ...storm, { status: 200, body: { done: true } })
    const { client, waits } = harness({ maxAttempts: 3, maxRateLimitWaits: 10 })

    const response = await client.request({ method: 'GET', path: '/api/v2/flows' })

    expect(response.body).toEqual({ done: true })
    expect(waits).toHaveLength(8)
    expect(server.requestsTo(FLOWS)).toHaveLength(9)
  })

  it('gives up with guidance once the rate-limit budget is spent', async () => {
    server.script(FLOWS, { status: 429, headers: { 'retry-after': '1', 'inin-correlation-id': 'corr-429' } })
    const { client, waits } = harness({ maxRateLimitWaits: 3 })

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/flows' }))

    expect(error.status).toBe(429)
    expect(waits).toHaveLength(3)
    expect(server.requestsTo(FLOWS)).toHaveLength(4)
    expect(error.message).toContain('still rate limited after 3 waits')
    expect(error.hint()).toMatch(/fewer jobs/)
  })

  it('backs off when a 429 has no Retry-After', async () => {
    server.script(FLOWS, { status: 429 }, { status: 429 }, { status: 200, body: {} })
    const { client, waits } = harness({ retryBaseDelayMs: 1000 })

    await client.request({ method: 'GET', path: '/api/v2/flows' })

    expect(waits).toEqual([500, 1000]) // equal jitter with random() = 0: half of 1 s, then half of 2 s
  })
})

describe('GenesysHttpClient: temporary failures', () => {
  it('retries a 5xx for a GET with backoff', async () => {
    server.script(
      FLOWS,
      { status: 503, raw: '<html>Service Unavailable</html>' },
      { status: 502, body: { message: 'bad gateway' } },
      { status: 200, body: { ok: true } }
    )
    const { client, waits, logs } = harness()

    const response = await client.request({ method: 'GET', path: '/api/v2/flows' })

    expect(response.body).toEqual({ ok: true })
    expect(waits).toEqual([500, 1000])
    expect(logs.some(line => line.includes('attempt 1 of 5 failed (HTTP 503)'))).toBe(true)
  })

  it('stops after maxAttempts and says how often it tried', async () => {
    server.script(FLOWS, { status: 500, body: { message: 'boom', code: 'internal.server.error' }, headers: { 'inin-correlation-id': 'corr-500' } })
    const { client } = harness({ maxAttempts: 3 })

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/flows' }))

    expect(server.requestsTo(FLOWS)).toHaveLength(3)
    expect(error.message).toContain('after 3 attempts')
    expect(error.message).toContain('corr-500')
  })

  it('never repeats a POST that is not idempotent after a 5xx', async () => {
    server.script('POST /api/v2/deploy', { status: 503, body: { message: 'unavailable' } }, { status: 200, body: {} })
    const { client, waits } = harness()

    const error = await failureOf(client.request({ method: 'POST', path: '/api/v2/deploy', body: { a: 1 } }))

    expect(error.status).toBe(503)
    expect(server.requestsTo('POST /api/v2/deploy')).toHaveLength(1)
    expect(waits).toEqual([])
    expect(error.message).toMatch(/not retried: a POST that is not idempotent could apply twice/)
    expect(error.hint()).toMatch(/whether the request took effect/)
  })

  it('repeats a POST marked idempotent after a 5xx', async () => {
    server.script('POST /api/v2/validate', { status: 500 }, { status: 200, body: { valid: true } })
    const { client } = harness()

    const response = await client.request({ method: 'POST', path: '/api/v2/validate', body: {}, idempotent: true })

    expect(response.body).toEqual({ valid: true })
    expect(server.requestsTo('POST /api/v2/validate')).toHaveLength(2)
  })

  it('retries a connection reset', async () => {
    server.script(FLOWS, { reset: true }, { status: 200, body: { after: 'reset' } })
    const { client, logs } = harness()

    const response = await client.request({ method: 'GET', path: '/api/v2/flows' })

    expect(response.body).toEqual({ after: 'reset' })
    expect(server.requestsTo(FLOWS)).toHaveLength(2)
    expect(logs.some(line => /attempt 1 of 5 failed \(ECONNRESET\)/.test(line))).toBe(true)
  })

  it('does not retry other 4xx', async () => {
    server.script('POST /api/v2/things', { status: 400, body: { message: 'name is required', code: 'bad.request' } })
    const { client, waits } = harness()

    const error = await failureOf(client.request({ method: 'POST', path: '/api/v2/things', body: {}, idempotent: true }))

    expect(error.status).toBe(400)
    expect(error.code).toBe('bad.request')
    expect(waits).toEqual([])
    expect(server.requestsTo('POST /api/v2/things')).toHaveLength(1)
  })
})

describe('GenesysHttpClient: timeouts', () => {
  it('turns a server that never answers into a clear timeout error, retried for a GET', async () => {
    server.script('GET /api/v2/flows?name=main', { hang: true })
    const { client } = harness({ requestTimeoutMs: 150, maxAttempts: 2 })

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/flows', query: { name: 'main' } }))

    expect(error.kind).toBe('timeout')
    expect(error.message).toContain('GET /api/v2/flows?name=… got no complete answer within 150 ms')
    expect(error.message).toContain('after 2 attempts')
    expect(error.hint()).toMatch(/api-url/)
    expect(server.requestsTo('GET /api/v2/flows?name=main')).toHaveLength(2)
  })

  it('times out a body that stops half way', async () => {
    server.script(FLOWS, { partialBodyThenHang: true })
    const { client } = harness({ requestTimeoutMs: 150, maxAttempts: 1 })

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/flows' }))

    expect(error.kind).toBe('timeout')
  })

  it('ends a request, and its retries, at the caller deadline', async () => {
    server.script('GET /api/v2/flows?name=main', { hang: true })
    const h = harness({ requestTimeoutMs: 30_000, maxAttempts: 5 })
    h.client = new GenesysHttpClient({
      apiUrl: server.url,
      authUrl: server.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      sleep: async ms => void h.waits.push(ms),
      random: () => 0,
      now: () => h.clock.now,
      deadline: () => h.clock.now + 150
    })
    // Fetch the token first, so the hang is the API's.
    await h.client.request({ method: 'GET', path: '/api/v2/flows' }).catch(() => undefined)
    const error = await failureOf(h.client.request({ method: 'GET', path: '/api/v2/flows', query: { name: 'main' } }))
    expect(error.kind).toBe('timeout')
    expect(error.message).toContain('within 150 ms')
    // Every retry wait would end past the deadline (the virtual clock stands still at the deadline's start).
    expect(h.waits.every(ms => ms < 150)).toBe(true)
  })

  it('sends nothing once the caller deadline has passed', async () => {
    const h = harness()
    const late = new GenesysHttpClient({
      apiUrl: server.url,
      authUrl: server.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      now: () => h.clock.now,
      deadline: () => h.clock.now - 1
    })
    const error = await failureOf(late.request({ method: 'GET', path: '/api/v2/flows' }))
    expect(error.kind).toBe('timeout')
    expect(server.requests).toHaveLength(0)
  })

  it('does not repeat a timed-out POST that is not idempotent', async () => {
    server.script('POST /api/v2/deploy', { hang: true })
    const { client } = harness({ requestTimeoutMs: 100 })

    const error = await failureOf(client.request({ method: 'POST', path: '/api/v2/deploy', body: {} }))

    expect(error.kind).toBe('timeout')
    expect(server.requestsTo('POST /api/v2/deploy')).toHaveLength(1)
  })
})

describe('GenesysHttpClient: answers and errors', () => {
  it('sends JSON bodies and query parameters, and returns headers in lower case', async () => {
    server.script('POST /api/v2/things?name=a%20b&count=2', {
      status: 200,
      body: { id: 't1' },
      headers: { 'Inin-Correlation-Id': 'corr-ok' }
    })
    const { client } = harness()

    const response = await client.request({
      method: 'POST',
      path: '/api/v2/things',
      query: { name: 'a b', count: 2, skipped: undefined },
      body: { nested: { value: true } }
    })

    const [call] = server.requestsTo('POST /api/v2/things?name=a%20b&count=2')
    expect(JSON.parse(call.body)).toEqual({ nested: { value: true } })
    expect(call.headers['content-type']).toBe('application/json')
    expect(response.headers['inin-correlation-id']).toBe('corr-ok')
  })

  it('returns an undefined body for an empty answer', async () => {
    server.script('DELETE /api/v2/things/1', { status: 204 })
    const { client } = harness()

    const response = await client.request({ method: 'DELETE', path: '/api/v2/things/1' })

    expect(response).toMatchObject({ status: 204, body: undefined })
  })

  it('turns a 200 that is not JSON into an error quoting its start, not a parse crash', async () => {
    const page = `<!DOCTYPE html><html><body>${'Sign in to continue. '.repeat(30)}</body></html>`
    server.script(FLOWS, { status: 200, raw: page, headers: { 'content-type': 'text/html' } })
    const { client } = harness()

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/flows' }))

    expect(error.kind).toBe('invalid-response')
    expect(error.message).toContain('not JSON (content-type text/html)')
    expect(error.message).toContain('"<!DOCTYPE html><html><body>Sign in to continue.')
    expect(error.message).not.toContain(page) // only the first ~200 characters
    expect(error.hint()).toMatch(/api-url/)
    expect(server.requestsTo(FLOWS)).toHaveLength(1)
  })

  it('quotes an HTML error page', async () => {
    server.script('POST /api/v2/deploy', { status: 502, raw: '<html><h1>502 Bad Gateway</h1></html>' })
    const { client } = harness()

    const error = await failureOf(client.request({ method: 'POST', path: '/api/v2/deploy', body: {} }))

    expect(error.status).toBe(502)
    expect(error.message).toContain('"<html><h1>502 Bad Gateway</h1></html>"')
  })

  it('carries status, endpoint without query values, correlation id, code and the platform message', async () => {
    server.script('GET /api/v2/flows?name=secret-flow&type=inboundcall', {
      status: 409,
      headers: { 'inin-correlation-id': 'corr-409' },
      body: { message: 'Flow is locked', code: 'conflict', status: 409, contextId: 'corr-409', errors: [{ message: 'locked by jane' }, 'retry later'] }
    })
    const { client } = harness()

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/flows', query: { name: 'secret-flow', type: 'inboundcall' } }))

    expect(error).toMatchObject({
      status: 409,
      method: 'GET',
      endpoint: '/api/v2/flows?name=…&type=…',
      correlationId: 'corr-409',
      code: 'conflict',
      platformMessage: 'Flow is locked'
    })
    expect(error.message).toContain('Flow is locked; locked by jane; retry later')
    expect(error.message).toContain('[inin-correlation-id: corr-409]')
    expect(error.message).not.toContain('secret-flow')
  })

  it('names the missing permission of a 403', async () => {
    server.script(FLOWS, {
      status: 403,
      body: {
        message: 'Unable to perform the requested action. You are missing the following permission(s): [architect:flow:view]',
        code: 'missing.permissions',
        messageParams: { permissions: '[architect:flow:view]' }
      }
    })
    const { client } = harness()

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/flows' }))

    expect(error.hint()).toContain('`architect:flow:view`')
    expect(error.message).toContain('add a role that grants it to the OAuth client')
  })

  it('points at bundleId, environment and api-url on a 404 of a bundle path', async () => {
    server.script('GET /api/v2/architect/bundles/core/deployments/d1', { status: 404, body: { message: 'not found', code: 'not.found' } })
    const { client } = harness()

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/architect/bundles/core/deployments/d1' }))

    expect(error.hint()).toMatch(/`bundleId`.*`environment-id`.*`api-url`/)
  })

  it('keeps the secret and tokens out of errors and logs even when the server echoes them', async () => {
    server.script(FLOWS, {
      status: 400,
      body: { message: `bad header Authorization: Bearer ${'tok-1-abcdef'} for client secret ${CLIENT_SECRET}` }
    })
    const { client, logs } = harness()

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/flows' }))

    expect(server.issuedTokens).toEqual(['tok-1-abcdef'])
    expect(error.message).toContain('bad header Authorization: Bearer *** for client secret ***')
    expect(JSON.stringify(error.body)).not.toContain(CLIENT_SECRET)
    expect(logs.length).toBeGreaterThan(0)
    // afterEach checks every collected line and message for the secret, the Basic value and the token
  })

  it('fails with a clear network error when nothing listens at api-url', async () => {
    const closed = await ScriptedServer.start()
    const url = closed.url
    await closed.close()
    const { client } = harness({ apiUrl: url })

    const error = await failureOf(client.request({ method: 'GET', path: '/api/v2/flows' }))

    expect(error.kind).toBe('network')
    expect(error.networkCode).toBe('ECONNREFUSED')
    expect(error.hint()).toMatch(/`region`.*`api-url`/)
  })

  it('refuses an api-url that is not an http(s) URL, naming the input', () => {
    expect(() => harness({ apiUrl: 'api.mypurecloud.com' })).toThrow(/`api-url` must be an absolute http\(s\) URL.*"api.mypurecloud.com"/)
  })
})

describe('GenesysHttpClient: presigned uploads', () => {
  it('PUTs with exactly the given headers and no bearer token, and keeps the signature out of errors', async () => {
    server.script(
      'PUT /upload/flow.yaml?X-Amz-Signature=sig-abcdef123',
      { status: 500 },
      { status: 403, raw: '<Error><Code>SignatureDoesNotMatch</Code></Error>' }
    )
    const { client } = harness()

    const error = await failureOf(
      client.uploadToPresignedUrl(`${server.url}/upload/flow.yaml?X-Amz-Signature=sig-abcdef123`, 'name: flow', {
        'content-type': 'application/octet-stream',
        'x-amz-meta-id': 'abc'
      })
    )

    const calls = server.requestsTo('PUT /upload/flow.yaml?X-Amz-Signature=sig-abcdef123')
    expect(calls).toHaveLength(2) // the 500 was retried: a PUT is safe to repeat
    expect(calls[0].headers.authorization).toBeUndefined()
    expect(calls[0].headers['x-amz-meta-id']).toBe('abc')
    expect(calls[0].body).toBe('name: flow')
    expect(server.tokenRequests).toHaveLength(0)
    expect(error.status).toBe(403)
    expect(error.endpoint).toBe(`${server.url}/upload/flow.yaml`)
    expect(error.message).not.toContain('sig-abcdef123')
    expect(error.message).toContain('SignatureDoesNotMatch')
  })

  it('GETs a presigned download with no bearer token, retries a 5xx, and keeps the signature out of errors', async () => {
    server.script('GET /download/flow.yaml?X-Amz-Signature=sig-download-77', { status: 503 }, { status: 200, raw: 'inboundCall:\n  name: After Hours\n' })
    const { client } = harness()
    const text = await client.downloadFromPresignedUrl(`${server.url}/download/flow.yaml?X-Amz-Signature=sig-download-77`)
    expect(text).toContain('name: After Hours')
    const calls = server.requestsTo('GET /download/flow.yaml?X-Amz-Signature=sig-download-77')
    expect(calls).toHaveLength(2)
    expect(calls[1].headers.authorization).toBeUndefined()
    expect(server.tokenRequests).toHaveLength(0)

    server.script('GET /download/gone.yaml?X-Amz-Signature=sig-download-78', { status: 403, raw: '<Error><Code>AccessDenied</Code></Error>' })
    const error = await failureOf(client.downloadFromPresignedUrl(`${server.url}/download/gone.yaml?X-Amz-Signature=sig-download-78`))
    expect(error.status).toBe(403)
    expect(error.message).not.toContain('sig-download-78')
    expect(error.message).toMatch(/download URL refused the exported flow/)
  })
})

describe('helpers', () => {
  it('describeEndpoint keeps query names and drops their values', () => {
    expect(describeEndpoint('/api/v2/flows', { name: 'x', type: undefined })).toBe('/api/v2/flows?name=…')
    expect(describeEndpoint('/api/v2/flows/actions/publish?flow=1&version=2')).toBe('/api/v2/flows/actions/publish?flow=…&version=…')
    expect(describeEndpoint('/api/v2/flows')).toBe('/api/v2/flows')
  })
})
