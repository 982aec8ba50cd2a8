import { z } from 'zod'
import type { Bundle } from '../bundle/bundle.js'
import type { DeployDriver, DeploymentHandle, DeploymentObservation, DeploymentState, RemoteValidation } from './driver.js'
import { GenesysApiError } from './genesys-api-error.js'
import type { GenesysRequest, GenesysRequester, GenesysResponse, HttpMethod } from './http-client.js'
import { messageList, optionalCount, optionalFlag, optionalId, snippet, textLike, unique } from './lenient-answer.js'

/**
 * The Architecture Manager bundle API (README "API: architecture-manager"): validate, deploy, read and
 * roll back a bundle deployment. Answers are checked with zod but leniently: extra fields are ignored,
 * numbers may come as strings, messages as strings or `{message}` objects, statuses in any casing.
 */

/** Every status this API reports, in the order a deployment goes through them. */
export const ARCHITECTURE_MANAGER_STATES: readonly DeploymentState[] = [
  'PENDING',
  'IN_PROGRESS',
  'COMPLETED',
  'FAILED',
  'VALIDATION_ERROR',
  'ROLLBACK_TRIGGERED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLED_BACK',
  'ROLLBACK_FAILED'
]

const BUNDLES_PATH = '/api/v2/architect/bundles'

/** Statuses of a validate answer that still carry the validation result rather than a failure. */
const VALIDATION_REJECTED_STATUSES = [400, 422] as const

/** Deploys bundles through the Architecture Manager bundle endpoints. */
export class ArchitectureManagerDriver implements DeployDriver {
  readonly api = 'architecture-manager' as const

  constructor(private readonly client: GenesysRequester) {}

  /** `POST …/validate`. A 400 / 422 that lists errors is an invalid bundle, not a failure. */
  async validate(bundle: Bundle): Promise<RemoteValidation> {
    const { manifest } = bundle
    const call = await this.send({
      method: 'POST',
      path: bundlePath(bundle, 'validate'),
      body: {
        environmentId: requireEnvironment(bundle),
        bundleId: manifest.bundleId,
        overrideValidation: manifest.overrideValidation ?? false,
        dependencyMatrix: manifest.dependencyMatrix,
        capacityConstraints: manifest.capacityConstraints,
        targetConfig: manifest.targetConfig
      },
      // Validation changes nothing on the platform: repeating it, even after an answer that could not be read, is harmless.
      readOnly: true,
      acceptStatuses: VALIDATION_REJECTED_STATUSES
    })
    const answer = parseAnswer(ValidationAnswerSchema, call, 'validation')
    if (call.response.status >= 400) return rejectedValidation(answer, call.response)
    return toRemoteValidation(answer)
  }

  /**
   * `POST …/deploy` with the manifest as the payload. Never retried on 5xx or timeouts: the platform may
   * have started the deployment, and a second request would deploy the bundle twice.
   */
  async deploy(bundle: Bundle): Promise<DeploymentHandle> {
    const call = await this.send({
      method: 'POST',
      path: bundlePath(bundle, 'deploy'),
      body: { ...bundle.manifest, environmentId: requireEnvironment(bundle) }
    })
    const answer = parseAnswer(DeploymentAnswerSchema, call, 'deploy')
    const id = answer.id ?? answer.deploymentId
    if (id === undefined) {
      throw invalidAnswer(call, 'a deploy answer without a deployment `id`', {
        hint:
          `Without an id the deployment cannot be followed or rolled back: check in Genesys Cloud whether bundle ` +
          `${bundle.manifest.bundleId} is deploying to ${bundle.environmentId} before re-running.`
      })
    }
    // An accepted deployment without a status has not started yet.
    return { id, state: answer.status === undefined ? 'PENDING' : toDeploymentState(answer.status, call, id) }
  }

  /** `GET …/deployments/{id}`: the deployment's state, or its rollback's. */
  async getStatus(bundle: Bundle, deploymentId: string): Promise<DeploymentObservation> {
    const call = await this.send({ method: 'GET', path: deploymentPath(bundle, deploymentId) })
    const answer = parseAnswer(DeploymentAnswerSchema, call, 'deployment status')
    if (answer.status === undefined) {
      throw invalidAnswer(call, `a status answer for deployment ${deploymentId} without \`status\``)
    }
    return observation(answer, answer.status, deploymentId, call)
  }

  /**
   * `POST …/deployments/{id}/rollback` with `{reason}`. Marked idempotent: asking twice to return the same
   * deployment to its previous version has the effect of asking once, and a rollback lost to a 5xx would
   * leave the failed deployment in place.
   */
  async rollback(bundle: Bundle, deploymentId: string, reason: string): Promise<DeploymentObservation> {
    const call = await this.send({
      method: 'POST',
      path: `${deploymentPath(bundle, deploymentId)}/rollback`,
      body: { reason },
      idempotent: true
    })
    // An accepted rollback needs no body: what matters is that the platform took it.
    const answer = parseAnswer(DeploymentAnswerSchema, call, 'rollback', { allowEmpty: true })
    return observation(answer, answer.status ?? 'ROLLBACK_IN_PROGRESS', deploymentId, call)
  }

  private async send(request: GenesysRequest): Promise<AnsweredCall> {
    const response = await this.client.request<unknown>(request)
    return { method: request.method, path: request.path, response }
  }
}

/** A request and what it answered: enough to name it in an error. */
interface AnsweredCall {
  method: HttpMethod
  path: string
  response: GenesysResponse<unknown>
}

function bundlePath(bundle: Bundle, action: string): string {
  return `${BUNDLES_PATH}/${encodeURIComponent(bundle.manifest.bundleId)}/${action}`
}

function deploymentPath(bundle: Bundle, deploymentId: string): string {
  return `${BUNDLES_PATH}/${encodeURIComponent(bundle.manifest.bundleId)}/deployments/${encodeURIComponent(deploymentId)}`
}

function requireEnvironment(bundle: Bundle): string {
  if (bundle.environmentId.trim() === '') {
    throw new Error(
      `Bundle ${bundle.manifest.bundleId} has no target environment: set the \`environment-id\` input, or ` + `\`environmentId\` in ${bundle.manifestPath}.`
    )
  }
  return bundle.environmentId
}

const ValidationAnswerSchema = z.looseObject({
  valid: optionalFlag,
  warnings: messageList,
  errors: messageList,
  message: messageList,
  compatibilityCheck: z
    .looseObject({
      schemaVersion: textLike.optional().catch(undefined),
      environmentCapacity: z.looseObject({ availableFlowSlots: optionalCount, requiredFlowSlots: optionalCount }).optional().catch(undefined)
    })
    .optional()
    .catch(undefined)
})

const DeploymentAnswerSchema = z.looseObject({
  // An empty, huge or control-laden id cannot be followed (it goes into the status path, the output, the saved state).
  id: optionalId,
  deploymentId: optionalId,
  status: textLike.optional().catch(undefined),
  message: messageList,
  errorMessage: messageList,
  error: messageList,
  errors: messageList
})

type ValidationAnswer = z.infer<typeof ValidationAnswerSchema>
type DeploymentAnswer = z.infer<typeof DeploymentAnswerSchema>

function toRemoteValidation(answer: ValidationAnswer): RemoteValidation {
  const capacity = answer.compatibilityCheck?.environmentCapacity
  return {
    // Some answers leave `valid` out; the errors then decide.
    valid: answer.valid ?? answer.errors.length === 0,
    warnings: answer.warnings,
    errors: answer.errors,
    ...(answer.compatibilityCheck?.schemaVersion === undefined ? {} : { schemaVersion: answer.compatibilityCheck.schemaVersion }),
    ...(capacity === undefined
      ? {}
      : {
          environmentCapacity: {
            ...(capacity.availableFlowSlots === undefined ? {} : { availableFlowSlots: capacity.availableFlowSlots }),
            ...(capacity.requiredFlowSlots === undefined ? {} : { requiredFlowSlots: capacity.requiredFlowSlots })
          }
        })
  }
}

/** A 400 / 422 validate answer: the bundle is invalid; its errors are what the platform listed. */
function rejectedValidation(answer: ValidationAnswer, response: GenesysResponse<unknown>): RemoteValidation {
  const listed = answer.errors.length > 0 ? answer.errors : answer.message
  const correlation = response.headers['inin-correlation-id']
  const errors =
    listed.length > 0
      ? listed
      : [`The platform rejected the bundle with HTTP ${response.status} and no details` + (correlation ? ` (inin-correlation-id ${correlation})` : '')]
  return { ...toRemoteValidation(answer), valid: false, errors }
}

/**
 * The answer checked against `schema`: it must be a JSON object; extra fields are fine. Anything else
 * is an invalid-response error quoting what came.
 */
function parseAnswer<S extends z.ZodType>(schema: S, call: AnsweredCall, what: string, { allowEmpty = false } = {}): z.infer<S> {
  const body = allowEmpty && call.response.body === undefined ? {} : call.response.body
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidAnswer(call, `a ${what} answer that is not a JSON object`)
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    throw invalidAnswer(call, `a ${what} answer of an unexpected shape (${z.prettifyError(parsed.error)})`)
  }
  return parsed.data
}

/**
 * The platform's status as a DeploymentState. Casing and separators vary between answers
 * (`in_progress`, `In Progress`, `inProgress`); an unknown status is an error naming the known ones,
 * never a guess.
 */
export function normalizeDeploymentStatus(status: string): DeploymentState | undefined {
  const normalized = status
    .trim()
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toUpperCase()
  return ARCHITECTURE_MANAGER_STATES.find(state => state === normalized) ?? STATUS_SYNONYMS[normalized]
}

/**
 * Spellings a platform version or a proxy in front of it may use for the documented statuses. Only unambiguous
 * ones: a status that is not here stays unknown, and the poller keeps asking rather than guess.
 */
const STATUS_SYNONYMS: Readonly<Record<string, DeploymentState>> = {
  QUEUED: 'PENDING',
  SUBMITTED: 'PENDING',
  ACCEPTED: 'PENDING',
  SCHEDULED: 'PENDING',
  RUNNING: 'IN_PROGRESS',
  STARTED: 'IN_PROGRESS',
  DEPLOYING: 'IN_PROGRESS',
  PROCESSING: 'IN_PROGRESS',
  SUCCEEDED: 'COMPLETED',
  SUCCESS: 'COMPLETED',
  SUCCESSFUL: 'COMPLETED',
  DEPLOYED: 'COMPLETED',
  COMPLETE: 'COMPLETED',
  FAILURE: 'FAILED',
  ERROR: 'FAILED',
  ROLLING_BACK: 'ROLLBACK_IN_PROGRESS',
  ROLLBACK_STARTED: 'ROLLBACK_IN_PROGRESS',
  ROLLBACK_PENDING: 'ROLLBACK_IN_PROGRESS',
  ROLLBACK_COMPLETED: 'ROLLED_BACK',
  ROLLBACK_COMPLETE: 'ROLLED_BACK',
  ROLLBACK_SUCCEEDED: 'ROLLED_BACK',
  ROLLBACK_ERROR: 'ROLLBACK_FAILED'
}

function toDeploymentState(status: string, call: AnsweredCall, deploymentId: string): DeploymentState {
  const state = normalizeDeploymentStatus(status)
  if (state !== undefined) return state
  throw invalidAnswer(
    call,
    `status "${status}" for deployment ${deploymentId}, which this action does not know ` + `(known: ${ARCHITECTURE_MANAGER_STATES.join(', ')})`,
    {
      hint:
        'The bundle API may report a status newer than this action: check the deployment in Genesys Cloud, ' +
        'and update the action to a version that knows the status.'
    }
  )
}

function observation(answer: DeploymentAnswer, status: string, deploymentId: string, call: AnsweredCall): DeploymentObservation {
  const detail = unique([...answer.message, ...answer.errorMessage, ...answer.error, ...answer.errors]).join('; ')
  const retryAfterSeconds = retryAfterSecondsOf(call.response.headers)
  return {
    id: answer.id ?? answer.deploymentId ?? deploymentId,
    state: toDeploymentState(status, call, deploymentId),
    ...(detail ? { detail } : {}),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds })
  }
}

/** Only the delta-seconds form: polling needs no clock, and it is the form Genesys Cloud sends. */
function retryAfterSecondsOf(headers: Record<string, string>): number | undefined {
  const value = headers['retry-after']?.trim()
  return value && /^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined
}

function invalidAnswer(call: AnsweredCall, detail: string, extra: { hint?: string } = {}): GenesysApiError {
  const { response } = call
  const body = response.body === undefined ? undefined : snippet(JSON.stringify(response.body))
  return new GenesysApiError({
    kind: 'invalid-response',
    method: call.method,
    endpoint: call.path,
    status: response.status,
    correlationId: response.headers['inin-correlation-id'],
    detail,
    bodySnippet: body,
    ...extra
  })
}
