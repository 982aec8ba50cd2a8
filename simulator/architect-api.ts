import {
  dependencyTypeOf,
  exportStatus,
  jobStatus,
  operationStatus,
  stableId,
  type ArchitectOrg,
  type OrgRefusal,
  type SimulatedExportJob,
  type SimulatedFlow,
  type SimulatedFlowJob,
  type SimulatedFlowOperation
} from './architect-org.js'
import { lookupRoutes } from './architect-lookups.js'
import { missingPermission, paged } from './architect-paging.js'
import { genesysError, isJsonContentType, isJsonObject } from './responses.js'
import type { Route, RouteRequest, RouteResponse } from './router.js'

/**
 * The public Architect endpoints the architect driver (and the SDK) use, answering in the SDK's models:
 * flows (`FlowEntityListing`, `Flow`), flow jobs (`RegisterArchitectJobResponse`, `ArchitectJobStateResponse`)
 * with their presigned upload URL served here too, publish (`Operation`), the look-ups of the objects flows name
 * (queues, data actions, schedules, schedule groups, prompts, skills: architect-lookups.ts), dependency tracking (`ConsumingResourcesEntityListing`) and export jobs (`RegisterArchitectExportJobResponse`,
 * `ArchitectExportJobStateResponse`) with their download URL.
 */

/** Where presigned uploads and downloads go: paths of this server that need no bearer token, only the signature. */
export const UPLOAD_PREFIX = '/__upload'
export const DOWNLOAD_PREFIX = '/__download'

const FLOWS = '/api/v2/flows'

/** The Architect routes over one simulated org. */
export function architectRoutes(org: ArchitectOrg): Route[] {
  const route = (
    method: Route['method'],
    pattern: string,
    operation: Route['operation'],
    handle: (request: RouteRequest) => RouteResponse,
    auth: Route['auth'] = 'bearer'
  ): Route => ({
    method,
    pattern,
    operation,
    auth,
    handle: request => {
      org.sync(request.scenario, request.now)
      return handle(request)
    }
  })
  return [
    route('GET', FLOWS, 'flows', request => listFlows(org, request)),
    route('POST', `${FLOWS}/jobs`, 'flowJob', request => registerJob(org, request)),
    route('GET', `${FLOWS}/jobs/:jobId`, 'flowJobStatus', request => readJob(org, request)),
    route('POST', `${FLOWS}/actions/publish`, 'flowPublish', request => publishFlow(org, request)),
    route('POST', `${FLOWS}/export/jobs`, 'flowExport', request => startExport(org, request)),
    route('GET', `${FLOWS}/export/jobs/:jobId`, 'flowExportStatus', request => readExport(org, request)),
    route('GET', `${FLOWS}/:flowId`, 'flow', request => readFlow(org, request)),
    route('GET', '/api/v2/architect/dependencytracking/consumingresources', 'consumers', request => listConsumers(org, request)),
    route('PUT', `${UPLOAD_PREFIX}/:jobId`, 'flowUpload', request => receiveUpload(org, request), 'none'),
    route('GET', `${DOWNLOAD_PREFIX}/:jobId`, 'flowDownload', request => serveDownload(org, request), 'none'),
    ...lookupRoutes()
  ]
}

// ---------------------------------------------------------------------------------------------------------
// Flows

/** `GET /api/v2/flows?name=&type=`: `name` matches part of a name, `type` one or more types (repeated or comma-separated). */
function listFlows(org: ArchitectOrg, request: RouteRequest): RouteResponse {
  const refused = missingPermission(request, 'architect:flow:view')
  if (refused) return refused
  const name = request.query.get('name') ?? undefined
  const types = request.query
    .getAll('type')
    .flatMap(value => value.split(','))
    .map(type => type.trim())
    .filter(Boolean)
  const flows = org.findFlows(name, types).map(flow => flowView(flow, request.now))
  return paged(flows, request, FLOWS)
}

function readFlow(org: ArchitectOrg, request: RouteRequest): RouteResponse {
  if (request.scenario.architectEndpoints === 'documented') {
    return notFound(request, `No resource at GET ${FLOWS}/${request.params.flowId}: check the path against the Genesys Cloud API reference.`)
  }
  const flow = org.flow(request.params.flowId)
  if (!flow) return notFound(request, `Flow ${request.params.flowId} does not exist: use an id GET /api/v2/flows answers.`)
  return { status: 200, body: flowView(flow, request.now) }
}

/** `Flow`, as the SDK models it. */
function flowView(flow: SimulatedFlow, now: number): Record<string, unknown> {
  const published = flow.versions.find(version => version.id === flow.publishedVersionId)
  const latest = flow.versions.at(-1)
  return {
    id: flow.id,
    name: flow.name,
    division: { id: 'home-division', name: 'Home', selfUri: '/api/v2/authorization/divisions/home-division' },
    type: flow.type,
    active: true,
    system: false,
    deleted: false,
    ...(published ? { publishedVersion: versionView(flow, published.id, published.createdAt, published.createdBy) } : {}),
    ...(latest ? { savedVersion: versionView(flow, latest.id, latest.createdAt) } : {}),
    ...(flow.operation ? { currentOperation: operationView(flow.operation, now) } : {}),
    ...(flow.lockedBy ? { lockedUser: { id: `user-${flow.lockedBy}`, name: flow.lockedBy, selfUri: `/api/v2/users/user-${flow.lockedBy}` } } : {}),
    selfUri: `${FLOWS}/${flow.id}`
  }
}

/** `Operation`: the publish answer and a flow's `currentOperation`; the error only once it failed. */
function operationView(operation: SimulatedFlowOperation, now: number): Record<string, unknown> {
  const status = operationStatus(operation, now)
  return {
    id: operation.id,
    ...status,
    actionName: operation.actionName,
    ...(operation.errorMessage && status.actionStatus === 'FAILURE' ? { errorMessage: operation.errorMessage, errorCode: 'ARCHITECT_PUBLISH_FAILED' } : {})
  }
}

/** `FlowVersion`. */
function versionView(flow: SimulatedFlow, id: string, createdAt: number, createdBy = 'sim-client'): Record<string, unknown> {
  return {
    createdBy: { id: createdBy, name: createdBy },
    datePublished: new Date(createdAt).toISOString(),
    id,
    name: id,
    commitVersion: id,
    configurationVersion: id,
    type: 'PUBLISH',
    secure: false,
    debug: false,
    dateCreated: createdAt,
    selfUri: `${FLOWS}/${flow.id}/versions/${id}`
  }
}

// ---------------------------------------------------------------------------------------------------------
// Flow jobs and their presigned upload

/** `POST /api/v2/flows/jobs`: the body (`RegisterArchitectJobRequest`, `{createStubs}`) is optional. */
function registerJob(org: ArchitectOrg, request: RouteRequest): RouteResponse {
  if (request.body.trim() !== '' && !(isJsonContentType(request.headers['content-type']) && isJsonObject(request.json))) {
    return genesysError(400, 'bad.request', 'The body, when sent, must be a JSON object such as {"createStubs": false}.', request.correlationId)
  }
  const job = org.registerJob(request.now)
  return {
    status: 200,
    body: {
      id: job.id,
      presignedUrl: `${baseUrl(request)}${UPLOAD_PREFIX}/${job.id}?signature=${job.signature}`,
      headers: job.uploadHeaders,
      selfUri: `${FLOWS}/jobs/${job.id}`
    }
  }
}

/**
 * `PUT` to a presigned URL, answered as storage answers: the signature is the credential, so an Authorization
 * header is refused (storage allows one auth mechanism), and every header the registration returned must come
 * with exactly its value, since the signature covers them.
 */
function receiveUpload(org: ArchitectOrg, request: RouteRequest): RouteResponse {
  const job = org.job(request.params.jobId)
  if (!job) return storageError(404, 'NoSuchKey', `No flow job ${request.params.jobId} was registered.`, request)
  if (request.query.get('signature') !== job.signature) {
    return storageError(
      403,
      'SignatureDoesNotMatch',
      'The signature of the upload URL is missing or wrong: use the presignedUrl exactly as registered.',
      request
    )
  }
  if (request.headers.authorization !== undefined) {
    return storageError(400, 'InvalidArgument', 'Only one auth mechanism allowed: the URL carries its signature, so send no Authorization header.', request)
  }
  const wrong = Object.entries(job.uploadHeaders).filter(([name, value]) => request.headers[name.toLowerCase()] !== value)
  if (wrong.length > 0) {
    const listed = wrong.map(([name, value]) => `${name}: ${value} (got ${request.headers[name.toLowerCase()] ?? 'nothing'})`).join(', ')
    return storageError(403, 'SignatureDoesNotMatch', `The upload must carry the headers it was signed with: ${listed}.`, request)
  }
  if (request.body.trim() === '') return storageError(400, 'MissingContent', 'The upload has no content: PUT the Archy flow YAML.', request)
  org.upload(job, request.body, request.scenario, request.now)
  return { status: 200, body: undefined, text: '', headers: { etag: `"${job.id}"` } }
}

/** `GET /api/v2/flows/jobs/{jobId}?expand=messages`: `messages` only when expanded, as on the platform. */
function readJob(org: ArchitectOrg, request: RouteRequest): RouteResponse {
  const job = org.job(request.params.jobId)
  if (!job) return notFound(request, `Architect job ${request.params.jobId} does not exist: use the id POST /api/v2/flows/jobs answered.`)
  return { status: 200, body: jobView(job, request) }
}

/** `ArchitectJobStateResponse`. */
function jobView(job: SimulatedFlowJob, request: RouteRequest): Record<string, unknown> {
  const status = jobStatus(job, request.now)
  const messages = status === 'Failure' ? (job.run?.messages ?? []) : status === 'Success' ? [`Flow '${job.run?.flowName}' was published.`] : []
  const finishedAt = job.run ? job.run.uploadedAt + job.run.durationMs : request.now
  return {
    id: job.id,
    ...(status === 'Success' && job.flowId ? { flow: { id: job.flowId, selfUri: `${FLOWS}/${job.flowId}` } } : {}),
    status,
    command: 'Publish',
    ...(expands(request, 'messages')
      ? {
          messages: messages.map(text => ({
            dateTime: new Date(finishedAt).toISOString(),
            type: status === 'Failure' ? 'Error' : 'Info',
            text
          }))
        }
      : {}),
    selfUri: `${FLOWS}/jobs/${job.id}`
  }
}

// ---------------------------------------------------------------------------------------------------------
// Publish

/**
 * `POST /api/v2/flows/actions/publish?flow=&version=` → `Operation`; the flow's `currentOperation` follows it.
 * A publish that takes no time (`flowPublishDurationMs: 0`) answers already complete.
 */
function publishFlow(org: ArchitectOrg, request: RouteRequest): RouteResponse {
  const flowId = request.query.get('flow')
  if (!flowId) return genesysError(400, 'bad.request', 'The query needs flow=<flow id> (and version=<version id>).', request.correlationId)
  const published = org.publish(flowId, request.query.get('version') ?? undefined, request.scenario, request.now)
  if ('refused' in published) return refused(published, request)
  return { status: 200, body: operationView(published, request.now) }
}

// ---------------------------------------------------------------------------------------------------------
// Dependency tracking

/**
 * `GET /api/v2/architect/dependencytracking/consumingresources?id=&objectType=`: the scenario's `flowConsumers`
 * of the flow. The object type must be the flow's (an inbound call flow is `INBOUNDCALLFLOW`).
 */
function listConsumers(org: ArchitectOrg, request: RouteRequest): RouteResponse {
  const id = request.query.get('id')
  const objectType = request.query.get('objectType')
  const missing = [id ? undefined : 'id', objectType ? undefined : 'objectType'].filter(Boolean)
  if (missing.length > 0 || !id || !objectType) {
    return genesysError(
      400,
      'bad.request',
      `The query needs ${missing.join(' and ')}: the consumed object's id and its type (e.g. INBOUNDCALLFLOW).`,
      request.correlationId
    )
  }
  const flow = org.flow(id)
  const expected = flow ? dependencyTypeOf(flow.type) : undefined
  if (flow && expected !== objectType.toUpperCase()) {
    return genesysError(400, 'bad.request', `objectType ${objectType} does not match flow ${id}, a ${flow.type} flow: use ${expected}.`, request.correlationId)
  }
  const consumers = (flow ? (request.scenario.flowConsumers[flow.name] ?? []) : []).map(consumer => {
    const consumerId = consumer.id ?? stableId(`${consumer.type}:${consumer.name}`)
    return {
      id: consumerId,
      name: consumer.name,
      version: '1.0',
      type: consumer.type,
      deleted: false,
      updated: false,
      stateUnknown: false,
      selfUri: `/api/v2/architect/dependencytracking/objects/${consumerId}`
    }
  })
  return paged(consumers, request, '/api/v2/architect/dependencytracking/consumingresources')
}

// ---------------------------------------------------------------------------------------------------------
// Export jobs and their presigned download

/** `POST /api/v2/flows/export/jobs` with `{flows: [{flow: {id | name+type, version?}, exportType?}]}`, one flow. */
function startExport(org: ArchitectOrg, request: RouteRequest): RouteResponse {
  const flows = isJsonObject(request.json) ? request.json.flows : undefined
  if (!isJsonContentType(request.headers['content-type']) || !Array.isArray(flows) || flows.length === 0) {
    return genesysError(400, 'bad.request', 'Send a JSON body {"flows": [{"flow": {"id": "<flow id>"}}]}.', request.correlationId)
  }
  if (flows.length > 1) {
    return genesysError(
      400,
      'bad.request',
      'The simulator exports one flow per job (several would download as a zip): send one entry in flows.',
      request.correlationId
    )
  }
  const [details] = flows as unknown[]
  const flow = isJsonObject(details) && isJsonObject(details.flow) ? details.flow : undefined
  const exportType = isJsonObject(details) ? details.exportType : undefined
  if (!flow) return genesysError(400, 'bad.request', 'Each entry of flows needs flow: {id} (or {name, type}).', request.correlationId)
  if (exportType !== undefined && exportType !== 'Yaml') {
    return genesysError(400, 'bad.request', `exportType ${JSON.stringify(exportType)} is not served by the simulator: use "Yaml".`, request.correlationId)
  }
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)
  const job = org.startExport({ id: text(flow.id), name: text(flow.name), type: text(flow.type), version: text(flow.version) }, request.scenario, request.now)
  if ('refused' in job) return refused(job, request)
  return { status: 200, body: { id: job.id, status: 'Registered', totalFlows: 1, selfUri: `${FLOWS}/export/jobs/${job.id}` } }
}

/** `ArchitectExportJobStateResponse`; `downloadUrl` once it succeeded. */
function readExport(org: ArchitectOrg, request: RouteRequest): RouteResponse {
  const job = org.exportJob(request.params.jobId)
  if (!job) return notFound(request, `Export job ${request.params.jobId} does not exist: use the id POST /api/v2/flows/export/jobs answered.`)
  const status = exportStatus(job, request.now)
  return {
    status: 200,
    body: {
      id: job.id,
      status,
      command: 'Export',
      ...(status === 'Success' ? { downloadUrl: downloadUrl(job, request) } : {}),
      ...(expands(request, 'messages') && status === 'Failure'
        ? { messages: (job.failure ?? []).map(text => ({ dateTime: new Date(job.requestedAt + job.durationMs).toISOString(), type: 'Error', text })) }
        : {}),
      selfUri: `${FLOWS}/export/jobs/${job.id}`
    }
  }
}

/** The exported YAML, answered as storage answers a presigned GET. */
function serveDownload(org: ArchitectOrg, request: RouteRequest): RouteResponse {
  const job = org.exportJob(request.params.jobId)
  if (!job || request.query.get('signature') !== job.signature) {
    return storageError(403, 'SignatureDoesNotMatch', 'The download URL is unknown or its signature is wrong: use downloadUrl exactly as answered.', request)
  }
  if (request.headers.authorization !== undefined) {
    return storageError(400, 'InvalidArgument', 'Only one auth mechanism allowed: the URL carries its signature, so send no Authorization header.', request)
  }
  const yaml = exportStatus(job, request.now) === 'Success' ? org.exportedYaml(job) : undefined
  if (yaml === undefined) return storageError(404, 'NoSuchKey', `Export job ${job.id} has produced no file.`, request)
  return { status: 200, body: undefined, text: yaml, headers: { 'content-type': 'application/x-yaml' } }
}

function downloadUrl(job: SimulatedExportJob, request: RouteRequest): string {
  return `${baseUrl(request)}${DOWNLOAD_PREFIX}/${job.id}?signature=${job.signature}`
}

// ---------------------------------------------------------------------------------------------------------

/** Whether `expand` (repeated or comma-separated) names `field`. */
function expands(request: RouteRequest, field: string): boolean {
  return request.query.getAll('expand').some(value =>
    value
      .split(',')
      .map(part => part.trim())
      .includes(field)
  )
}

/** The base URL the client reached this server by: presigned URLs point back at it. */
function baseUrl(request: RouteRequest): string {
  return `http://${request.headers.host ?? '127.0.0.1'}`
}

function notFound(request: RouteRequest, message: string): RouteResponse {
  return genesysError(404, 'not.found', message, request.correlationId)
}

function refused(refusal: OrgRefusal, request: RouteRequest): RouteResponse {
  return genesysError(refusal.refused.status, refusal.refused.code, refusal.refused.message, request.correlationId)
}

/** A storage error (presigned URLs are served by storage, not the API): `{code, message}` as text. */
function storageError(status: number, code: string, message: string, request: RouteRequest): RouteResponse {
  return {
    status,
    body: undefined,
    text: JSON.stringify({ code, message, requestId: request.correlationId }),
    headers: { 'content-type': 'application/json' }
  }
}
