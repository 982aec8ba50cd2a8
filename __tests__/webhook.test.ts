import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Plan } from '../src/assess/plan.js'
import type { DeployResult } from '../src/deploy/result.js'
import type { RunContext } from '../src/run-context.js'
import { describeUrlSafely } from '../src/record/safe-url.js'
import { buildWebhookBody, sendWebhook, signBody, verifySignature, WEBHOOK_USER_AGENT, type WebhookBody } from '../src/record/webhook.js'
import { PUSH_CONTEXT } from '../__fixtures__/report-plans.js'

const NOW = new Date('2025-03-04T05:06:07.089Z')
const SECRET = 'whsec-Example-Value'

const impact: Plan['impact'] = {
  riskLevel: 'MEDIUM',
  reasons: ['modifies flow main-entry'],
  riskDrivers: ['modifies flow main-entry'],
  criticalRemovals: [],
  warningCount: 1,
  compatibilityPassed: true,
  capacityUtilization: 42.5,
  capacity: [{ resource: 'flows', used: 17, limit: 40, percent: 42.5 }]
}

const plan: Plan = {
  bundle: undefined,
  assessed: true,
  baselineFingerprint: '',
  bundleId: 'contact-center-core',
  environmentId: 'prod-7f3a',
  fingerprint: 'a'.repeat(64),
  localFindings: [],
  remoteValidation: { ran: false, reason: 'no credentials' },
  baseline: { source: 'empty', description: 'no baseline', config: {} },
  diff: {
    added: [],
    removed: [],
    modified: ['flows.main-entry.version'],
    changes: [{ path: 'flows.main-entry.version', kind: 'modified', before: '2.0.0', after: '2.1.0' }]
  },
  impact
}

const context: RunContext = PUSH_CONTEXT

const result: DeployResult = { status: 'COMPLETED', deploymentId: 'dep-9', latencyMs: 5120, timeline: [] }

/** One request as the receiver saw it, with the receiver's own signature check over the raw bytes. */
interface Received {
  url: string
  headers: IncomingHttpHeaders
  raw: Buffer
  signatureValid: boolean
}

/** A local receiver on 127.0.0.1:0 that answers each request with the next reply of a script. */
async function startReceiver(
  replies: ((res: ServerResponse, request: Received) => void)[]
): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const ownSignature = `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`
      const request: Received = {
        url: req.url ?? '',
        headers: req.headers,
        raw,
        signatureValid: req.headers['x-signature-256'] === ownSignature
      }
      received.push(request)
      const reply = replies[Math.min(received.length - 1, replies.length - 1)]
      reply?.(res, request)
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

const answer =
  (status: number, body = '', headers: Record<string, string> = {}) =>
  (res: ServerResponse): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain', ...headers })
    res.end(body)
  }

/** An instant sleep that records the waits asked for. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = []
  return { waits, sleep: async ms => void waits.push(ms) }
}

const body: WebhookBody = buildWebhookBody({ plan, result, context, now: NOW })

describe('buildWebhookBody', () => {
  it('builds the deployment.completed body of a deploy run', () => {
    expect(body).toEqual({
      event: 'deployment.completed',
      mode: 'deploy',
      deploymentId: 'dep-9',
      status: 'COMPLETED',
      latencyMs: 5120,
      impactAssessment: impact,
      configurationDiff: {
        paths: { added: 0, removed: 0, modified: 1 },
        resources: {
          flows: { added: { total: 0, names: [] }, removed: { total: 0, names: [] }, modified: { total: 1, names: ['main-entry'] } }
        },
        otherPaths: 0
      },
      bundleId: 'contact-center-core',
      environmentId: 'prod-7f3a',
      fingerprint: 'a'.repeat(64),
      repository: 'acme/cc-config',
      sha: 'abc1234def',
      runUrl: 'https://github.com/acme/cc-config/actions/runs/42',
      timestamp: '2025-03-04T05:06:07.089Z'
    })
  })

  it('keeps the contract event for an assess run and says its mode', () => {
    expect(buildWebhookBody({ plan, context, now: NOW, mode: 'assess' })).toMatchObject({
      event: 'deployment.completed',
      mode: 'assess',
      status: 'ASSESSED',
      deploymentId: '',
      latencyMs: 0
    })
  })

  it('reports a deploy run without a result as a FAILED deployment, or with the status main gives', () => {
    expect(buildWebhookBody({ plan, context, now: NOW, mode: 'deploy' })).toMatchObject({
      event: 'deployment.completed',
      status: 'FAILED',
      deploymentId: ''
    })
    expect(buildWebhookBody({ plan, context, now: NOW, mode: 'deploy', status: 'VALIDATION_FAILED' })).toMatchObject({
      event: 'deployment.completed',
      status: 'VALIDATION_FAILED'
    })
  })
})

describe('signBody / verifySignature', () => {
  it('signs with sha256=<hex HMAC-SHA256> and verifies only the exact bytes and secret', () => {
    const raw = '{"a":"é"}'
    const signature = signBody(raw, SECRET)
    expect(signature).toBe(`sha256=${createHmac('sha256', SECRET).update(Buffer.from(raw, 'utf8')).digest('hex')}`)
    expect(verifySignature(raw, signature, SECRET)).toBe(true)
    expect(verifySignature(Buffer.from(raw, 'utf8'), signature, SECRET)).toBe(true)
    expect(verifySignature('{"a":"e"}', signature, SECRET)).toBe(false)
    expect(verifySignature(raw, signature, 'other-secret')).toBe(false)
    expect(verifySignature(raw, signature.slice(0, -1), SECRET)).toBe(false)
    expect(verifySignature(raw, undefined, SECRET)).toBe(false)
  })
})

describe('sendWebhook', () => {
  it('delivers the JSON body once, signed over the raw bytes, with the delivery headers', async () => {
    const receiver = await startReceiver([answer(204)])
    try {
      const delivery = await sendWebhook({ url: `${receiver.url}/hook`, secret: SECRET, body, deliveryId: 'd-1' })
      expect(delivery).toEqual({ delivered: true, attempts: 1, status: 204, deliveryId: 'd-1' })
      expect(receiver.received).toHaveLength(1)
      const [request] = receiver.received as [Received]
      expect(request.signatureValid).toBe(true)
      expect(JSON.parse(request.raw.toString('utf8'))).toEqual(body)
      expect(request.url).toBe('/hook')
      expect(request.headers['content-type']).toBe('application/json')
      expect(request.headers['user-agent']).toContain(WEBHOOK_USER_AGENT)
      expect(request.headers['x-delivery-id']).toBe('d-1')
      expect(request.headers.authorization).toBeUndefined()
    } finally {
      await receiver.close()
    }
  })

  it('sends no signature without a secret', async () => {
    const receiver = await startReceiver([answer(200)])
    try {
      const delivery = await sendWebhook({ url: receiver.url, body })
      expect(delivery.delivered).toBe(true)
      expect(receiver.received[0]?.headers['x-signature-256']).toBeUndefined()
      expect(delivery.deliveryId).toMatch(/^[0-9a-f-]{36}$/)
    } finally {
      await receiver.close()
    }
  })

  it('retries after 503, then delivers the same signed bytes with the same delivery id', async () => {
    const receiver = await startReceiver([answer(503, 'busy'), answer(200)])
    const { sleep, waits } = recordingSleep()
    const logs: string[] = []
    try {
      const delivery = await sendWebhook({
        url: receiver.url,
        secret: SECRET,
        body,
        sleep,
        random: () => 0,
        log: message => logs.push(message)
      })
      expect(delivery).toMatchObject({ delivered: true, attempts: 2, status: 200 })
      expect(receiver.received).toHaveLength(2)
      expect(receiver.received.every(request => request.signatureValid)).toBe(true)
      expect(receiver.received[1]?.raw.equals(receiver.received[0]?.raw as Buffer)).toBe(true)
      expect(receiver.received[1]?.headers['x-delivery-id']).toBe(receiver.received[0]?.headers['x-delivery-id'])
      expect(waits).toEqual([500])
      expect(logs).toHaveLength(1)
      expect(logs[0]).toContain('attempt 1 of 3 failed (the receiver answered HTTP 503 ("busy"))')
    } finally {
      await receiver.close()
    }
  })

  it("waits the receiver's Retry-After on 429", async () => {
    const receiver = await startReceiver([answer(429, '', { 'Retry-After': '7' }), answer(200)])
    const { sleep, waits } = recordingSleep()
    try {
      const delivery = await sendWebhook({ url: receiver.url, body, sleep })
      expect(delivery).toMatchObject({ delivered: true, attempts: 2 })
      expect(waits).toEqual([7000])
    } finally {
      await receiver.close()
    }
  })

  it('does not retry a 400 and says why', async () => {
    const receiver = await startReceiver([answer(400, 'unknown field'), answer(200)])
    const { sleep, waits } = recordingSleep()
    try {
      const delivery = await sendWebhook({ url: `${receiver.url}/hook`, body, sleep })
      expect(delivery).toMatchObject({ delivered: false, attempts: 1, status: 400 })
      expect(delivery.error).toBe(
        `The webhook to ${receiver.url}/hook was not delivered after 1 attempt: the receiver answered HTTP 400 ` +
          '("unknown field"); not retried (it rejected the request): check `webhook-url` and what the receiver expects'
      )
      expect(receiver.received).toHaveLength(1)
      expect(waits).toEqual([])
    } finally {
      await receiver.close()
    }
  })

  it('gives up after the last attempt on repeated 5xx', async () => {
    const receiver = await startReceiver([answer(502)])
    const { sleep } = recordingSleep()
    try {
      const delivery = await sendWebhook({ url: receiver.url, body, sleep, maxAttempts: 4 })
      expect(delivery).toMatchObject({ delivered: false, attempts: 4, status: 502 })
      expect(receiver.received).toHaveLength(4)
    } finally {
      await receiver.close()
    }
  })

  it('does not follow a redirect', async () => {
    const receiver = await startReceiver([answer(302, '', { Location: 'http://127.0.0.1:1/elsewhere' })])
    try {
      const delivery = await sendWebhook({ url: receiver.url, body })
      expect(delivery).toMatchObject({ delivered: false, attempts: 1, status: 302 })
      expect(delivery.error).toContain('redirect')
    } finally {
      await receiver.close()
    }
  })

  it('returns delivered false without throwing when the receiver is down', async () => {
    const receiver = await startReceiver([])
    await receiver.close()
    const { sleep, waits } = recordingSleep()
    const delivery = await sendWebhook({ url: `${receiver.url}/hook`, body, sleep, maxAttempts: 2 })
    expect(delivery).toMatchObject({ delivered: false, attempts: 2 })
    expect(delivery.status).toBeUndefined()
    expect(delivery.error).toContain('ECONNREFUSED')
    expect(delivery.error).toContain('check that the receiver is running')
    expect(waits).toHaveLength(1)
  })

  it('times out on a receiver that never answers, and retries the timeout', async () => {
    const receiver = await startReceiver([() => undefined])
    const { sleep } = recordingSleep()
    try {
      const delivery = await sendWebhook({ url: receiver.url, body, sleep, timeoutMs: 150, maxAttempts: 2 })
      expect(delivery).toMatchObject({ delivered: false, attempts: 2 })
      expect(delivery.error).toContain('no answer within 150 ms')
      expect(receiver.received).toHaveLength(2)
    } finally {
      await receiver.close()
    }
  })

  it('rejects a URL that is not http(s) without sending anything', async () => {
    const delivery = await sendWebhook({ url: 'ftp://user:hunter22@example.com/x', body })
    expect(delivery).toMatchObject({ delivered: false, attempts: 0 })
    expect(delivery.error).toContain('"ftp:"')
    expect(delivery.error).not.toContain('hunter22')
    expect((await sendWebhook({ url: 'not a url?token=abc123', body })).error).not.toContain('abc123')
  })

  describe('credentials in the URL', () => {
    const user = 'hook-user'
    const password = 'pa55-w0rd'
    const token = 'tok-abc123xyz'

    function credentialed(base: string): string {
      return base.replace('http://', `http://${user}:${password}@`) + `/hook?token=${token}`
    }

    function expectNoCredentials(text: string | undefined): void {
      expect(text).toBeDefined()
      for (const part of [user, password, token, SECRET]) expect(text).not.toContain(part)
    }

    it('sends them as Basic auth to the path without them, and never echoes them, even from the receiver', async () => {
      // The receiver echoes the whole request back, as some error pages do.
      const echo = (res: ServerResponse, request: Received): void => {
        res.writeHead(422)
        res.end(`bad request to ${request.url} with ${request.headers.authorization ?? ''}`)
      }
      const receiver = await startReceiver([echo])
      try {
        const logs: string[] = []
        const delivery = await sendWebhook({
          url: credentialed(receiver.url),
          secret: SECRET,
          body,
          log: message => logs.push(message)
        })
        const request = receiver.received[0] as Received
        expect(request.url).toBe(`/hook?token=${token}`)
        expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`)
        expect(delivery).toMatchObject({ delivered: false, status: 422 })
        expectNoCredentials(delivery.error)
        expect(delivery.error).toContain(`${receiver.url}/hook`)
        expect(delivery.error).toContain('bad request to /hook?*** with Basic ***')
      } finally {
        await receiver.close()
      }
    })

    it('never echoes them when the receiver is down or times out, in errors or logs', async () => {
      const silent = await startReceiver([() => undefined])
      const down = await startReceiver([])
      await down.close()
      const logs: string[] = []
      const { sleep } = recordingSleep()
      try {
        for (const url of [credentialed(silent.url), credentialed(down.url)]) {
          const delivery = await sendWebhook({
            url,
            secret: SECRET,
            body,
            sleep,
            timeoutMs: 100,
            maxAttempts: 2,
            log: message => logs.push(message)
          })
          expect(delivery.delivered).toBe(false)
          expectNoCredentials(delivery.error)
        }
        expect(logs).toHaveLength(2)
        for (const line of logs) expectNoCredentials(line)
      } finally {
        await silent.close()
      }
    })
  })
})

describe('describeUrlSafely', () => {
  it('keeps scheme, host and path, and drops credentials, query, fragment and token-like segments', () => {
    expect(describeUrlSafely('https://user:pass@hooks.example.com:8443/ci/deploy?token=abc#frag')).toBe('https://hooks.example.com:8443/ci/deploy')
    expect(describeUrlSafely('https://hooks.slack.com/services/T0001/B0002/aZ3xQ9wErT5yU7iO1pAs')).toBe('https://hooks.slack.com/services/T0001/B0002/***')
    expect(describeUrlSafely('not a url with a s3cret')).toBe('(not a valid URL)')
  })
})
