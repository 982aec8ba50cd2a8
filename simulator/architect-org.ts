import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { minimalFlowYaml, readFlowFile, type ReadFlowFile } from './architect-flow-file.js'
import type { Scenario, SimulatedFlowSeed } from './scenario.js'

export { dependencyTypeOf } from './architect-flow-file.js'

/**
 * The simulated org behind the Architect API: flows with their versions, flow jobs, publish operations and
 * export jobs. Outcomes are fixed from the scenario when a request starts them (a job at its upload, a publish
 * when requested) and take effect when their time on the injected clock has come: `settle(now)` applies every
 * effect due, in time order, and every handler calls it first, so answers are a function of the clock.
 */

/** Statuses of Architect jobs (`ArchitectJobStateResponse.status`). */
export type ArchitectJobStatus = 'Registered' | 'Started' | 'Success' | 'Failure'

export interface SimulatedFlowVersion {
  /** `1.0`, `2.0`, … as the platform numbers versions. */
  id: string
  /** The Archy YAML of this version: what an export returns. */
  yaml: string
  createdAt: number
  /** Who published it, when not the action's OAuth client (an edit in Architect). */
  createdBy?: string
}

/** An asynchronous action on a flow (`Operation`): a flow job's publish, or a republish. */
export interface SimulatedFlowOperation {
  id: string
  actionName: 'PUBLISH'
  versionId: string
  requestedAt: number
  durationMs: number
  outcome: 'SUCCESS' | 'FAILURE'
  errorMessage?: string
  applied: boolean
}

export interface SimulatedFlow {
  id: string
  name: string
  /** Upper case, as `Flow.type`: `INBOUNDCALL`. */
  type: string
  versions: SimulatedFlowVersion[]
  publishedVersionId?: string
  lockedBy?: string
  /** The last operation (`currentOperation`). */
  operation?: SimulatedFlowOperation
}

/** What a flow job does once its file is uploaded, fixed at the upload. */
export interface SimulatedJobRun {
  uploadedAt: number
  yaml: string
  durationMs: number
  outcome: 'Success' | 'Failure'
  messages: string[]
  /** The flow the file describes, when it could be read. */
  flowName?: string
  flowType?: string
}

export interface SimulatedFlowJob {
  id: string
  /** The presigned URL's signature (its `signature` query parameter). */
  signature: string
  /** Headers the upload must carry, as `RegisterArchitectJobResponse.headers` listed them. */
  uploadHeaders: Record<string, string>
  registeredAt: number
  run?: SimulatedJobRun
  /** The flow the job created or updated, once it succeeded. */
  flowId?: string
  applied: boolean
}

export interface SimulatedExportJob {
  id: string
  signature: string
  flowId: string
  versionId: string
  requestedAt: number
  durationMs: number
  /** Messages of a failed export; undefined when it succeeds. */
  failure?: string[]
}

/** A flow as a test reads it back. */
export interface SimulatedFlowSnapshot {
  id: string
  name: string
  type: string
  publishedVersionId?: string
  versionIds: string[]
}

/** Why a request cannot be served, as an HTTP status and message. */
export interface OrgRefusal {
  refused: { status: number; code: 'bad.request' | 'not.found'; message: string }
}

/** Headers a presigned upload must carry: what storage signs (content type and server-side encryption). */
const UPLOAD_HEADERS = { 'Content-Type': 'application/octet-stream', 'x-amz-server-side-encryption': 'AES256' } as const

/** The org's flows, jobs and exports. */
export class ArchitectOrg {
  private flowsById = new Map<string, SimulatedFlow>()
  private readonly jobs = new Map<string, SimulatedFlowJob>()
  private readonly exports = new Map<string, SimulatedExportJob>()
  private seededFrom: string | undefined

  /** Forgets everything; the next sync() seeds the org again. */
  clear(): void {
    this.flowsById.clear()
    this.jobs.clear()
    this.exports.clear()
    this.seededFrom = undefined
  }

  /** Seeds the org from the scenario when its seeds changed (or on first use), then applies what is due. */
  sync(scenario: Scenario, now: number): void {
    const seeds = seedsOf(scenario)
    const key = JSON.stringify(seeds)
    if (key !== this.seededFrom) {
      this.clear()
      this.seededFrom = key
      for (const seed of seeds) this.addSeed(seed, now)
    }
    this.settle(now)
  }

  /** Applies every job outcome and publish due by `now`, oldest first. */
  settle(now: number): void {
    const due: { at: number; apply: () => void }[] = []
    for (const job of this.jobs.values()) {
      const run = job.run
      if (run && !job.applied && run.uploadedAt + run.durationMs <= now) {
        due.push({ at: run.uploadedAt + run.durationMs, apply: () => this.applyJob(job, run, run.uploadedAt + run.durationMs) })
      }
    }
    for (const flow of this.flowsById.values()) {
      const operation = flow.operation
      if (operation && !operation.applied && operation.requestedAt + operation.durationMs <= now) {
        due.push({ at: operation.requestedAt + operation.durationMs, apply: () => applyPublish(flow, operation) })
      }
    }
    for (const effect of due.sort((a, b) => a.at - b.at)) effect.apply()
  }

  /** Flows whose name contains `name` (ignoring case, as the platform's filter does) and of one of `types`. */
  findFlows(name: string | undefined, types: string[]): SimulatedFlow[] {
    const wanted = types.map(type => type.toUpperCase())
    return [...this.flowsById.values()]
      .filter(flow => name === undefined || flow.name.toLowerCase().includes(name.toLowerCase()))
      .filter(flow => wanted.length === 0 || wanted.includes(flow.type))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  flow(id: string): SimulatedFlow | undefined {
    return this.flowsById.get(id)
  }

  /**
   * Someone publishes a new version of the flow outside the action (in Architect): what a deploy must notice when it
   * checks the live flows against the assessed plan. Returns the new version id; undefined for an unknown flow.
   */
  publishOutOfBand(name: string, by: string, now: number): string | undefined {
    const flow = [...this.flowsById.values()].find(candidate => candidate.name.toLowerCase() === name.toLowerCase())
    if (flow === undefined) return undefined
    const current = flow.versions.find(version => version.id === flow.publishedVersionId) ?? flow.versions.at(-1)
    const version = { id: `${flow.versions.length + 1}.0`, yaml: current?.yaml ?? '', createdAt: now, createdBy: by }
    flow.versions.push(version)
    flow.publishedVersionId = version.id
    return version.id
  }

  snapshot(): SimulatedFlowSnapshot[] {
    return [...this.flowsById.values()].map(flow => ({
      id: flow.id,
      name: flow.name,
      type: flow.type,
      ...(flow.publishedVersionId === undefined ? {} : { publishedVersionId: flow.publishedVersionId }),
      versionIds: flow.versions.map(version => version.id)
    }))
  }

  /** `POST /api/v2/flows/jobs`: a job waiting for its file. */
  registerJob(now: number): SimulatedFlowJob {
    const job: SimulatedFlowJob = {
      id: randomUUID(),
      signature: randomBytes(16).toString('hex'),
      uploadHeaders: { ...UPLOAD_HEADERS },
      registeredAt: now,
      applied: false
    }
    this.jobs.set(job.id, job)
    return job
  }

  job(id: string): SimulatedFlowJob | undefined {
    return this.jobs.get(id)
  }

  /**
   * The file arrives at the presigned URL: the job starts, its outcome fixed now from the file and the
   * scenario. A repeated upload (a client retrying a PUT whose answer it lost) is accepted and changes nothing.
   */
  upload(job: SimulatedFlowJob, yaml: string, scenario: Scenario, now: number): void {
    if (job.run) return
    const read = readFlowFile(yaml)
    const failure = 'problem' in read ? [read.problem] : this.jobFailure(read, scenario)
    job.run = {
      uploadedAt: now,
      yaml,
      durationMs: ('problem' in read ? undefined : scenario.flowJobDurationsMs[read.name]) ?? scenario.flowJobDurationMs,
      outcome: failure ? 'Failure' : 'Success',
      messages: failure ?? [],
      ...('problem' in read ? {} : { flowName: read.name, flowType: read.type })
    }
    this.settle(now)
  }

  /** `POST /api/v2/flows/actions/publish`: publishes `versionId` (default: the latest) of the flow again. */
  publish(flowId: string, versionId: string | undefined, scenario: Scenario, now: number): SimulatedFlowOperation | OrgRefusal {
    const flow = this.flowsById.get(flowId)
    if (!flow) return refusal(404, 'not.found', `Flow ${flowId} does not exist: use the id GET /api/v2/flows answers.`)
    const version = versionId === undefined ? flow.versions.at(-1) : flow.versions.find(candidate => candidate.id === versionId)
    if (!version) {
      return refusal(
        400,
        'bad.request',
        `Flow ${flow.name} (${flowId}) has no version ${versionId}; its versions are ${flow.versions.map(v => v.id).join(', ') || 'none'}.`
      )
    }
    const errorMessage = scenario.flowPublishFailures[flow.name]
    flow.operation = {
      id: randomUUID(),
      actionName: 'PUBLISH',
      versionId: version.id,
      requestedAt: now,
      durationMs: scenario.flowPublishDurationMs,
      outcome: errorMessage === undefined ? 'SUCCESS' : 'FAILURE',
      ...(errorMessage === undefined ? {} : { errorMessage }),
      applied: false
    }
    this.settle(now)
    return flow.operation
  }

  /** `POST /api/v2/flows/export/jobs` for one flow (by id, or by name and type) and version (default: published). */
  startExport(reference: { id?: string; name?: string; type?: string; version?: string }, scenario: Scenario, now: number): SimulatedExportJob | OrgRefusal {
    const flow =
      reference.id !== undefined
        ? this.flowsById.get(reference.id)
        : this.findFlows(reference.name, reference.type ? [reference.type] : []).find(
            candidate => candidate.name.toLowerCase() === reference.name?.toLowerCase()
          )
    if (!flow) return refusal(404, 'not.found', `No flow matches ${JSON.stringify(reference)}: export a flow by its id, or by its name and type.`)
    const versionId = reference.version ?? flow.publishedVersionId
    if (versionId === undefined || !flow.versions.some(version => version.id === versionId)) {
      return refusal(400, 'bad.request', `Flow ${flow.name} has no version ${versionId ?? '(none published)'} to export.`)
    }
    const job: SimulatedExportJob = {
      id: randomUUID(),
      signature: randomBytes(16).toString('hex'),
      flowId: flow.id,
      versionId,
      requestedAt: now,
      durationMs: scenario.flowExportDurationMs,
      ...(scenario.flowExportFailures[flow.name] === undefined ? {} : { failure: scenario.flowExportFailures[flow.name] })
    }
    this.exports.set(job.id, job)
    return job
  }

  exportJob(id: string): SimulatedExportJob | undefined {
    return this.exports.get(id)
  }

  /** The exported YAML of a finished export job. */
  exportedYaml(job: SimulatedExportJob): string | undefined {
    return this.flowsById.get(job.flowId)?.versions.find(version => version.id === job.versionId)?.yaml
  }

  private addSeed(seed: SimulatedFlowSeed, now: number): void {
    const type = seed.type.toUpperCase()
    const flow: SimulatedFlow = {
      id: seed.id ?? randomUUID(),
      name: seed.name,
      type,
      versions: [{ id: '1.0', yaml: seed.yaml ?? minimalFlowYaml(seed), createdAt: now }],
      ...(seed.lockedBy === undefined ? {} : { lockedBy: seed.lockedBy })
    }
    if (seed.published !== false) flow.publishedVersionId = '1.0'
    this.flowsById.set(flow.id, flow)
  }

  /**
   * Why a job for this flow fails, if it does: the flow is locked, it transfers to queues the org does not have (as
   * Archy's publish refuses them), or the scenario says so.
   */
  private jobFailure(read: ReadFlowFile, scenario: Scenario): string[] | undefined {
    const { name, type } = read
    const existing = this.findFlows(name, [type]).find(flow => flow.name.toLowerCase() === name.toLowerCase())
    if (existing?.lockedBy) return [`Flow '${name}' is locked by ${existing.lockedBy}; it cannot be published until it is unlocked.`]
    const queues = (scenario.existingResources.queues ?? []).map(queue => queue.toLowerCase())
    const unknownQueues = read.queues.filter(queue => !queues.includes(queue.toLowerCase()))
    if (unknownQueues.length > 0) {
      return [
        ...unknownQueues.map(queue => `Unable to find a queue named '${queue}'.`),
        `The flow '${name}' has ${unknownQueues.length} error(s) and cannot be published.`
      ]
    }
    return scenario.flowJobFailures[name]
  }

  /** A finished job: a successful one creates the flow if needed and publishes the file as a new version. */
  private applyJob(job: SimulatedFlowJob, run: SimulatedJobRun, at: number): void {
    job.applied = true
    if (run.outcome !== 'Success' || run.flowName === undefined || run.flowType === undefined) return
    const name = run.flowName
    let flow = this.findFlows(name, [run.flowType]).find(candidate => candidate.name.toLowerCase() === name.toLowerCase())
    if (!flow) {
      flow = { id: randomUUID(), name, type: run.flowType.toUpperCase(), versions: [] }
      this.flowsById.set(flow.id, flow)
    }
    const version = { id: `${flow.versions.length + 1}.0`, yaml: run.yaml, createdAt: at }
    flow.versions.push(version)
    flow.publishedVersionId = version.id
    flow.operation = { id: randomUUID(), actionName: 'PUBLISH', versionId: version.id, requestedAt: at, durationMs: 0, outcome: 'SUCCESS', applied: true }
    job.flowId = flow.id
  }
}

function applyPublish(flow: SimulatedFlow, operation: SimulatedFlowOperation): void {
  operation.applied = true
  if (operation.outcome === 'SUCCESS') flow.publishedVersionId = operation.versionId
}

/** Where an operation stands at `now`: STARTED until its time has come. */
export function operationStatus(operation: SimulatedFlowOperation, now: number): { complete: boolean; actionStatus: string } {
  if (now < operation.requestedAt + operation.durationMs) return { complete: false, actionStatus: 'STARTED' }
  return { complete: true, actionStatus: operation.outcome }
}

/** Where a flow job stands at `now`. */
export function jobStatus(job: SimulatedFlowJob, now: number): ArchitectJobStatus {
  if (!job.run) return 'Registered'
  if (now < job.run.uploadedAt + job.run.durationMs) return 'Started'
  return job.run.outcome
}

/** Where an export job stands at `now`. */
export function exportStatus(job: SimulatedExportJob, now: number): ArchitectJobStatus {
  if (now < job.requestedAt + job.durationMs) return 'Started'
  return job.failure ? 'Failure' : 'Success'
}

/** A UUID-shaped id derived from `key`, so that look-ups of a named resource answer the same id every time. */
export function stableId(key: string): string {
  const hex = createHash('sha1').update(key).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

/** Seeds of the org: the scenario's flows, plus each `existingResources.flows` name as a published inbound call flow. */
function seedsOf(scenario: Scenario): SimulatedFlowSeed[] {
  const seeds = [...scenario.architectFlows]
  for (const name of scenario.existingResources.flows ?? []) {
    if (!seeds.some(seed => seed.name.toLowerCase() === name.toLowerCase())) seeds.push({ name, type: 'INBOUNDCALL' })
  }
  return seeds
}

function refusal(status: number, code: OrgRefusal['refused']['code'], message: string): OrgRefusal {
  return { refused: { status, code, message } }
}
