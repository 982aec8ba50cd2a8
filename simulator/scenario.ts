import { z } from 'zod'

/**
 * What the simulated platform does: deployment timing and outcomes, validation answers, and the faults it
 * injects. A scenario is set as patches (`setScenario`, `POST /__sim/scenario`, `--scenario file.json`): the
 * default scenario applies to every request, and a per-bundle override (keyed by the `bundleId` path
 * parameter) patches it for one bundle, so two runs against one simulator can behave differently.
 */

/**
 * Every simulated Genesys Cloud operation, as fault injection names it: the token endpoint, the bundle API
 * (`validate` … `rollback`), and the Architect API (`flows` = `GET /api/v2/flows`, `flow` = `GET
 * /api/v2/flows/{id}`, `flowJob` = `POST /api/v2/flows/jobs`, `flowUpload` = the PUT to the presigned URL,
 * `flowJobStatus`, `flowPublish`, `consumers`, `flowExport`, `flowExportStatus`, `flowDownload`) with the look-ups
 * of what flows name (`queues`, `dataActions` = `GET /api/v2/integrations/actions`, `schedules`, `scheduleGroups`,
 * `prompts`, `skills`).
 */
export const SIMULATED_OPERATIONS = [
  'token',
  'validate',
  'deploy',
  'status',
  'rollback',
  'flows',
  'flow',
  'flowJob',
  'flowUpload',
  'flowJobStatus',
  'flowPublish',
  'queues',
  'consumers',
  'flowExport',
  'flowExportStatus',
  'flowDownload',
  'dataActions',
  'schedules',
  'scheduleGroups',
  'prompts',
  'skills'
] as const

/** A simulated Genesys Cloud operation, as fault injection names it. */
export type SimulatedOperation = (typeof SIMULATED_OPERATIONS)[number]

/**
 * Which requests a fault hits: one operation, or `any` for every simulated Genesys request, the token
 * request included. The `/__sim/*` control endpoints are never faulted.
 */
export type FaultTarget = 'any' | SimulatedOperation

/** Terminal state a deployment reaches by itself. */
export type DeploymentOutcome = 'COMPLETED' | 'FAILED' | 'VALIDATION_ERROR' | 'ROLLBACK_TRIGGERED'

/** Terminal state a rollback reaches. */
export type RollbackOutcome = 'ROLLED_BACK' | 'ROLLBACK_FAILED'

/** HTTP statuses a server-error fault can answer with. */
export type ServerErrorStatus = 500 | 502 | 503 | 504

/** The next `count` matching requests answer 429 with `Retry-After` and a `too.many.requests` body. */
export interface RateLimitFault {
  /** How many requests to refuse; counted from the moment the fault is set. */
  count: number
  /** Value of the `Retry-After` header, in seconds. Default 1. */
  retryAfterSeconds?: number
  /** Which requests it hits. Default `any`. */
  on?: FaultTarget
}

/** The next `count` matching requests answer with a 5xx Genesys error body. */
export interface ServerErrorFault {
  /** How many requests to fail; counted from the moment the fault is set. */
  count: number
  /** HTTP status to answer. Default 503. */
  status?: ServerErrorStatus
  /** Which requests it hits. Default `any`. */
  on?: FaultTarget
}

/** The next `count` matching requests lose their connection: the socket is destroyed without an answer. */
export interface ConnectionResetFault {
  /** How many requests to drop; counted from the moment the fault is set. */
  count: number
  /** Which requests it hits. Default `any`. */
  on?: FaultTarget
}

/**
 * Resource names that already exist in the target environment, by group: `flows`, `queues`, and for the Architect
 * API's look-ups also `dataActions`, `schedules`, `scheduleGroups`, `prompts`, `skills`.
 */
export type ExistingResources = Record<string, string[]>

/** A flow that exists in the org before any flow job runs (Architect API). */
export interface SimulatedFlowSeed {
  /** Flow name, as Archy files name it (`name:` under the type key). */
  name: string
  /** Flow type, in any casing: `inboundCall`, `inboundcall`, `INBOUNDCALL`. */
  type: string
  /** Flow id. Default: a UUID. */
  id?: string
  /**
   * Its published version's Archy YAML, which export jobs return. Default: a minimal document of the flow's type
   * and name. The published version's id is `1.0`.
   */
  yaml?: string
  /** False: the flow exists but was never published (no `publishedVersion`). Default true. */
  published?: boolean
  /** Name of the user holding the flow's lock (`lockedUser`); its flow jobs then fail. Default none. */
  lockedBy?: string
}

/** A resource that uses a flow, as dependency tracking reports it (`Dependency`). */
export interface SimulatedConsumer {
  /** Default: a UUID. */
  id?: string
  name: string
  /** Dependency type: `IVRCONFIGURATION`, `INBOUNDCALLFLOW`, `EMAILROUTE`, … */
  type: string
}

/** The simulated platform's behaviour. Every field has a default (see DEFAULT_SCENARIO). */
export interface Scenario {
  /** Lifetime of issued access tokens (`expires_in`), in seconds. Default 86400; short ones expire mid-poll. */
  tokenLifetimeSeconds: number
  /** Time from the deploy request to the deployment's outcome, on the injected clock, in ms. Default 1000. */
  deployDurationMs: number
  /**
   * Time a deployment stays PENDING before IN_PROGRESS, in ms. Default 20% of deployDurationMs;
   * never longer than deployDurationMs.
   */
  pendingMs?: number
  /**
   * Terminal state a valid deployment reaches after deployDurationMs. Default COMPLETED. A payload that fails
   * validation (missing dependency, no flow slots, injected validationErrors) ends VALIDATION_ERROR whatever
   * this says, as the platform validates again when it deploys.
   */
  outcome: DeploymentOutcome
  /** Text of a failed outcome (`message` / `errorMessage`). Default: a message naming the deployment. */
  failureMessage?: string
  /** Time from the rollback request to the rollback's outcome, in ms. Default 500. */
  rollbackDurationMs: number
  /** Terminal state of a requested rollback. Default ROLLED_BACK. */
  rollbackOutcome: RollbackOutcome
  /** Text of a ROLLBACK_FAILED outcome. Default: a message naming the deployment. */
  rollbackFailureMessage?: string
  /** Warnings every validate call reports (they do not make the bundle invalid). Default none. */
  validationWarnings: string[]
  /** Errors every validate call reports, after the simulator's own checks. Default none. */
  validationErrors: string[]
  /** Flow slots free in the environment; a bundle with more flows is invalid. Default 1000. */
  availableFlowSlots: number
  /** `compatibilityCheck.schemaVersion` of validate answers. Default `1.0`. */
  schemaVersion: string
  /**
   * Resources that exist in the environment, by group. An external dependency (a dependencyMatrix name the
   * bundle does not define) must be listed here; the Architect API's look-ups see them too (queues, data actions,
   * schedules, schedule groups, prompts, skills), and a flow job whose flow transfers to a queue not listed here
   * fails, as Archy's publish does. Replaced as a whole by a patch. Default `{flows: ['base-routing'], queues:
   * ['acme-sales', 'acme-support']}` (the queues examples/architect uses).
   */
  existingResources: ExistingResources
  /**
   * Permissions the OAuth client lacks (`routing:skill:view`, `integrations:action:view`, …): the listings that need
   * one answer 403 `missing.permissions` naming it. Default none.
   */
  missingPermissions: string[]
  /**
   * Architect API: flows in the org before any job runs. Each `existingResources.flows` name also exists, as a
   * published inbound call flow. Replaced as a whole by a patch; setting it (or `existingResources`) again
   * starts the org over from these seeds, forgetting what flow jobs did. Default none.
   */
  architectFlows: SimulatedFlowSeed[]
  /**
   * Architect API: time from a flow file's upload to its job's outcome, on the injected clock, in ms. The job is
   * `Registered` until the upload, `Started` after it. Default 2000.
   */
  flowJobDurationMs: number
  /** Architect API: job durations of particular flows, by flow name (the Archy `name`), in ms. Default none. */
  flowJobDurationsMs: Record<string, number>
  /**
   * Architect API: flow jobs that end `Failure`, by flow name (the Archy `name`), with their `messages[].text`.
   * Other jobs end `Success` and publish a new version. Default none.
   */
  flowJobFailures: Record<string, string[]>
  /** Architect API: time a publish (`POST /api/v2/flows/actions/publish`) takes, in ms. Default 1000. */
  flowPublishDurationMs: number
  /** Architect API: publishes that fail, by flow name, with the operation's `errorMessage`. Default none. */
  flowPublishFailures: Record<string, string>
  /** Architect API: resources that use each flow (dependency tracking), by flow name. Default none. */
  flowConsumers: Record<string, SimulatedConsumer[]>
  /** Architect API: time an export job takes, in ms. Default 500. */
  flowExportDurationMs: number
  /** Architect API: export jobs that end `Failure`, by flow name, with their messages. Default none. */
  flowExportFailures: Record<string, string[]>
  /** 429 fault. Default none. */
  rateLimit?: RateLimitFault
  /** 5xx fault. Default none. */
  serverErrors?: ServerErrorFault
  /** Connection reset fault. Default none. */
  connectionResets?: ConnectionResetFault
  /**
   * Delay before every answer (token included), in real milliseconds, not on the injected clock: it exists
   * to trip client timeouts. The request is processed on arrival, so a deploy that times out on the client
   * still happened. Default 0.
   */
  slowResponseMs: number
  /**
   * Architect API: which endpoints the simulated platform serves. `all` (the default): every route. `documented`:
   * only those the action's design relies on (flow jobs and their upload, the flow listing, publish, queues,
   * dependency tracking, export jobs), as a platform stand-in that implements just those:
   * `GET /api/v2/flows/{flowId}` then answers 404 as an unknown path does.
   */
  architectEndpoints?: 'all' | 'documented'
}

/**
 * A change to a scenario. Fields it names replace the current ones; `null` or `undefined` returns a field
 * to its default (or, in a per-bundle override, to the default scenario's value).
 */
export type ScenarioPatch = { [K in keyof Scenario]?: Scenario[K] | null }

/** Scenario fields that inject request faults; they are armed (their counts restart) whenever set. */
export const FAULT_FIELDS = ['connectionResets', 'rateLimit', 'serverErrors'] as const

/** A scenario field that injects request faults. */
export type FaultField = (typeof FAULT_FIELDS)[number]

/** What the simulator does unless told otherwise: every deployment completes after one second. */
export const DEFAULT_SCENARIO: Readonly<Scenario> = Object.freeze({
  tokenLifetimeSeconds: 86400,
  deployDurationMs: 1000,
  outcome: 'COMPLETED',
  rollbackDurationMs: 500,
  rollbackOutcome: 'ROLLED_BACK',
  validationWarnings: [],
  validationErrors: [],
  availableFlowSlots: 1000,
  schemaVersion: '1.0',
  existingResources: { flows: ['base-routing'], queues: ['acme-sales', 'acme-support'] },
  missingPermissions: [],
  architectFlows: [],
  flowJobDurationMs: 2000,
  flowJobDurationsMs: {},
  flowJobFailures: {},
  flowPublishDurationMs: 1000,
  flowPublishFailures: {},
  flowConsumers: {},
  flowExportDurationMs: 500,
  flowExportFailures: {},
  slowResponseMs: 0
})

/** Share of deployDurationMs spent PENDING when the scenario does not set pendingMs. */
const DEFAULT_PENDING_SHARE = 0.2

/** How long a deployment of this scenario stays PENDING, in ms. */
export function effectivePendingMs(scenario: Scenario): number {
  const pendingMs = scenario.pendingMs ?? scenario.deployDurationMs * DEFAULT_PENDING_SHARE
  return Math.min(pendingMs, scenario.deployDurationMs)
}

/** Applies a patch to stored scenario fields; the result never holds null or undefined values. */
export function mergeScenarioPatch(current: Partial<Scenario>, patch: ScenarioPatch): Partial<Scenario> {
  const merged: Record<string, unknown> = { ...current }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined) delete merged[key]
    else merged[key] = value
  }
  return merged as Partial<Scenario>
}

/** The full scenario for one request: defaults, then the default scenario's fields, then the bundle's override. */
export function resolveScenario(base: Partial<Scenario>, override: Partial<Scenario> = {}): Scenario {
  return { ...DEFAULT_SCENARIO, ...base, ...override }
}

/**
 * The default scenario plus per-bundle overrides, as set so far. Stores patches, not resolved scenarios, so
 * that a later change to the default still reaches bundles whose override does not name that field.
 */
export class ScenarioStore {
  private base: Partial<Scenario> = {}
  private readonly overrides = new Map<string, Partial<Scenario>>()

  /** Patches the default scenario, or the override of `bundleId` when given. */
  apply(patch: ScenarioPatch, bundleId?: string): void {
    if (bundleId === undefined) {
      this.base = mergeScenarioPatch(this.base, patch)
      return
    }
    this.overrides.set(bundleId, mergeScenarioPatch(this.overrides.get(bundleId) ?? {}, patch))
  }

  /** The scenario requests for `bundleId` (or requests without a bundle) see. */
  resolve(bundleId?: string): Scenario {
    return resolveScenario(this.base, bundleId === undefined ? undefined : this.overrides.get(bundleId))
  }

  /**
   * Whose count a fault field of `bundleId`'s scenario uses: the bundle's, when its override sets the field,
   * else the default scenario's (undefined).
   */
  faultScope(field: FaultField, bundleId?: string): string | undefined {
    const override = bundleId === undefined ? undefined : this.overrides.get(bundleId)
    return override?.[field] === undefined ? undefined : bundleId
  }

  /** Forgets overrides and makes `base` the default scenario. */
  reset(base: ScenarioPatch = {}): void {
    this.overrides.clear()
    this.base = mergeScenarioPatch({}, base)
  }
}

// Validation of patches that arrive as JSON (control endpoint, CLI scenario file). `null` clears a field.

const count = z.number().int().nonnegative()
const faultTarget = z.enum(['any', ...SIMULATED_OPERATIONS])
const names = z.array(z.string())

const ScenarioPatchSchema = z.strictObject({
  tokenLifetimeSeconds: z.number().int().positive().nullish(),
  deployDurationMs: z.number().nonnegative().nullish(),
  pendingMs: z.number().nonnegative().nullish(),
  outcome: z.enum(['COMPLETED', 'FAILED', 'VALIDATION_ERROR', 'ROLLBACK_TRIGGERED']).nullish(),
  failureMessage: z.string().nullish(),
  rollbackDurationMs: z.number().nonnegative().nullish(),
  rollbackOutcome: z.enum(['ROLLED_BACK', 'ROLLBACK_FAILED']).nullish(),
  rollbackFailureMessage: z.string().nullish(),
  validationWarnings: names.nullish(),
  validationErrors: names.nullish(),
  availableFlowSlots: count.nullish(),
  schemaVersion: z.string().nullish(),
  existingResources: z.record(z.string(), names).nullish(),
  missingPermissions: names.nullish(),
  architectFlows: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        type: z.string().min(1),
        id: z.string().min(1).optional(),
        yaml: z.string().optional(),
        published: z.boolean().optional(),
        lockedBy: z.string().min(1).optional()
      })
    )
    .nullish(),
  flowJobDurationMs: z.number().nonnegative().nullish(),
  flowJobDurationsMs: z.record(z.string(), z.number().nonnegative()).nullish(),
  flowJobFailures: z.record(z.string(), names).nullish(),
  flowPublishDurationMs: z.number().nonnegative().nullish(),
  flowPublishFailures: z.record(z.string(), z.string()).nullish(),
  flowConsumers: z
    .record(z.string(), z.array(z.strictObject({ id: z.string().min(1).optional(), name: z.string().min(1), type: z.string().min(1) })))
    .nullish(),
  flowExportDurationMs: z.number().nonnegative().nullish(),
  flowExportFailures: z.record(z.string(), names).nullish(),
  architectEndpoints: z.enum(['all', 'documented']).nullish(),
  rateLimit: z.strictObject({ count, retryAfterSeconds: count.optional(), on: faultTarget.optional() }).nullish(),
  serverErrors: z
    .strictObject({
      count,
      status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).optional(),
      on: faultTarget.optional()
    })
    .nullish(),
  connectionResets: z.strictObject({ count, on: faultTarget.optional() }).nullish(),
  slowResponseMs: z.number().nonnegative().nullish()
})

/**
 * Checks a scenario patch read from JSON. Throws one error listing every problem, each with its field path,
 * prefixed by `where` (`scenario`, the file name).
 */
export function parseScenarioPatch(input: unknown, where: string): ScenarioPatch {
  const result = ScenarioPatchSchema.safeParse(input)
  if (result.success) return result.data satisfies ScenarioPatch
  const problems = result.error.issues.map(issue => {
    const path = [where, ...issue.path.map(String)].join('.')
    return `${path}: ${issue.message}`
  })
  throw new Error(
    `Invalid scenario (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}. ` +
      'See the Scenario fields in simulator/scenario.ts.'
  )
}
