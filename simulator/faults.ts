import { genesysError, type GenesysErrorCode } from './responses.js'
import type { RouteResponse } from './router.js'
import {
  FAULT_FIELDS,
  type FaultField,
  type FaultTarget,
  type Scenario,
  type ScenarioPatch,
  type ScenarioStore,
  type ServerErrorStatus,
  type SimulatedOperation
} from './scenario.js'

/**
 * Request faults: rate limits, server errors and connection resets, each hitting the next `count` matching
 * requests. Counts live here, not in the scenario, so that reading a scenario never consumes a fault.
 */

/** A fault one request meets instead of its normal answer. */
export type InjectedFault =
  { kind: 'connection-reset' } | { kind: 'rate-limit'; retryAfterSeconds: number } | { kind: 'server-error'; status: ServerErrorStatus }

/** Retry-After of a rate limit that does not say. */
const DEFAULT_RETRY_AFTER_SECONDS = 1

/** Status of a server error that does not say: 503 is what a gateway answers while a service restarts. */
const DEFAULT_SERVER_ERROR_STATUS: ServerErrorStatus = 503

/** Whether a configured fault (if any) aims at `operation`; a fault without `on` aims at every request. */
export function faultHits(fault: { on?: FaultTarget } | undefined, operation: SimulatedOperation): boolean {
  if (!fault) return false
  return fault.on === undefined || fault.on === 'any' || fault.on === operation
}

/** Remaining fault counts per scope (a bundle's override, or the default scenario) and fault field. */
export class FaultInjector {
  private readonly remaining = new Map<string, number>()

  /** Restarts the counts of the fault fields a patch sets (and stops those it clears) for one scope. */
  arm(patch: ScenarioPatch, bundleId?: string): void {
    for (const field of FAULT_FIELDS) {
      if (!(field in patch)) continue
      this.remaining.set(budgetKey(field, bundleId), patch[field]?.count ?? 0)
    }
  }

  /**
   * The fault a request meets, if any, consuming one from its count. A reset is checked first, then a rate
   * limit, then a server error, so each request meets at most one fault.
   */
  take(scenarios: ScenarioStore, operation: SimulatedOperation, bundleId?: string): InjectedFault | undefined {
    const scenario = scenarios.resolve(bundleId)
    for (const field of FAULT_FIELDS) {
      if (!faultHits(scenario[field], operation)) continue
      if (this.consume(field, scenarios.faultScope(field, bundleId))) return describeFault(field, scenario)
    }
    return undefined
  }

  /** Forgets every count. */
  clear(): void {
    this.remaining.clear()
  }

  private consume(field: FaultField, scope: string | undefined): boolean {
    const key = budgetKey(field, scope)
    const left = this.remaining.get(key) ?? 0
    if (left <= 0) return false
    this.remaining.set(key, left - 1)
    return true
  }
}

function describeFault(field: FaultField, scenario: Scenario): InjectedFault {
  switch (field) {
    case 'connectionResets':
      return { kind: 'connection-reset' }
    case 'rateLimit':
      return {
        kind: 'rate-limit',
        retryAfterSeconds: scenario.rateLimit?.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS
      }
    case 'serverErrors':
      return { kind: 'server-error', status: scenario.serverErrors?.status ?? DEFAULT_SERVER_ERROR_STATUS }
  }
}

/** Genesys error codes of the 5xx statuses a server-error fault answers with. */
const SERVER_ERROR_CODES: Record<ServerErrorStatus, GenesysErrorCode> = {
  500: 'internal.server.error',
  502: 'bad.gateway',
  503: 'service.unavailable',
  504: 'gateway.timeout'
}

/** The answer of a request that met a rate limit or server error (a connection reset has none). */
export function faultResponse(fault: Exclude<InjectedFault, { kind: 'connection-reset' }>, contextId: string): RouteResponse {
  if (fault.kind === 'rate-limit') {
    // Wording and header as the platform's normalized 429 answers.
    return genesysError(429, 'too.many.requests', `Rate limit exceeded the maximum. Retry the request in [${fault.retryAfterSeconds}] seconds`, contextId, {
      headers: { 'retry-after': String(fault.retryAfterSeconds) }
    })
  }
  return genesysError(
    fault.status,
    SERVER_ERROR_CODES[fault.status],
    `The service failed to answer (HTTP ${fault.status}); the failure is temporary: retry with backoff.`,
    contextId
  )
}

// Bundle ids are non-empty path segments, so the empty scope cannot collide with one.
function budgetKey(field: FaultField, bundleId: string | undefined): string {
  return `${field}\u0000${bundleId ?? ''}`
}
