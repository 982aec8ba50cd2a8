import { randomUUID } from 'node:crypto'
import { parse } from 'yaml'
import type { Consumer } from '../assess/impact.js'
import type { Bundle } from '../bundle/bundle.js'
import { realSleep, type Sleep } from '../retry-helper.js'
import { ArchitectDeployment, type PreviousFlowVersion } from './architect-deployment.js'
import {
  archyFlowsOf,
  dependencyObjectType,
  flowDeploymentOrder,
  flowsWithoutFile,
  platformFlowType,
  type ArchyFlow
} from './architect-flows.js'
import { ArchitectRequests, type PlatformFlow } from './architect-requests.js'
import type { DeployDriver, DeploymentHandle, DeploymentObservation, LiveConfiguration, RemoteValidation } from './driver.js'
import type { GenesysRequester, PresignedTransfer } from './http-client.js'

export type { PreviousFlowVersion } from './architect-deployment.js'

/**
 * Deploys a bundle's Archy flow files through the public Architect API (README "API: architect"): one flow job
 * per flow, rolled back by publishing each changed flow's previous version again. Also reads the published
 * YAML of the bundle's flows (the diff's live baseline) and the resources that use them (impact).
 */

/** What the driver needs of the HTTP client: API requests, and uploads to / downloads from presigned URLs. */
export type ArchitectClient = GenesysRequester & PresignedTransfer

export interface ArchitectDriverOptions {
  /** Current time in ms; bounds the wait for export jobs. */
  now?: () => number
  /** Waits between export job polls. */
  sleep?: Sleep
  /** Progress lines (flow jobs, rollback steps). */
  log?: (message: string) => void
  /**
   * Flow jobs running at once at most. Default 1: the flows deploy one after the other in deploy order (the
   * flows they reference first, else as `dependencyMatrix.flows` lists them; see flowDeploymentOrder), so a failed
   * flow stops the run before any later flow is registered. More lets flows that do not reference each other
   * overlap; a flow still waits for the bundle flows it names.
   */
  maxParallelJobs?: number
  /** Longest wait for one export job, in ms. Default 120000. */
  exportTimeoutMs?: number
}

/**
 * Flow jobs at once unless the caller asks for more: one, so that flows deploy strictly in order and nothing
 * after a failure is touched (less to roll back).
 */
const DEFAULT_MAX_PARALLEL_JOBS = 1

const DEFAULT_EXPORT_TIMEOUT_MS = 120_000

/** Export job polling: first wait, growth, longest wait. */
const EXPORT_POLL = { initialMs: 1_000, growth: 1.5, maxMs: 5_000 } as const

/** Deploys through Architect flow jobs. One instance serves one run. */
export class ArchitectDriver implements DeployDriver {
  readonly api = 'architect' as const
  private readonly requests: ArchitectRequests
  private readonly now: () => number
  private readonly sleep: Sleep
  private readonly log: (message: string) => void
  private readonly maxParallelJobs: number
  private readonly exportTimeoutMs: number
  /** Flow look-ups of the assessment (validate, live configuration, consumers), shared between them. */
  private readonly lookups = new Map<string, Promise<PlatformFlow[]>>()
  private deployment: ArchitectDeployment | undefined

  constructor(
    private readonly client: ArchitectClient,
    options: ArchitectDriverOptions = {}
  ) {
    this.requests = new ArchitectRequests(client)
    this.now = options.now ?? Date.now
    this.sleep = options.sleep ?? realSleep
    this.log = options.log ?? (() => {})
    this.maxParallelJobs = Math.max(1, options.maxParallelJobs ?? DEFAULT_MAX_PARALLEL_JOBS)
    this.exportTimeoutMs = options.exportTimeoutMs ?? DEFAULT_EXPORT_TIMEOUT_MS
  }

  /**
   * The preflight: every Archy flow looked up (new ones are fine), flows without a file warned about and
   * skipped, external flow dependencies and every named queue must exist (missing ones are errors, so nothing
   * deploys). Throws on transport / auth failures only.
   */
  async validate(bundle: Bundle): Promise<RemoteValidation> {
    const flows = archyFlowsOf(bundle)
    const warnings = [...skippedFlowWarnings(bundle), ...referenceLoopWarnings(bundle, flows), ...(await this.lockWarnings(flows))]
    const requiredFlows = await this.checkExist(flowsThatMustExist(bundle), name => this.lookUpFlow(name))
    const requiredQueues = await this.checkExist(queuesThatMustExist(bundle), name => this.requests.findQueues(name))
    const errors = [
      ...(flows.length === 0 ? [nothingToDeployMessage(bundle)] : []),
      ...requiredFlows.missing.map(name => missingFlowMessage(bundle, name)),
      ...requiredQueues.missing.map(name => missingQueueMessage(bundle, name))
    ]
    return { valid: errors.length === 0, warnings, errors, confirmedDependencies: [...requiredFlows.found, ...requiredQueues.found] }
  }

  /**
   * Records what each flow is before the run (its published version: what a rollback restores) and prepares
   * the deployment; the flow jobs start on the first getStatus. Changes nothing on the platform.
   */
  async deploy(bundle: Bundle): Promise<DeploymentHandle> {
    if (this.deployment) {
      throw new Error(`This driver already runs deployment ${this.deployment.id}; a run deploys once (create a new driver for another).`)
    }
    const flows = archyFlowsOf(bundle)
    if (flows.length === 0) throw new Error(nothingToDeployMessage(bundle))
    const previous: PreviousFlowVersion[] = []
    for (const flow of flows) {
      // Read again rather than from the assessment: this is what the rollback will restore.
      const [found] = await this.requests.findFlows(flow.name, platformFlowType(flow.archyType))
      previous.push({
        flow: flow.key,
        name: flow.name,
        type: flow.archyType,
        ...(found === undefined ? {} : { flowId: found.id }),
        ...(found?.publishedVersionId === undefined ? {} : { versionId: found.publishedVersionId })
      })
    }
    const order = flowDeploymentOrder(flows, bundle.manifest.dependencyMatrix?.flows ?? [])
    const id = `architect-${randomUUID()}`
    this.deployment = new ArchitectDeployment(id, flows, order, previous, {
      requests: this.requests,
      transfer: this.client,
      log: this.log,
      maxParallelJobs: this.maxParallelJobs
    })
    this.log(`Deployment ${id}: ${flows.length} flow(s) in this order: ${order.order.join(', ')}`)
    return { id, state: 'PENDING' }
  }

  /** Advances the deployment (or its rollback) one step and reports where it stands. */
  async getStatus(_bundle: Bundle, deploymentId: string): Promise<DeploymentObservation> {
    return this.deploymentFor(deploymentId).advance()
  }

  /**
   * Starts putting back the previous published version of every flow this run changed, latest first. The
   * platform keeps no reason for a republish; the deploy runner logs and records it.
   */
  async rollback(_bundle: Bundle, deploymentId: string, _reason: string): Promise<DeploymentObservation> {
    return this.deploymentFor(deploymentId).startRollback()
  }

  /** What each of the bundle's flows was before the deployment (empty before deploy()): main saves it. */
  previousVersions(): PreviousFlowVersion[] {
    return this.deployment?.previousVersions() ?? []
  }

  /**
   * The bundle's resources as they are in the org, in the shape of `comparableConfig(bundle, 'architect')`:
   * each Archy flow that is published, as its exported YAML; queues and flows without a file as the bundle has
   * them (this API does not change them), queues only when they exist.
   */
  async readLiveConfiguration(bundle: Bundle): Promise<LiveConfiguration> {
    const flowsConfig: Record<string, unknown> = {}
    const exported: string[] = []
    const absent: string[] = []
    const unpublished: string[] = []
    for (const flow of archyFlowsOf(bundle)) {
      const [found] = await this.lookUpFlow(flow.name, platformFlowType(flow.archyType))
      if (found === undefined) absent.push(flow.key)
      else if (found.publishedVersionId === undefined) unpublished.push(flow.key)
      else {
        flowsConfig[flow.key] = await this.exportPublishedFlow(flow, found)
        exported.push(flow.key)
      }
    }
    const targetConfig = bundle.manifest.targetConfig
    for (const { key } of flowsWithoutFile(bundle)) flowsConfig[key] = targetConfig.flows?.[key]
    const config: Record<string, unknown> = { flows: flowsConfig }
    if (targetConfig.queues !== undefined) {
      const queuesConfig: Record<string, unknown> = {}
      for (const [name, entry] of Object.entries(targetConfig.queues)) {
        if ((await this.requests.findQueues(name)).length > 0) queuesConfig[name] = entry
      }
      config.queues = queuesConfig
    }
    return { config, description: describeLive(exported, absent, unpublished) }
  }

  /**
   * The resources that use each named flow (dependency tracking). Bundle flows are found by name and type,
   * other names (flows the baseline had) by name; names not in the org have no consumers and are left out.
   */
  async findConsumers(bundle: Bundle, flowNames: string[]): Promise<Record<string, Consumer[]>> {
    const archyFlows = new Map(archyFlowsOf(bundle).map(flow => [flow.key, flow]))
    const consumers: Record<string, Consumer[]> = {}
    for (const name of flowNames) {
      const flow = archyFlows.get(name)
      const [found] = flow ? await this.lookUpFlow(flow.name, platformFlowType(flow.archyType)) : await this.lookUpFlow(name)
      const type = flow?.archyType ?? found?.type
      if (found === undefined || type === undefined) continue
      consumers[name] = await this.requests.consumersOf(found.id, dependencyObjectType(type))
    }
    return consumers
  }

  /** A warning for each bundle flow someone holds the lock of: its flow job would fail. */
  private async lockWarnings(flows: readonly ArchyFlow[]): Promise<string[]> {
    const warnings: string[] = []
    for (const flow of flows) {
      const locked = (await this.lookUpFlow(flow.name, platformFlowType(flow.archyType))).find(found => found.lockedBy !== undefined)
      if (locked) {
        warnings.push(
          `Flow \`${flow.key}\` ("${flow.name}") is locked in Architect by ${locked.lockedBy}: its flow job fails while the lock is held. ` +
            'Ask them to check the flow in (or unlock it in Architect) before deploying.'
        )
      }
    }
    return warnings
  }

  /** Which of `names` the platform has, looked up one by one. */
  private async checkExist(names: string[], lookUp: (name: string) => Promise<unknown[]>): Promise<{ found: string[]; missing: string[] }> {
    const found: string[] = []
    const missing: string[] = []
    for (const name of names) ((await lookUp(name)).length > 0 ? found : missing).push(name)
    return { found, missing }
  }

  private deploymentFor(deploymentId: string): ArchitectDeployment {
    if (this.deployment?.id !== deploymentId) {
      throw new Error(
        `Deployment ${deploymentId} was not started by this driver: the architect API keeps a deployment's progress ` +
          'in the run that started it.'
      )
    }
    return this.deployment
  }

  /** Flows by name (and type), looked up once per assessment. */
  private lookUpFlow(name: string, type?: string): Promise<PlatformFlow[]> {
    const key = `${name}\u0000${type ?? ''}`
    let lookup = this.lookups.get(key)
    if (lookup === undefined) {
      lookup = this.requests.findFlows(name, type)
      // A failed look-up is asked again next time rather than remembered.
      lookup.catch(() => this.lookups.delete(key))
      this.lookups.set(key, lookup)
    }
    return lookup
  }

  /** The published version of one flow as Archy YAML, parsed: export job, polled, then downloaded. */
  private async exportPublishedFlow(flow: ArchyFlow, found: PlatformFlow): Promise<unknown> {
    const jobId = await this.requests.startFlowExport(found.id, found.publishedVersionId)
    const deadline = this.now() + this.exportTimeoutMs
    for (let wait: number = EXPORT_POLL.initialMs; ; wait = Math.min(EXPORT_POLL.maxMs, wait * EXPORT_POLL.growth)) {
      const job = await this.requests.readFlowExport(jobId)
      if (job.status === 'Failure') {
        throw new Error(
          `Genesys Cloud could not export the published version of flow \`${flow.key}\` ("${flow.name}"), export job ${jobId}: ` +
            `${job.messages.join('; ') || 'no reason given'}. Set the \`baseline\` input to compare against a file instead.`
        )
      }
      if (job.status === 'Success') {
        if (job.downloadUrl === undefined) {
          throw new Error(`Export job ${jobId} of flow \`${flow.key}\` succeeded without a \`downloadUrl\`; re-run, or set the \`baseline\` input.`)
        }
        return parseExportedFlow(await this.client.downloadFromPresignedUrl(job.downloadUrl), flow, jobId)
      }
      if (this.now() + wait > deadline) {
        throw new Error(
          `Export job ${jobId} of flow \`${flow.key}\` did not finish within ${this.exportTimeoutMs / 1000} s (last status ${job.status}); ` +
            're-run, or set the `baseline` input.'
        )
      }
      await this.sleep(wait)
    }
  }
}

/** Flows without a file are skipped: this API deploys Archy files only. */
function skippedFlowWarnings(bundle: Bundle): string[] {
  return flowsWithoutFile(bundle).map(
    ({ key }) =>
      `Flow \`${key}\`${where(bundle, `targetConfig.flows.${key}`)} has no \`file:\`: the architect API deploys Archy flow files only, ` +
      'so it is skipped. Give it `file: <Archy YAML>`, or deploy it with `api: architecture-manager`.'
  )
}

/** Flows that reference each other cannot both go first. */
function referenceLoopWarnings(bundle: Bundle, flows: readonly ArchyFlow[]): string[] {
  return flowDeploymentOrder(flows, bundle.manifest.dependencyMatrix?.flows ?? []).cycles.map(
    cycle =>
      `Flows ${cycle.map(key => `\`${key}\``).join(', ')} reference each other, so neither can be published first; they deploy one ` +
      'after the other in manifest order. If none of them exists in the org yet, the first may fail: publish one of them on its own first.'
  )
}

function nothingToDeployMessage(bundle: Bundle): string {
  return (
    `Bundle ${bundle.manifest.bundleId} has no flow with a \`file:\` under targetConfig.flows, so the architect API has nothing to ` +
    'deploy: add Archy flow files, or use `api: architecture-manager`.'
  )
}

/** External flow dependencies, and flows without a file that dependencyMatrix lists: this API cannot create them. */
function flowsThatMustExist(bundle: Bundle): string[] {
  const external = bundle.externalDependencies.filter(dependency => dependency.group === 'flows').map(dependency => dependency.name)
  const listedWithoutFile = flowsWithoutFile(bundle)
    .map(({ key }) => key)
    .filter(key => (bundle.manifest.dependencyMatrix?.flows ?? []).includes(key))
  return [...new Set([...external, ...listedWithoutFile])]
}

/** Every queue the manifest names: flow jobs cannot create queues, so all of them must exist already. */
function queuesThatMustExist(bundle: Bundle): string[] {
  return [...new Set([...Object.keys(bundle.manifest.targetConfig.queues ?? {}), ...(bundle.manifest.dependencyMatrix?.queues ?? [])])]
}

function missingFlowMessage(bundle: Bundle, name: string): string {
  const index = bundle.manifest.dependencyMatrix?.flows?.indexOf(name) ?? -1
  return (
    `Flow \`${name}\`${where(bundle, `dependencyMatrix.flows.${index}`)} does not exist in Genesys Cloud, and the bundle depends on it: ` +
    'publish it first, give it a `file:` under targetConfig.flows so this bundle deploys it, or correct the name.'
  )
}

function missingQueueMessage(bundle: Bundle, name: string): string {
  const inTarget = Object.hasOwn(bundle.manifest.targetConfig.queues ?? {}, name)
  const index = bundle.manifest.dependencyMatrix?.queues?.indexOf(name) ?? -1
  const key = inTarget ? `targetConfig.queues.${name}` : `dependencyMatrix.queues.${index}`
  return (
    `Queue \`${name}\`${where(bundle, key)} does not exist in Genesys Cloud: the architect API deploys flows only, so create the ` +
    'queue first (Admin > Contact Center > Queues) or correct its name.'
  )
}

/** " (bundle.yaml line 12)" for a manifest key, when its position is known. */
function where(bundle: Bundle, key: string): string {
  const position = bundle.positions[key]
  return position ? ` (${bundle.manifestPath} line ${position.line})` : ''
}

function parseExportedFlow(text: string, flow: ArchyFlow, jobId: string): unknown {
  let document: unknown
  try {
    // logLevel 'error': library warnings would otherwise go to stderr, the run's log; errors still throw.
    document = parse(text, { logLevel: 'error' })
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]
    throw new Error(`The export of flow \`${flow.key}\` (export job ${jobId}) is not YAML (${reason}); re-run, or set the \`baseline\` input.`)
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new Error(`The export of flow \`${flow.key}\` (export job ${jobId}) is not an Archy flow document; re-run, or set the \`baseline\` input.`)
  }
  return document
}

function describeLive(exported: string[], absent: string[], unpublished: string[]): string {
  const parts = [
    `Live configuration from Genesys Cloud: the published version of ${exported.length} flow(s)` +
      (exported.length > 0 ? ` (${exported.join(', ')})` : ''),
    ...(absent.length > 0 ? [`not in the org yet: ${absent.join(', ')}`] : []),
    ...(unpublished.length > 0 ? [`never published: ${unpublished.join(', ')}`] : [])
  ]
  return `${parts.join('; ')}. Queues and flows without a file are shown as the bundle has them: the architect API does not change them.`
}
