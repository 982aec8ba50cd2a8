import { computeDiff } from '../src/assess/diff.js'
import { assessImpact, type Consumer } from '../src/assess/impact.js'
import type { Plan } from '../src/assess/plan.js'

/**
 * The plan of a large change, made by the real diff and impact rules (no platform): of `flowCount` flows in the
 * bundle, a tenth replace removed ones, a tenth are modified and the rest are new; two queues are removed; every
 * modified flow has three consumers. Names are long and varied, as real Genesys names are.
 */
export function largePlan(flowCount: number): Plan {
  const removedCount = Math.floor(flowCount / 10)
  const modifiedCount = Math.floor(flowCount / 10)
  const name = (index: number): string => `Inbound Customer Service Routing Flow ${String(index).padStart(6, '0')} (région Île-de-France)`
  const beforeFlows: Record<string, unknown> = {}
  const afterFlows: Record<string, unknown> = {}
  for (let index = 0; index < removedCount + modifiedCount; index++) {
    beforeFlows[name(index)] = { version: '1.0.0', routingStrategy: 'longest-idle', description: `flow ${index}` }
  }
  for (let index = removedCount; index < removedCount + flowCount; index++) {
    const modified = index < removedCount + modifiedCount
    afterFlows[name(index)] = {
      version: modified ? '1.1.0' : '1.0.0',
      routingStrategy: modified ? 'round-robin' : 'longest-idle',
      description: `flow ${index}`
    }
  }
  const before = { flows: beforeFlows, queues: { 'Legacy Sales Queue': { serviceLevel: '80/20' }, 'Legacy Support Queue': { serviceLevel: '90/30' } } }
  const after = { flows: afterFlows, queues: {} }
  const diff = computeDiff(before, after)
  const consumers: Record<string, Consumer[]> = {}
  for (let index = removedCount; index < removedCount + modifiedCount; index++) {
    consumers[name(index)] = [1, 2, 3].map(n => ({
      id: `${index}-${n}-0000-0000-0000-000000000000`,
      name: `Caller of flow ${index} number ${n}`,
      type: 'INBOUNDCALLFLOW'
    }))
  }
  const remoteValidation = {
    ran: true as const,
    valid: true,
    warnings: [],
    errors: [],
    schemaVersion: '1',
    environmentCapacity: { availableFlowSlots: flowCount * 2, requiredFlowSlots: flowCount }
  }
  return {
    bundle: undefined,
    assessed: true,
    baselineFingerprint: '',
    bundleId: 'contact-center-core',
    environmentId: 'prod-7f3a',
    fingerprint: 'c'.repeat(64),
    localFindings: [],
    remoteValidation,
    baseline: { source: 'input', description: 'baseline.yaml', config: before },
    diff,
    impact: assessImpact({ diff, remoteValidation, consumers })
  }
}
