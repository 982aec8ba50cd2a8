/**
 * The simulator's Architect API driven over plain fetch, on port 0, with an injected clock: flows, flow jobs
 * and their presigned upload, publish operations, queues, dependency tracking, export jobs and their download,
 * fault injection on the new operations, and scenario patches.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { parseScenarioPatch } from '../simulator/scenario.js'
import { startSimulator, type ScenarioPatch, type Simulator } from '../simulator/server.js'

const START = Date.UTC(2026, 0, 15, 12, 0, 0)
const MAIN_MENU = 'inboundCall:\n  name: Acme Main Menu\n  initialGreeting:\n    tts: Welcome.\n'

let clock: number
let sim: Simulator
let token: string

beforeEach(async () => {
  clock = START
  sim = await startSimulator({ now: () => clock, scenario: { flowJobDurationMs: 2000, flowPublishDurationMs: 1000, flowExportDurationMs: 500 } })
  const answer = await fetch(`${sim.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('sim-client:sim-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials'
  })
  token = ((await answer.json()) as { access_token: string }).access_token
})

afterEach(async () => {
  await sim.close()
})

interface Answer {
  status: number
  headers: Headers
  json: any
}

async function api(method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined }
}

async function register(): Promise<{ id: string; presignedUrl: string; headers: Record<string, string> }> {
  const { status, json } = await api('POST', '/api/v2/flows/jobs')
  expect(status).toBe(200)
  return json
}

async function upload(url: string, headers: Record<string, string>, body = MAIN_MENU): Promise<Response> {
  return fetch(url, { method: 'PUT', headers, body })
}

async function publishedJob(yaml = MAIN_MENU): Promise<string> {
  const job = await register()
  expect((await upload(job.presignedUrl, job.headers, yaml)).status).toBe(200)
  clock += 2000
  const state = await api('GET', `/api/v2/flows/jobs/${job.id}`)
  expect(state.json.status).toBe('Success')
  return state.json.flow.id
}

function patch(scenario: ScenarioPatch): void {
  sim.setScenario(scenario)
}

describe('flows', () => {
  it('seeds existing flows, filters by part of the name and by type, and pages', async () => {
    patch({
      architectFlows: [
        { name: 'Acme Main Menu', type: 'inboundCall', id: 'f-1' },
        { name: 'Acme Main Menu Copy', type: 'INBOUNDCALL', id: 'f-2', published: false },
        { name: 'Acme Main Menu', type: 'inqueuecall', id: 'f-3' }
      ]
    })
    const all = await api('GET', '/api/v2/flows?name=main%20menu')
    expect(all.json.entities.map((flow: any) => flow.id)).toEqual(['f-1', 'f-2', 'f-3'])
    const calls = await api('GET', '/api/v2/flows?name=Acme%20Main%20Menu&type=inboundcall')
    expect(calls.json.entities.map((flow: any) => [flow.id, flow.type, flow.publishedVersion?.id])).toEqual([
      ['f-1', 'INBOUNDCALL', '1.0'],
      ['f-2', 'INBOUNDCALL', undefined]
    ])
    const both = await api('GET', '/api/v2/flows?type=inboundcall,inqueuecall&name=Acme&pageSize=2')
    expect(both.json).toMatchObject({ total: 3, pageCount: 2, pageNumber: 1, pageSize: 2, nextUri: expect.stringContaining('pageNumber=2') })
    const second = await api('GET', '/api/v2/flows?type=inboundcall&type=inqueuecall&name=Acme&pageSize=2&pageNumber=2')
    expect(second.json.entities.map((flow: any) => flow.id)).toEqual(['f-3'])
    expect(second.json.nextUri).toBeUndefined()
    // existingResources.flows are flows too (the default scenario's base-routing).
    expect((await api('GET', '/api/v2/flows?name=base-routing')).json.entities).toEqual([
      expect.objectContaining({ name: 'base-routing', type: 'INBOUNDCALL' })
    ])
    expect((await api('GET', '/api/v2/flows?pageSize=0')).status).toBe(400)
    expect((await api('GET', '/api/v2/flows/no-such-flow')).status).toBe(404)
  })

  it('needs a bearer token', async () => {
    const response = await fetch(`${sim.url}/api/v2/flows`)
    expect(response.status).toBe(401)
  })
})

describe('flow jobs and the presigned upload', () => {
  it('goes Registered, Started, Success, then the flow is published; messages only when expanded', async () => {
    const job = await register()
    expect(job.presignedUrl).toMatch(new RegExp(`^${sim.url}/__upload/${job.id}\\?signature=[0-9a-f]{32}$`))
    expect((await api('GET', `/api/v2/flows/jobs/${job.id}`)).json).toMatchObject({ id: job.id, status: 'Registered', command: 'Publish' })
    expect((await upload(job.presignedUrl, job.headers)).status).toBe(200)
    expect((await api('GET', `/api/v2/flows/jobs/${job.id}?expand=messages`)).json).toMatchObject({ status: 'Started', messages: [] })
    clock += 1999
    expect((await api('GET', `/api/v2/flows/jobs/${job.id}`)).json.status).toBe('Started')
    clock += 1
    const done = await api('GET', `/api/v2/flows/jobs/${job.id}?expand=messages`)
    expect(done.json).toMatchObject({
      status: 'Success',
      flow: { id: expect.any(String) },
      messages: [{ type: 'Info', text: expect.stringContaining('Acme Main Menu') }]
    })
    expect((await api('GET', `/api/v2/flows/jobs/${job.id}`)).json.messages).toBeUndefined()
    expect(sim.architectFlows()).toContainEqual(expect.objectContaining({ id: done.json.flow.id, name: 'Acme Main Menu', publishedVersionId: '1.0' }))
  })

  it('refuses an upload without the signed headers, with an Authorization header, or with a wrong signature', async () => {
    const job = await register()
    const noHeaders = await upload(job.presignedUrl, {})
    expect(noHeaders.status).toBe(403)
    expect(await noHeaders.text()).toMatch(
      /SignatureDoesNotMatch.*Content-Type: application\/octet-stream \(got .*\).*x-amz-server-side-encryption: AES256 \(got nothing\)/
    )
    const oneMissing = await upload(job.presignedUrl, { 'Content-Type': job.headers['Content-Type'] })
    expect(oneMissing.status).toBe(403)
    const withBearer = await upload(job.presignedUrl, { ...job.headers, authorization: `Bearer ${token}` })
    expect(withBearer.status).toBe(400)
    expect(await withBearer.text()).toContain('Only one auth mechanism allowed')
    expect((await upload(job.presignedUrl.replace(/signature=\w+/, 'signature=forged'), job.headers)).status).toBe(403)
    expect((await upload(job.presignedUrl, job.headers, '')).status).toBe(400)
    expect((await api('GET', `/api/v2/flows/jobs/${job.id}`)).json.status).toBe('Registered')
  })

  it('takes a repeated upload without running the job twice', async () => {
    const job = await register()
    expect((await upload(job.presignedUrl, job.headers)).status).toBe(200)
    expect((await upload(job.presignedUrl, job.headers, MAIN_MENU.replace('Welcome.', 'Changed.'))).status).toBe(200)
    clock += 2000
    expect(sim.architectFlows().find(flow => flow.name === 'Acme Main Menu')?.versionIds).toEqual(['1.0'])
  })

  it('fails jobs the scenario fails, unreadable files and locked flows, with their messages', async () => {
    patch({
      flowJobFailures: { 'Acme Main Menu': ['Unable to find queue acme-sales.'] },
      architectFlows: [{ name: 'Acme Hold', type: 'inQueueCall', lockedBy: 'Dana' }]
    })
    const outcomes: string[][] = []
    for (const yaml of [MAIN_MENU, 'inboundCall: [unclosed', 'inQueueCall:\n  name: Acme Hold\n', 'mysteryFlow:\n  name: X\n']) {
      const job = await register()
      await upload(job.presignedUrl, job.headers, yaml)
      clock += 2000
      const state = await api('GET', `/api/v2/flows/jobs/${job.id}?expand=messages`)
      expect(state.json.status).toBe('Failure')
      expect(state.json.flow).toBeUndefined()
      outcomes.push(state.json.messages.map((message: any) => `${message.type}: ${message.text}`))
    }
    expect(outcomes).toEqual([
      ['Error: Unable to find queue acme-sales.'],
      [expect.stringMatching(/^Error: Archy could not read the flow file/)],
      ["Error: Flow 'Acme Hold' is locked by Dana; it cannot be published until it is unlocked."],
      ["Error: Archy does not know the flow type 'mysteryFlow'."]
    ])
    expect(sim.architectFlows().some(flow => flow.name === 'Acme Main Menu')).toBe(false)
  })

  it('answers 404 for a job it never registered', async () => {
    expect((await api('GET', '/api/v2/flows/jobs/unknown')).json).toMatchObject({ status: 404, code: 'not.found' })
  })
})

describe('publish', () => {
  it('publishes a previous version, followed through currentOperation', async () => {
    patch({ architectFlows: [{ name: 'Acme Main Menu', type: 'inboundCall', id: 'f-1' }] })
    await publishedJob()
    expect(sim.architectFlows()[0]).toMatchObject({ publishedVersionId: '2.0', versionIds: ['1.0', '2.0'] })
    const operation = await api('POST', '/api/v2/flows/actions/publish?flow=f-1&version=1.0')
    expect(operation.json).toEqual({ id: expect.any(String), complete: false, actionStatus: 'STARTED', actionName: 'PUBLISH' })
    expect((await api('GET', '/api/v2/flows/f-1')).json.publishedVersion.id).toBe('2.0')
    clock += 1000
    const flow = await api('GET', '/api/v2/flows/f-1')
    expect(flow.json).toMatchObject({ publishedVersion: { id: '1.0' }, currentOperation: { id: operation.json.id, complete: true, actionStatus: 'SUCCESS' } })
  })

  it('fails a publish the scenario fails, leaving the published version', async () => {
    patch({
      architectFlows: [{ name: 'Acme Main Menu', type: 'inboundCall', id: 'f-1' }],
      flowPublishFailures: { 'Acme Main Menu': 'Prompt greeting was deleted.' }
    })
    await publishedJob()
    await api('POST', '/api/v2/flows/actions/publish?flow=f-1&version=1.0')
    clock += 1000
    expect((await api('GET', '/api/v2/flows/f-1')).json).toMatchObject({
      publishedVersion: { id: '2.0' },
      currentOperation: { complete: true, actionStatus: 'FAILURE', errorMessage: 'Prompt greeting was deleted.' }
    })
  })

  it('answers a publish that takes no time already complete, with the errorMessage when it failed', async () => {
    patch({
      architectFlows: [
        { name: 'Acme Main Menu', type: 'inboundCall', id: 'f-1' },
        { name: 'Acme After Hours', type: 'inboundCall', id: 'f-2' }
      ],
      flowPublishDurationMs: 0,
      flowPublishFailures: { 'Acme Main Menu': 'Prompt greeting was deleted.' }
    })
    expect((await api('POST', '/api/v2/flows/actions/publish?flow=f-1&version=1.0')).json).toEqual({
      id: expect.any(String),
      complete: true,
      actionStatus: 'FAILURE',
      actionName: 'PUBLISH',
      errorMessage: 'Prompt greeting was deleted.',
      errorCode: 'ARCHITECT_PUBLISH_FAILED'
    })
    expect((await api('POST', '/api/v2/flows/actions/publish?flow=f-2&version=1.0')).json).toEqual({
      id: expect.any(String),
      complete: true,
      actionStatus: 'SUCCESS',
      actionName: 'PUBLISH'
    })
  })

  it('serves only the documented endpoints when told: GET /api/v2/flows/{id} is 404, the listing still tells how a publish went', async () => {
    patch({ architectEndpoints: 'documented', architectFlows: [{ name: 'Acme Main Menu', type: 'inboundCall', id: 'f-1' }] })
    await publishedJob()
    const byId = await api('GET', '/api/v2/flows/f-1')
    expect(byId.status).toBe(404)
    expect(byId.json).toMatchObject({ code: 'not.found', message: expect.stringContaining('No resource at GET /api/v2/flows/f-1') })
    const operation = await api('POST', '/api/v2/flows/actions/publish?flow=f-1&version=1.0')
    expect(operation.json).toMatchObject({ complete: false, actionStatus: 'STARTED' })
    clock += 1000
    const listing = await api('GET', '/api/v2/flows?name=Acme%20Main%20Menu&type=inboundcall')
    expect(listing.json.entities).toEqual([
      expect.objectContaining({
        id: 'f-1',
        publishedVersion: expect.objectContaining({ id: '1.0' }),
        currentOperation: { id: operation.json.id, complete: true, actionStatus: 'SUCCESS', actionName: 'PUBLISH' }
      })
    ])
    // Back to every endpoint: the switch changes what is served, not the org.
    patch({ architectEndpoints: null })
    expect((await api('GET', '/api/v2/flows/f-1')).json).toMatchObject({ id: 'f-1', publishedVersion: { id: '1.0' } })
  })

  it('refuses publishes it cannot do', async () => {
    patch({ architectFlows: [{ name: 'Acme Main Menu', type: 'inboundCall', id: 'f-1' }] })
    expect((await api('POST', '/api/v2/flows/actions/publish')).status).toBe(400)
    expect((await api('POST', '/api/v2/flows/actions/publish?flow=nope&version=1.0')).status).toBe(404)
    const noVersion = await api('POST', '/api/v2/flows/actions/publish?flow=f-1&version=9.0')
    expect(noVersion.status).toBe(400)
    expect(noVersion.json.message).toContain('its versions are 1.0')
  })
})

describe('queues and dependency tracking', () => {
  it('finds the scenario queues by whole name, with wildcards', async () => {
    patch({ existingResources: { flows: [], queues: ['acme-sales', 'acme-support', 'vip'] } })
    const names = async (filter: string) =>
      (await api('GET', `/api/v2/routing/queues?name=${encodeURIComponent(filter)}`)).json.entities.map((q: any) => q.name)
    expect(await names('ACME-SALES')).toEqual(['acme-sales'])
    expect(await names('acme')).toEqual([])
    expect(await names('acme*')).toEqual(['acme-sales', 'acme-support'])
    expect(await names('*port')).toEqual(['acme-support'])
    const ids = (await api('GET', '/api/v2/routing/queues')).json.entities.map((q: any) => q.id)
    expect((await api('GET', '/api/v2/routing/queues')).json.entities.map((q: any) => q.id)).toEqual(ids)
  })

  it('lists consumers of a flow, checking the object type matches the flow', async () => {
    patch({
      architectFlows: [{ name: 'Acme Main Menu', type: 'inboundCall', id: 'f-1' }],
      flowConsumers: { 'Acme Main Menu': [{ id: 'ivr-1', name: 'Main Number', type: 'IVRCONFIGURATION' }] }
    })
    const consumers = await api('GET', '/api/v2/architect/dependencytracking/consumingresources?id=f-1&objectType=INBOUNDCALLFLOW')
    expect(consumers.json.entities).toEqual([expect.objectContaining({ id: 'ivr-1', name: 'Main Number', type: 'IVRCONFIGURATION', version: '1.0' })])
    const wrongType = await api('GET', '/api/v2/architect/dependencytracking/consumingresources?id=f-1&objectType=INQUEUECALLFLOW')
    expect(wrongType.status).toBe(400)
    expect(wrongType.json.message).toContain('use INBOUNDCALLFLOW')
    expect((await api('GET', '/api/v2/architect/dependencytracking/consumingresources?id=f-1')).json.message).toContain('needs objectType')
    expect((await api('GET', '/api/v2/architect/dependencytracking/consumingresources?id=gone&objectType=INBOUNDCALLFLOW')).json.entities).toEqual([])
  })
})

describe('export jobs and the presigned download', () => {
  const seeded = 'inboundCall:\n  name: Acme Main Menu\n  initialGreeting:\n    tts: Old greeting.\n'

  it('exports the published YAML behind a signed URL', async () => {
    patch({ architectFlows: [{ name: 'Acme Main Menu', type: 'inboundCall', id: 'f-1', yaml: seeded }] })
    const started = await api('POST', '/api/v2/flows/export/jobs', { flows: [{ flow: { id: 'f-1' }, exportType: 'Yaml' }] })
    expect(started.json).toMatchObject({ id: expect.any(String), totalFlows: 1 })
    expect((await api('GET', `/api/v2/flows/export/jobs/${started.json.id}`)).json).toMatchObject({ status: 'Started' })
    clock += 500
    const state = await api('GET', `/api/v2/flows/export/jobs/${started.json.id}?expand=messages`)
    expect(state.json).toMatchObject({ status: 'Success', command: 'Export', downloadUrl: expect.stringMatching(/\/__download\/.*\?signature=/) })
    const download = await fetch(state.json.downloadUrl)
    expect(download.headers.get('content-type')).toBe('application/x-yaml')
    expect(await download.text()).toBe(seeded)
    expect((await fetch(state.json.downloadUrl, { headers: { authorization: `Bearer ${token}` } })).status).toBe(400)
    expect((await fetch(state.json.downloadUrl.replace(/signature=\w+/, 'signature=x'))).status).toBe(403)
  })

  it('fails exports the scenario fails, and refuses what it cannot export', async () => {
    patch({ architectFlows: [{ name: 'Acme Main Menu', type: 'inboundCall', id: 'f-1' }], flowExportFailures: { 'Acme Main Menu': ['Export quota reached.'] } })
    const started = await api('POST', '/api/v2/flows/export/jobs', { flows: [{ flow: { name: 'acme main menu', type: 'inboundcall' } }] })
    clock += 500
    expect((await api('GET', `/api/v2/flows/export/jobs/${started.json.id}?expand=messages`)).json).toMatchObject({
      status: 'Failure',
      messages: [{ type: 'Error', text: 'Export quota reached.' }]
    })
    expect((await api('POST', '/api/v2/flows/export/jobs', { flows: [] })).status).toBe(400)
    expect((await api('POST', '/api/v2/flows/export/jobs', { flows: [{ flow: { id: 'f-1' } }, { flow: { id: 'f-1' } }] })).json.message).toContain(
      'one flow per job'
    )
    expect((await api('POST', '/api/v2/flows/export/jobs', { flows: [{ flow: { id: 'f-1', version: '7.0' } }] })).status).toBe(400)
    expect((await api('POST', '/api/v2/flows/export/jobs', { flows: [{ flow: { id: 'nope' } }] })).status).toBe(404)
  })
})

describe('faults, scenario and reset', () => {
  it('injects rate limits, server errors and resets into the new operations only', async () => {
    patch({ rateLimit: { count: 1, retryAfterSeconds: 4, on: 'flowJob' }, serverErrors: { count: 1, status: 502, on: 'flowUpload' } })
    expect((await api('GET', '/api/v2/flows')).status).toBe(200)
    const limited = await api('POST', '/api/v2/flows/jobs')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('4')
    const job = await register()
    expect((await upload(job.presignedUrl, job.headers)).status).toBe(502)
    expect((await upload(job.presignedUrl, job.headers)).status).toBe(200)
    expect(sim.requests.filter(r => r.fault !== undefined).map(r => `${r.method} ${r.path.split('/').slice(0, 5).join('/')} ${r.fault}`)).toEqual([
      'POST /api/v2/flows/jobs rate-limit',
      `PUT /__upload/${job.id} server-error`
    ])
  })

  it('serves the look-ups of what flows name, faults them by operation, and refuses the permissions the scenario withholds', async () => {
    patch({
      existingResources: { dataActions: ['Get Customer'], skills: ['Spanish', 'Spanish Advanced'] },
      missingPermissions: ['architect:userPrompt:view'],
      serverErrors: { count: 1, status: 503, on: 'skills' }
    })
    expect((await api('GET', '/api/v2/routing/skills?name=Spanish')).status).toBe(503)
    expect((await api('GET', '/api/v2/routing/skills?name=Spanish')).json.entities.map((skill: { name: string }) => skill.name)).toEqual([
      'Spanish',
      'Spanish Advanced'
    ])
    expect((await api('GET', '/api/v2/routing/skills?name=Advanced')).json.entities).toEqual([])
    expect((await api('GET', '/api/v2/integrations/actions?name=customer')).json).toMatchObject({ total: 1, entities: [{ name: 'Get Customer' }] })
    const refused = await api('GET', '/api/v2/architect/prompts?name=Welcome')
    expect(refused).toMatchObject({ status: 403, json: { code: 'missing.permissions', messageParams: { permissions: '[architect:userPrompt:view]' } } })
    expect((await api('GET', '/api/v2/architect/schedules')).json).toMatchObject({ total: 0, entities: [] })
  })

  it('fails a flow job whose flow transfers to a queue the org does not have, and times jobs per flow', async () => {
    patch({ existingResources: { queues: ['Sales'] }, flowJobDurationsMs: { 'Acme Main Menu': 5000 } })
    const transfers = (queue: string) =>
      `inboundCall:\n  name: Acme Main Menu\n  menus:\n    - menu:\n        choices:\n          - menuTransferToAcd:\n              targetQueue:\n                lit:\n                  name: ${queue}\n`
    const known = await register()
    expect((await upload(known.presignedUrl, known.headers, transfers('sales'))).status).toBe(200)
    clock += 2000
    expect((await api('GET', `/api/v2/flows/jobs/${known.id}`)).json.status).toBe('Started')
    clock += 3000
    expect((await api('GET', `/api/v2/flows/jobs/${known.id}`)).json.status).toBe('Success')
    const unknown = await register()
    expect((await upload(unknown.presignedUrl, unknown.headers, transfers('Claims'))).status).toBe(200)
    clock += 5000
    const failed = await api('GET', `/api/v2/flows/jobs/${unknown.id}?expand=messages`)
    expect(failed.json.status).toBe('Failure')
    expect(failed.json.messages.map((message: { text: string }) => message.text)).toEqual([
      "Unable to find a queue named 'Claims'.",
      "The flow 'Acme Main Menu' has 1 error(s) and cannot be published."
    ])
  })

  it('checks the new scenario fields when they come as JSON', () => {
    expect(parseScenarioPatch({ flowJobFailures: { 'Acme Main Menu': ['boom'] }, rateLimit: { count: 2, on: 'flowPublish' } }, 'scenario')).toEqual({
      flowJobFailures: { 'Acme Main Menu': ['boom'] },
      rateLimit: { count: 2, on: 'flowPublish' }
    })
    expect(
      parseScenarioPatch(
        { missingPermissions: ['routing:skill:view'], flowJobDurationsMs: { Slow: 9000 }, rateLimit: { count: 1, on: 'dataActions' } },
        'scenario'
      )
    ).toEqual({
      missingPermissions: ['routing:skill:view'],
      flowJobDurationsMs: { Slow: 9000 },
      rateLimit: { count: 1, on: 'dataActions' }
    })
    expect(() => parseScenarioPatch({ architectFlows: [{ name: 'x' }], serverErrors: { count: 1, on: 'flowJb' } }, 'scenario')).toThrow(
      /scenario\.architectFlows\.0\.type: .*scenario\.serverErrors\.on/
    )
  })

  it('starts the org over on reset and when the seeds change', async () => {
    patch({ architectFlows: [{ name: 'Seeded', type: 'inboundCall', id: 'f-1' }] })
    await publishedJob()
    expect(
      sim
        .architectFlows()
        .map(flow => flow.name)
        .sort()
    ).toEqual(['Acme Main Menu', 'Seeded', 'base-routing'])
    patch({ flowJobDurationMs: 10 })
    expect(sim.architectFlows()).toHaveLength(3)
    patch({ architectFlows: [{ name: 'Other', type: 'inboundCall' }] })
    expect(
      sim
        .architectFlows()
        .map(flow => flow.name)
        .sort()
    ).toEqual(['Other', 'base-routing'])
    sim.reset()
    expect(sim.architectFlows().map(flow => flow.name)).toEqual(['base-routing'])
  })
})
