/**
 * Rolling back an architect deployment: every flow the run changed gets its previous published version published
 * again (`POST /api/v2/flows/actions/publish`), one at a time, latest first. A publish answer that says the publish
 * has ended settles the flow at once; otherwise the flow is followed on its own poll schedule (`GET /api/v2/flows/{id}`,
 * or the documented look-up `GET /api/v2/flows?name=&type=` where that endpoint is missing) until its
 * `currentOperation` or its published version says the publish succeeded or failed. Flows that did not exist before
 * (or had no published version) cannot be put back that way: they are left in place and named, never deleted.
 *
 * Every request's effect is recorded as soon as it succeeds, so a step that fails on a temporary error (thrown for
 * the deploy runner to wait and call again) resumes where it stopped.
 */
import type { PollTimers } from '../deploy/poll-schedule.js'
import { describeError } from '../error-message.js'
import { platformFlowType, type ArchyFlow } from './architect-flows.js'
import { MAX_STEP_TRIES, type ArchitectRequests, type PlatformFlow, type PlatformOperation } from './architect-requests.js'
import type { DeploymentState } from './driver.js'
import { GenesysApiError, isRefusal, isWorthRetryingLater } from './genesys-api-error.js'

/** What a flow was on the platform before this run: the version a rollback publishes again. */
export interface PreviousFlowVersion {
  /** Key under `targetConfig.flows`. */
  flow: string
  /** Platform name of the flow. */
  name: string
  /** Archy flow type (`inboundCall`). */
  type: string
  /** The flow's id, when it existed before the run. */
  flowId?: string
  /** Its published version before the run; absent when it did not exist or was never published. */
  versionId?: string
}

/** A flow this run changed (or may have), as the rollback sees it. */
export interface ChangedFlow {
  flow: ArchyFlow
  previous?: PreviousFlowVersion
  /** The flow the run's job created or updated, when its job said. */
  flowId?: string
  /** True when its job ran but its outcome could not be read. */
  outcomeUnknown: boolean
}

/** Where putting one flow back stands. */
type RestoreProgress =
  { phase: 'pending' } | { phase: 'publishing'; operationId?: string; attempt: number } | { phase: 'restored' } | { phase: 'failed'; reason: string }

interface RestoreEntry {
  flow: ArchyFlow
  flowId: string
  versionId: string
  progress: RestoreProgress
  /** Publishes of the previous version asked for so far. */
  attempts: number
  /** Publish requests that failed on a temporary error (a 5xx, a reset): tried again up to MAX_STEP_TRIES in all. */
  failedRequests: number
}

/**
 * Publishes of one previous version asked for at most. More than one only when another publish replaced the restore
 * (a flow job whose outcome was lost, still running when the rollback began, publishing after it).
 */
const MAX_REPUBLISHES = 3

/** A flow this run changed that has no previous version to publish again. */
interface LeftInPlace {
  flow: ArchyFlow
  flowId?: string
  /** Why it stays: new, never published before, or possibly created by a job whose outcome is unknown. */
  why: string
}

/** What the rollback needs to act. */
export interface RollbackContext {
  deploymentId: string
  requests: ArchitectRequests
  log: (message: string) => void
  /** Each republish is followed on its own schedule (`restore:<flow key>`). */
  timers: PollTimers
}

/** How one flow came out of the rollback, for the report. */
export type FlowRestoreOutcome = 'restored' | 'restore failed' | 'left in place'

/** The rollback of one deployment, planned once no flow job runs any more. */
export class ArchitectRollback {
  private readonly entries: RestoreEntry[] = []
  private readonly leftInPlace: LeftInPlace[] = []
  /** False once `GET /api/v2/flows/{id}` proved missing (see isMissingEndpoint): the listing is asked instead. */
  private flowReadById = true

  /** `changed`: the flows this run changed, latest first. */
  constructor(
    changed: readonly ChangedFlow[],
    private readonly context: RollbackContext
  ) {
    for (const { flow, previous, flowId, outcomeUnknown } of changed) {
      if (previous?.flowId !== undefined && previous.versionId !== undefined) {
        this.entries.push({ flow, flowId: previous.flowId, versionId: previous.versionId, progress: { phase: 'pending' }, attempts: 0, failedRequests: 0 })
      } else if (previous?.flowId !== undefined) {
        this.leftInPlace.push({ flow, flowId: previous.flowId, why: 'it had no published version before this run' })
      } else {
        const why = outcomeUnknown ? 'it did not exist before this run and its job may have created it' : 'it did not exist before this run'
        this.leftInPlace.push({ flow, ...(flowId === undefined ? {} : { flowId }), why })
      }
    }
    this.logPlan()
  }

  /**
   * One step: puts the changed flows back one at a time, moving on to the next as soon as one is settled; a publish
   * still running is read again only when its schedule says it is due.
   */
  async step(): Promise<void> {
    for (const entry of this.entries) {
      if (entry.progress.phase === 'publishing' && this.context.timers.isDue(timerKey(entry))) await this.checkRepublish(entry)
      if (entry.progress.phase === 'pending') await this.republish(entry)
      // Reverse order matters: the next flow waits until this one is settled.
      if (entry.progress.phase === 'publishing') return
    }
  }

  /** The rollback's state: in progress while a flow is still to put back, then rolled back or failed. */
  get state(): DeploymentState {
    if (this.entries.some(entry => entry.progress.phase === 'pending' || entry.progress.phase === 'publishing')) return 'ROLLBACK_IN_PROGRESS'
    return this.entries.some(entry => entry.progress.phase === 'failed') ? 'ROLLBACK_FAILED' : 'ROLLED_BACK'
  }

  /** Milliseconds until the publish being followed is due, if one is. */
  nextDueInMs(): number | undefined {
    return this.context.timers.nextDueInMs(this.entries.filter(entry => entry.progress.phase === 'publishing').map(timerKey))
  }

  /** How the flow of `key` came out, when the rollback concerned it. */
  outcomeOf(key: string): FlowRestoreOutcome | undefined {
    if (this.leftInPlace.some(left => left.flow.key === key)) return 'left in place'
    const phase = this.entries.find(entry => entry.flow.key === key)?.progress.phase
    if (phase === 'restored') return 'restored'
    return phase === 'failed' ? 'restore failed' : undefined
  }

  /** "could not restore: …; restored the previous published version of: …; left in place …". */
  detail(): string {
    const restored = this.entries.filter(entry => entry.progress.phase === 'restored').map(entry => `${entry.flow.key} (version ${entry.versionId})`)
    const failed = this.entries.flatMap(entry =>
      entry.progress.phase === 'failed' ? [`${entry.flow.key} (version ${entry.versionId}: ${entry.progress.reason})`] : []
    )
    const pending = this.entries.filter(entry => entry.progress.phase === 'pending' || entry.progress.phase === 'publishing').map(entry => entry.flow.key)
    const parts = [
      ...(failed.length > 0 ? [`could not restore: ${failed.join(', ')}`] : []),
      ...(restored.length > 0 ? [`restored the previous published version of: ${restored.join(', ')}`] : []),
      ...(pending.length > 0 ? [`still to restore: ${pending.join(', ')}`] : []),
      ...(this.leftInPlace.length > 0
        ? [`left in place (not deleted; delete them in Architect if they must go): ${this.leftInPlace.map(describeLeftInPlace).join(', ')}`]
        : [])
    ]
    return parts.length > 0 ? parts.join('; ') : 'no flow was changed, so there was nothing to restore'
  }

  private logPlan(): void {
    const restoring = this.entries.map(entry => `${entry.flow.key} (version ${entry.versionId})`)
    const steps = restoring.length > 0 ? `publishing again, in this order: ${restoring.join(', ')}` : 'no flow has a previous version to publish again'
    const leftInPlace = this.leftInPlace.length > 0 ? `; left in place: ${this.leftInPlace.map(describeLeftInPlace).join(', ')}` : ''
    this.context.log(`Rollback of ${this.context.deploymentId}: ${steps}${leftInPlace}`)
  }

  private async republish(entry: RestoreEntry): Promise<void> {
    let operation: PlatformOperation
    try {
      operation = await this.context.requests.publishFlowVersion(entry.flowId, entry.versionId)
    } catch (error) {
      if (isWorthRetryingLater(error) && ++entry.failedRequests < MAX_STEP_TRIES) throw error
      const tries = entry.failedRequests > 1 ? ` ${entry.failedRequests} times` : ''
      this.restoreFailed(entry, `the publish request failed${tries}: ${describeError(error)}`)
      return
    }
    entry.attempts++
    this.context.log(`Rollback: publishing version ${entry.versionId} of flow ${describeFlow(entry.flow)} again`)
    // The publish answer may already say how it ended: then there is nothing to follow.
    const settled = settledOperation(operation)
    if (settled !== undefined) return this.settleRestore(entry, settled)
    entry.progress = { phase: 'publishing', attempt: entry.attempts, ...(operation.id === undefined ? {} : { operationId: operation.id }) }
    this.context.timers.start(timerKey(entry))
  }

  private async checkRepublish(entry: RestoreEntry): Promise<void> {
    if (entry.progress.phase !== 'publishing') return
    const flow = await this.readRestoringFlow(entry)
    if (flow === undefined) return
    this.settleRestore(entry, publishOutcome(flow, entry.versionId, entry.progress.operationId), flow)
    if (entry.progress.phase === 'publishing') this.context.timers.polled(timerKey(entry))
  }

  private settleRestore(entry: RestoreEntry, outcome: PublishOutcome, flow?: PlatformFlow): void {
    if (outcome.kind === 'superseded') {
      const now = flow?.publishedVersionId === undefined ? 'no published version' : `version ${flow.publishedVersionId}`
      if (entry.attempts < MAX_REPUBLISHES) {
        this.context.log(
          `Rollback: another publish replaced the restore of flow ${describeFlow(entry.flow)} (it is at ${now}); publishing version ${entry.versionId} once more`
        )
        entry.progress = { phase: 'pending' }
        this.context.timers.stop(timerKey(entry))
        return
      }
      this.restoreFailed(
        entry,
        `another publish replaced the restore ${entry.attempts} times (the flow is at ${now}): publish version ${entry.versionId} in Architect once nothing else publishes the flow`
      )
    } else if (outcome.kind === 'done') {
      entry.progress = { phase: 'restored' }
      this.context.timers.stop(timerKey(entry))
      this.context.log(`Rollback: flow ${describeFlow(entry.flow)} is back at version ${entry.versionId}`)
    } else if (outcome.kind === 'failed') {
      this.restoreFailed(entry, outcome.reason)
    }
  }

  /**
   * The flow being put back, to follow its publish: by id while the platform serves `GET /api/v2/flows/{id}`,
   * else from the flow listing by name and type. Undefined (with the restore failed) when it cannot be read.
   */
  private async readRestoringFlow(entry: RestoreEntry): Promise<PlatformFlow | undefined> {
    if (this.flowReadById) {
      try {
        return await this.context.requests.readFlow(entry.flowId)
      } catch (error) {
        if (isWorthRetryingLater(error)) throw error
        if (!isMissingEndpoint(error)) {
          this.restoreFailed(entry, `the flow could not be read to follow the publish (${describeError(error)})`)
          return undefined
        }
        // Not one of the endpoints every platform offers; the listing is, and carries the same fields.
        this.flowReadById = false
        this.context.log(
          `Rollback: GET /api/v2/flows/${entry.flowId} answered HTTP ${error.status}; following publishes through ` + 'GET /api/v2/flows?name=&type= instead'
        )
      }
    }
    return this.findRestoringFlow(entry)
  }

  private async findRestoringFlow(entry: RestoreEntry): Promise<PlatformFlow | undefined> {
    const type = platformFlowType(entry.flow.archyType)
    try {
      const found = (await this.context.requests.findFlows(entry.flow.name, type)).find(flow => flow.id === entry.flowId)
      if (found !== undefined) return found
      this.restoreFailed(
        entry,
        `flow ${entry.flowId} is no longer listed by GET /api/v2/flows?name=${entry.flow.name}&type=${type}, so its publish cannot be ` +
          'followed: check in Architect that the flow still exists and which version is published'
      )
    } catch (error) {
      if (isWorthRetryingLater(error)) throw error
      this.restoreFailed(entry, `the flow listing could not be read to follow the publish (${describeError(error)})`)
    }
    return undefined
  }

  private restoreFailed(entry: RestoreEntry, reason: string): void {
    entry.progress = { phase: 'failed', reason }
    this.context.timers.stop(timerKey(entry))
    this.context.log(`Rollback: flow ${describeFlow(entry.flow)} could not be put back at version ${entry.versionId}: ${reason}`)
  }
}

function timerKey(entry: RestoreEntry): string {
  return `restore:${entry.flow.key}`
}

/** How a republish stands; `superseded`: another publish ended after it, and the flow is not at the restored version. */
type PublishOutcome = { kind: 'done' } | { kind: 'running' } | { kind: 'superseded' } | { kind: 'failed'; reason: string }

/** `Operation` statuses that mean it failed: the SDK's `FAILURE`, and spellings a platform stand-in may use. */
const FAILED_OPERATION_STATUSES: readonly string[] = ['FAILURE', 'FAILED', 'ERROR']

/**
 * How an `Operation` ended, or undefined while it runs: a failure status (or a complete one carrying an error
 * and no `SUCCESS`) failed; `SUCCESS`, or complete without an error, succeeded.
 */
function settledOperation(operation: PlatformOperation): Extract<PublishOutcome, { kind: 'done' | 'failed' }> | undefined {
  const status = operation.actionStatus
  const failed = status !== undefined && FAILED_OPERATION_STATUSES.includes(status)
  if (failed || (operation.complete === true && status !== 'SUCCESS' && operation.errorMessage !== undefined)) {
    return { kind: 'failed', reason: `the publish failed: ${operation.errorMessage ?? 'the platform gave no reason'}` }
  }
  if (status === 'SUCCESS' || operation.complete === true) return { kind: 'done' }
  return undefined
}

/**
 * How a republish stands, from the flow. Its `currentOperation` decides once it is ours (same id as the publish
 * answer); one with another id (the flow job's own publish, say) is not, and only the published version can say
 * the republish is done. When the ids cannot be compared (one is missing), the operation is taken as ours. Another
 * publish that ended successfully while the flow is not at the restored version replaced the restore: superseded.
 */
function publishOutcome(flow: PlatformFlow, versionId: string, operationId: string | undefined): PublishOutcome {
  const operation = flow.currentOperation
  const ownership = operationOwnership(operation, operationId)
  const settled = operation === undefined ? undefined : settledOperation(operation)
  if (ownership === 'ours') return settled ?? { kind: 'running' }
  if (flow.publishedVersionId === versionId) return { kind: 'done' }
  if (ownership === 'unknown' && settled !== undefined) return settled
  if (ownership === 'other' && operation?.actionName === 'PUBLISH' && settled?.kind === 'done') return { kind: 'superseded' }
  return { kind: 'running' }
}

/** Whether the flow's current operation is the republish this run asked for. */
function operationOwnership(operation: PlatformOperation | undefined, operationId: string | undefined): 'ours' | 'other' | 'unknown' | 'none' {
  if (operation === undefined) return 'none'
  if (operation.actionName !== undefined && operation.actionName !== 'PUBLISH') return 'other'
  if (operation.id === undefined || operationId === undefined) return 'unknown'
  return operation.id === operationId ? 'ours' : 'other'
}

/**
 * The platform does not serve a flow by id (an endpoint the design does not rely on): 501, an answer that is not a
 * flow, or any refusal but refused credentials. The documented flow listing is asked instead.
 */
function isMissingEndpoint(error: unknown): error is GenesysApiError {
  if (!(error instanceof GenesysApiError)) return false
  if (error.kind === 'invalid-response' || error.status === 501) return true
  return isRefusal(error) && error.status !== 401 && error.status !== 403
}

/** `` `main-menu` ("Acme Main Menu") ``. */
export function describeFlow(flow: ArchyFlow): string {
  return `\`${flow.key}\` ("${flow.name}")`
}

function describeLeftInPlace(left: LeftInPlace): string {
  return `${left.flow.key}${left.flowId ? ` (flow ${left.flowId})` : ''}: ${left.why}`
}
