/**
 * One multi-flow deployment through Architect flow jobs, and its rollback, advanced one step per call so that
 * the deploy state machine (deploy/deploy-runner.ts) does the waiting between steps.
 *
 * Deploying: each flow is registered (`POST /api/v2/flows/jobs`), its YAML uploaded to the presigned URL and its job
 * polled until `Success` / `Failure`. Flows go by dependency level (a flow's level is one more than the highest level
 * of the bundle flows it references, so a flow never starts before those are published): the flows of one level run
 * side by side, at most `maxParallelJobs` at once, and the next level starts once every flow of the level before is
 * published. Each job has its own poll schedule, starting at the first interval when its file is uploaded; a step
 * reads only the jobs that are due, and the observation says when the next one is (`nextPollInMs`).
 * After a failure no flow starts, the ones running are followed to their end (so the rollback knows what changed),
 * and the deployment reports FAILED. The rollback itself is architect-rollback.ts.
 *
 * Every request's effect is recorded as soon as it succeeds, so a step that fails on a temporary error (thrown
 * for the deploy runner to wait and call again) resumes where it stopped.
 */
import type { FlowJobRecord } from '../deploy/result.js'
import type { PollTimers } from '../deploy/poll-schedule.js'
import { describeError } from '../error-message.js'
import type { ArchyFlow, FlowDeploymentOrder } from './architect-flows.js'
import { MAX_STEP_TRIES, type ArchitectRequests, type FlowJobRegistration } from './architect-requests.js'
import { ArchitectRollback, describeFlow, type PreviousFlowVersion } from './architect-rollback.js'
import type { DeploymentObservation } from './driver.js'
import { isWorthRetryingLater } from './genesys-api-error.js'
import type { PresignedTransfer } from './http-client.js'

export type { PreviousFlowVersion } from './architect-rollback.js'

/** What the deployment needs to act. */
export interface ArchitectDeploymentContext {
  requests: ArchitectRequests
  transfer: Pick<PresignedTransfer, 'uploadToPresignedUrl'>
  log: (message: string) => void
  /** Flow jobs running at once at most: 1 deploys the flows strictly one after the other, in deploy order. */
  maxParallelJobs: number
  /** One poll schedule per flow job (and per republish of the rollback). */
  timers: PollTimers
  now: () => number
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
  | { phase: 'skipped'; jobId?: string }

/** One flow's job, with when it started and ended (the driver's clock). */
interface FlowJob {
  flow: ArchyFlow
  level: number
  progress: FlowProgress
  startedAt?: number
  endedAt?: number
  /** When a read last saw the job still running. */
  lastRunningAt?: number
  /** Tries of the registration and of the upload that failed on a temporary error (see MAX_STEP_TRIES). */
  failedTries: { register: number; upload: number }
}

/** One deployment: created by the driver's deploy(), advanced by its getStatus(), reversed by its rollback(). */
export class ArchitectDeployment {
  /** Flow keys in deploy order: by level, then as the deploy order has them. */
  private readonly order: string[]
  private readonly jobs = new Map<string, FlowJob>()
  private readonly previousByKey: Map<string, PreviousFlowVersion>
  private rollingBack = false
  private rollback: ArchitectRollback | undefined

  constructor(
    readonly id: string,
    flows: readonly ArchyFlow[],
    plan: FlowDeploymentOrder,
    previous: readonly PreviousFlowVersion[],
    private readonly context: ArchitectDeploymentContext
  ) {
    const levels = dependencyLevels(plan)
    const byKey = new Map(flows.map(flow => [flow.key, flow]))
    this.order = [...plan.order].sort((a, b) => levels[a] - levels[b])
    for (const key of this.order) {
      const flow = byKey.get(key)
      if (flow === undefined) throw new Error(`Deployment ${id}: the deploy order names \`${key}\`, which is not a flow of the bundle.`)
      this.jobs.set(key, { flow, level: levels[key], progress: { phase: 'waiting' }, failedTries: { register: 0, upload: 0 } })
    }
    this.previousByKey = new Map(previous.map(version => [version.flow, version]))
  }

  /** Flow keys in the order they deploy, with their dependency level. */
  deployOrder(): { key: string; level: number }[] {
    return this.order.map(key => ({ key, level: this.job(key).level }))
  }

  /** What each flow was before the run, in deploy order. */
  previousVersions(): PreviousFlowVersion[] {
    return this.order.flatMap(key => {
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
    return this.rollbackObservation()
  }

  /** Flow jobs whose file was uploaded and whose end was not seen yet (what a post step must follow). */
  runningJobs(): { flow: string; jobId: string }[] {
    return this.order.flatMap(key => {
      const progress = this.job(key).progress
      return progress.phase === 'running' ? [{ flow: key, jobId: progress.jobId }] : []
    })
  }

  /** Each flow's job, in deploy order, times in ms since `requestedAt`. */
  flowJobs(requestedAt: number): FlowJobRecord[] {
    return this.order.map(key => {
      const { flow, level, progress, startedAt, endedAt, lastRunningAt } = this.job(key)
      const jobId = 'jobId' in progress ? progress.jobId : progress.phase === 'registered' ? progress.job.id : undefined
      const rollback = this.rollback?.outcomeOf(key)
      return {
        flow: key,
        name: flow.name,
        level,
        ...(jobId === undefined ? {} : { jobId }),
        ...(startedAt === undefined ? {} : { startedAtMs: startedAt - requestedAt }),
        ...(endedAt === undefined ? {} : { endedAtMs: endedAt - requestedAt }),
        ...(lastRunningAt === undefined ? {} : { lastRunningAtMs: lastRunningAt - requestedAt }),
        outcome: recordOutcome(progress),
        ...(rollback === undefined ? {} : { rollback }),
        ...(progress.phase === 'failed' ? { detail: progress.reason } : {})
      }
    })
  }

  // -------------------------------------------------------------------------------------------------------
  // Deploying

  private async advanceDeployment(): Promise<DeploymentObservation> {
    const temporary = await this.settle(this.dueJobs().map(key => this.stepFlow(key)))
    if (!this.anyFailed()) temporary.push(...(await this.settle(this.flowsReadyToStart().map(key => this.startFlow(key)))))
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
    return this.order.filter(key => {
      const phase = this.job(key).progress.phase
      return phase === 'registered' || phase === 'running'
    })
  }

  /** Flows in flight that need a step now: an upload to try again, or a job whose poll is due. */
  private dueJobs(): string[] {
    return this.flowsInFlight().filter(key => this.job(key).progress.phase === 'registered' || this.context.timers.isDue(key))
  }

  /**
   * Waiting flows of the lowest level not done yet, once every flow of the levels before it is published, in deploy
   * order, as many as the parallel limit allows.
   */
  private flowsReadyToStart(): string[] {
    const room = this.context.maxParallelJobs - this.flowsInFlight().length
    const waiting = this.order.filter(key => this.job(key).progress.phase === 'waiting')
    if (room <= 0 || waiting.length === 0) return []
    const level = waiting.reduce((lowest, key) => Math.min(lowest, this.job(key).level), Infinity)
    const earlierDone = this.order.every(key => this.job(key).level >= level || this.job(key).progress.phase === 'published')
    return earlierDone ? waiting.filter(key => this.job(key).level === level).slice(0, room) : []
  }

  private anyFailed(): boolean {
    return this.order.some(key => this.job(key).progress.phase === 'failed')
  }

  /** Registers the flow's job and uploads its file right away: a presigned URL does not live long. */
  private async startFlow(key: string): Promise<void> {
    const flowJob = this.job(key)
    let job: FlowJobRegistration
    try {
      job = await this.context.requests.registerFlowJob()
    } catch (error) {
      if (isWorthRetryingLater(error) && ++flowJob.failedTries.register < MAX_STEP_TRIES) throw error
      this.fail(key, { reason: `registering its flow job failed${triesNote(flowJob.failedTries.register)}: ${describeError(error)}`, mayHaveChanged: false })
      return
    }
    flowJob.startedAt = this.context.now()
    flowJob.progress = { phase: 'registered', job }
    this.context.log(`Flow ${describeFlow(flowJob.flow)}: flow job ${job.id} registered (level ${flowJob.level})`)
    await this.upload(key, job)
  }

  private async stepFlow(key: string): Promise<void> {
    const flowJob = this.job(key)
    const progress = flowJob.progress
    if (progress.phase === 'registered') {
      // A registered job runs only once its file is uploaded: after a failure elsewhere, it is simply not uploaded.
      if (this.anyFailed() || this.rollingBack) flowJob.progress = { phase: 'skipped', jobId: progress.job.id }
      else await this.upload(key, progress.job)
    } else if (progress.phase === 'running') {
      await this.pollJob(key, progress.jobId)
    }
  }

  private async upload(key: string, job: FlowJobRegistration): Promise<void> {
    const flow = this.job(key).flow
    try {
      await this.context.transfer.uploadToPresignedUrl(job.presignedUrl, flow.yaml, job.headers)
    } catch (error) {
      const tries = this.job(key).failedTries
      if (isWorthRetryingLater(error) && ++tries.upload < MAX_STEP_TRIES) throw error
      this.fail(key, {
        jobId: job.id,
        reason: `uploading ${flow.file} to flow job ${job.id} failed${triesNote(tries.upload)}: ${describeError(error)}`,
        mayHaveChanged: false
      })
      return
    }
    this.job(key).progress = { phase: 'running', jobId: job.id, status: 'Registered' }
    // The job runs from its upload: its poll schedule starts now, at the first interval.
    this.context.timers.start(key)
    this.context.log(`Flow ${describeFlow(flow)}: ${flow.file} uploaded to flow job ${job.id}`)
  }

  private async pollJob(key: string, jobId: string): Promise<void> {
    const flowJob = this.job(key)
    const flow = flowJob.flow
    try {
      const job = await this.context.requests.readFlowJob(jobId)
      if (job.status === 'Success') {
        flowJob.progress = { phase: 'published', jobId, ...(job.flowId === undefined ? {} : { flowId: job.flowId }) }
        this.ended(key)
        this.context.log(`Flow ${describeFlow(flow)}: flow job ${jobId} succeeded${job.flowId ? ` (flow ${job.flowId})` : ''}`)
      } else if (job.status === 'Failure') {
        const messages = job.messages.length > 0 ? job.messages.join('; ') : 'the platform gave no reason'
        this.fail(key, { jobId, reason: `flow job ${jobId} failed: ${messages}`, mayHaveChanged: false })
      } else {
        const previous = flowJob.progress
        if (previous.phase === 'running' && previous.status !== job.status) this.context.log(`Flow ${describeFlow(flow)}: flow job ${jobId} ${job.status}`)
        flowJob.progress = { phase: 'running', jobId, status: job.status }
        flowJob.lastRunningAt = this.context.now()
        this.context.timers.polled(key)
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
    this.job(key).progress = { phase: 'failed', ...failure }
    this.ended(key)
    this.context.log(`Flow ${describeFlow(this.job(key).flow)}: ${failure.reason}`)
  }

  private ended(key: string): void {
    this.job(key).endedAt = this.context.now()
    this.context.timers.stop(key)
  }

  private deploymentObservation(): DeploymentObservation {
    if (this.order.every(key => this.job(key).progress.phase === 'published')) {
      const names = this.order.map(key => this.job(key).flow.name).join(', ')
      return { id: this.id, state: 'COMPLETED', detail: `published ${this.order.length} flow(s): ${names}` }
    }
    if (this.anyFailed() && this.flowsInFlight().length === 0) {
      for (const key of this.keysIn('waiting')) this.job(key).progress = { phase: 'skipped' }
      return { id: this.id, state: 'FAILED', detail: this.failureDetail() }
    }
    return { id: this.id, state: 'IN_PROGRESS', detail: this.progressDetail(), ...this.nextPoll() }
  }

  /** When the next job is due; right away when an upload is still to be tried. */
  private nextPoll(): { nextPollInMs?: number } {
    const inFlight = this.flowsInFlight()
    if (inFlight.some(key => this.job(key).progress.phase === 'registered')) return { nextPollInMs: 0 }
    const due = this.context.timers.nextDueInMs(inFlight)
    return due === undefined ? {} : { nextPollInMs: due }
  }

  /** "flow `main-menu` ("Acme Main Menu"): flow job … failed: …; published before the failure: …; not deployed: …". */
  private failureDetail(): string {
    const failed = this.order.flatMap(key => {
      const { flow, progress } = this.job(key)
      return progress.phase === 'failed' ? [`flow ${describeFlow(flow)}: ${progress.reason}`] : []
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
      const progress = this.job(key).progress
      return `${key} (${progress.phase === 'running' ? progress.status : 'uploading'})`
    })
    return `${published} of ${this.order.length} flow(s) published${running.length > 0 ? `; running: ${running.join(', ')}` : ''}`
  }

  // -------------------------------------------------------------------------------------------------------
  // Rolling back

  private async advanceRollback(): Promise<DeploymentObservation> {
    await this.stepRollback()
    return this.rollbackObservation()
  }

  /** One step of the rollback: first let running jobs end (their flows may change), then put the changed flows back. */
  private async stepRollback(): Promise<void> {
    if (this.rollback === undefined) {
      const temporary = await this.settle(this.dueJobs().map(key => this.stepFlow(key)))
      if (temporary.length > 0) throw temporary[0]
      if (this.flowsInFlight().length > 0) return
      this.rollback = new ArchitectRollback(this.changedFlowsLatestFirst(), {
        deploymentId: this.id,
        requests: this.context.requests,
        log: this.context.log,
        timers: this.context.timers
      })
    }
    await this.rollback.step()
  }

  private rollbackObservation(): DeploymentObservation {
    const rollback = this.rollback
    if (rollback === undefined) {
      const due = this.context.timers.nextDueInMs(this.flowsInFlight())
      return { id: this.id, state: 'ROLLBACK_IN_PROGRESS', ...(due === undefined ? {} : { nextPollInMs: due }) }
    }
    const state = rollback.state
    const due = state === 'ROLLBACK_IN_PROGRESS' ? rollback.nextDueInMs() : undefined
    return { id: this.id, state, detail: rollback.detail(), ...(due === undefined ? {} : { nextPollInMs: due }) }
  }

  /** The flows this run changed (or may have), latest first in deploy order. */
  private changedFlowsLatestFirst() {
    return [...this.order].reverse().flatMap(key => {
      const { flow, progress } = this.job(key)
      const changed = progress.phase === 'published' || (progress.phase === 'failed' && progress.mayHaveChanged)
      if (!changed) return []
      const previous = this.previousByKey.get(key)
      const flowId = progress.phase === 'published' ? progress.flowId : undefined
      return [
        { flow, outcomeUnknown: progress.phase === 'failed', ...(previous === undefined ? {} : { previous }), ...(flowId === undefined ? {} : { flowId }) }
      ]
    })
  }

  // -------------------------------------------------------------------------------------------------------

  private keysIn(phase: FlowProgress['phase']): string[] {
    return this.order.filter(key => this.job(key).progress.phase === phase)
  }

  private job(key: string): FlowJob {
    const job = this.jobs.get(key)
    if (!job) throw new Error(`Deployment ${this.id} has no flow \`${key}\`.`)
    return job
  }
}

/**
 * Each flow's dependency level: 0 for a flow that waits for no other bundle flow, else one more than the highest level
 * of the flows it waits for (which come before it in the deploy order, so one pass in that order settles every level).
 */
function dependencyLevels(plan: FlowDeploymentOrder): Record<string, number> {
  const levels: Record<string, number> = {}
  for (const key of plan.order) {
    const dependencies = (plan.waitsFor[key] ?? []).map(dependency => levels[dependency] ?? 0)
    levels[key] = dependencies.reduce((highest, level) => Math.max(highest, level + 1), 0)
  }
  return levels
}

function recordOutcome(progress: FlowProgress): FlowJobRecord['outcome'] {
  switch (progress.phase) {
    case 'published':
    case 'failed':
      return progress.phase
    case 'registered':
    case 'running':
      return 'running'
    case 'waiting':
    case 'skipped':
      return 'not started'
  }
}

/** `(3 tries)` when a step was tried more than once. */
function triesNote(failedTries: number): string {
  return failedTries > 1 ? ` (${failedTries} tries)` : ''
}
