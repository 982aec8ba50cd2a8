import { z } from 'zod'
import { genesysError, isJsonObject } from './responses.js'
import type { HttpMethod, RouteResponse } from './router.js'
import { parseScenarioPatch, type Scenario, type ScenarioPatch } from './scenario.js'

/**
 * The `/__sim/*` control endpoints: the same control a test has in process, for out-of-process users (the
 * demo, the CLI). They are never recorded, faulted, delayed or authenticated.
 */

/** Path prefix of the control endpoints; no Genesys path starts with it. */
export const CONTROL_PREFIX = '/__sim/'

/** What the control endpoints act on. */
export interface SimulatorControl {
  setScenario(patch: ScenarioPatch, bundleId?: string): void
  /** The scenario requests for `bundleId` (or without a bundle) see. */
  scenario(bundleId?: string): Scenario
  reset(): void
  readonly requests: readonly unknown[]
}

/** One control endpoint. */
export interface ControlRoute {
  method: HttpMethod
  pattern: string
  /** `json` is the parsed body, or undefined when there is none or it does not parse. */
  handle(json: unknown, correlationId: string): RouteResponse
}

const ScenarioRequestSchema = z.strictObject({
  scenario: z.unknown().optional(),
  bundleId: z.string().min(1).optional()
})

/** `POST /__sim/scenario`, `POST /__sim/reset`, `GET /__sim/requests`. */
export function controlRoutes(simulator: SimulatorControl): ControlRoute[] {
  return [
    {
      method: 'POST',
      pattern: `${CONTROL_PREFIX}scenario`,
      handle: (json, correlationId) => applyScenarioRequest(simulator, json, correlationId)
    },
    {
      method: 'POST',
      pattern: `${CONTROL_PREFIX}reset`,
      handle: () => {
        simulator.reset()
        return { status: 200, body: { reset: true } }
      }
    },
    {
      method: 'GET',
      pattern: `${CONTROL_PREFIX}requests`,
      handle: () => ({ status: 200, body: { requests: simulator.requests } })
    }
  ]
}

/**
 * Applies `{scenario?, bundleId?}` and answers the resulting scenario of that scope; 400 naming every
 * problem when the body or the scenario is malformed (nothing is applied then).
 */
function applyScenarioRequest(simulator: SimulatorControl, json: unknown, correlationId: string): RouteResponse {
  const request = ScenarioRequestSchema.safeParse(isJsonObject(json) ? json : undefined)
  if (!request.success) {
    return genesysError(400, 'bad.request', 'Send a JSON object {"scenario": {...fields of Scenario}, "bundleId": "<optional bundle id>"}.', correlationId)
  }
  let patch: ScenarioPatch
  try {
    patch = parseScenarioPatch(request.data.scenario ?? {}, 'scenario')
  } catch (error) {
    return genesysError(400, 'bad.request', error instanceof Error ? error.message : String(error), correlationId)
  }
  simulator.setScenario(patch, request.data.bundleId)
  return {
    status: 200,
    body: { bundleId: request.data.bundleId ?? null, scenario: simulator.scenario(request.data.bundleId) }
  }
}
