import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Bundle } from '../src/bundle/bundle.js'
import { ArchitectureManagerDriver, normalizeDeploymentStatus } from '../src/genesys/architecture-manager-driver.js'
import { messagesFrom } from '../src/genesys/lenient-answer.js'
import { GenesysApiError } from '../src/genesys/genesys-api-error.js'
import { GenesysHttpClient } from '../src/genesys/http-client.js'

/**
 * The driver over the real HTTP client, against a local server that answers what each test scripts:
 * what goes over the wire (method, path, body) and what the driver makes of odd answers.
 */

interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: unknown
}

interface Reply {
  status: number
  body?: unknown
  raw?: string
  headers?: Record<string, string>
}

/** A local stand-in for Genesys Cloud: issues tokens, answers scripted replies per `METHOD /path`. */
class ScriptedPlatform {
  readonly requests: RecordedRequest[] = []
  private readonly scripts = new Map<string, Reply[]>()

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ScriptedPlatform> {
    const server = createServer()
    const platform = new ScriptedPlatform(server)
    server.on('request', (request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        const route = `${request.method} ${request.url}`
        if (route === 'POST /oauth/token') {
          response.writeHead(200, { 'content-type': 'application/json' })
          return void response.end(JSON.stringify({ access_token: 'driver-token-1', expires_in: 86400 }))
        }
        platform.requests.push({
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: text ? JSON.parse(text) : undefined
        })
        const replies = platform.scripts.get(route)
        const reply = (replies && replies.length > 1 ? replies.shift() : replies?.[0]) ?? {
          status: 404,
          body: { message: `unscripted ${route}` }
        }
        const payload = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body))
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
        response.end(payload)
      })
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    return platform
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  script(route: string, ...replies: Reply[]): void {
    this.scripts.set(route, replies)
  }

  requestsTo(route: string): RecordedRequest[] {
    return this.requests.filter(request => `${request.method} ${request.path}` === route)
  }

  close(): Promise<void> {
    return new Promise(resolve => this.server.close(() => resolve()))
  }
}

const BUNDLES = '/api/v2/architect/bundles/contact-center-core'

function makeBundle(overrides: Partial<Bundle> = {}): Bundle {
  return {
    manifestPath: 'genesys/bundle.yaml',
    absoluteManifestPath: '/repo/genesys/bundle.yaml',
    manifest: {
      bundleId: 'contact-center-core',
      environmentId: 'manifest-env',
      overrideValidation: false,
      rollbackOnFailure: true,
      capacityConstraints: { maxFlowCount: 500, maxQueueCount: 100 },
      dependencyMatrix: { flows: ['base-routing', 'main-entry'], queues: ['sales-inbound'], order: ['queues', 'flows'] },
      targetConfig: {
        flows: { 'main-entry': { version: '2.1.0', routingStrategy: 'longest-idle' } },
        queues: { 'sales-inbound': { serviceLevel: '80/20' } }
      },
      substitutions: { company: 'Acme Insurance' }
    },
    environmentId: 'prod-7f3a',
    files: [],
    groupOrder: ['queues', 'flows'],
    externalDependencies: [{ group: 'flows', name: 'base-routing' }],
    positions: {},
    ...overrides
  }
}

let platform: ScriptedPlatform
let driver: ArchitectureManagerDriver
let waits: number[]

beforeEach(async () => {
  platform = await ScriptedPlatform.start()
  waits = []
  const client = new GenesysHttpClient({
    apiUrl: platform.url,
    authUrl: platform.url,
    clientId: 'client',
    clientSecret: 'secret-value',
    sleep: async ms => {
      waits.push(ms)
    },
    random: () => 0
  })
  driver = new ArchitectureManagerDriver(client)
})

afterEach(async () => {
  await platform.close()
})

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Error) return error
    throw error
  }
  throw new Error('expected the call to fail')
}

describe('ArchitectureManagerDriver.validate', () => {
  it('POSTs the validation payload of the manifest, with the target environment', async () => {
    platform.script(`POST ${BUNDLES}/validate`, { status: 200, body: { valid: true, warnings: [], errors: [] } })

    await driver.validate(makeBundle())

    const [call] = platform.requestsTo(`POST ${BUNDLES}/validate`)
    expect(call.headers.authorization).toBe('Bearer driver-token-1')
    expect(call.body).toEqual({
      environmentId: 'prod-7f3a',
      bundleId: 'contact-center-core',
      overrideValidation: false,
      dependencyMatrix: { flows: ['base-routing', 'main-entry'], queues: ['sales-inbound'], order: ['queues', 'flows'] },
      capacityConstraints: { maxFlowCount: 500, maxQueueCount: 100 },
      targetConfig: {
        flows: { 'main-entry': { version: '2.1.0', routingStrategy: 'longest-idle' } },
        queues: { 'sales-inbound': { serviceLevel: '80/20' } }
      }
    })
  })

  it('reads the validation, tolerating extra fields, object messages and numbers as strings', async () => {
    platform.script(`POST ${BUNDLES}/validate`, {
      status: 200,
      body: {
        valid: 'true',
        warnings: ['queue sales-inbound has no overflow', { message: 'flow main-entry uses a deprecated action', code: 'w1' }],
        errors: [],
        compatibilityCheck: {
          schemaVersion: 3,
          environmentCapacity: { availableFlowSlots: '12', requiredFlowSlots: 1, unit: 'flows' },
          extra: true
        },
        selfUri: '/x'
      }
    })

    const validation = await driver.validate(makeBundle())

    expect(validation).toEqual({
      valid: true,
      warnings: ['queue sales-inbound has no overflow', 'flow main-entry uses a deprecated action'],
      errors: [],
      schemaVersion: '3',
      environmentCapacity: { availableFlowSlots: 12, requiredFlowSlots: 1 }
    })
  })

  it('derives `valid` from the errors when the answer leaves it out', async () => {
    platform.script(
      `POST ${BUNDLES}/validate`,
      { status: 200, body: { errors: [{ path: 'targetConfig.flows.main-entry', message: 'unknown version' }] } },
      { status: 200, body: {} }
    )

    const invalid = await driver.validate(makeBundle())
    const valid = await driver.validate(makeBundle())

    expect(invalid).toMatchObject({ valid: false, errors: ['targetConfig.flows.main-entry: unknown version'] })
    expect(valid).toMatchObject({ valid: true, errors: [], warnings: [] })
  })

  it('turns a 422 with errors into an invalid validation, not a failure', async () => {
    platform.script(`POST ${BUNDLES}/validate`, {
      status: 422,
      body: {
        message: 'The bundle payload is malformed (2 problems)',
        code: 'invalid.request.body',
        status: 422,
        errors: ['targetConfig.flows is required', { message: 'environmentId is unknown' }]
      }
    })

    const validation = await driver.validate(makeBundle())

    expect(validation.valid).toBe(false)
    expect(validation.errors).toEqual(['targetConfig.flows is required', 'environmentId is unknown'])
  })

  it('uses the message of a 400 that lists no errors, and says so when there is nothing at all', async () => {
    platform.script(
      `POST ${BUNDLES}/validate`,
      { status: 400, body: { message: 'dependencyMatrix.order names qeues', code: 'bad.request' } },
      { status: 422, body: {}, headers: { 'inin-correlation-id': 'corr-422' } }
    )

    const withMessage = await driver.validate(makeBundle())
    const bare = await driver.validate(makeBundle())

    expect(withMessage).toMatchObject({ valid: false, errors: ['dependencyMatrix.order names qeues'] })
    expect(bare.valid).toBe(false)
    expect(bare.errors[0]).toMatch(/HTTP 422 and no details \(inin-correlation-id corr-422\)/)
  })

  it('retries a 5xx: validating twice changes nothing', async () => {
    platform.script(`POST ${BUNDLES}/validate`, { status: 503 }, { status: 200, body: { valid: true } })

    const validation = await driver.validate(makeBundle())

    expect(validation.valid).toBe(true)
    expect(platform.requestsTo(`POST ${BUNDLES}/validate`)).toHaveLength(2)
  })

  it('still throws on failures that are not about the bundle', async () => {
    platform.script(`POST ${BUNDLES}/validate`, { status: 403, body: { message: 'missing architect:bundle:view' } })

    const error = await failureOf(driver.validate(makeBundle()))

    expect(error).toBeInstanceOf(GenesysApiError)
    expect((error as GenesysApiError).status).toBe(403)
  })

  it('asks for an environment before sending anything', async () => {
    const error = await failureOf(driver.validate(makeBundle({ environmentId: '' })))

    expect(error.message).toMatch(/no target environment.*`environment-id`.*genesys\/bundle.yaml/)
    expect(platform.requests).toHaveLength(0)
  })
})

describe('ArchitectureManagerDriver.deploy', () => {
  it('POSTs the whole manifest with the target environment and returns the deployment', async () => {
    platform.script(`POST ${BUNDLES}/deploy`, { status: 202, body: { id: 'dep-1', status: 'pending', selfUri: '/x' } })

    const handle = await driver.deploy(makeBundle())

    expect(handle).toEqual({ id: 'dep-1', state: 'PENDING' })
    const [call] = platform.requestsTo(`POST ${BUNDLES}/deploy`)
    expect(call.body).toEqual({ ...makeBundle().manifest, environmentId: 'prod-7f3a' })
  })

  it('never repeats a deploy that failed with a 5xx', async () => {
    platform.script(`POST ${BUNDLES}/deploy`, { status: 500, body: { message: 'internal' } }, { status: 202, body: { id: 'twice' } })

    const error = await failureOf(driver.deploy(makeBundle()))

    expect((error as GenesysApiError).status).toBe(500)
    expect(platform.requestsTo(`POST ${BUNDLES}/deploy`)).toHaveLength(1)
    expect(waits).toEqual([])
  })

  it('repeats a deploy that was rate limited', async () => {
    platform.script(`POST ${BUNDLES}/deploy`, { status: 429, headers: { 'retry-after': '2' } }, { status: 202, body: { id: 'dep-2' } })

    const handle = await driver.deploy(makeBundle())

    expect(handle).toEqual({ id: 'dep-2', state: 'PENDING' })
    expect(waits).toEqual([2000])
  })

  it('accepts a numeric id and `deploymentId` instead of `id`', async () => {
    platform.script(`POST ${BUNDLES}/deploy`, { status: 202, body: { id: 42, status: 'IN_PROGRESS' } }, { status: 202, body: { deploymentId: 'dep-alt' } })

    expect(await driver.deploy(makeBundle())).toEqual({ id: '42', state: 'IN_PROGRESS' })
    expect(await driver.deploy(makeBundle())).toEqual({ id: 'dep-alt', state: 'PENDING' })
  })

  it.each([
    ['empty', ''],
    ['200,000 characters long', 'd'.repeat(200_000)],
    ['holding a control character', 'dep\u0007-1']
  ])('takes an id that is %s as no id: it could not be followed', async (_what, id) => {
    platform.script(`POST ${BUNDLES}/deploy`, { status: 202, body: { id, status: 'PENDING' } })

    const error = await failureOf(driver.deploy(makeBundle()))

    expect(error.message).toContain('without a deployment `id`')
  })

  it('fails clearly when the answer has no deployment id', async () => {
    platform.script(`POST ${BUNDLES}/deploy`, { status: 202, body: { status: 'PENDING' }, headers: { 'inin-correlation-id': 'corr-d' } })

    const error = await failureOf(driver.deploy(makeBundle()))

    expect(error).toBeInstanceOf(GenesysApiError)
    expect(error.message).toContain('without a deployment `id`')
    expect(error.message).toContain('corr-d')
    expect(error.message).toContain('whether bundle contact-center-core is deploying to prod-7f3a')
  })
})

describe('ArchitectureManagerDriver.getStatus', () => {
  it('GETs the deployment with its path segments encoded and normalizes the status', async () => {
    platform.script(`GET ${BUNDLES}/deployments/dep%201%2Fb`, { status: 200, body: { id: 'dep 1/b', status: 'In Progress' } })

    const seen = await driver.getStatus(makeBundle(), 'dep 1/b')

    expect(seen).toEqual({ id: 'dep 1/b', state: 'IN_PROGRESS' })
  })

  it('reports the platform failure text and the Retry-After the answer carried', async () => {
    platform.script(`GET ${BUNDLES}/deployments/dep-1`, {
      status: 200,
      headers: { 'retry-after': '5' },
      body: {
        status: 'failed',
        message: 'flow main-entry failed to publish',
        errorMessage: 'flow main-entry failed to publish',
        error: { message: 'queue sales-inbound missing' },
        errors: [{ message: 'timeout in step 3' }]
      }
    })

    const seen = await driver.getStatus(makeBundle(), 'dep-1')

    expect(seen).toEqual({
      id: 'dep-1',
      state: 'FAILED',
      detail: 'flow main-entry failed to publish; queue sales-inbound missing; timeout in step 3',
      retryAfterSeconds: 5
    })
  })

  it.each([
    ['rolledBack', 'ROLLED_BACK'],
    ['rollback-failed', 'ROLLBACK_FAILED'],
    [' completed ', 'COMPLETED'],
    ['VALIDATION_ERROR', 'VALIDATION_ERROR']
  ])('reads status %p as %s', async (status, state) => {
    platform.script(`GET ${BUNDLES}/deployments/dep-1`, { status: 200, body: { id: 'dep-1', status } })

    expect((await driver.getStatus(makeBundle(), 'dep-1')).state).toBe(state)
  })

  it('names an unknown status and the known ones', async () => {
    platform.script(`GET ${BUNDLES}/deployments/dep-1`, { status: 200, body: { id: 'dep-1', status: 'EXPLODED' } })

    const error = await failureOf(driver.getStatus(makeBundle(), 'dep-1'))

    expect(error).toBeInstanceOf(GenesysApiError)
    expect(error.message).toContain('status "EXPLODED" for deployment dep-1')
    expect(error.message).toContain('known: PENDING, IN_PROGRESS, COMPLETED')
    expect((error as GenesysApiError).hint()).toMatch(/update the action/)
  })

  it('fails clearly on an answer without a status', async () => {
    platform.script(`GET ${BUNDLES}/deployments/dep-1`, { status: 200, body: { id: 'dep-1' } })

    const error = await failureOf(driver.getStatus(makeBundle(), 'dep-1'))

    expect(error.message).toContain('without `status`')
    expect(error.message).toContain(`GET ${BUNDLES}/deployments/dep-1`)
  })

  it.each([
    ['an array', '[{"status":"COMPLETED"}]', /not a JSON object/],
    ['a bare string', '"COMPLETED"', /not a JSON object/],
    ['no JSON at all', 'COMPLETED', /not JSON/]
  ])('fails clearly on %s', async (_, raw, message) => {
    platform.script(`GET ${BUNDLES}/deployments/dep-1`, { status: 200, raw })

    const error = await failureOf(driver.getStatus(makeBundle(), 'dep-1'))

    expect(error).toBeInstanceOf(GenesysApiError)
    expect((error as GenesysApiError).kind).toBe('invalid-response')
    expect(error.message).toMatch(message)
  })
})

describe('ArchitectureManagerDriver.rollback', () => {
  it('POSTs the reason to the rollback path and reads the rollback state', async () => {
    platform.script(`POST ${BUNDLES}/deployments/dep-1/rollback`, { status: 202, body: { id: 'dep-1', status: 'ROLLBACK_IN_PROGRESS' } })

    const seen = await driver.rollback(makeBundle(), 'dep-1', 'deployment FAILED: flow main-entry failed')

    expect(seen).toEqual({ id: 'dep-1', state: 'ROLLBACK_IN_PROGRESS' })
    const [call] = platform.requestsTo(`POST ${BUNDLES}/deployments/dep-1/rollback`)
    expect(call.body).toEqual({ reason: 'deployment FAILED: flow main-entry failed' })
  })

  it('takes an empty accepted answer as a rollback in progress', async () => {
    platform.script(`POST ${BUNDLES}/deployments/dep-1/rollback`, { status: 202 })

    expect(await driver.rollback(makeBundle(), 'dep-1', 'failed')).toEqual({ id: 'dep-1', state: 'ROLLBACK_IN_PROGRESS' })
  })
})

describe('helpers', () => {
  it('messagesFrom reads strings, objects and single values', () => {
    expect(messagesFrom(['a', { message: 'b' }, { text: 'c' }, { errorMessage: 'd', field: 'x' }, 7, 'a'])).toEqual(['a', 'b', 'c', 'x: d', '7'])
    expect(messagesFrom({ message: 'only' })).toEqual(['only'])
    expect(messagesFrom({ code: 'E1' })).toEqual(['{"code":"E1"}'])
    expect(messagesFrom(undefined)).toEqual([])
  })

  it('normalizeDeploymentStatus knows every state, its unambiguous synonyms, and nothing else', () => {
    expect(normalizeDeploymentStatus('rollback_in_progress')).toBe('ROLLBACK_IN_PROGRESS')
    expect(normalizeDeploymentStatus('Rolled Back')).toBe('ROLLED_BACK')
    expect(normalizeDeploymentStatus('SUCCESS')).toBe('COMPLETED')
    expect(normalizeDeploymentStatus('rollingBack')).toBe('ROLLBACK_IN_PROGRESS')
    expect(normalizeDeploymentStatus('WIBBLE')).toBeUndefined()
    expect(normalizeDeploymentStatus('PARTIAL')).toBeUndefined()
  })
})
