/**
 * An `architect` deployment after a cancelled run, in the post step (a new process, so a new driver): the platform is
 * asked where the bundle's flows stand. Flow jobs that were running when the main step stopped are followed to their
 * end; then every flow whose published version is no longer the one it had before the run was changed by this run.
 * With `on-cancel: rollback` those get their previous version published again (architect-rollback.ts, latest first);
 * flows the run created are left in place and named. With `leave`, the state is only reported.
 */
import { z } from 'zod'
import { PollTimers } from '../deploy/poll-schedule.js'
import { describeError } from '../error-message.js'
import { flowDeploymentOrder, platformFlowType, type ArchyFlow } from './architect-flows.js'
import type { ArchitectRequests } from './architect-requests.js'
import { ArchitectRollback, type ChangedFlow, type PreviousFlowVersion } from './architect-rollback.js'
import type { CancelRecoveryOptions, DeploymentObservation } from './driver.js'
import { isWorthRetryingLater } from './genesys-api-error.js'

/** What the main step saves after each step of an architect deployment (cancellationProgress). */
export interface ArchitectCancellationProgress {
  /** Each flow's published version before the run. */
  previous: PreviousFlowVersion[]
  /** Flow jobs whose file was uploaded and whose end was not seen yet. */
  running: { flow: string; jobId: string }[]
}

const ProgressSchema = z.object({
  previous: z.array(
    z.object({
      flow: z.string(),
      name: z.string(),
      type: z.string(),
      flowId: z.string().optional(),
      versionId: z.string().optional()
    })
  ),
  running: z.array(z.object({ flow: z.string(), jobId: z.string() })).default([])
})

/** The bounds of following jobs and republishes in the post step. */
export interface ArchitectRecoveryContext {
  requests: ArchitectRequests
  /** First and largest poll interval (the run's inputs). */
  poll: { initialMs: number; maxMs: number }
  random: () => number
}

/** Follows, and with `rollBack` undoes, what a cancelled architect deployment changed. */
export async function recoverCancelledArchitect(
  flows: readonly ArchyFlow[],
  deploymentId: string,
  saved: unknown,
  options: CancelRecoveryOptions,
  context: ArchitectRecoveryContext
): Promise<DeploymentObservation> {
  const parsed = ProgressSchema.safeParse(saved)
  if (!parsed.success) {
    throw new Error('the main step saved nothing the post step can use to tell which flows it changed (its state is missing or unreadable)')
  }
  const progress = parsed.data
  const stillRunning = await waitForJobs(progress.running, options, context)
  const changed = await changedFlows(flows, progress.previous, context.requests)
  const running = stillRunning.length > 0 ? `; flow jobs still running after the wait: ${stillRunning.join(', ')}` : ''
  if (!options.rollBack) {
    const names = changed.map(change => change.flow.key)
    return {
      id: deploymentId,
      state: stillRunning.length > 0 ? 'IN_PROGRESS' : 'FAILED',
      detail: `${names.length > 0 ? `changed by this run: ${names.join(', ')}` : 'no flow was changed'}${running}`
    }
  }
  if (stillRunning.length > 0)
    options.log(`Rollback after the cancellation: flow jobs ${stillRunning.join(', ')} did not end in time; rolling back what is known`)
  const rollback = new ArchitectRollback(latestFirst(changed, flows), {
    deploymentId,
    requests: context.requests,
    log: options.log,
    timers: new PollTimers({ ...context.poll, now: options.now, random: context.random })
  })
  for (;;) {
    try {
      await rollback.step()
    } catch (error) {
      if (!isWorthRetryingLater(error)) throw error
      options.log(`Rollback of ${deploymentId}: ${describeError(error)}; trying again`)
    }
    const remaining = options.deadline - options.now()
    if (rollback.state !== 'ROLLBACK_IN_PROGRESS' || remaining <= 0) break
    await options.sleep(Math.min(remaining, Math.max(rollback.nextDueInMs() ?? context.poll.initialMs, 1)))
  }
  return { id: deploymentId, state: rollback.state, detail: `${rollback.detail()}${running}` }
}

/** Reads each running job until it ends or the deadline passes; returns the flows whose job did not end. */
async function waitForJobs(
  running: ArchitectCancellationProgress['running'],
  options: CancelRecoveryOptions,
  context: ArchitectRecoveryContext
): Promise<string[]> {
  const pending = new Map(running.map(job => [job.jobId, job.flow]))
  let wait = context.poll.initialMs
  while (pending.size > 0) {
    for (const [jobId, flow] of [...pending]) {
      try {
        const job = await context.requests.readFlowJob(jobId)
        if (job.status === 'Success' || job.status === 'Failure') {
          options.log(`Flow job ${jobId} of \`${flow}\` ended ${job.status} after the cancellation`)
          pending.delete(jobId)
        }
      } catch (error) {
        if (!isWorthRetryingLater(error)) {
          options.log(`Flow job ${jobId} of \`${flow}\` cannot be read (${describeError(error)}); the flow is judged by its published version`)
          pending.delete(jobId)
        }
      }
    }
    const remaining = options.deadline - options.now()
    if (pending.size === 0 || remaining <= 0) break
    await options.sleep(Math.min(remaining, wait))
    wait = Math.min(context.poll.maxMs, wait * 1.5)
  }
  return [...pending.values()]
}

/**
 * The flows this run changed, asked of the platform: a flow that had a published version is changed when it has
 * another one now; a flow that did not exist and exists now was created by the run.
 */
async function changedFlows(flows: readonly ArchyFlow[], previous: readonly PreviousFlowVersion[], requests: ArchitectRequests): Promise<ChangedFlow[]> {
  const byKey = new Map(flows.map(flow => [flow.key, flow]))
  const checks = await Promise.all(
    previous.map(async (before): Promise<ChangedFlow | undefined> => {
      const flow = byKey.get(before.flow)
      if (flow === undefined) return undefined
      const [now] = await requests.findFlows(before.name, platformFlowType(before.type))
      const changed =
        before.versionId !== undefined
          ? now?.publishedVersionId !== undefined && now.publishedVersionId !== before.versionId
          : now !== undefined && before.flowId === undefined
      const republishedSinceUnpublished = before.versionId === undefined && before.flowId !== undefined && now?.publishedVersionId !== undefined
      if (!changed && !republishedSinceUnpublished) return undefined
      return { flow, previous: before, ...(now === undefined ? {} : { flowId: now.id }), outcomeUnknown: false }
    })
  )
  return checks.filter((change): change is ChangedFlow => change !== undefined)
}

/** Latest first: the reverse of the bundle's deploy order. */
function latestFirst(changed: readonly ChangedFlow[], flows: readonly ArchyFlow[]): ChangedFlow[] {
  const order = flowDeploymentOrder(flows).order
  return [...changed].sort((a, b) => order.indexOf(b.flow.key) - order.indexOf(a.flow.key))
}
