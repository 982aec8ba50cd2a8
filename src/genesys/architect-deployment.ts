/**
 * One multi-flow deployment through Architect flow jobs, and its rollback, advanced one step per call so that
 * the deploy state machine (deploy/deploy-runner.ts) does the waiting between steps.
 *
 * Deploying: each flow is registered (`POST /api/v2/flows/jobs`), its YAML uploaded to the presigned URL and
 * its job polled until `Success` / `Failure`. Flows go in deploy order, one job at a time unless the context
 * allows more (`maxParallelJobs`); a flow never starts before the bundle flows it references are published.
 * After a failure no flow starts, the ones running are followed to their end (so the rollback knows what
 * changed), and the deployment reports FAILED.
 *
 * Rolling back: every flow this run changed gets its previous published version published again
 * (`POST /api/v2/flows/actions/publish`), one at a time in reverse deploy order. A publish answer that says the
 * publish has ended settles the flow at once; otherwise the flow is followed (`GET /api/v2/flows/{id}`, or the
 * documented look-up `GET /api/v2/flows?name=&type=` where that endpoint is missing) until its
 * `currentOperation` or its published version says the publish succeeded or failed. Flows that did not exist
 * before (or had no published version) cannot be put back that way: they are left in place and named in the
 * report, never deleted.
 *
 * Every request's effect is recorded as soon as it succeeds, so a step that fails on a temporary error (thrown
 * for the deploy runner to wait and call again) resumes where it stopped.
 */
import type { DeploymentObservation, DeploymentState } from './driver.js'
import { platformFlowType, type ArchyFlow, type FlowDeploymentOrder } from './architect-flows.js'
import type { ArchitectRequests, FlowJobRegistration, PlatformFlow, PlatformOperation } from './architect-requests.js'
import type { PresignedTransfer } from './http-client.js'
import { GenesysApiError, isRefusal, isWorthRetryingLater } from './genesys-api-error.js'
import { describeError } from '../error-message.js'

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

/** What the deployment needs to act. */
export interface ArchitectDeploymentContext {
  requests: ArchitectRequests
  transfer: Pick<PresignedTransfer, 'uploadToPresignedUrl'>
  log: (message: string) => void
  /** Flow jobs running at once at most: 1 deploys the flows strictly one after the other, in deploy order. */
  maxParallelJobs: number
}

/** Where one flow's deployment stands. */
type FlowProgress =
  | { phase: 'waiting' }
  /** Registered, file not uploaded yet (the upload failed on a temporary error and is tried again). */
  | { phase: 'registered'; job: FlowJobRegistration }
  /** File uploaded: the job runs on the platform. */
  | { phase: 'running'; jobId: string; status: 'Registered' | 'Started' }
  | { phase: 'published'; jobId: string; flowId?: string }
  /** `mayHaveChanged`: the job ran but its outcome could not be read, so the flow may have been published. */
  | { phase: 'failed'; jobId?: string; reason: string; mayHaveChanged: boolean }
  /** Never started (or never uploaded) because another flow failed first. */
  | { phase: 'skipped' }

/** Where putting one flow back stands. */
type RestoreProgress =
  | { phase: 'pending' }
  | { phase: 'publishing'; operationId?: string }
  | { phase: 'restored' }
  | { phase: 'failed'; reason: string }

interface RestoreEntry {
  flow: ArchyFlow
  flowId: string
  versionId: string
  progress: RestoreProgress
}

/** A flow this run changed that has no previous version to publish again. */
interface LeftInPlace {
  flow: ArchyFlow
  flowId?: string
  /** Why it stays: new, never published before, or possibly created by a job whose outcome is unknown. */
  why: string
}

/** The rollback's plan, made once no flow job is running any more. */
interface RollbackPlan {
  entries: RestoreEntry[]
  leftInPlace: LeftInPlace[]
}

/** One deployment: created by the driver's deploy(), advanced by its getStatus(), reversed by its rollback(). */
export class ArchitectDeployment {
  private readonly progress = new Map<string, FlowProgress>()
  private readonly flowsByKey: Map<string, ArchyFlow>
  private readonly previousByKey: Map<string, PreviousFlowVersion>
  private rollingBack = false
  private rollbackPlan: RollbackPlan | undefined
  /** False once `GET /api/v2/flows/{id}` proved missing (see isMissingEndpoint): the listing is asked instead. */
  private flowReadById = true

  constructor(
    readonly id: string,
    flows: readonly ArchyFlow[],
    private readonly plan: FlowDeploymentOrder,
    previous: readonly PreviousFlowVersion[],
    private readonly context: ArchitectDeploymentContext
  ) {
    this.flowsByKey = new Map(flows.map(flow => [flow.key, flow]))
    this.previousByKey = new Map(previous.map(version => [version.flow, version]))
    for (const flow of flows) this.progress.set(flow.key, { phase: 'waiting' })
  }

  /** What each flow was before the run, in deploy order. */
  previousVersions(): PreviousFlowVersion[] {
    return this.plan.order.flatMap(key => {
      const version = this.previousByKey.get(key)
      return version ? [{ ...version }] : []
    })
  }

  /** One step of the deployment, or of its rollback once one was asked for. Throws only temporary failures. */
  async advance(): Promise<DeploymentObservation> {
    return this.rollingBack ? this.advanceRollback() : this.advanceDeployment()
  }

  /**
   * Starts the rollback: no flow starts any more; running jobs are followed to their end first. Asking again
   * while it runs changes nothing.
   */
  async startRollback(): Promise<DeploymentObservation> {
    this.rollingBack = true
    try {
      await this.stepRollback()
    } catch (error) {
      // The rollback has started: a temporary failure of its first step is tried again on the next poll.
      if (!isWorthRetryingLater(error)) throw error
      this.context.log(`Rollback of ${this.id}: ${describeError(error)}; trying again on the next poll`)
    }
    return { id: this.id, state: 'ROLLBACK_IN_PROGRESS' }
  }

  // -------------------------------------------------------------------------------------------------------
  // Deploying

  private async advanceDeployment(): Promise<DeploymentObservation> {
    const temporary = await this.settle(this.flowsInFlight().map(key => this.stepFlow(key)))
    if (!this.anyFailed()) {
      const starting = this.flowsReadyToStart()
      temporary.push(...(await this.settle(starting.map(key => this.startFlow(key)))))
    }
    if (temporary.length > 0) throw temporary[0]
    return this.deploymentObservation()
  }

  /** Runs steps side by side; each records its own effect. Returns the temporary failures, throws any other. */
  private async settle(steps: Promise<void>[]): Promise<unknown[]> {
    const outcomes = await Promise.allSettled(steps)
    const failures = outcomes.flatMap(outcome => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []))
    const permanent = failures.find(error => !isWorthRetryingLater(error))
    if (permanent !== undefined) throw permanent
    return failures
  }

  /** Flows whose job is registered or running. */
  private flowsInFlight(): string[] {
    return this.plan.order.filter(key => {
      const phase = this.progress.get(key)?.phase
      return phase === 'registered' || phase === 'running'
    })
  }

  /** Waiting flows whose references are published, in deploy order, as many as the parallel limit allows. */
  private flowsReadyToStart(): string[] {
    const room = this.context.maxParallelJobs - this.flowsInFlight().length
    if (room <= 0) return []
    return this.plan.order
      .filter(key => this.progress.get(key)?.phase === 'waiting')
      .filter(key => (this.plan.waitsFor[key] ?? []).every(dependency => this.progress.get(dependency)?.phase === 'published'))
      .slice(0, room)
  }

  private anyFailed(): boolean {
    return [...this.progress.values()].some(progress => progress.phase === 'failed')
  }

  /** Registers the flow's job and uploads its file right away: a presigned URL does not live long. */
  private async startFlow(key: string): Promise<void> {
    const flow = this.flow(key)
    let job: FlowJobRegistration
    try {
      job = await this.context.requests.registerFlowJob()
    } catch (error) {
      if (isWorthRetryingLater(error)) throw error
      this.fail(key, { reason: `registering its flow job failed: ${describeError(error)}`, mayHaveChanged: false })
      return
    }
    this.progress.set(key, { phase: 'registered', job })
    this.context.log(`Flow ${describeFlow(flow)}: flow job ${job.id} registered`)
    await this.upload(key, job)
  }

  private async stepFlow(key: string): Promise<void> {
    const progress = this.progress.get(key)
    if (progress?.phase === 'registered') {
      // A registered job runs only once its file is uploaded: after a failure elsewhere, it is simply not uploaded.
      if (this.anyFailed() || this.rollingBack) this.progress.set(key, { phase: 'skipped' })
      else await this.upload(key, progress.job)
    } else if (progress?.phase === 'running') {
      await this.pollJob(key, progress.jobId)
    }
  }

  private async upload(key: string, job: FlowJobRegistration): Promise<void> {
    const flow = this.flow(key)
    try {
      await this.context.transfer.uploadToPresignedUrl(job.presignedUrl, flow.yaml, job.headers)
    } catch (error) {
      if (isWorthRetryingLater(error)) throw error
      this.fail(key, { jobId: job.id, reason: `uploading ${flow.file} to flow job ${job.id} failed: ${describeError(error)}`, mayHaveChanged: false })
      return
    }
    this.progress.set(key, { phase: 'running', jobId: job.id, status: 'Registered' })
    this.context.log(`Flow ${describeFlow(flow)}: ${flow.file} uploaded to flow job ${job.id}`)
  }

  private async pollJob(key: string, jobId: string): Promise<void> {
    const flow = this.flow(key)
    try {
      const job = await this.context.requests.readFlowJob(jobId)
      if (job.status === 'Success') {
        this.progress.set(key, { phase: 'published', jobId, ...(job.flowId === undefined ? {} : { flowId: job.flowId }) })
        this.context.log(`Flow ${describeFlow(flow)}: flow job ${jobId} succeeded${job.flowId ? ` (flow ${job.flowId})` : ''}`)
      } else if (job.status === 'Failure') {
        const messages = job.messages.length > 0 ? job.messages.join('; ') : 'the platform gave no reason'
        this.fail(key, { jobId, reason: `flow job ${jobId} failed: ${messages}`, mayHaveChanged: false })
      } else {
        const previous = this.progress.get(key)
        if (previous?.phase === 'running' && previous.status !== job.status) {
          this.context.log(`Flow ${describeFlow(flow)}: flow job ${jobId} ${job.status}`)
        }
        this.progress.set(key, { phase: 'running', jobId, status: job.status })
      }
    } catch (error) {
      if (isWorthRetryingLater(error)) throw error
      this.fail(key, {
        jobId,
        reason: `the status of flow job ${jobId} could not be read (${describeError(error)}), so the flow may or may not have been published`,
        mayHaveChanged: true
      })
    }
  }

  private fail(key: string, failure: { jobId?: string; reason: string; mayHaveChanged: boolean }): void {
    this.progress.set(key, { phase: 'failed', ...failure })
    this.context.log(`Flow ${describeFlow(this.flow(key))}: ${failure.reason}`)
  }

  private deploymentObservation(): DeploymentObservation {
    const phases = this.plan.order.map(key => this.progress.get(key)?.phase)
    if (phases.every(phase => phase === 'published')) {
      const names = this.plan.order.map(key => this.flow(key).name).join(', ')
      return { id: this.id, state: 'COMPLETED', detail: `published ${this.plan.order.length} flow(s): ${names}` }
    }
    if (this.anyFailed() && this.flowsInFlight().length === 0) {
      for (const key of this.plan.order) if (this.progress.get(key)?.phase === 'waiting') this.progress.set(key, { phase: 'skipped' })
      return { id: this.id, state: 'FAILED', detail: this.failureDetail() }
    }
    return { id: this.id, state: 'IN_PROGRESS', detail: this.progressDetail() }
  }

  /** "flow `main-menu` ("Acme Main Menu"): flow job … failed: …; published before the failure: …; not started: …". */
  private failureDetail(): string {
    const failed = this.keysIn('failed').map(key => {
      const progress = this.progress.get(key) as Extract<FlowProgress, { phase: 'failed' }>
      return `flow ${describeFlow(this.flow(key))}: ${progress.reason}`
    })
    const published = this.keysIn('published')
    const skipped = this.keysIn('skipped')
    return [
      ...failed,
      ...(published.length > 0 ? [`published before the failure: ${published.join(', ')}`] : []),
      ...(skipped.length > 0 ? [`not deployed: ${skipped.join(', ')}`] : [])
    ].join('; ')
  }

  private progressDetail(): string {
    const published = this.keysIn('published').length
    const running = this.flowsInFlight().map(key => {
      const progress = this.progress.get(key)
      return `${key} (${progress?.phase === 'running' ? progress.status : 'uploading'})`
    })
    return `${published} of ${this.plan.order.length} flow(s) published${running.length > 0 ? `; running: ${running.join(', ')}` : ''}`
  }

  // -------------------------------------------------------------------------------------------------------
  // Rolling back

  private async advanceRollback(): Promise<DeploymentObservation> {
    await this.stepRollback()
    const plan = this.rollbackPlan
    if (plan === undefined || plan.entries.some(entry => entry.progress.phase === 'pending' || entry.progress.phase === 'publishing')) {
      return { id: this.id, state: 'ROLLBACK_IN_PROGRESS', ...(plan ? { detail: this.rollbackDetail(plan) } : {}) }
    }
    const state: DeploymentState = plan.entries.some(entry => entry.progress.phase === 'failed') ? 'ROLLBACK_FAILED' : 'ROLLED_BACK'
    return { id: this.id, state, detail: this.rollbackDetail(plan) }
  }

  /**
   * One step of the rollback: first let running jobs end (their flows may change), then put the changed flows
   * back one at a time, moving on to the next as soon as one is settled.
   */
  private async stepRollback(): Promise<void> {
    if (this.rollbackPlan === undefined) {
      const temporary = await this.settle(this.flowsInFlight().map(key => this.stepFlow(key)))
      if (temporary.length > 0) throw temporary[0]
      if (this.flowsInFlight().length > 0) return
      this.rollbackPlan = this.planRollback()
      this.logRollbackPlan(this.rollbackPlan)
    }
    for (const entry of this.rollbackPlan.entries) {
      if (entry.progress.phase === 'pending') await this.republish(entry)
      if (entry.progress.phase === 'publishing') await this.checkRepublish(entry)
      // Reverse order matters: the next flow waits until this one is settled.
      if (entry.progress.phase === 'publishing') return
    }
  }

  /** The flows this run changed (or may have), latest first, split into those with a version to restore and the rest. */
  private planRollback(): RollbackPlan {
    const changed = [...this.plan.order].reverse().filter(key => {
      const progress = this.progress.get(key)
      return progress?.phase === 'published' || (progress?.phase === 'failed' && progress.mayHaveChanged)
    })
    const plan: RollbackPlan = { entries: [], leftInPlace: [] }
    for (const key of changed) {
      const flow = this.flow(key)
      const previous = this.previousByKey.get(key)
      const progress = this.progress.get(key)
      const createdId = progress?.phase === 'published' ? progress.flowId : undefined
      if (previous?.flowId !== undefined && previous.versionId !== undefined) {
        plan.entries.push({ flow, flowId: previous.flowId, versionId: previous.versionId, progress: { phase: 'pending' } })
      } else if (previous?.flowId !== undefined) {
        plan.leftInPlace.push({ flow, flowId: previous.flowId, why: 'it had no published version before this run' })
      } else {
        const why =
          progress?.phase === 'published'
            ? 'it did not exist before this run'
            : 'it did not exist before this run and its job may have created it'
        plan.leftInPlace.push({ flow, ...(createdId === undefined ? {} : { flowId: createdId }), why })
      }
    }
    return plan
  }

  private logRollbackPlan(plan: RollbackPlan): void {
    const restoring = plan.entries.map(entry => `${entry.flow.key} (version ${entry.versionId})`)
    const steps =
      restoring.length > 0
        ? `publishing again, in this order: ${restoring.join(', ')}`
        : 'no flow has a previous version to publish again'
    const leftInPlace = plan.leftInPlace.length > 0 ? `; left in place: ${plan.leftInPlace.map(describeLeftInPlace).join(', ')}` : ''
    this.context.log(`Rollback of ${this.id}: ${steps}${leftInPlace}`)
  }

  private async republish(entry: RestoreEntry): Promise<void> {
    let operation: PlatformOperation
    try {
      operation = await this.context.requests.publishFlowVersion(entry.flowId, entry.versionId)
    } catch (error) {
      if (isWorthRetryingLater(error)) throw error
      this.restoreFailed(entry, `the publish request failed: ${describeError(error)}`)
      return
    }
    this.context.log(`Rollback: publishing version ${entry.versionId} of flow ${describeFlow(entry.flow)} again`)
    // The publish answer may already say how it ended: then there is nothing to follow.
    const settled = settledOperation(operation)
    if (settled === undefined) entry.progress = { phase: 'publishing', ...(operation.id === undefined ? {} : { operationId: operation.id }) }
    else this.settleRestore(entry, settled)
  }

  private async checkRepublish(entry: RestoreEntry): Promise<void> {
    if (entry.progress.phase !== 'publishing') return
    const flow = await this.readRestoringFlow(entry)
    if (flow !== undefined) this.settleRestore(entry, publishOutcome(flow, entry.versionId, entry.progress.operationId))
  }

  private settleRestore(entry: RestoreEntry, outcome: PublishOutcome): void {
    if (outcome.kind === 'done') {
      entry.progress = { phase: 'restored' }
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
          `Rollback: GET /api/v2/flows/${entry.flowId} answered HTTP ${error.status}; following publishes through ` +
            'GET /api/v2/flows?name=&type= instead'
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
    this.context.log(`Rollback: flow ${describeFlow(entry.flow)} could not be put back at version ${entry.versionId}: ${reason}`)
  }

  private rollbackDetail(plan: RollbackPlan): string {
    const restored = plan.entries.filter(entry => entry.progress.phase === 'restored').map(entry => `${entry.flow.key} (version ${entry.versionId})`)
    const failed = plan.entries.flatMap(entry =>
      entry.progress.phase === 'failed' ? [`${entry.flow.key} (version ${entry.versionId}: ${entry.progress.reason})`] : []
    )
    const pending = plan.entries
      .filter(entry => entry.progress.phase === 'pending' || entry.progress.phase === 'publishing')
      .map(entry => entry.flow.key)
    const parts = [
      ...(failed.length > 0 ? [`could not restore: ${failed.join(', ')}`] : []),
      ...(restored.length > 0 ? [`restored the previous published version of: ${restored.join(', ')}`] : []),
      ...(pending.length > 0 ? [`still to restore: ${pending.join(', ')}`] : []),
      ...(plan.leftInPlace.length > 0
        ? [`left in place (not deleted; delete them in Architect if they must go): ${plan.leftInPlace.map(describeLeftInPlace).join(', ')}`]
        : [])
    ]
    return parts.length > 0 ? parts.join('; ') : 'no flow was changed, so there was nothing to restore'
  }

  // -------------------------------------------------------------------------------------------------------

  private keysIn(phase: FlowProgress['phase']): string[] {
    return this.plan.order.filter(key => this.progress.get(key)?.phase === phase)
  }

  private flow(key: string): ArchyFlow {
    const flow = this.flowsByKey.get(key)
    if (!flow) throw new Error(`Deployment ${this.id} has no flow \`${key}\`.`)
    return flow
  }
}

/** How a republish stands. */
type PublishOutcome = { kind: 'done' } | { kind: 'running' } | { kind: 'failed'; reason: string }

/** `Operation` statuses that mean it failed: the SDK's `FAILURE`, and spellings a platform stand-in may use. */
const FAILED_OPERATION_STATUSES: readonly string[] = ['FAILURE', 'FAILED', 'ERROR']

/**
 * How an `Operation` ended, or undefined while it runs: a failure status (or a complete one carrying an error
 * and no `SUCCESS`) failed; `SUCCESS`, or complete without an error, succeeded.
 */
function settledOperation(operation: PlatformOperation): Exclude<PublishOutcome, { kind: 'running' }> | undefined {
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
 * the republish is done. When the ids cannot be compared (one is missing), the operation is taken as ours.
 */
function publishOutcome(flow: PlatformFlow, versionId: string, operationId: string | undefined): PublishOutcome {
  const operation = flow.currentOperation
  const ownership = operationOwnership(operation, operationId)
  const settled = operation === undefined ? undefined : settledOperation(operation)
  if (ownership === 'ours') return settled ?? { kind: 'running' }
  if (flow.publishedVersionId === versionId) return { kind: 'done' }
  if (ownership === 'unknown' && settled !== undefined) return settled
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

function describeFlow(flow: ArchyFlow): string {
  return `\`${flow.key}\` ("${flow.name}")`
}

function describeLeftInPlace(left: LeftInPlace): string {
  return `${left.flow.key}${left.flowId ? ` (flow ${left.flowId})` : ''}: ${left.why}`
}
