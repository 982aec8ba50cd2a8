/**
 * The architect preflight of everything the flows name, against the simulator: every missing object named with its
 * kind and each `file:line` that names it, all at once and before any flow job; flows the bundle deploys are not
 * missing; each distinct name looked up once, side by side; a kind the OAuth client may not list is a warning. Bundles
 * carry their `references` by hand here (the loader's extraction is tested with the loader).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { cp, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VirtualClock } from '../__fixtures__/recording-io.js'
import { simulatorClient } from '../__fixtures__/simulator-client.js'
import type { ArchyReference, Bundle } from '../src/bundle/bundle.js'
import { loadBundle } from '../src/bundle/loader.js'
import { ArchitectDriver } from '../src/genesys/architect-driver.js'
import { GenesysHttpClient, type GenesysRequest } from '../src/genesys/http-client.js'
import { startSimulator, type Simulator } from '../simulator/server.js'

const CLIENT = { id: 'preflight-ci', secret: 'preflight-secret-77' }
const EXAMPLE = join(process.cwd(), 'examples', 'architect')

let clock: VirtualClock
let sim: Simulator
let workspace: string

beforeEach(async () => {
  clock = new VirtualClock()
  sim = await startSimulator({ now: clock.now, clients: { [CLIENT.id]: CLIENT.secret } })
  workspace = await mkdtemp(join(tmpdir(), 'architect-preflight-'))
  await cp(EXAMPLE, workspace, { recursive: true })
})

afterEach(async () => {
  await sim.close()
})

/** The HTTP client, counting how many requests it has in flight at most. */
function countingClient(): { client: GenesysHttpClient; mostInFlight: () => number } {
  const client = simulatorClient(sim.url, CLIENT, clock)
  let inFlight = 0
  let most = 0
  const request = client.request.bind(client)
  client.request = async <T>(call: GenesysRequest) => {
    most = Math.max(most, ++inFlight)
    try {
      return await request<T>(call)
    } finally {
      inFlight--
    }
  }
  return { client, mostInFlight: () => most }
}

function driverOver(client: GenesysHttpClient): ArchitectDriver {
  return new ArchitectDriver(client, { now: clock.now, sleep: clock.sleep, random: () => 0.5 })
}

const ref = (kind: ArchyReference['kind'], name: string, file: string, line: number, extra: Partial<ArchyReference> = {}): ArchyReference => ({
  kind,
  name,
  file,
  line,
  column: 9,
  ...extra
})

/** The example bundle with `references` set on its flow files, by flow key. */
async function exampleWith(references: Record<string, ArchyReference[]>): Promise<Bundle> {
  const loaded = await loadBundle('bundle.yaml', { workspace })
  if (!loaded.bundle) throw new Error(`example did not load: ${JSON.stringify(loaded.findings)}`)
  return { ...loaded.bundle, files: loaded.bundle.files.map(file => ({ ...file, references: references[file.flow] ?? [] })) }
}

const lookupsOf = (path: string) => sim.requests.filter(request => request.method === 'GET' && request.path === path).map(request => request.query.name)

describe('preflight of everything the flows name', () => {
  it('names every missing object with its kind and each file:line, all at once, and registers no flow job', async () => {
    sim.setScenario({
      existingResources: {
        queues: ['acme-sales', 'acme-support'],
        dataActions: ['Get Customer Orders'],
        schedules: ['Weekdays'],
        scheduleGroups: ['Acme Hours'],
        prompts: ['WelcomePrompt'],
        skills: ['Spanish']
      }
    })
    const bundle = await exampleWith({
      'main-menu': [
        ref('queue', 'acme-sales', 'flows/main-menu.yaml', 28),
        ref('queue', 'Claims', 'flows/main-menu.yaml', 34),
        ref('dataAction', 'Get Customer', 'flows/main-menu.yaml', 40),
        ref('schedule', 'weekdays', 'flows/main-menu.yaml', 44),
        ref('scheduleGroup', 'Holiday Hours', 'flows/main-menu.yaml', 46),
        ref('prompt', 'GoodbyePrompt', 'flows/main-menu.yaml', 50),
        ref('skill', 'French', 'flows/main-menu.yaml', 52),
        ref('flow', 'Acme After Hours', 'flows/main-menu.yaml', 60, { flowType: 'inboundCall' }),
        ref('flow', 'Acme Survey', 'flows/main-menu.yaml', 64, { flowType: 'surveyInvite' })
      ],
      'after-hours': [ref('queue', 'Claims', 'flows/after-hours.yaml', 12), ref('skill', 'French', 'flows/after-hours.yaml', 30)]
    })
    const { client, mostInFlight } = countingClient()
    const validation = await driverOver(client).validate(bundle)

    expect(validation.valid).toBe(false)
    expect(validation.errors).toEqual([
      expect.stringMatching(/^Flow `Acme Survey` of type surveyInvite \(flows\/main-menu\.yaml:64\) does not exist in Genesys Cloud/),
      'Queue `Claims` (flows/main-menu.yaml:34, flows/after-hours.yaml:12) does not exist in Genesys Cloud: the architect API deploys flows only, so create the queue first (Admin > Contact Center > Queues) or correct its name.',
      expect.stringMatching(
        /^Data action `Get Customer` \(flows\/main-menu\.yaml:40\) does not exist in Genesys Cloud: .*create the data action first \(Admin > Integrations > Actions\)/
      ),
      expect.stringMatching(/^Schedule group `Holiday Hours` \(flows\/main-menu\.yaml:46\) does not exist/),
      expect.stringMatching(/^Prompt `GoodbyePrompt` \(flows\/main-menu\.yaml:50\) does not exist/),
      expect.stringMatching(/^Skill `French` \(flows\/main-menu\.yaml:52, flows\/after-hours\.yaml:30\) does not exist/)
    ])
    // Found ones are confirmed: the manifest's queues, and the schedule whose name differs only in case.
    expect(validation.confirmedDependencies).toEqual(['acme-sales', 'acme-support', 'weekdays'])
    // A flow the bundle deploys itself is not looked up; every other name once, side by side.
    expect(lookupsOf('/api/v2/flows').filter(name => name === 'Acme After Hours')).toHaveLength(1) // the lock check of the bundle's own flow
    expect(lookupsOf('/api/v2/routing/queues').sort()).toEqual(['Claims', 'acme-sales', 'acme-support'])
    expect(lookupsOf('/api/v2/routing/skills')).toEqual(['French'])
    expect(lookupsOf('/api/v2/integrations/actions')).toEqual(['Get Customer'])
    expect(mostInFlight()).toBeGreaterThan(5)
    expect(sim.requests.filter(request => request.path === '/api/v2/flows/jobs')).toEqual([])
  })

  it('warns, naming the permission, when the OAuth client may not list a kind, and still checks the others', async () => {
    sim.setScenario({ missingPermissions: ['routing:skill:view'], existingResources: { queues: ['acme-sales', 'acme-support'], prompts: ['WelcomePrompt'] } })
    const bundle = await exampleWith({
      'main-menu': [
        ref('skill', 'Spanish', 'flows/main-menu.yaml', 52),
        ref('skill', 'French', 'flows/main-menu.yaml', 53),
        ref('prompt', 'WelcomePrompt', 'flows/main-menu.yaml', 20)
      ]
    })
    const validation = await driverOver(countingClient().client).validate(bundle)
    expect(validation.valid).toBe(true)
    expect(validation.errors).toEqual([])
    expect(validation.warnings).toEqual([
      expect.stringMatching(
        /^Could not check the skill\(s\) the bundle names \(`Spanish` \(flows\/main-menu\.yaml:52\), `French` \(flows\/main-menu\.yaml:53\)\): the OAuth client lacks `routing:skill:view` \(GET \/api\/v2\/routing\/skills\?name=…&pageNumber=…&pageSize=… answered HTTP 403\)\. Add a role with `routing:skill:view`/
      )
    ])
    expect(validation.confirmedDependencies).toEqual(['acme-sales', 'acme-support', 'WelcomePrompt'])
  })

  it('compares whole names where the platform filters by part of a name, reading every page', async () => {
    const decoys = Array.from({ length: 150 }, (_, index) => `Get Customer ${String(index).padStart(3, '0')}`)
    sim.setScenario({ existingResources: { queues: ['acme-sales', 'acme-support'], dataActions: [...decoys, 'Get Customer'], skills: ['Frenchman'] } })
    const bundle = await exampleWith({
      'main-menu': [ref('dataAction', 'get customer', 'flows/main-menu.yaml', 40), ref('skill', 'French', 'flows/main-menu.yaml', 52)]
    })
    const validation = await driverOver(countingClient().client).validate(bundle)
    expect(validation.confirmedDependencies).toContain('get customer')
    // `French` only starts a name the org has: not found.
    expect(validation.errors).toEqual([expect.stringMatching(/^Skill `French` \(flows\/main-menu\.yaml:52\) does not exist/)])
    expect(sim.requests.filter(request => request.path === '/api/v2/integrations/actions').map(request => request.query.pageNumber)).toEqual(['1', '2'])
  })
})

describe('what the preflight saves', () => {
  it('without it, a flow job whose flow names a queue the org does not have fails on the platform', async () => {
    sim.setScenario({ existingResources: { queues: ['acme-sales'] }, architectFlows: [{ name: 'Acme Main Menu', type: 'inboundCall', id: 'seed-main' }] })
    const driver = driverOver(countingClient().client)
    const handle = await driver.deploy(await exampleWith({}))
    let observation = await driver.getStatus({} as Bundle, handle.id)
    for (let step = 0; step < 20 && observation.state === 'IN_PROGRESS'; step++) {
      await clock.sleep(observation.nextPollInMs ?? 1_000)
      observation = await driver.getStatus({} as Bundle, handle.id)
    }
    expect(observation.state).toBe('FAILED')
    expect(observation.detail).toContain("Unable to find a queue named 'acme-support'.")
  })
})
