import { randomUUID } from 'node:crypto'
import { parse } from 'yaml'
import type { Consumer } from '../assess/impact.js'
import type { Bundle } from '../bundle/bundle.js'
import { Inputs } from '../constants.js'
import type { FlowJobRecord } from '../deploy/result.js'
import type { LearnedTiming } from '../deploy/learned-schedule.js'
import { PollTimers } from '../deploy/poll-schedule.js'
import { realSleep, type Sleep } from '../retry-helper.js'
import { DEFAULTS } from '../settings.js'
import { ArchitectDeployment, type PreviousFlowVersion } from './architect-deployment.js'
import { archyFlowsOf, dependencyObjectType, flowDeploymentOrder, flowsWithoutFile, platformFlowType, type ArchyFlow } from './architect-flows.js'
import { checkNamedObjects } from './architect-preflight.js'
import { ArchitectRequests, type PlatformFlow } from './architect-requests.js'
import { OrgObjectLookups } from './org-object-lookups.js'
import type { ListingPages } from './platform-listing.js'
import { recoverCancelledArchitect, type ArchitectCancellationProgress } from './architect-cancel-recovery.js'
import type { LiveFlowVersion } from '../assess/plan.js'
import type { CancelRecoveryOptions, DeployDriver, DeploymentHandle, DeploymentObservation, LiveConfiguration, RemoteValidation } from './driver.js'
import type { GenesysRequester, PresignedTransfer } from './http-client.js'
import { mapConcurrently } from '../map-concurrently.js'

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
   * Flow jobs of one dependency level running at once at most (input `max-parallel-jobs`). Default: the input's
   * default (4). 1 deploys the flows one after the other in deploy order (the flows they reference first, else as
   * `dependencyMatrix.flows` lists them; see flowDeploymentOrder), so a failed flow stops the run before any later
   * flow is registered. Whatever the limit, a level starts only once every flow of the level before is published.
   */
  maxParallelJobs?: number
  /** First poll interval of each flow job, in ms (`poll-interval-seconds`). Default: the input's default (2 s). */
  pollIntervalMs?: number
  /** Largest poll interval of each flow job, in ms (`max-poll-interval-seconds`). Default: the input's default (15 s). */
  maxPollIntervalMs?: number
  /** Returns [0, 1); jitters each job's poll schedule. */
  random?: () => number
  /** Longest wait for one export job, in ms. Default 120000. */
  exportTimeoutMs?: number
}

/** Flow jobs at once unless the caller says: the default of the `max-parallel-jobs` input. */
const DEFAULT_MAX_PARALLEL_JOBS = Number(DEFAULTS[Inputs.MaxParallelJobs])

/** Each flow job's poll schedule unless the caller says: the defaults of `poll-interval-seconds` / `max-poll-interval-seconds`. */
const DEFAULT_JOB_POLL = {
  initialMs: Number(DEFAULTS[Inputs.PollIntervalSeconds]) * 1000,
  maxMs: Number(DEFAULTS[Inputs.MaxPollIntervalSeconds]) * 1000
} as const

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
  private readonly jobPoll: { initialMs: number; maxMs: number }
  private readonly random: () => number
  private readonly exportTimeoutMs: number
  /** Learned durations of flow jobs by flow name (learnPollTimings). */
  private flowTimings: Record<string, LearnedTiming> = {}
  /** Flow look-ups of the assessment (validate, live configuration, consumers), shared between them. */
  private readonly lookups = new Map<string, Promise<ListingPages<PlatformFlow>>>()
  /** Look-ups of the other objects flows name (queues, data actions, …). */
  private readonly objects: OrgObjectLookups
  private deployment: ArchitectDeployment | undefined

  constructor(
    private readonly client: ArchitectClient,
    options: ArchitectDriverOptions = {}
  ) {
    this.requests = new ArchitectRequests(client)
    this.objects = new OrgObjectLookups(client)
    this.now = options.now ?? Date.now
    this.sleep = options.sleep ?? realSleep
    this.log = options.log ?? (() => {})
    this.maxParallelJobs = Math.max(1, options.maxParallelJobs ?? DEFAULT_MAX_PARALLEL_JOBS)
    const initialMs = options.pollIntervalMs ?? DEFAULT_JOB_POLL.initialMs
    this.jobPoll = { initialMs, maxMs: Math.max(initialMs, options.maxPollIntervalMs ?? DEFAULT_JOB_POLL.maxMs) }
    this.random = options.random ?? Math.random
    this.exportTimeoutMs = options.exportTimeoutMs ?? DEFAULT_EXPORT_TIMEOUT_MS
  }

  /**
   * The preflight: every Archy flow looked up (new ones are fine; a locked one is a warning), flows without a file
   * warned about and skipped, and everything the bundle names must exist: its external flows and queues, and every
   * object its flow files name (architect-preflight.ts). Missing ones are errors, all reported at once, so nothing
   * deploys. All look-ups run side by side within the client's rate budget. Throws on transport / auth failures only.
   */
  async validate(bundle: Bundle): Promise<RemoteValidation> {
    const flows = archyFlowsOf(bundle)
    const [locks, named] = await Promise.all([
      this.lockWarnings(flows),
      checkNamedObjects(bundle, flows, {
        flows: (name, type) => this.lookUpFlow(name, type),
        objects: (kind, name) => this.objects.find(kind, name)
      })
    ])
    const warnings = [...skippedFlowWarnings(bundle), ...referenceLoopWarnings(bundle, flows), ...locks, ...named.warnings]
    const errors = [...(flows.length === 0 ? [nothingToDeployMessage(bundle)] : []), ...named.errors]
    return { valid: errors.length === 0, warnings, errors, confirmedDependencies: named.confirmed }
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
    // Read again rather than from the assessment: this is what the rollback will restore. Side by side, within the rate budget.
    const previous: PreviousFlowVersion[] = await Promise.all(
      flows.map(async flow => {
        const [found] = await this.requests.findFlows(flow.name, platformFlowType(flow.archyType))
        return {
          flow: flow.key,
          name: flow.name,
          type: flow.archyType,
          ...(found === undefined ? {} : { flowId: found.id }),
          ...(found?.publishedVersionId === undefined ? {} : { versionId: found.publishedVersionId })
        }
      })
    )
    const order = flowDeploymentOrder(flows, bundle.manifest.dependencyMatrix?.flows ?? [])
    const id = `architect-${randomUUID()}`
    this.deployment = new ArchitectDeployment(id, flows, order, previous, {
      requests: this.requests,
      transfer: this.client,
      log: this.log,
      maxParallelJobs: this.maxParallelJobs,
      timers: new PollTimers({
        ...this.jobPoll,
        now: this.now,
        random: this.random,
        timingFor: key => this.flowTimings[flows.find(flow => flow.key === key)?.name ?? '']
      }),
      now: this.now
    })
    const levels = this.deployment.deployOrder().map(({ key, level }) => `${key} (level ${level})`)
    this.log(`Deployment ${id}: ${flows.length} flow(s), up to ${this.maxParallelJobs} job(s) at once per level, in this order: ${levels.join(', ')}`)
    // Nothing has started yet: the first step registers the first jobs, so it is due at once.
    return { id, state: 'PENDING', nextPollInMs: 0 }
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

  /** Each flow's job of the deployment, for the report (empty before deploy()). */
  flowJobs(requestedAt: number): FlowJobRecord[] {
    return this.deployment?.flowJobs(requestedAt) ?? []
  }

  /** Earlier durations of each flow's job, by flow name: each job is then polled around its usual duration. */
  learnPollTimings(timings: Record<string, LearnedTiming>): void {
    this.flowTimings = { ...timings }
  }

  /** What the post step needs after a cancellation: the versions before the run and the jobs still running. */
  cancellationProgress(): ArchitectCancellationProgress | undefined {
    return this.deployment ? { previous: this.deployment.previousVersions(), running: this.deployment.runningJobs() } : undefined
  }

  /** After a cancelled run: follows the running jobs, then rolls back (or reports) what the run changed. */
  async recoverCancelled(bundle: Bundle, deploymentId: string, progress: unknown, options: CancelRecoveryOptions): Promise<DeploymentObservation> {
    return recoverCancelledArchitect(archyFlowsOf(bundle), deploymentId, progress, options, {
      requests: this.requests,
      poll: this.jobPoll,
      random: this.random
    })
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
    const versions: Record<string, LiveFlowVersion | null> = {}
    const exported: string[] = []
    const absent: string[] = []
    const unpublished: string[] = []
    // Side by side, a few at a time: each published flow is an export job to follow. Results keep the bundle's order.
    const flows = archyFlowsOf(bundle)
    const found = await mapConcurrently(flows, LIVE_READ_CONCURRENCY, async flow => {
      const [platformFlow] = await this.findFlow(flow.name, platformFlowType(flow.archyType))
      const document = platformFlow?.publishedVersionId === undefined ? undefined : await this.exportPublishedFlow(flow, platformFlow)
      return { flow, platformFlow, document }
    })
    for (const { flow, platformFlow, document } of found) {
      versions[flow.key] =
        platformFlow?.publishedVersionId === undefined
          ? null
          : {
              versionId: platformFlow.publishedVersionId,
              ...(platformFlow.publishedAt === undefined ? {} : { publishedAt: platformFlow.publishedAt }),
              ...(platformFlow.publishedBy === undefined ? {} : { publishedBy: platformFlow.publishedBy })
            }
      if (platformFlow === undefined) absent.push(flow.key)
      else if (document === undefined) unpublished.push(flow.key)
      else {
        flowsConfig[flow.key] = document
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
    return { config, description: describeLive(exported, absent, unpublished), versions }
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
      const [found] = flow ? await this.findFlow(flow.name, platformFlowType(flow.archyType)) : await this.findFlow(name)
      const type = flow?.archyType ?? found?.type
      if (found === undefined || type === undefined) continue
      consumers[name] = await this.requests.consumersOf(found.id, dependencyObjectType(type))
    }
    return consumers
  }

  /** A warning for each bundle flow someone holds the lock of: its flow job would fail. Flows looked up side by side. */
  private async lockWarnings(flows: readonly ArchyFlow[]): Promise<string[]> {
    const found = await Promise.all(flows.map(flow => this.findFlow(flow.name, platformFlowType(flow.archyType))))
    return flows.flatMap((flow, index) => {
      const locked = found[index].find(candidate => candidate.lockedBy !== undefined)
      if (!locked) return []
      return [
        `Flow \`${flow.key}\` ("${flow.name}") is locked in Architect by ${locked.lockedBy}: its flow job fails while the lock is held. ` +
          'Ask them to check the flow in (or unlock it in Architect) before deploying.'
      ]
    })
  }

  private deploymentFor(deploymentId: string): ArchitectDeployment {
    if (this.deployment?.id !== deploymentId) {
      throw new Error(
        `Deployment ${deploymentId} was not started by this driver: the architect API keeps a deployment's progress ` + 'in the run that started it.'
      )
    }
    return this.deployment
  }

  /** Flows by name (and type), looked up once per assessment. */
  private async findFlow(name: string, type?: string): Promise<PlatformFlow[]> {
    return (await this.lookUpFlow(name, type)).entities
  }

  /** Flows by name (and type), and whether every page was read; looked up once per assessment. */
  private lookUpFlow(name: string, type?: string): Promise<ListingPages<PlatformFlow>> {
    const key = `${name}\u0000${type ?? ''}`
    let lookup = this.lookups.get(key)
    if (lookup === undefined) {
      lookup = this.requests.lookUpFlows(name, type)
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

/** Flows whose live version is read at once (each published one is an export job to follow). */
const LIVE_READ_CONCURRENCY = 8

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
    throw new Error(`The export of flow \`${flow.key}\` (export job ${jobId}) is not YAML (${reason}); re-run, or set the \`baseline\` input.`, {
      cause: error
    })
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new Error(`The export of flow \`${flow.key}\` (export job ${jobId}) is not an Archy flow document; re-run, or set the \`baseline\` input.`)
  }
  return document
}

function describeLive(exported: string[], absent: string[], unpublished: string[]): string {
  const parts = [
    `Live configuration from Genesys Cloud: the published version of ${exported.length} flow(s)` + (exported.length > 0 ? ` (${exported.join(', ')})` : ''),
    ...(absent.length > 0 ? [`not in the org yet: ${absent.join(', ')}`] : []),
    ...(unpublished.length > 0 ? [`never published: ${unpublished.join(', ')}`] : [])
  ]
  return `${parts.join('; ')}. Queues and flows without a file are shown as the bundle has them: the architect API does not change them.`
}
