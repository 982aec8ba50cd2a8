/**
 * Plans of any size for report tests, assembled the way the action does it (diff and impact computed from two
 * configurations), with removed, added and modified flows, a modified and a removed queue, platform warnings, a flow
 * slot overrun, consumers of changed flows and flow files that name a queue.
 */
import { computeDiff } from '../src/assess/diff.js'
import { assessImpact, type Consumer } from '../src/assess/impact.js'
import type { Plan, RemoteValidationOutcome } from '../src/assess/plan.js'
import type { Bundle, BundleFile } from '../src/bundle/bundle.js'
import type { Manifest } from '../src/bundle/manifest.js'
import type { RunContext } from '../src/run-context.js'

/** The facts of a push run on main, as the records tests use them. */
export const PUSH_CONTEXT: RunContext = {
  repository: 'acme/cc-config',
  sha: 'abc1234def',
  ref: 'refs/heads/main',
  actor: 'octocat',
  eventName: 'push',
  runUrl: 'https://github.com/acme/cc-config/actions/runs/42',
  pullRequestLabels: []
}

export const REPORT_CONTEXT: RunContext = {
  repository: 'acme/contact-center',
  sha: '0123456789abcdef0123456789abcdef01234567',
  ref: 'refs/pull/7/merge',
  actor: 'octocat',
  eventName: 'pull_request',
  runUrl: 'https://github.com/acme/contact-center/actions/runs/42',
  pullRequestNumber: 7,
  pullRequestLabels: []
}

/** The shape of a generated change. */
export interface GeneratedChange {
  /** Flows in the baseline. */
  flows: number
  /** Of those, how many the bundle removes (the first ones) and how many it leaves unchanged (the last ones). */
  removed: number
  unchanged?: number
  /** New flows the bundle adds. */
  added: number
  /** Changed flows (in name order) that have consumers: the first gets 6, the others 1 to 3. */
  withConsumers?: number
  /** Platform warnings (more than five make the risk HIGH). */
  warnings?: number
  /** Names to use instead of the generated ones, in order: removed, then added, then modified flows. */
  names?: { removed?: string[]; added?: string[]; modified?: string[] }
  bundleId?: string
  environmentId?: string
  /** Consumer names to use instead of the generated ones. */
  consumerNames?: string[]
  /** The name of the modified queue. */
  queueName?: string
  /** False leaves the queues alone (no queue modified or removed). */
  queues?: boolean
  /** False gives the environment enough flow slots. */
  slotOverrun?: boolean
}

/** What a generated plan holds, to check the report against. */
export interface GeneratedPlan {
  plan: Plan
  removedFlows: string[]
  addedFlows: string[]
  modifiedFlows: string[]
  removedQueues: string[]
  modifiedQueues: string[]
  /** Rows the field changes must have: one per changed field of a modified resource, one per whole resource. */
  fieldChangeCount: number
  consumers: Record<string, Consumer[]>
}

const PROMPT = 'Thank you for calling Acme Insurance. Your call is important to us. Please stay on the line and an agent will be with you shortly.'

/** A flow's settings: a version, a description and a nested prompt long enough to be cut. */
function flowSettings(index: number, version: string): Record<string, unknown> {
  return {
    version,
    description: `Routing flow ${index} (${version})`,
    inboundCall: {
      tasks: { Main: { actions: { 'Transfer to sales': { preTransferAudio: { tts: `${PROMPT.repeat(4)} Option ${index}, release ${version}.` } } } } }
    }
  }
}

/** Builds the plan of a generated change. */
export function generatePlan(change: GeneratedChange): GeneratedPlan {
  const name = (index: number): string => `flow-${String(index).padStart(4, '0')}`
  const baseNames = Array.from({ length: change.flows }, (_, index) => name(index))
  const unchanged = change.unchanged ?? 0
  const removedFlows = change.names?.removed ?? baseNames.slice(0, change.removed)
  const modifiedBase = baseNames.slice(change.removed, baseNames.length - unchanged)
  const modifiedFlows = change.names?.modified ?? modifiedBase
  const keptUnchanged = baseNames.slice(baseNames.length - unchanged)
  const addedFlows = change.names?.added ?? Array.from({ length: change.added }, (_, index) => `new-flow-${String(index).padStart(3, '0')}`)
  const queueName = change.queueName ?? 'sales-inbound'

  const beforeFlows: Record<string, unknown> = {}
  const afterFlows: Record<string, unknown> = {}
  removedFlows.forEach((flow, index) => (beforeFlows[flow] = flowSettings(index, '1.0.0')))
  modifiedFlows.forEach((flow, index) => {
    beforeFlows[flow] = flowSettings(index, '1.0.0')
    afterFlows[flow] = flowSettings(index, '2.0.0')
  })
  keptUnchanged.forEach((flow, index) => {
    beforeFlows[flow] = flowSettings(index, '1.0.0')
    afterFlows[flow] = flowSettings(index, '1.0.0')
  })
  addedFlows.forEach((flow, index) => (afterFlows[flow] = flowSettings(index, '3.0.0')))
  const queues = change.queues ?? true
  const before = { flows: beforeFlows, queues: queues ? { [queueName]: { serviceLevel: '80/20' }, 'claims-overflow': { serviceLevel: '70/30' } } : {} }
  const after = { flows: afterFlows, queues: queues ? { [queueName]: { serviceLevel: '90/20' } } : {} }

  const bundleId = change.bundleId ?? 'contact-center-core'
  const environmentId = change.environmentId ?? 'prod-7f3a'
  const flowCount = Object.keys(afterFlows).length
  const manifest: Manifest = {
    bundleId,
    environmentId,
    capacityConstraints: { maxFlowCount: Math.max(10, Math.ceil(flowCount * 1.2)), maxQueueCount: 100 },
    targetConfig: after as Manifest['targetConfig']
  }
  const slotUnit = Math.max(1, Math.round(flowCount / 5))
  const remoteValidation: RemoteValidationOutcome = {
    ran: true,
    valid: true,
    warnings: Array.from(
      { length: change.warnings ?? 7 },
      (_, index) => `Flow ${modifiedFlows[index % Math.max(1, modifiedFlows.length)]} uses a deprecated action (${index})`
    ),
    errors: [],
    schemaVersion: '4.2',
    // 166.7 % of the available flow slots (5 needed for every 3 free): an overrun the platform validation does not fail.
    environmentCapacity: { availableFlowSlots: ((change.slotOverrun ?? true) ? 3 : 10) * slotUnit, requiredFlowSlots: 5 * slotUnit }
  }
  const consumers: Record<string, Consumer[]> = {}
  const consumerName = (index: number): string => change.consumerNames?.[index % change.consumerNames.length] ?? `IVR ${index}`
  modifiedFlows.slice(0, change.withConsumers ?? 3).forEach((flow, index) => {
    const count = index === 0 ? 6 : 1 + (index % 3)
    consumers[flow] = Array.from({ length: count }, (_, n) => ({ id: `ivr-${index}-${n}`, name: consumerName(index * 10 + n), type: 'IVRCONFIGURATION' }))
  })
  const files: BundleFile[] = modifiedFlows.slice(0, 2).map(flow => ({
    flow,
    path: `flows/${flow}.yaml`,
    absolutePath: `/work/flows/${flow}.yaml`,
    content: '',
    references: [{ kind: 'queue', name: queueName.toUpperCase(), file: `flows/${flow}.yaml`, line: 12, column: 9 }]
  }))
  const bundle: Bundle = {
    manifestPath: 'genesys/bundle.yaml',
    absoluteManifestPath: '/work/genesys/bundle.yaml',
    manifest,
    environmentId,
    files,
    groupOrder: ['queues', 'flows'],
    externalDependencies: [],
    positions: {}
  }
  const diff = computeDiff(before, after)
  const plan: Plan = {
    bundle,
    assessed: true,
    baselineFingerprint: '',
    bundleId,
    environmentId,
    fingerprint: 'ab'.repeat(32),
    localFindings: [],
    remoteValidation,
    baseline: { source: 'base-commit', description: 'manifest at base commit `abc1234`', config: before },
    diff,
    impact: assessImpact({ diff, remoteValidation, manifest, consumers })
  }
  return {
    plan,
    removedFlows,
    addedFlows,
    modifiedFlows,
    removedQueues: queues ? ['claims-overflow'] : [],
    modifiedQueues: queues ? [queueName] : [],
    // Three fields change in each modified flow; one row each for a removed or added flow and the removed queue.
    fieldChangeCount: modifiedFlows.length * 3 + removedFlows.length + addedFlows.length + (queues ? 2 : 0),
    consumers
  }
}
