/**
 * The architect driver over the real HTTP client, against the simulator on port 0 with a virtual clock shared by
 * both, driven through the deploy state machine (runDeployment) or the whole run (run()) as the action does.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RecordingIO, VirtualClock } from '../__fixtures__/recording-io.js'
import { simulatorClient } from '../__fixtures__/simulator-client.js'
import { comparableConfig } from '../src/assess/comparable-config.js'
import { computeDiff } from '../src/assess/diff.js'
import { assessImpact } from '../src/assess/impact.js'
import type { Bundle } from '../src/bundle/bundle.js'
import { loadBundle } from '../src/bundle/loader.js'
import { runDeployment } from '../src/deploy/deploy-runner.js'
import type { DeployResult } from '../src/deploy/result.js'
import { ArchitectDriver, type ArchitectClient, type ArchitectDriverOptions } from '../src/genesys/architect-driver.js'
import { dependencyObjectType, flowDeploymentOrder, platformFlowType, type ArchyFlow } from '../src/genesys/architect-flows.js'
import { ArchitectRequests } from '../src/genesys/architect-requests.js'
import { GenesysApiError } from '../src/genesys/genesys-api-error.js'
import { GenesysHttpClient, type GenesysRequest, type GenesysResponse } from '../src/genesys/http-client.js'
import { run } from '../src/main.js'
import { startSimulator, type RecordedRequest, type Simulator } from '../simulator/server.js'
import { MAX_STEP_TRIES } from '../src/genesys/architect-requests.js'

const CLIENT = { id: 'architect-ci', secret: 'architect-secret-9f2' }
const EXAMPLE = join(process.cwd(), 'examples', 'architect')

const AFTER_HOURS_LIVE = `inboundCall:
  name: Acme After Hours
  description: Closed message for Acme Insurance
  division: Home
  startUpRef: "/inboundCall/menus/menu[Closed Menu_10]"
  defaultLanguage: en-us
  supportedLanguages:
    en-us:
      defaultLanguageSkill:
        noValue: true
  initialGreeting:
    tts: Thanks for calling Acme Insurance. We are closed.
  menus:
    - menu:
        name: Closed Menu
        refId: Closed Menu_10
        audio:
          tts: Please call again between 8 AM and 6 PM, Monday to Friday.
        settingsMenu:
          extensions: disabled
          menuMaxRetries: 1
        choices:
          - menuDisconnect:
              name: Disconnect
              dtmf: digit_1
`

let clock: VirtualClock
let sim: Simulator
let workspace: string
let logs: string[]

beforeEach(async () => {
  clock = new VirtualClock()
  sim = await startSimulator({ now: clock.now, clients: { [CLIENT.id]: CLIENT.secret }, scenario: { flowJobDurationMs: 4000 } })
  workspace = await mkdtemp(join(tmpdir(), 'architect-driver-'))
  await cp(EXAMPLE, workspace, { recursive: true })
  logs = []
})

afterEach(async () => {
  await sim.close()
})

function httpClient(): GenesysHttpClient {
  return simulatorClient(sim.url, CLIENT, clock)
}

/** A driver on the shared clock; a number is its `maxParallelJobs` (default: the input's default, 4). */
function newDriver(client: ArchitectClient = httpClient(), options: number | ArchitectDriverOptions = {}): ArchitectDriver {
  const extra = typeof options === 'number' ? { maxParallelJobs: options } : options
  return new ArchitectDriver(client, { now: clock.now, sleep: clock.sleep, random: () => 0.5, log: line => logs.push(line), ...extra })
}

async function loadExample(manifest?: string): Promise<Bundle> {
  if (manifest !== undefined) await writeFile(join(workspace, 'bundle.yaml'), manifest)
  const loaded = await loadBundle('bundle.yaml', { workspace })
  if (!loaded.bundle) throw new Error(`example did not load: ${JSON.stringify(loaded.findings)}`)
  return loaded.bundle
}

async function deploy(driver: ArchitectDriver, bundle: Bundle, rollbackOnFailure = true): Promise<DeployResult> {
  return runDeployment({
    driver,
    bundle,
    rollbackOnFailure,
    timeoutMs: 300_000,
    pollIntervalMs: 1000,
    maxPollIntervalMs: 5000,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    log: line => logs.push(line)
  })
}

function seedFlow(name: string, type = 'inboundCall', extra: Record<string, unknown> = {}) {
  return { name, type, id: `seed-${name.toLowerCase().replace(/\s+/g, '-')}`, ...extra }
}

const requestsTo = (method: string, path: string | RegExp): RecordedRequest[] =>
  sim.requests.filter(r => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)))
const uploads = () => sim.requests.filter(r => r.method === 'PUT' && r.path.startsWith('/__upload/') && r.status === 200)
const flowNamed = (name: string) => sim.architectFlows().find(flow => flow.name === name)

describe('validate (preflight)', () => {
  it('accepts the example: flows looked up by name and type, queues confirmed', async () => {
    const validation = await newDriver().validate(await loadExample())
    expect(validation).toEqual({ valid: true, warnings: [], errors: [], confirmedDependencies: ['acme-sales', 'acme-support'] })
    const lookups = requestsTo('GET', '/api/v2/flows')
    // Looked up side by side: each once, in whatever order they arrive.
    expect(lookups.map(r => [r.query.name, r.query.type]).sort()).toEqual([
      ['Acme After Hours', 'inboundcall'],
      ['Acme Main Menu', 'inboundcall'],
      ['Acme Sales Hold', 'inqueuecall']
    ])
    expect(
      requestsTo('GET', '/api/v2/routing/queues')
        .map(r => r.query.name)
        .sort()
    ).toEqual(['acme-sales', 'acme-support'])
    expect(requestsTo('POST', '/api/v2/flows/jobs')).toHaveLength(0)
  })

  it('reports missing queues and external flows as errors naming the manifest line, and warns of flows without a file', async () => {
    sim.setScenario({ existingResources: { flows: [], queues: ['acme-sales'] } })
    const manifest = (await readFile(join(workspace, 'bundle.yaml'), 'utf8'))
      .replace('flows: [after-hours, sales-hold, main-menu]', 'flows: [base-routing, after-hours, sales-hold, main-menu]')
      .replace('    sales-hold: { file: flows/sales-hold.yaml }', '    sales-hold: { file: flows/sales-hold.yaml }\n    legacy-entry: { version: 1.2.0 }')
    const validation = await newDriver().validate(await loadExample(manifest))
    expect(validation.valid).toBe(false)
    expect(validation.errors).toEqual([
      expect.stringMatching(/^Flow `base-routing` \(bundle\.yaml line 8\) does not exist in Genesys Cloud.*publish it first/),
      // Named in the manifest and, now that flow files carry their references, where the main menu transfers to it.
      expect.stringMatching(
        /^Queue `acme-support` \(bundle\.yaml line 9; flows\/main-menu\.yaml:\d+\) does not exist in Genesys Cloud: the architect API deploys flows only/
      )
    ])
    expect(validation.warnings).toEqual([expect.stringMatching(/^Flow `legacy-entry` \(bundle\.yaml line 16\) has no `file:`.*skipped/)])
    expect(validation.confirmedDependencies).toEqual(['acme-sales'])
  })

  it('finds a flow beyond the first page of a name search, and warns when it is locked', async () => {
    const decoys = Array.from({ length: 130 }, (_, i) => seedFlow(`Acme After Hours copy ${i}`, 'inboundCall', { id: `a-${String(i).padStart(3, '0')}` }))
    sim.setScenario({ architectFlows: [...decoys, seedFlow('Acme After Hours', 'inboundCall', { id: 'zz-real', lockedBy: 'Dana Admin' })] })
    const validation = await newDriver().validate(await loadExample())
    expect(validation.warnings).toEqual([expect.stringContaining('`after-hours` ("Acme After Hours") is locked in Architect by Dana Admin')])
    const pages = requestsTo('GET', '/api/v2/flows').filter(r => r.query.name === 'Acme After Hours')
    expect(pages.map(r => r.query.pageNumber)).toEqual(['1', '2'])
  })

  it('stops the whole run at VALIDATION_FAILED before any flow job when a queue is missing', async () => {
    sim.setScenario({ existingResources: { flows: [], queues: [] } })
    const io = new RecordingIO({
      mode: 'deploy',
      bundle: 'bundle.yaml',
      api: 'architect',
      'api-url': sim.url,
      'auth-url': sim.url,
      'client-id': CLIENT.id,
      'client-secret': CLIENT.secret
    })
    await run({
      io,
      env: { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'push', RUNNER_TEMP: workspace },
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5
    })
    expect(io.outputs.status).toBe('VALIDATION_FAILED')
    expect(io.failed).toMatch(/Queue `acme-sales`.*does not exist/)
    expect(requestsTo('POST', '/api/v2/flows/jobs')).toHaveLength(0)
    expect(uploads()).toHaveLength(0)
  })
})

describe('deploy', () => {
  it('publishes new flows with substitutions, one flow job at a time in deploy order', async () => {
    const driver = newDriver(undefined, 1)
    const result = await deploy(driver, await loadExample())
    expect(result.status).toBe('COMPLETED')
    expect(result.deploymentId).toMatch(/^architect-[0-9a-f-]{36}$/)

    const sent = uploads().map(r => r.body)
    expect(sent).toHaveLength(3)
    for (const body of sent) expect(body).not.toContain('{{')
    expect(sent.find(body => body.includes('Acme Main Menu'))).toContain('name: "acme-sales"')
    expect(sent.find(body => body.includes('Acme After Hours'))).toContain('Thank you for calling Acme Insurance.')
    for (const upload of uploads()) {
      expect(upload.headers.authorization).toBeUndefined()
      expect(upload.headers['content-type']).toBe('application/octet-stream')
      expect(upload.headers['x-amz-server-side-encryption']).toBe('AES256')
    }

    // dependencyMatrix.flows order; each job is registered only after the one before it succeeded (jobs take 4 s).
    expect(uploads().map(r => /name: (.*)/.exec(r.body)?.[1])).toEqual(['Acme After Hours', 'Acme Sales Hold', 'Acme Main Menu'])
    const registeredAt = requestsTo('POST', '/api/v2/flows/jobs').map(r => r.receivedAt)
    expect(registeredAt).toHaveLength(3)
    expect(registeredAt[1] - registeredAt[0]).toBeGreaterThanOrEqual(4000)
    expect(registeredAt[2] - registeredAt[1]).toBeGreaterThanOrEqual(4000)
    expect(requestsTo('GET', /^\/api\/v2\/flows\/jobs\//).every(r => r.query.expand === 'messages')).toBe(true)

    const published = sim.architectFlows().filter(flow => flow.name.startsWith('Acme'))
    expect(published.map(flow => [flow.name, flow.type, flow.publishedVersionId]).sort()).toEqual([
      ['Acme After Hours', 'INBOUNDCALL', '1.0'],
      ['Acme Main Menu', 'INBOUNDCALL', '1.0'],
      ['Acme Sales Hold', 'INQUEUECALL', '1.0']
    ])
    expect(driver.previousVersions()).toEqual([
      { flow: 'after-hours', name: 'Acme After Hours', type: 'inboundCall' },
      { flow: 'sales-hold', name: 'Acme Sales Hold', type: 'inqueueCall' },
      { flow: 'main-menu', name: 'Acme Main Menu', type: 'inboundCall' }
    ])
  })

  it('updates existing flows and records their previous published versions', async () => {
    sim.setScenario({ architectFlows: [seedFlow('Acme After Hours', 'inboundCall', { yaml: AFTER_HOURS_LIVE }), seedFlow('Acme Main Menu')] })
    const driver = newDriver()
    expect((await deploy(driver, await loadExample())).status).toBe('COMPLETED')
    expect(flowNamed('Acme After Hours')).toMatchObject({ id: 'seed-acme-after-hours', publishedVersionId: '2.0', versionIds: ['1.0', '2.0'] })
    expect(driver.previousVersions()).toEqual([
      { flow: 'after-hours', name: 'Acme After Hours', type: 'inboundCall', flowId: 'seed-acme-after-hours', versionId: '1.0' },
      { flow: 'sales-hold', name: 'Acme Sales Hold', type: 'inqueueCall' },
      { flow: 'main-menu', name: 'Acme Main Menu', type: 'inboundCall', flowId: 'seed-acme-main-menu', versionId: '1.0' }
    ])
  })

  it('runs independent flows side by side when allowed more jobs at once, a flow still waiting for those it names', async () => {
    expect((await deploy(newDriver(undefined, 3), await loadExample())).status).toBe('COMPLETED')
    // after-hours and sales-hold go together; main-menu transfers to after-hours, so it waits for its success.
    const uploadedAt = (name: string) => uploads().find(r => r.body.includes(`name: ${name}`))!.receivedAt
    expect(uploadedAt('Acme Sales Hold')).toBe(uploadedAt('Acme After Hours'))
    expect(uploadedAt('Acme Main Menu') - uploadedAt('Acme After Hours')).toBeGreaterThanOrEqual(4000)
  })

  it('rides out 429s, 5xx, connection resets and an expired token during the jobs', async () => {
    // The platform's clock runs twice as fast as the runner's: tokens die before the client expects, so it meets 401s.
    await sim.close()
    const start = clock.now()
    sim = await startSimulator({ now: () => start + (clock.now() - start) * 2, clients: { [CLIENT.id]: CLIENT.secret }, scenario: { flowJobDurationMs: 8000 } })
    sim.setScenario({
      tokenLifetimeSeconds: 6,
      rateLimit: { count: 3, retryAfterSeconds: 2, on: 'flowJobStatus' },
      serverErrors: { count: 2, status: 503, on: 'flowJob' },
      connectionResets: { count: 1, on: 'flowUpload' }
    })
    const result = await deploy(newDriver(), await loadExample())
    expect(result.status).toBe('COMPLETED')
    expect(sim.requests.filter(r => r.status === 429)).toHaveLength(3)
    expect(sim.requests.filter(r => r.status === 503)).toHaveLength(2)
    expect(sim.requests.filter(r => r.fault === 'connection-reset')).toHaveLength(1)
    expect(sim.requests.filter(r => r.status === 401).length).toBeGreaterThan(0)
    expect(clock.sleeps.filter(ms => ms >= 2000).length).toBeGreaterThanOrEqual(3)
    // Every registration that reached the platform was uploaded exactly once: no job ran twice.
    expect(requestsTo('POST', '/api/v2/flows/jobs').filter(r => r.status === 200)).toHaveLength(3)
    expect(uploads()).toHaveLength(3)
  })

  it('runs the whole action with `api: architect` to COMPLETED', async () => {
    const io = new RecordingIO({
      mode: 'deploy',
      bundle: 'bundle.yaml',
      api: 'architect',
      'api-url': sim.url,
      'auth-url': sim.url,
      'client-id': CLIENT.id,
      'client-secret': CLIENT.secret,
      'poll-interval-seconds': '1',
      'max-poll-interval-seconds': '5',
      'max-parallel-jobs': '2'
    })
    await run({
      io,
      env: { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'push', RUNNER_TEMP: workspace },
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5
    })
    expect(io.failed).toBeUndefined()
    expect(io.outputs.status).toBe('COMPLETED')
    expect(io.outputs['deployment-id']).toMatch(/^architect-/)
    expect(uploads()).toHaveLength(3)
    expect(io.everythingWritten()).not.toContain('signature=')
    // `max-parallel-jobs` reaches the driver (whose own default is 4): the two flows of level 0 went together.
    expect(io.infos).toContainEqual(expect.stringContaining('up to 2 job(s) at once per level'))
    const uploadedAt = (name: string) => uploads().find(r => r.body.includes(`name: ${name}`))!.receivedAt
    expect(uploadedAt('Acme Sales Hold')).toBe(uploadedAt('Acme After Hours'))
  })
})

describe('failure and rollback', () => {
  const existing = () => [seedFlow('Acme After Hours'), seedFlow('Acme Sales Hold', 'inQueueCall'), seedFlow('Acme Main Menu')]

  it('rolls back the flows already published, latest first, when a later flow fails', async () => {
    sim.setScenario({
      architectFlows: existing(),
      flowJobFailures: { 'Acme Main Menu': ['Unable to find a queue named acme-sales.', 'The flow has 1 error.'] }
    })
    const result = await deploy(newDriver(), await loadExample())
    expect(result.status).toBe('ROLLBACK_COMPLETED')
    expect(result.error).toContain('flow `main-menu` ("Acme Main Menu"): flow job')
    expect(result.error).toContain('Unable to find a queue named acme-sales.; The flow has 1 error.')

    const publishes = requestsTo('POST', '/api/v2/flows/actions/publish').filter(r => r.status === 200)
    expect(publishes.map(r => r.query)).toEqual([
      { flow: 'seed-acme-sales-hold', version: '1.0' },
      { flow: 'seed-acme-after-hours', version: '1.0' }
    ])
    expect(flowNamed('Acme After Hours')).toMatchObject({ publishedVersionId: '1.0', versionIds: ['1.0', '2.0'] })
    expect(flowNamed('Acme Sales Hold')).toMatchObject({ publishedVersionId: '1.0', versionIds: ['1.0', '2.0'] })
    expect(flowNamed('Acme Main Menu')).toMatchObject({ publishedVersionId: '1.0', versionIds: ['1.0'] })
    // The rollback waited for each flow's currentOperation before moving on.
    const flowReads = requestsTo('GET', /^\/api\/v2\/flows\/seed-/).map(r => r.path)
    expect(flowReads.indexOf('/api/v2/flows/seed-acme-sales-hold')).toBeLessThan(flowReads.indexOf('/api/v2/flows/seed-acme-after-hours'))
    expect(result.timeline.at(-1)).toMatchObject({
      state: 'ROLLED_BACK',
      detail: expect.stringContaining('restored the previous published version of: sales-hold (version 1.0), after-hours (version 1.0)')
    })
  })

  it('stops at the first flow that fails: no later flow is registered, and the rollback says nothing needed restoring', async () => {
    sim.setScenario({ architectFlows: existing(), flowJobFailures: { 'Acme After Hours': ['Archy: the flow is invalid.'] } })
    const result = await deploy(newDriver(undefined, 1), await loadExample())
    expect(result.status).toBe('ROLLBACK_COMPLETED')
    expect(requestsTo('POST', '/api/v2/flows/jobs')).toHaveLength(1)
    expect(uploads().map(r => /name: (.*)/.exec(r.body)?.[1])).toEqual(['Acme After Hours'])
    expect(result.error).toContain('not deployed: sales-hold, main-menu')
    expect(result.error).toContain('it was rolled back (no flow was changed, so there was nothing to restore)')
    expect(result.timeline.at(-1)).toMatchObject({ state: 'ROLLED_BACK', detail: 'no flow was changed, so there was nothing to restore' })
    expect(requestsTo('POST', '/api/v2/flows/actions/publish')).toHaveLength(0)
    expect(
      sim
        .architectFlows()
        .filter(flow => flow.name.startsWith('Acme'))
        .map(flow => flow.versionIds)
    ).toEqual([['1.0'], ['1.0'], ['1.0']])
  })

  it('follows each republish through the flow listing where GET /api/v2/flows/{id} answers 404', async () => {
    sim.setScenario({
      architectEndpoints: 'documented',
      architectFlows: existing(),
      flowJobFailures: { 'Acme Main Menu': ['Archy: the flow is invalid.'] }
    })
    const result = await deploy(newDriver(), await loadExample())
    expect(result.status).toBe('ROLLBACK_COMPLETED')
    expect(result.timeline.at(-1)?.detail).toBe('restored the previous published version of: sales-hold (version 1.0), after-hours (version 1.0)')
    expect(flowNamed('Acme After Hours')).toMatchObject({ publishedVersionId: '1.0', versionIds: ['1.0', '2.0'] })
    expect(flowNamed('Acme Sales Hold')).toMatchObject({ publishedVersionId: '1.0', versionIds: ['1.0', '2.0'] })
    // Asked once by id; from then on only the documented look-up.
    expect(requestsTo('GET', /^\/api\/v2\/flows\/seed-/).map(r => [r.path, r.status])).toEqual([['/api/v2/flows/seed-acme-sales-hold', 404]])
    expect(logs).toContainEqual(expect.stringContaining('following publishes through GET /api/v2/flows?name=&type= instead'))
    // Each publish was followed to its end before the next flow's publish was sent.
    const positions = (match: (r: RecordedRequest) => boolean) => sim.requests.flatMap((r, i) => (match(r) ? [i] : []))
    const listingOf = (name: string) => positions(r => r.method === 'GET' && r.path === '/api/v2/flows' && r.query.name === name)
    const publishOf = (flowId: string) => positions(r => r.path === '/api/v2/flows/actions/publish' && r.query.flow === flowId)
    const [salesHoldPublish, afterHoursPublish] = [publishOf('seed-acme-sales-hold')[0], publishOf('seed-acme-after-hours')[0]]
    expect(listingOf('Acme Sales Hold').at(-1)).toBeGreaterThan(salesHoldPublish)
    expect(listingOf('Acme Sales Hold').at(-1)).toBeLessThan(afterHoursPublish)
    expect(listingOf('Acme After Hours').at(-1)).toBeGreaterThan(afterHoursPublish)
  })

  it('takes a publish answer that says it is complete as the end of the restore, reading no flow', async () => {
    sim.setScenario({ architectFlows: existing(), flowPublishDurationMs: 0, flowJobFailures: { 'Acme Main Menu': ['Archy: the flow is invalid.'] } })
    const result = await deploy(newDriver(), await loadExample())
    expect(result.status).toBe('ROLLBACK_COMPLETED')
    expect(flowNamed('Acme After Hours')?.publishedVersionId).toBe('1.0')
    expect(flowNamed('Acme Sales Hold')?.publishedVersionId).toBe('1.0')
    const firstPublish = sim.requests.findIndex(r => r.path === '/api/v2/flows/actions/publish')
    const flowReads = sim.requests
      .slice(firstPublish)
      .filter(r => r.method === 'GET' && r.path.startsWith('/api/v2/flows') && !r.path.startsWith('/api/v2/flows/jobs'))
    expect(flowReads).toEqual([])
    expect(requestsTo('POST', '/api/v2/flows/actions/publish')).toHaveLength(2)
  })

  it('takes a publish answer that says it failed as a failed restore, quoting its errorMessage', async () => {
    sim.setScenario({
      architectEndpoints: 'documented',
      architectFlows: existing(),
      flowPublishDurationMs: 0,
      flowJobFailures: { 'Acme Main Menu': ['Archy: the flow is invalid.'] },
      flowPublishFailures: { 'Acme Sales Hold': 'Version 1.0 references a deleted prompt.' }
    })
    const result = await deploy(newDriver(), await loadExample())
    expect(result.status).toBe('ROLLBACK_FAILED')
    expect(result.error).toContain('could not restore: sales-hold (version 1.0: the publish failed: Version 1.0 references a deleted prompt.)')
    expect(result.error).toContain('restored the previous published version of: after-hours (version 1.0)')
    expect(requestsTo('GET', /^\/api\/v2\/flows\/seed-/)).toEqual([])
  })

  it('decides from the published version when the listing has no currentOperation, and takes a 405 as a missing endpoint', async () => {
    sim.setScenario({ architectFlows: existing(), flowJobFailures: { 'Acme Main Menu': ['Archy: the flow is invalid.'] } })
    const client = httpClient()
    const flowById = /^\/api\/v2\/flows\/(?!jobs\/|export\/|actions\/)[^/]+$/
    let refusedReads = 0
    const listingOnly: ArchitectClient = {
      uploadToPresignedUrl: (url, body, headers) => client.uploadToPresignedUrl(url, body, headers),
      downloadFromPresignedUrl: url => client.downloadFromPresignedUrl(url),
      request: async <T>(request: GenesysRequest): Promise<GenesysResponse<T>> => {
        if (request.method === 'GET' && flowById.test(request.path)) {
          refusedReads++
          throw new GenesysApiError({
            kind: 'http',
            method: 'GET',
            endpoint: request.path,
            status: 405,
            body: { message: 'Method not allowed', code: 'method.not.allowed' }
          })
        }
        const response = await client.request<T>(request)
        if (request.path === '/api/v2/flows') {
          for (const flow of (response.body as { entities?: Record<string, unknown>[] }).entities ?? []) delete flow.currentOperation
        }
        return response
      }
    }
    const result = await deploy(newDriver(listingOnly), await loadExample())
    expect(result.status).toBe('ROLLBACK_COMPLETED')
    expect(refusedReads).toBe(1)
    expect(flowNamed('Acme Sales Hold')?.publishedVersionId).toBe('1.0')
    expect(flowNamed('Acme After Hours')?.publishedVersionId).toBe('1.0')
    // Publishes take 1 s: the next one waited until the listing showed the version back.
    const publishedAt = requestsTo('POST', '/api/v2/flows/actions/publish').map(r => r.receivedAt)
    expect(publishedAt[1] - publishedAt[0]).toBeGreaterThanOrEqual(1000)
  })

  it('lists flows that did not exist before as left in place, and deletes nothing', async () => {
    sim.setScenario({ architectFlows: [seedFlow('Acme After Hours')], flowJobFailures: { 'Acme Main Menu': ['Archy: the flow is invalid.'] } })
    const result = await deploy(newDriver(), await loadExample())
    expect(result.status).toBe('ROLLBACK_COMPLETED')
    const detail = result.timeline.at(-1)?.detail ?? ''
    expect(detail).toContain('restored the previous published version of: after-hours (version 1.0)')
    expect(detail).toMatch(/left in place \(not deleted.*\): sales-hold \(flow [0-9a-f-]{36}\): it did not exist before this run/)
    expect(flowNamed('Acme Sales Hold')?.publishedVersionId).toBe('1.0')
    expect(sim.requests.some(r => r.method === 'DELETE')).toBe(false)
  })

  it('gives up a republish whose request keeps failing with a 5xx after MAX_STEP_TRIES, as ROLLBACK_FAILED', async () => {
    sim.setScenario({
      architectFlows: existing(),
      flowJobFailures: { 'Acme Main Menu': ['Archy: the flow is invalid.'] },
      serverErrors: { count: 1000, status: 500, on: 'flowPublish' }
    })
    const result = await deploy(newDriver(), await loadExample())
    expect(result.status).toBe('ROLLBACK_FAILED')
    expect(result.error).toMatch(new RegExp(`the publish request failed ${MAX_STEP_TRIES} times`))
    const publishes = sim.requests.filter(request => request.method === 'POST' && request.path === '/api/v2/flows/actions/publish')
    // Each flow to put back: its tries (each with the client's own retries of a 5xx), no more: not until the deadline.
    expect(publishes.length).toBe(30)
  })

  it('reports ROLLBACK_FAILED naming the flow whose republish failed, after trying the others', async () => {
    sim.setScenario({
      architectFlows: existing(),
      flowJobFailures: { 'Acme Main Menu': ['Archy: the flow is invalid.'] },
      flowPublishFailures: { 'Acme Sales Hold': 'Version 1.0 references a deleted prompt.' }
    })
    const result = await deploy(newDriver(), await loadExample())
    expect(result.status).toBe('ROLLBACK_FAILED')
    expect(result.error).toContain('could not restore: sales-hold (version 1.0: the publish failed: Version 1.0 references a deleted prompt.)')
    expect(result.error).toContain('restored the previous published version of: after-hours (version 1.0)')
    expect(flowNamed('Acme After Hours')?.publishedVersionId).toBe('1.0')
    expect(flowNamed('Acme Sales Hold')?.publishedVersionId).toBe('2.0')
  })

  it('stops at FAILED without touching the published flows when rollback is off', async () => {
    sim.setScenario({ architectFlows: existing(), flowJobFailures: { 'Acme After Hours': ['Archy: boom.'] } })
    const result = await deploy(newDriver(undefined, 1), await loadExample(), false)
    expect(result.status).toBe('FAILED')
    expect(result.error).toContain('Archy: boom.')
    expect(result.error).toContain('not deployed: sales-hold, main-menu')
    expect(requestsTo('POST', '/api/v2/flows/actions/publish')).toHaveLength(0)
  })

  /** A client whose reads of the main menu's flow job answer 404 from `lostAfterMs` after its upload on. */
  function losingMainMenuJob(lostAfterMs: number): ArchitectClient {
    const client = httpClient()
    let mainMenuJob: { id: string; uploadedAt: number } | undefined
    return {
      downloadFromPresignedUrl: url => client.downloadFromPresignedUrl(url),
      uploadToPresignedUrl: async (url, body, headers) => {
        if (body.includes('Acme Main Menu')) mainMenuJob = { id: new URL(url).pathname.split('/').pop()!, uploadedAt: clock.now() }
        return client.uploadToPresignedUrl(url, body, headers)
      },
      request: async request => {
        const lost = mainMenuJob !== undefined && clock.now() >= mainMenuJob.uploadedAt + lostAfterMs
        if (lost && request.path === `/api/v2/flows/jobs/${mainMenuJob!.id}`) {
          throw new GenesysApiError({ kind: 'http', method: 'GET', endpoint: request.path, status: 404, body: { message: 'job not found', code: 'not.found' } })
        }
        return client.request(request)
      }
    }
  }

  it('rolls back a flow whose job outcome could not be read, since it may have been published', async () => {
    sim.setScenario({ architectFlows: existing() })
    // The outcome is lost once the job (4 s) has run: it published the flow, unseen.
    const result = await deploy(newDriver(losingMainMenuJob(4000)), await loadExample())
    expect(result.status).toBe('ROLLBACK_COMPLETED')
    expect(result.error).toMatch(/the status of flow job .* could not be read .*job not found.*may or may not have been published/)
    const publishes = requestsTo('POST', '/api/v2/flows/actions/publish').map(r => r.query.flow)
    expect(publishes).toEqual(['seed-acme-main-menu', 'seed-acme-sales-hold', 'seed-acme-after-hours'])
    expect(
      sim
        .architectFlows()
        .filter(flow => flow.name.startsWith('Acme'))
        .map(flow => flow.publishedVersionId)
    ).toEqual(['1.0', '1.0', '1.0'])
  })

  it('publishes the previous version once more when the lost job publishes after the restore began', async () => {
    // Jobs take 4 s, publishes 0.5 s; the driver looks every 3 s: the job's outcome is lost at its first read (3 s),
    // the restore is asked at once and done at 3.5 s, then the job publishes at 4 s over it.
    sim.setScenario({ architectFlows: existing(), flowPublishDurationMs: 500 })
    const result = await deploy(newDriver(losingMainMenuJob(0), { pollIntervalMs: 3000, maxPollIntervalMs: 5000 }), await loadExample())
    expect(result.status).toBe('ROLLBACK_COMPLETED')
    expect(logs).toContainEqual(
      expect.stringContaining(
        'another publish replaced the restore of flow `main-menu` ("Acme Main Menu") (it is at version 2.0); publishing version 1.0 once more'
      )
    )
    const publishes = requestsTo('POST', '/api/v2/flows/actions/publish').map(r => r.query.flow)
    expect(publishes).toEqual(['seed-acme-main-menu', 'seed-acme-main-menu', 'seed-acme-sales-hold', 'seed-acme-after-hours'])
    expect(flowNamed('Acme Main Menu')).toMatchObject({ publishedVersionId: '1.0', versionIds: ['1.0', '2.0'] })
  })

  it('fails the flow whose upload loses its signed headers, clearly, and rolls back the rest', async () => {
    sim.setScenario({ architectFlows: existing() })
    const client = httpClient()
    const strippingHeaders: ArchitectClient = {
      request: request => client.request(request),
      downloadFromPresignedUrl: url => client.downloadFromPresignedUrl(url),
      uploadToPresignedUrl: (url, body, headers) =>
        body.includes('Acme Main Menu') ? client.uploadToPresignedUrl(url, body, {}) : client.uploadToPresignedUrl(url, body, headers)
    }
    const result = await deploy(newDriver(strippingHeaders), await loadExample())
    expect(result.status).toBe('ROLLBACK_COMPLETED')
    expect(result.error).toMatch(/uploading flows\/main-menu\.yaml to flow job .* failed: .*HTTP 403.*SignatureDoesNotMatch/)
    expect(result.error).not.toMatch(/signature=[0-9a-f]/)
    expect(sim.requests.filter(r => r.path.startsWith('/__upload/') && r.status === 403)).toHaveLength(1)
  })
})

describe('deploy order', () => {
  const flow = (key: string, name: string, mentions: string[] = []): ArchyFlow => ({
    key,
    file: `flows/${key}.yaml`,
    archyType: 'inboundCall',
    name,
    yaml: '',
    document: { inboundCall: { name, menus: mentions.map(target => ({ transferToFlow: { targetFlow: { name: target } } })) } }
  })

  it('puts a flow after the flows it names, keeps the listed order otherwise, and breaks loops', () => {
    const flows = [flow('menu', 'Menu', ['Closed']), flow('closed', 'Closed'), flow('hold', 'Hold')]
    // Each time, the first flow in manifest order whose references are placed: menu as soon as closed is.
    expect(flowDeploymentOrder(flows)).toEqual({ order: ['closed', 'menu', 'hold'], waitsFor: { closed: [], menu: ['closed'], hold: [] }, cycles: [] })
    expect(flowDeploymentOrder(flows, ['hold']).order).toEqual(['hold', 'closed', 'menu'])

    const loop = [flow('a', 'A', ['B']), flow('b', 'B', ['A']), flow('c', 'C', ['A'])]
    expect(flowDeploymentOrder(loop)).toEqual({ order: ['a', 'b', 'c'], waitsFor: { a: [], b: ['a'], c: ['a'] }, cycles: [['a', 'b']] })
  })

  it('spells flow types as the platform wants them', () => {
    expect(platformFlowType('inQueueCall')).toBe('inqueuecall')
    expect(dependencyObjectType('inQueueCall')).toBe('INQUEUECALLFLOW')
    expect(dependencyObjectType('commonModule')).toBe('COMMONMODULEFLOW')
    expect(dependencyObjectType('workflow')).toBe('WORKFLOW')
  })

  it('warns when bundle flows reference each other', async () => {
    await writeFile(
      join(workspace, 'flows', 'after-hours.yaml'),
      (await readFile(join(workspace, 'flows', 'after-hours.yaml'), 'utf8')).replace(
        'menuDisconnect:',
        'menuTransferToFlow:\n              targetFlow: { name: Acme Main Menu }\n              '
      )
    )
    const validation = await newDriver().validate(await loadExample())
    expect(validation.valid).toBe(true)
    expect(validation.warnings).toEqual([expect.stringMatching(/^Flows `after-hours`, `main-menu` reference each other/)])
  })
})

describe('live baseline and impact', () => {
  it('reads the published YAML of existing flows, so the diff compares the org with the bundle', async () => {
    sim.setScenario({ architectFlows: [seedFlow('Acme After Hours', 'inboundCall', { yaml: AFTER_HOURS_LIVE })] })
    const bundle = await loadExample()
    const live = await newDriver().readLiveConfiguration(bundle)
    expect(live.description).toMatch(/published version of 1 flow\(s\) \(after-hours\); not in the org yet: main-menu, sales-hold/)
    expect(live.config).toEqual({ flows: { 'after-hours': expect.objectContaining({ inboundCall: expect.objectContaining({ name: 'Acme After Hours' }) }) } })
    const exportRequest = requestsTo('POST', '/api/v2/flows/export/jobs')[0]
    expect(exportRequest.json).toEqual({ flows: [{ flow: { id: 'seed-acme-after-hours', version: '1.0' }, exportType: 'Yaml' }] })
    const download = sim.requests.find(r => r.path.startsWith('/__download/'))
    expect(download?.headers.authorization).toBeUndefined()

    const diff = computeDiff(live.config, comparableConfig(bundle, 'architect'))
    expect(diff.modified).toEqual(['flows.after-hours.inboundCall.initialGreeting.tts'])
    expect(diff.added).toEqual(['flows.main-menu', 'flows.sales-hold'])
    expect(diff.changes.find(change => change.kind === 'modified')).toMatchObject({
      before: 'Thanks for calling Acme Insurance. We are closed.',
      after: 'Thank you for calling Acme Insurance. Our offices are closed.'
    })
  })

  it('fails clearly when an export job fails', async () => {
    sim.setScenario({ architectFlows: [seedFlow('Acme After Hours')], flowExportFailures: { 'Acme After Hours': ['Export service unavailable.'] } })
    await expect(newDriver().readLiveConfiguration(await loadExample())).rejects.toThrow(
      /could not export the published version of flow `after-hours` \("Acme After Hours"\).*Export service unavailable\./
    )
  })

  it('finds the consumers of changed flows, and a flow used by an IVR raises the risk', async () => {
    sim.setScenario({
      architectFlows: [seedFlow('Acme After Hours', 'inboundCall', { yaml: AFTER_HOURS_LIVE })],
      flowConsumers: {
        'Acme After Hours': [
          { id: 'ivr-1', name: 'Main Number +1 555 0100', type: 'IVRCONFIGURATION' },
          { name: 'Acme Main Menu', type: 'INBOUNDCALLFLOW' }
        ]
      }
    })
    const bundle = await loadExample()
    const driver = newDriver()
    const consumers = await driver.findConsumers(bundle, ['after-hours', 'main-menu', 'retired-flow'])
    expect(consumers).toEqual({
      'after-hours': [
        { id: 'ivr-1', name: 'Main Number +1 555 0100', type: 'IVRCONFIGURATION' },
        { id: expect.any(String), name: 'Acme Main Menu', type: 'INBOUNDCALLFLOW' }
      ]
    })
    expect(requestsTo('GET', '/api/v2/architect/dependencytracking/consumingresources')[0].query).toMatchObject({
      id: 'seed-acme-after-hours',
      objectType: 'INBOUNDCALLFLOW'
    })

    const live = await driver.readLiveConfiguration(bundle)
    const diff = computeDiff(live.config, comparableConfig(bundle, 'architect'))
    const impact = assessImpact({ diff, remoteValidation: { ran: true, valid: true, warnings: [], errors: [] }, manifest: bundle.manifest, consumers })
    expect(impact.riskLevel).toBe('MEDIUM')
    expect(impact.consumers).toEqual({ 'after-hours': consumers['after-hours'] })
    expect(impact.reasons.join('\n')).toContain('used by 2 resources')
  })
})

describe('the whole run with live configuration', () => {
  it('assesses against the published YAML, names the consumers, and saves the previous versions when deploying', async () => {
    sim.setScenario({
      architectFlows: [seedFlow('Acme After Hours', 'inboundCall', { yaml: AFTER_HOURS_LIVE })],
      flowConsumers: { 'Acme After Hours': [{ id: 'ivr-1', name: 'Main Number +1 555 0100', type: 'IVRCONFIGURATION' }] }
    })
    const inputs = {
      bundle: 'bundle.yaml',
      api: 'architect',
      'api-url': sim.url,
      'auth-url': sim.url,
      'client-id': CLIENT.id,
      'client-secret': CLIENT.secret,
      'poll-interval-seconds': '1'
    } as const
    const assessed = new RecordingIO({ ...inputs, mode: 'assess' })
    await run({
      io: assessed,
      env: { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'pull_request', RUNNER_TEMP: workspace },
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5
    })
    expect(assessed.outputs.status).toBe('ASSESSED')
    expect(JSON.parse(assessed.outputs.diff!)).toEqual({
      added: ['flows.main-menu', 'flows.sales-hold'],
      removed: [],
      modified: ['flows.after-hours.inboundCall.initialGreeting.tts']
    })
    const impact = JSON.parse(assessed.outputs.impact!)
    expect(impact.riskLevel).toBe('MEDIUM')
    expect(impact.consumers['after-hours']).toEqual([{ id: 'ivr-1', name: 'Main Number +1 555 0100', type: 'IVRCONFIGURATION' }])
    expect(assessed.summary).toContain('Main Number +1 555 0100')
    expect(assessed.summary).toMatch(/published version of 1 flow/)

    const deployed = new RecordingIO({ ...inputs, mode: 'deploy' })
    await run({
      io: deployed,
      env: { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'push', RUNNER_TEMP: workspace },
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5
    })
    expect(deployed.outputs.status).toBe('COMPLETED')
    const previous = JSON.parse(deployed.state['previous-versions'])
    expect(previous).toEqual(expect.arrayContaining([expect.objectContaining({ flow: 'after-hours', flowId: 'seed-acme-after-hours' })]))
  })
})

describe('answers the platform may vary', () => {
  /** A requester that answers from a script, for shapes the simulator never sends. */
  function scripted(answers: Record<string, unknown>): ArchitectRequests {
    return new ArchitectRequests({
      request: async <T>(request: GenesysRequest): Promise<GenesysResponse<T>> => {
        const key = `${request.method} ${request.path}`
        if (!(key in answers)) throw new Error(`unscripted ${key}`)
        return { status: 200, body: answers[key] as T, headers: { 'inin-correlation-id': 'corr-1' } }
      }
    })
  }

  it('reads statuses in any casing, numbers as ids, and ignores extra fields', async () => {
    const requests = scripted({
      'GET /api/v2/flows/jobs/j1': { id: 'j1', status: 'SUCCESS', flow: { id: 42, extra: true }, messages: [{ text: 'ok', type: 'Info' }], novel: { a: 1 } }
    })
    expect(await requests.readFlowJob('j1')).toEqual({ id: 'j1', status: 'Success', flowId: '42', messages: ['ok'] })
  })

  it('names the endpoint and the value of a status it does not know', async () => {
    const requests = scripted({ 'GET /api/v2/flows/jobs/j2': { id: 'j2', status: 'Exploded' } })
    const error = await requests.readFlowJob('j2').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(GenesysApiError)
    expect((error as GenesysApiError).message).toMatch(
      /GET \/api\/v2\/flows\/jobs\/j2\?expand=… answered HTTP 200 status "Exploded" for flow job j2.*known: Registered, Started, Success, Failure/
    )
  })

  it('reads a publish answer whose status is named `status`, in any casing', async () => {
    const requests = scripted({ 'POST /api/v2/flows/actions/publish': { id: 'op-1', complete: true, status: 'success' } })
    expect(await requests.publishFlowVersion('f-1', '1.0')).toEqual({ id: 'op-1', complete: true, actionStatus: 'SUCCESS' })
  })

  it('never quotes a registration answer, which holds the upload signature', async () => {
    const requests = scripted({ 'POST /api/v2/flows/jobs': { presignedUrl: 'https://storage.example/x?signature=TOPSECRET' } })
    const error = (await requests.registerFlowJob().catch((caught: unknown) => caught)) as Error
    expect(error.message).toMatch(/flow job registration answer of an unexpected shape/)
    expect(error.message).not.toContain('TOPSECRET')
  })
})
