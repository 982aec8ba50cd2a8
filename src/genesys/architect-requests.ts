/**
 * The public Architect and Routing endpoints the architect driver uses, one method each, with their answers
 * checked against the SDK's models (`Flow`, `FlowEntityListing`, `RegisterArchitectJobResponse`,
 * `ArchitectJobStateResponse`, `Operation`, `QueueEntityListing`, `ConsumingResourcesEntityListing`,
 * `RegisterArchitectExportJobResponse`, `ArchitectExportJobStateResponse`). Checks are lenient where the
 * platform may vary (extra fields, numbers as text, any casing of a status) and strict where the driver
 * could otherwise act on a guess (an id, a presigned URL, a status it does not know).
 */
import { z } from 'zod'
import type { Consumer } from '../assess/impact.js'
import { messageList, optionalFlag, optionalId, optionalText, requiredId, requiredText } from './lenient-answer.js'
import type { GenesysRequest, GenesysRequester } from './http-client.js'
import { OrgObjectLookups } from './org-object-lookups.js'
import { invalidAnswer, parseAnswer, readPages, sameName, sendRequest, type AnsweredCall, type ListingPages } from './platform-listing.js'

/**
 * Tries of a flow job's registration or upload, or of a rollback's publish, before that step fails: a temporary error (a 5xx, a reset) is tried
 * again on the next step, but one that keeps coming back (an upload URL that cannot take the file) is not temporary.
 */
export const MAX_STEP_TRIES = 3

export { MAX_PAGES, PAGE_SIZE } from './platform-listing.js'

/** Endpoints, as the SDK's ArchitectApi and RoutingApi name them. */
export const ArchitectPaths = {
  Flows: '/api/v2/flows',
  FlowJobs: '/api/v2/flows/jobs',
  Publish: '/api/v2/flows/actions/publish',
  ExportJobs: '/api/v2/flows/export/jobs',
  Consumers: '/api/v2/architect/dependencytracking/consumingresources'
} as const

/** Statuses of Architect jobs (flow jobs and export jobs), in the order a job goes through them. */
export const ARCHITECT_JOB_STATUSES = ['Registered', 'Started', 'Success', 'Failure'] as const
export type ArchitectJobStatus = (typeof ARCHITECT_JOB_STATUSES)[number]

/** A flow as `GET /api/v2/flows` and `GET /api/v2/flows/{id}` describe it. */
export interface PlatformFlow {
  id: string
  name: string
  /** `Flow.type` (`INBOUNDCALL`), when given. */
  type?: string
  /** `publishedVersion.id`: what a rollback republishes. Absent for a flow never published. */
  publishedVersionId?: string
  /** When the published version was published (`datePublished`, else `dateCreated`), ISO 8601, and by whom. */
  publishedAt?: string
  publishedBy?: string
  /** `currentOperation`: the last action on the flow (a publish) and how it stands. */
  currentOperation?: PlatformOperation
  /** Who holds the flow's lock (`lockedUser.name` / `lockedClient.name`), when someone does. */
  lockedBy?: string
}

/** `Operation`: an asynchronous action on a flow (the publish answer, and a flow's `currentOperation`). */
export interface PlatformOperation {
  id?: string
  /** `PUBLISH`, `CHECKIN`, … */
  actionName?: string
  /**
   * `STARTED`, `PENDING_GENERATION`, `PENDING_BACKEND_NOTIFICATION`, `SUCCESS`, `FAILURE`, … (upper case): the
   * SDK's `actionStatus`, or a `status` field when an answer names it so.
   */
  actionStatus?: string
  /** Whether the action has ended (either way). */
  complete?: boolean
  /** The platform's reason for a failure. */
  errorMessage?: string
}

/** A registered flow job: where to upload the flow file, with which headers. */
export interface FlowJobRegistration {
  id: string
  presignedUrl: string
  /** Headers the upload must carry exactly (the URL's signature covers them). */
  headers: Record<string, string>
}

/** `ArchitectJobStateResponse`, read with `expand=messages`. */
export interface FlowJobState {
  id: string
  status: ArchitectJobStatus
  /** The flow the job created or updated (`flow.id`), once it succeeded. */
  flowId?: string
  /** `messages[].text`: warnings, and the reasons of a failure. */
  messages: string[]
}

/** `ArchitectExportJobStateResponse`, read with `expand=messages`. */
export interface FlowExportState {
  id: string
  status: ArchitectJobStatus
  /** Where the exported YAML can be downloaded, once the job succeeded. */
  downloadUrl?: string
  messages: string[]
}

/** A queue, by `GET /api/v2/routing/queues`. */
export interface PlatformQueue {
  id: string
  name: string
}

/** The Architect endpoints over one Genesys client. */
export class ArchitectRequests {
  constructor(private readonly client: GenesysRequester) {}

  /**
   * Flows named `name` (of `type`, the lower-case Archy type, when given), every page read.
   * The platform's `name` filter also matches parts of names: only exact names (ignoring case, as the
   * platform does) come back.
   */
  async findFlows(name: string, type?: string): Promise<PlatformFlow[]> {
    return (await this.lookUpFlows(name, type)).entities
  }

  /** As findFlows, also saying whether every page was read (MAX_PAGES bounds the reading). */
  async lookUpFlows(name: string, type?: string): Promise<ListingPages<PlatformFlow>> {
    const listing = await readPages(this.client, ArchitectPaths.Flows, { name, type }, FlowSchema, 'flow listing')
    const exact = listing.entities.filter(flow => sameName(flow.name, name) && (type === undefined || sameName(flow.type ?? type, type)))
    return { entities: exact.map(toPlatformFlow), complete: listing.complete }
  }

  /**
   * `GET /api/v2/flows/{flowId}`. Not among the endpoints the action relies on: a platform stand-in may answer
   * 404 / 405, and the flow is then found with findFlows instead.
   */
  async readFlow(flowId: string): Promise<PlatformFlow> {
    const call = await this.send({ method: 'GET', path: `${ArchitectPaths.Flows}/${encodeURIComponent(flowId)}` })
    return toPlatformFlow(parseAnswer(FlowSchema, call, `flow ${flowId}`))
  }

  /** Queues named `name` exactly (ignoring case), every page read. */
  async findQueues(name: string): Promise<PlatformQueue[]> {
    return (await new OrgObjectLookups(this.client).find('queue', name)).entities
  }

  /**
   * `POST /api/v2/flows/jobs`. Marked idempotent: a registration does nothing until a file is uploaded to its
   * URL, so asking again after a lost answer only leaves an unused registration behind.
   */
  async registerFlowJob(): Promise<FlowJobRegistration> {
    const call = await this.send({ method: 'POST', path: ArchitectPaths.FlowJobs, idempotent: true })
    // The answer holds the upload URL's signature: never quote it in an error.
    const answer = parseAnswer(RegistrationSchema, call, 'flow job registration', { quoteBody: false })
    return { id: answer.id, presignedUrl: answer.presignedUrl, headers: answer.headers ?? {} }
  }

  /** `GET /api/v2/flows/jobs/{jobId}?expand=messages`. */
  async readFlowJob(jobId: string): Promise<FlowJobState> {
    const call = await this.send({
      method: 'GET',
      path: `${ArchitectPaths.FlowJobs}/${encodeURIComponent(jobId)}`,
      query: { expand: 'messages' }
    })
    const answer = parseAnswer(JobStateSchema, call, `flow job ${jobId}`)
    return {
      id: answer.id ?? jobId,
      status: jobStatusOf(answer.status, call, `flow job ${jobId}`),
      ...(answer.flow?.id === undefined ? {} : { flowId: answer.flow.id }),
      messages: answer.messages
    }
  }

  /**
   * `POST /api/v2/flows/actions/publish?flow=&version=`: publishes an existing version again. Marked
   * idempotent: publishing the same version twice leaves the flow as publishing it once.
   */
  async publishFlowVersion(flowId: string, versionId: string): Promise<PlatformOperation> {
    const call = await this.send({
      method: 'POST',
      path: ArchitectPaths.Publish,
      query: { flow: flowId, version: versionId },
      idempotent: true
    })
    // The answer is the Operation; an empty one still means the platform took the request.
    return toOperation(call.response.body === undefined ? {} : parseAnswer(OperationSchema, call, `publish of flow ${flowId}`))
  }

  /** `GET /api/v2/architect/dependencytracking/consumingresources?id=&objectType=`, every page read. */
  async consumersOf(flowId: string, objectType: string): Promise<Consumer[]> {
    const dependencies = await this.readPages(ArchitectPaths.Consumers, { id: flowId, objectType }, DependencySchema, `consumers of flow ${flowId}`)
    const unique = new Map<string, Consumer>()
    for (const dependency of dependencies) {
      const consumer = { id: dependency.id, name: dependency.name ?? dependency.id, type: dependency.type ?? 'UNKNOWN' }
      unique.set(`${consumer.type}\u0000${consumer.id}`, consumer)
    }
    return [...unique.values()]
  }

  /**
   * `POST /api/v2/flows/export/jobs` for one flow version, as YAML (one flow per job: the download is then
   * the YAML itself, not a zip). Marked idempotent: an export changes nothing.
   */
  async startFlowExport(flowId: string, versionId?: string): Promise<string> {
    const call = await this.send({
      method: 'POST',
      path: ArchitectPaths.ExportJobs,
      body: { flows: [{ flow: { id: flowId, ...(versionId === undefined ? {} : { version: versionId }) }, exportType: 'Yaml' }] },
      idempotent: true
    })
    return parseAnswer(ExportRegistrationSchema, call, `export of flow ${flowId}`).id
  }

  /** `GET /api/v2/flows/export/jobs/{jobId}?expand=messages`. */
  async readFlowExport(jobId: string): Promise<FlowExportState> {
    const call = await this.send({
      method: 'GET',
      path: `${ArchitectPaths.ExportJobs}/${encodeURIComponent(jobId)}`,
      query: { expand: 'messages' }
    })
    // The answer holds the download URL's signature: never quote it in an error.
    const answer = parseAnswer(ExportStateSchema, call, `export job ${jobId}`, { quoteBody: false })
    return {
      id: answer.id ?? jobId,
      status: jobStatusOf(answer.status, call, `export job ${jobId}`),
      ...(answer.downloadUrl === undefined ? {} : { downloadUrl: answer.downloadUrl }),
      messages: answer.messages
    }
  }

  private send(request: GenesysRequest): Promise<AnsweredCall> {
    return sendRequest(this.client, request)
  }

  private async readPages<S extends z.ZodType>(path: string, filter: GenesysRequest['query'], entity: S, what: string): Promise<z.infer<S>[]> {
    return (await readPages(this.client, path, filter, entity, what)).entities
  }
}

// ---------------------------------------------------------------------------------------------------------
// Answer shapes (SDK models), lenient where the platform may vary

const NamedRefSchema = z.looseObject({ id: optionalId, name: optionalText })
const VersionSchema = z.looseObject({
  id: optionalId,
  datePublished: optionalText,
  dateCreated: z.number().finite().optional().catch(undefined),
  createdBy: NamedRefSchema.optional().catch(undefined)
})
const OperationSchema = z.looseObject({
  id: optionalId,
  complete: optionalFlag,
  actionName: optionalText,
  actionStatus: optionalText,
  status: optionalText,
  errorMessage: optionalText
})
const FlowSchema = z.looseObject({
  id: requiredId,
  name: requiredText,
  type: optionalText,
  publishedVersion: VersionSchema.optional().catch(undefined),
  currentOperation: OperationSchema.optional().catch(undefined),
  lockedUser: NamedRefSchema.optional().catch(undefined),
  lockedClient: NamedRefSchema.optional().catch(undefined)
})

const DependencySchema = z.looseObject({ id: requiredId, name: optionalText, type: optionalText })

const RegistrationSchema = z.looseObject({
  id: requiredId,
  presignedUrl: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), requiredText).optional()
})

const JobStateSchema = z.looseObject({
  id: optionalId,
  status: requiredText,
  flow: NamedRefSchema.optional().catch(undefined),
  messages: messageList
})

const ExportRegistrationSchema = z.looseObject({ id: requiredId })

const ExportStateSchema = z.looseObject({
  id: optionalId,
  status: requiredText,
  downloadUrl: z.url({ protocol: /^https?$/ }).optional(),
  messages: messageList
})

function toPlatformFlow(flow: z.infer<typeof FlowSchema>): PlatformFlow {
  const lockedBy = flow.lockedUser?.name ?? flow.lockedUser?.id ?? flow.lockedClient?.name ?? flow.lockedClient?.id
  return {
    id: flow.id,
    name: flow.name,
    ...(flow.type === undefined ? {} : { type: flow.type }),
    ...(flow.publishedVersion?.id === undefined ? {} : { publishedVersionId: flow.publishedVersion.id }),
    ...publicationOf(flow.publishedVersion),
    ...(flow.currentOperation === undefined ? {} : { currentOperation: toOperation(flow.currentOperation) }),
    ...(lockedBy === undefined ? {} : { lockedBy })
  }
}

/** When and by whom a version was published, as far as the answer says. */
function publicationOf(version: z.infer<typeof VersionSchema> | undefined): { publishedAt?: string; publishedBy?: string } {
  if (version === undefined) return {}
  const at = version.datePublished ?? (version.dateCreated === undefined ? undefined : new Date(version.dateCreated).toISOString())
  const by = version.createdBy?.name ?? version.createdBy?.id
  return { ...(at === undefined || Number.isNaN(Date.parse(at)) ? {} : { publishedAt: at }), ...(by === undefined ? {} : { publishedBy: by }) }
}

function toOperation(operation: z.infer<typeof OperationSchema>): PlatformOperation {
  return Object.fromEntries(
    Object.entries({
      id: operation.id,
      actionName: operation.actionName?.toUpperCase(),
      actionStatus: (operation.actionStatus ?? operation.status)?.toUpperCase(),
      complete: operation.complete,
      errorMessage: operation.errorMessage
    }).filter(([, value]) => value !== undefined)
  ) as PlatformOperation
}

/** The job status in its canonical spelling; an unknown one is an error naming the known ones, never a guess. */
function jobStatusOf(status: string, call: AnsweredCall, what: string): ArchitectJobStatus {
  const known = ARCHITECT_JOB_STATUSES.find(candidate => candidate.toLowerCase() === status.trim().toLowerCase())
  if (known !== undefined) return known
  throw invalidAnswer(call, `status "${status}" for ${what}, which this action does not know (known: ${ARCHITECT_JOB_STATUSES.join(', ')})`, {
    hint: 'The Architect API may report a status newer than this action: check the job in Genesys Cloud, and update the action.'
  })
}
