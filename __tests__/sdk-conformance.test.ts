/**
 * Conformance: the official Genesys Cloud JavaScript SDK (purecloud-platform-client-v2) drives the simulator's
 * Architect and Routing endpoints, proving the simulator speaks the platform's wire format (paths, query
 * names, bodies, models); then the driver's own requests are compared with the SDK's, call by call.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import platformClient from 'purecloud-platform-client-v2'
import type * as Sdk from 'purecloud-platform-client-v2'
import { ArchitectRequests } from '../src/genesys/architect-requests.js'
import { GenesysHttpClient } from '../src/genesys/http-client.js'
import { OrgObjectLookups, type OrgObjectKind } from '../src/genesys/org-object-lookups.js'
import { startSimulator, type RecordedRequest, type Simulator } from '../simulator/server.js'

const START = Date.UTC(2026, 10, 27, 9, 0, 0)
const FLOW_ID = 'a3f1c2d4-0000-4000-8000-000000000001'
const AFTER_HOURS = 'inboundCall:\n  name: Acme After Hours\n  initialGreeting:\n    tts: Thank you for calling Acme Insurance.\n'

let clock = START
let sim: Simulator
let architect: InstanceType<typeof platformClient.ArchitectApi>
let routing: InstanceType<typeof platformClient.RoutingApi>
let integrations: InstanceType<typeof platformClient.IntegrationsApi>
let driverRequests: ArchitectRequests
let driverLookups: OrgObjectLookups

beforeAll(async () => {
  sim = await startSimulator({
    now: () => clock,
    scenario: {
      architectFlows: [{ name: 'Acme After Hours', type: 'inboundCall', id: FLOW_ID }],
      flowConsumers: { 'Acme After Hours': [{ id: 'ivr-7', name: 'Main Number', type: 'IVRCONFIGURATION' }] },
      existingResources: {
        flows: ['base-routing'],
        queues: ['acme-sales', 'acme-support'],
        dataActions: ['Get Customer', 'Get Customer Orders'],
        schedules: ['Weekdays', 'Weekdays Summer'],
        scheduleGroups: ['Acme Hours'],
        prompts: ['WelcomePrompt', 'WelcomePromptOld'],
        skills: ['Spanish', 'Spanish Advanced']
      },
      flowJobDurationMs: 3000,
      flowPublishDurationMs: 1000,
      flowExportDurationMs: 500
    }
  })
  // The SDK builds https://login.{environment} / https://api.{environment}; a gateway points both at one host.
  platformClient.ApiClient.instance.setGateway({ host: '127.0.0.1', protocol: 'http', port: sim.port })
  architect = new platformClient.ArchitectApi()
  routing = new platformClient.RoutingApi()
  integrations = new platformClient.IntegrationsApi()
  const driverClient = new GenesysHttpClient({ apiUrl: sim.url, authUrl: sim.url, clientId: 'sim-client', clientSecret: 'sim-secret', now: () => clock })
  driverRequests = new ArchitectRequests(driverClient)
  driverLookups = new OrgObjectLookups(driverClient)
})

afterAll(async () => {
  await sim.close()
})

const last = (): RecordedRequest => sim.requests[sim.requests.length - 1]

/** What the platform sees of a request, paging aside: the driver reads every page, the SDK asks for one. */
function wire(request: RecordedRequest): { method: string; path: string; query: Record<string, string>; json?: unknown } {
  const { pageNumber: _page, pageSize: _size, ...query } = request.query
  return { method: request.method, path: request.path, query, ...(request.json === undefined ? {} : { json: request.json }) }
}

/** Runs the SDK call, then the driver's, and returns both requests as the platform saw them. */
async function sameRequest<S, D>(
  sdkCall: () => Promise<S>,
  driverCall: () => Promise<D>
): Promise<{ sdk: S; driver: D; sdkWire: ReturnType<typeof wire>; driverWire: ReturnType<typeof wire> }> {
  const sdk = await sdkCall()
  const sdkWire = wire(last())
  const driver = await driverCall()
  const driverWire = wire(last())
  return { sdk, driver, sdkWire, driverWire }
}

describe('the official SDK against the simulator', () => {
  let jobId: string

  it('logs in with client credentials', async () => {
    const auth = await platformClient.ApiClient.instance.loginClientCredentialsGrant('sim-client', 'sim-secret')
    expect(auth.accessToken).toMatch(/^[A-Za-z0-9_-]{20,}$/)
    const token = sim.requests.find(r => r.path === '/oauth/token')
    expect(token?.headers.authorization).toBe(`Basic ${Buffer.from('sim-client:sim-secret').toString('base64')}`)
    expect(token?.body).toBe('grant_type=client_credentials')
  })

  it('registers a flow job, uploads to its presigned URL and follows it to Success (postFlowsJobs, getFlowsJob)', async () => {
    const registration: Sdk.Models.RegisterArchitectJobResponse = await architect.postFlowsJobs()
    jobId = registration.id!
    expect(registration.presignedUrl).toMatch(new RegExp(`^${sim.url}/__upload/${jobId}\\?signature=[0-9a-f]+$`))
    expect(registration.headers).toEqual({ 'Content-Type': 'application/octet-stream', 'x-amz-server-side-encryption': 'AES256' })

    const registered: Sdk.Models.ArchitectJobStateResponse = await architect.getFlowsJob(jobId, { expand: ['messages'] })
    expect(registered).toMatchObject({ id: jobId, status: 'Registered', command: 'Publish', messages: [] })
    expect(last().query).toEqual({ expand: 'messages' })

    const refused = await fetch(registration.presignedUrl!, { method: 'PUT', body: AFTER_HOURS })
    expect(refused.status).toBe(403)
    const upload = await fetch(registration.presignedUrl!, { method: 'PUT', headers: registration.headers, body: AFTER_HOURS })
    expect(upload.status).toBe(200)

    expect((await architect.getFlowsJob(jobId, { expand: ['messages'] })).status).toBe('Started')
    clock += 3000
    const done: Sdk.Models.ArchitectJobStateResponse = await architect.getFlowsJob(jobId, { expand: ['messages'] })
    expect(done).toMatchObject({ status: 'Success', flow: { id: FLOW_ID } })
    expect(done.messages?.[0]).toMatchObject({ type: 'Info', text: expect.stringContaining('Acme After Hours') })
    // Without expand the platform leaves messages out.
    expect((await architect.getFlowsJob(jobId)).messages).toBeUndefined()
  })

  it('lists flows by name and type with their published version (getFlows)', async () => {
    const listing: Sdk.Models.FlowEntityListing = await architect.getFlows({ name: 'Acme After Hours', type: ['inboundcall'], pageSize: 100 })
    expect(last().query).toEqual({ name: 'Acme After Hours', type: 'inboundcall', pageSize: '100' })
    expect(listing).toMatchObject({ pageNumber: 1, pageSize: 100, total: 1, pageCount: 1 })
    const flow: Sdk.Models.Flow = listing.entities![0]
    expect(flow).toMatchObject({ id: FLOW_ID, name: 'Acme After Hours', type: 'INBOUNDCALL', publishedVersion: { id: '2.0' } })
  })

  it('publishes a previous version and shows it through currentOperation (postFlowsActionsPublish, getFlow)', async () => {
    const operation: Sdk.Models.Operation = await architect.postFlowsActionsPublish(FLOW_ID, { version: '1.0' })
    expect(last().query).toEqual({ flow: FLOW_ID, version: '1.0' })
    expect(operation).toMatchObject({ actionName: 'PUBLISH', actionStatus: 'STARTED', complete: false })
    clock += 1000
    const flow: Sdk.Models.Flow = await architect.getFlow(FLOW_ID)
    expect(flow.currentOperation).toMatchObject({ id: operation.id, actionName: 'PUBLISH', actionStatus: 'SUCCESS', complete: true })
    expect(flow.publishedVersion?.id).toBe('1.0')
  })

  it('finds queues by name (getRoutingQueues)', async () => {
    const queues: Sdk.Models.QueueEntityListing = await routing.getRoutingQueues({ name: 'acme-sales' })
    expect(queues.entities).toEqual([expect.objectContaining({ name: 'acme-sales', id: expect.stringMatching(/^[0-9a-f-]{36}$/) })])
    expect((await routing.getRoutingQueues({ name: 'vip-lounge' })).entities).toEqual([])
  })

  it('lists the consumers of a flow (getArchitectDependencytrackingConsumingresources)', async () => {
    const consumers: Sdk.Models.ConsumingResourcesEntityListing = await architect.getArchitectDependencytrackingConsumingresources(FLOW_ID, 'INBOUNDCALLFLOW')
    expect(consumers.entities).toEqual([expect.objectContaining({ id: 'ivr-7', name: 'Main Number', type: 'IVRCONFIGURATION' })])
  })

  it('exports the published YAML (postFlowsExportJobs, getFlowsExportJob, download)', async () => {
    const registered: Sdk.Models.RegisterArchitectExportJobResponse = await architect.postFlowsExportJobs({ flows: [{ flow: { id: FLOW_ID } }] })
    expect(registered).toMatchObject({ id: expect.any(String), totalFlows: 1 })
    clock += 500
    const state: Sdk.Models.ArchitectExportJobStateResponse = await architect.getFlowsExportJob(registered.id!, { expand: ['messages'] })
    expect(state).toMatchObject({ status: 'Success', command: 'Export' })
    const download = await fetch(state.downloadUrl!)
    expect(download.status).toBe(200)
    expect(await download.text()).toMatch(/^inboundCall:\n {2}name: "Acme After Hours"/)
  })

  it('lists the objects flows name by name, each filter as the SDK documents it (getIntegrationsActions, getArchitectSchedules, getArchitectSchedulegroups, getArchitectPrompts, getRoutingSkills)', async () => {
    const actions: Sdk.Models.ActionEntityListing = await integrations.getIntegrationsActions({ name: 'Get Customer' })
    expect(last()).toMatchObject({ path: '/api/v2/integrations/actions', query: { name: 'Get Customer' } })
    // Part of a name matches: the client compares whole names.
    expect(actions.entities?.map(action => action.name)).toEqual(['Get Customer', 'Get Customer Orders'])
    expect(actions.entities?.[0]).toMatchObject({ id: expect.any(String), category: expect.any(String), secure: false })

    const schedules: Sdk.Models.ScheduleEntityListing = await architect.getArchitectSchedules({ name: 'Weekdays' })
    expect(last()).toMatchObject({ path: '/api/v2/architect/schedules', query: { name: 'Weekdays' } })
    expect(schedules.entities?.map(schedule => schedule.name)).toEqual(['Weekdays', 'Weekdays Summer'])
    expect(schedules.entities?.[0]).toMatchObject({ rrule: expect.any(String), state: 'active' })

    const groups: Sdk.Models.ScheduleGroupEntityListing = await architect.getArchitectSchedulegroups({ name: 'Acme Hours' })
    expect(last()).toMatchObject({ path: '/api/v2/architect/schedulegroups', query: { name: 'Acme Hours' } })
    expect(groups.entities).toEqual([expect.objectContaining({ name: 'Acme Hours', timeZone: expect.any(String) })])

    const prompts: Sdk.Models.PromptEntityListing = await architect.getArchitectPrompts({ name: ['WelcomePrompt'] })
    expect(last()).toMatchObject({ path: '/api/v2/architect/prompts', query: { name: 'WelcomePrompt' } })
    expect(prompts.entities?.map(prompt => prompt.name)).toEqual(['WelcomePrompt', 'WelcomePromptOld'])

    const skills: Sdk.Models.SkillEntityListing = await routing.getRoutingSkills({ name: 'Spanish' })
    expect(last()).toMatchObject({ path: '/api/v2/routing/skills', query: { name: 'Spanish' } })
    expect(skills.entities?.map(skill => skill.name)).toEqual(['Spanish', 'Spanish Advanced'])
  })

  it('refuses a listing the OAuth client lacks the permission for, with the missing.permissions body', async () => {
    sim.setScenario({ missingPermissions: ['routing:skill:view'] })
    try {
      const error = (await routing.getRoutingSkills({ name: 'Spanish' }).catch((caught: unknown) => caught)) as Sdk.Models.ErrorBody
      expect(error).toMatchObject({ status: 403, code: 'missing.permissions', messageParams: { permissions: '[routing:skill:view]' } })
      expect(error.message).toContain('routing:skill:view')
    } finally {
      sim.setScenario({ missingPermissions: null })
    }
  })

  it('rejects with the platform error body, which the SDK hands over as it came', async () => {
    const error = (await architect.getFlowsJob('no-such-job').catch((caught: unknown) => caught)) as Sdk.Models.ErrorBody
    expect(error).toMatchObject({ status: 404, code: 'not.found', message: expect.stringContaining('no-such-job'), contextId: last().correlationId })
  })
})

describe('the driver sends what the SDK sends, and reads the same answers', () => {
  it('flow jobs: register and read', async () => {
    const registration = await sameRequest(
      () => architect.postFlowsJobs(),
      () => driverRequests.registerFlowJob()
    )
    expect(registration.driverWire).toEqual({ ...registration.sdkWire, query: {} })
    expect(registration.driver.headers).toEqual(registration.sdk.headers)

    const job = await sameRequest(
      () => architect.getFlowsJob(registration.driver.id, { expand: ['messages'] }),
      () => driverRequests.readFlowJob(registration.driver.id)
    )
    expect(job.driverWire).toEqual(job.sdkWire)
    expect(job.driver.status).toBe(job.sdk.status)
  })

  it('flow look-up, publish, queues and consumers', async () => {
    const flows = await sameRequest(
      () => architect.getFlows({ name: 'Acme After Hours', type: ['inboundcall'] }),
      () => driverRequests.findFlows('Acme After Hours', 'inboundcall')
    )
    expect(flows.driverWire).toEqual(flows.sdkWire)
    expect(flows.driver).toEqual([expect.objectContaining({ id: flows.sdk.entities![0].id, publishedVersionId: flows.sdk.entities![0].publishedVersion!.id })])

    const publish = await sameRequest(
      () => architect.postFlowsActionsPublish(FLOW_ID, { version: '2.0' }),
      () => driverRequests.publishFlowVersion(FLOW_ID, '2.0')
    )
    expect(publish.driverWire).toEqual(publish.sdkWire)
    expect(publish.driver).toMatchObject({ actionName: publish.sdk.actionName, actionStatus: publish.sdk.actionStatus })

    const queues = await sameRequest(
      () => routing.getRoutingQueues({ name: 'acme-support' }),
      () => driverRequests.findQueues('acme-support')
    )
    expect(queues.driverWire).toEqual(queues.sdkWire)
    expect(queues.driver).toEqual([expect.objectContaining({ id: queues.sdk.entities![0].id, name: 'acme-support' })])

    const consumers = await sameRequest(
      () => architect.getArchitectDependencytrackingConsumingresources(FLOW_ID, 'INBOUNDCALLFLOW'),
      () => driverRequests.consumersOf(FLOW_ID, 'INBOUNDCALLFLOW')
    )
    expect(consumers.driverWire).toEqual(consumers.sdkWire)
    expect(consumers.driver).toEqual(consumers.sdk.entities!.map(({ id, name, type }) => ({ id, name, type })))
  })

  it('look-ups of the objects flows name: same request as the SDK, whole names only', async () => {
    type NamedListing = { entities?: { id?: string; name?: string }[] }
    const cases: { kind: OrgObjectKind; name: string; sdk: () => Promise<NamedListing> }[] = [
      { kind: 'dataAction', name: 'Get Customer', sdk: () => integrations.getIntegrationsActions({ name: 'Get Customer' }) },
      { kind: 'schedule', name: 'Weekdays', sdk: () => architect.getArchitectSchedules({ name: 'Weekdays' }) },
      { kind: 'scheduleGroup', name: 'Acme Hours', sdk: () => architect.getArchitectSchedulegroups({ name: 'Acme Hours' }) },
      { kind: 'prompt', name: 'WelcomePrompt', sdk: () => architect.getArchitectPrompts({ name: ['WelcomePrompt'] }) },
      { kind: 'skill', name: 'Spanish', sdk: () => routing.getRoutingSkills({ name: 'Spanish' }) },
      { kind: 'queue', name: 'acme-sales', sdk: () => routing.getRoutingQueues({ name: 'acme-sales' }) }
    ]
    for (const { kind, name, sdk } of cases) {
      const lookup = await sameRequest(sdk, () => driverLookups.find(kind, name))
      expect(lookup.driverWire).toEqual(lookup.sdkWire)
      const exact = lookup.sdk.entities!.filter(entity => entity.name === name)
      expect(lookup.driver).toEqual({ entities: exact.map(entity => ({ ...entity })), complete: true })
      expect(lookup.driver.entities).toHaveLength(1)
    }
  })

  it('export jobs', async () => {
    const started = await sameRequest(
      () => architect.postFlowsExportJobs({ flows: [{ flow: { id: FLOW_ID, version: '1.0' }, exportType: 'Yaml' }] }),
      () => driverRequests.startFlowExport(FLOW_ID, '1.0')
    )
    expect(started.driverWire).toEqual(started.sdkWire)
    clock += 500
    const state = await sameRequest(
      () => architect.getFlowsExportJob(started.driver, { expand: ['messages'] }),
      () => driverRequests.readFlowExport(started.driver)
    )
    expect(state.driverWire).toEqual(state.sdkWire)
    expect(state.driver).toMatchObject({ status: state.sdk.status, downloadUrl: state.sdk.downloadUrl })
  })
})
