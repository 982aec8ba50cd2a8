import {
  decideRollback,
  deploymentStateAt,
  deploymentView,
  planDeployment,
  planRollback,
  type DeploymentStore,
  type SimulatedDeployment
} from './bundle-deployments.js'
import { readBundlePayload, validateBundlePayload } from './bundle-payload.js'
import { genesysError, requireJsonObjectBody } from './responses.js'
import type { Route, RouteRequest, RouteResponse } from './router.js'

/**
 * The Architecture Manager bundle endpoints (`/api/v2/architect/bundles/...`): validate, deploy, read a
 * deployment, roll it back. All need a bearer token (the server checks it before the handlers run).
 */

/** Root of the bundle endpoints. */
export const BUNDLES_PATH = '/api/v2/architect/bundles'

/** URL path of one deployment. */
export function deploymentPath(bundleId: string, deploymentId: string): string {
  return `${BUNDLES_PATH}/${encodeURIComponent(bundleId)}/deployments/${encodeURIComponent(deploymentId)}`
}

/** The bundle endpoints, keeping their deployments in `deployments`. */
export function bundleRoutes(deployments: DeploymentStore): Route[] {
  return [
    {
      method: 'POST',
      pattern: `${BUNDLES_PATH}/:bundleId/validate`,
      operation: 'validate',
      auth: 'bearer',
      handle: validateBundle
    },
    {
      method: 'POST',
      pattern: `${BUNDLES_PATH}/:bundleId/deploy`,
      operation: 'deploy',
      auth: 'bearer',
      handle: request => deployBundle(request, deployments)
    },
    {
      method: 'GET',
      pattern: `${BUNDLES_PATH}/:bundleId/deployments/:deploymentId`,
      operation: 'status',
      auth: 'bearer',
      handle: request => readDeployment(request, deployments)
    },
    {
      method: 'POST',
      pattern: `${BUNDLES_PATH}/:bundleId/deployments/:deploymentId/rollback`,
      operation: 'rollback',
      auth: 'bearer',
      handle: request => rollbackDeployment(request, deployments)
    }
  ]
}

/** 200 with the validation; 422 listing every fault of a malformed body. */
function validateBundle(request: RouteRequest): RouteResponse {
  const read = requireJsonObjectBody(request)
  if ('response' in read) return read.response
  const checked = readBundlePayload(read.body, request.params.bundleId)
  if ('problems' in checked) {
    return genesysError(
      422,
      'invalid.request.body',
      `The bundle payload is malformed (${checked.problems.length} problem${checked.problems.length === 1 ? '' : 's'}): ${checked.problems.join('; ')}.`,
      request.correlationId,
      { errors: checked.problems }
    )
  }
  return { status: 200, body: validateBundlePayload(checked.payload, request.scenario) }
}

/** 202 `{id, status: PENDING}`; 400 listing every fault of a malformed body. */
function deployBundle(request: RouteRequest, deployments: DeploymentStore): RouteResponse {
  const read = requireJsonObjectBody(request)
  if ('response' in read) return read.response
  const checked = readBundlePayload(read.body, request.params.bundleId)
  if ('problems' in checked) {
    return genesysError(400, 'bad.request', `The deployment payload is malformed: ${checked.problems.join('; ')}.`, request.correlationId, {
      errors: checked.problems
    })
  }
  const { errors } = validateBundlePayload(checked.payload, request.scenario)
  const deployment = planDeployment(checked.payload, request.scenario, errors, request.now)
  deployments.add(deployment)
  return {
    status: 202,
    body: {
      id: deployment.id,
      bundleId: deployment.bundleId,
      status: 'PENDING',
      selfUri: deploymentPath(deployment.bundleId, deployment.id)
    }
  }
}

/** 200 with the deployment's state on the injected clock; 404 when the bundle has no such deployment. */
function readDeployment(request: RouteRequest, deployments: DeploymentStore): RouteResponse {
  const found = findDeployment(request, deployments)
  if ('response' in found) return found.response
  const { deployment } = found
  return {
    status: 200,
    body: deploymentView(deployment, request.now, deploymentPath(deployment.bundleId, deployment.id))
  }
}

/** 202 `{id, status: ROLLBACK_IN_PROGRESS}`; 409 when the deployment's state forbids it (see decideRollback). */
function rollbackDeployment(request: RouteRequest, deployments: DeploymentStore): RouteResponse {
  const found = findDeployment(request, deployments)
  if ('response' in found) return found.response
  const { deployment } = found
  const read = requireJsonObjectBody(request)
  if ('response' in read) return read.response
  const reason = read.body.reason
  if (typeof reason !== 'string' || reason.trim() === '') {
    return genesysError(400, 'bad.request', 'The rollback body needs a reason: send {"reason": "<why the deployment is rolled back>"}.', request.correlationId)
  }
  const decision = decideRollback(deployment.id, deploymentStateAt(deployment, request.now).status)
  if (decision.action === 'refuse') return genesysError(409, 'conflict', decision.reason, request.correlationId)
  if (decision.action === 'start') {
    deployment.rollbacks.push(planRollback(deployment, reason, request.scenario, request.now))
  }
  return { status: 202, body: { id: deployment.id, status: 'ROLLBACK_IN_PROGRESS' } }
}

function findDeployment(request: RouteRequest, deployments: DeploymentStore): { deployment: SimulatedDeployment } | { response: RouteResponse } {
  const { bundleId, deploymentId } = request.params
  const deployment = deployments.find(bundleId, deploymentId)
  if (deployment) return { deployment }
  return {
    response: genesysError(
      404,
      'not.found',
      `Bundle ${bundleId} has no deployment ${deploymentId}: use the id the deploy request of this bundle answered.`,
      request.correlationId
    )
  }
}
