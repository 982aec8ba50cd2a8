import { isJsonObject } from './responses.js'
import type { Scenario } from './scenario.js'

/**
 * The bundle payload (the manifest, as the validate and deploy endpoints receive it): its shape check and
 * the platform's validation of it against the environment. Pure functions.
 */

/** A payload that passed the shape check. Keys the simulator does not read pass through untouched. */
export interface BundlePayload {
  bundleId: string
  environmentId: string
  overrideValidation?: boolean
  /** Names the bundle depends on, by group, plus `order` (the groups' install order). */
  dependencyMatrix?: Record<string, string[]>
  capacityConstraints?: Record<string, unknown>
  /** Resources the bundle defines, by group (`flows`, `queues`), then by name. */
  targetConfig: Record<string, Record<string, unknown>>
  [key: string]: unknown
}

/** The validate endpoint's answer. */
export interface BundleValidation {
  valid: boolean
  warnings: string[]
  errors: string[]
  compatibilityCheck: {
    schemaVersion: string
    environmentCapacity: { availableFlowSlots: number; requiredFlowSlots: number }
  }
}

/** The key of dependencyMatrix that orders groups rather than naming dependencies. */
const ORDER_KEY = 'order'

/**
 * Checks a request body's shape against the path's bundle id: the payload when it is well-formed, else every
 * problem found, each naming the field and the fix.
 */
export function readBundlePayload(body: Record<string, unknown>, pathBundleId: string): { payload: BundlePayload } | { problems: string[] } {
  const problems = [
    ...bundleIdProblems(body.bundleId, pathBundleId),
    ...environmentIdProblems(body.environmentId),
    ...targetConfigProblems(body.targetConfig),
    ...dependencyMatrixProblems(body.dependencyMatrix),
    ...optionalTypeProblems(body)
  ]
  return problems.length > 0 ? { problems } : { payload: body as BundlePayload }
}

function bundleIdProblems(bundleId: unknown, pathBundleId: string): string[] {
  if (typeof bundleId !== 'string' || bundleId === '') {
    return [`bundleId is required: set it to "${pathBundleId}", the bundle id of the request path`]
  }
  if (bundleId !== pathBundleId) {
    return [`bundleId "${bundleId}" differs from the path's bundle id "${pathBundleId}": send the payload to its own bundle's URL`]
  }
  return []
}

function environmentIdProblems(environmentId: unknown): string[] {
  if (typeof environmentId === 'string' && environmentId !== '') return []
  return ['environmentId is required: set it to the id of the target environment']
}

function targetConfigProblems(targetConfig: unknown): string[] {
  if (!isJsonObject(targetConfig)) {
    return ['targetConfig is required: set it to an object of resource groups such as {"flows": {...}}']
  }
  return Object.entries(targetConfig)
    .filter(([, resources]) => !isJsonObject(resources))
    .map(([group]) => `targetConfig.${group} must be an object of resources by name`)
}

function dependencyMatrixProblems(dependencyMatrix: unknown): string[] {
  if (dependencyMatrix === undefined) return []
  if (!isJsonObject(dependencyMatrix)) return ['dependencyMatrix must be an object of name lists by group']
  return Object.entries(dependencyMatrix)
    .filter(([, names]) => !Array.isArray(names) || names.some(name => typeof name !== 'string'))
    .map(([group]) => `dependencyMatrix.${group} must be a list of names`)
}

function optionalTypeProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = []
  if (body.overrideValidation !== undefined && typeof body.overrideValidation !== 'boolean') {
    problems.push('overrideValidation must be true or false')
  }
  if (body.capacityConstraints !== undefined && !isJsonObject(body.capacityConstraints)) {
    problems.push('capacityConstraints must be an object such as {"maxFlowCount": 500}')
  }
  return problems
}

/**
 * What the platform says of a well-formed payload: every external dependency must exist in the environment
 * (scenario `existingResources`), the bundle's flows must fit the free flow slots, plus the scenario's
 * injected warnings and errors. `overrideValidation` does not change the answer: warnings never make a
 * bundle invalid, and errors cannot be overridden.
 */
export function validateBundlePayload(payload: BundlePayload, scenario: Scenario): BundleValidation {
  const requiredFlowSlots = Object.keys(payload.targetConfig.flows ?? {}).length
  const errors = [
    ...missingDependencyErrors(payload, scenario),
    ...flowSlotErrors(payload.environmentId, requiredFlowSlots, scenario.availableFlowSlots),
    ...scenario.validationErrors
  ]
  return {
    valid: errors.length === 0,
    warnings: [...scenario.validationWarnings],
    errors,
    compatibilityCheck: {
      schemaVersion: scenario.schemaVersion,
      environmentCapacity: { availableFlowSlots: scenario.availableFlowSlots, requiredFlowSlots }
    }
  }
}

/** External dependencies (names the bundle does not define itself) that the environment lacks. */
function missingDependencyErrors(payload: BundlePayload, scenario: Scenario): string[] {
  const errors: string[] = []
  for (const [group, names] of Object.entries(payload.dependencyMatrix ?? {})) {
    if (group === ORDER_KEY) continue
    const defined = payload.targetConfig[group] ?? {}
    const existing = scenario.existingResources[group] ?? []
    for (const name of names) {
      if (Object.hasOwn(defined, name) || existing.includes(name)) continue
      errors.push(
        `dependency ${group}/${name} does not exist in environment ${payload.environmentId}: create it there first, or define it in targetConfig.${group}`
      )
    }
  }
  return errors
}

function flowSlotErrors(environmentId: string, required: number, available: number): string[] {
  if (required <= available) return []
  return [
    `bundle needs ${required} flow slots but environment ${environmentId} has ${available} available: remove flows from targetConfig.flows or free slots in the environment`
  ]
}
