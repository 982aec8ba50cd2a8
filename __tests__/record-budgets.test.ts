import { describe, expect, it } from '@jest/globals'
import { largePlan } from '../__fixtures__/large-plan.js'
import type { Impact } from '../src/assess/impact.js'
import type { DeployResult, FlowJobRecord } from '../src/deploy/result.js'
import type { RunContext } from '../src/run-context.js'
import { MAX_FLOW_JOBS_RECORDED } from '../src/record/audit-entry.js'
import { buildAuditEntry, chainAuditEntry, GENESIS_HASH } from '../src/record/audit-log.js'
import { boundDiffOutput, boundImpact, MAX_OUTPUT_BYTES, type BoundedDiff, type BoundedImpact } from '../src/record/bounded-plan.js'
import { MAX_NAMES_PER_KIND, summarizeChanges } from '../src/record/change-summary.js'
import { fitLists } from '../src/record/fit-budget.js'
import { computeMetrics } from '../src/record/metrics.js'
import { buildOutputs } from '../src/record/outputs.js'
import { buildWebhookBody } from '../src/record/webhook.js'
import { PUSH_CONTEXT } from '../__fixtures__/report-plans.js'

const KIB = 1024
const NOW = new Date('2026-11-27T10:00:00Z')
const context: RunContext = PUSH_CONTEXT
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

const plan = largePlan(20_000)

/** Every kept list is a prefix of the original, and kept + omitted = the original's length. */
function expectPrefixes(
  bounded: Record<string, unknown>,
  original: Record<string, unknown>,
  lists: string[],
  omitted: Record<string, number | undefined>
): void {
  for (const list of lists) {
    const kept = bounded[list] as unknown[]
    const whole = original[list] as unknown[]
    expect(kept).toEqual(whole.slice(0, kept.length))
    expect(kept.length + (omitted[list] ?? 0)).toBe(whole.length)
  }
}

describe('records of a 20,000-flow change', () => {
  it('is a change large enough to matter: its full diff and impact are megabytes', () => {
    expect(plan.diff.added.length + plan.diff.removed.length + plan.diff.modified.length).toBeGreaterThan(20_000)
    expect(bytes(JSON.stringify(plan.diff))).toBeGreaterThan(2 * 1024 * KIB)
    expect(bytes(JSON.stringify(plan.impact))).toBeGreaterThan(1024 * KIB)
  })

  it('keeps every output under 64 KiB and all of them together well under 1 MB, as valid JSON', () => {
    const outputs = buildOutputs({
      plan,
      result: { status: 'COMPLETED', deploymentId: 'dep-1', latencyMs: 1234, timeline: [] },
      paths: { auditLog: 'genesys-deploy-audit.jsonl', report: '/tmp/r.md', diff: '/tmp/d.json', impact: '/tmp/i.json' },
      metrics: computeMetrics('')
    })
    for (const [name, value] of Object.entries(outputs)) expect([name, bytes(value) <= MAX_OUTPUT_BYTES]).toEqual([name, true])
    const total = Object.values(outputs).reduce((sum, value) => sum + bytes(value), 0)
    expect(total).toBeLessThan(256 * KIB)

    const diff = JSON.parse(outputs.diff) as BoundedDiff
    expect(diff.truncated).toBe(true)
    expectPrefixes({ ...diff }, { ...plan.diff }, ['added', 'removed', 'modified'], { ...diff.omitted })
    // Removals get room first (half of it), then modifications, then additions: paths of one length, so counts show it.
    expect(diff.removed.length).toBeGreaterThan(diff.modified.length)
    expect(diff.modified.length).toBeGreaterThan(0)
    expect(diff.added.length).toBeGreaterThan(0)

    const impact = JSON.parse(outputs.impact) as BoundedImpact
    expect(impact).toMatchObject({ riskLevel: 'HIGH', truncated: true, warningCount: 0, compatibilityPassed: plan.impact.compatibilityPassed })
    expect(Object.keys(impact).slice(0, 3)).toEqual(['riskLevel', 'riskDrivers', 'criticalRemovals'])
    expectPrefixes({ ...impact }, { ...plan.impact }, ['riskDrivers', 'criticalRemovals', 'capacity', 'reasons'], { ...impact.omitted })
    expect(impact.riskDrivers.length).toBeGreaterThan(0)
    expect(impact.criticalRemovals.length).toBeGreaterThan(0)
    const keptConsumers = Object.values(impact.consumers ?? {}).flat().length
    const allConsumers = Object.values(plan.impact.consumers ?? {}).flat().length
    expect(keptConsumers + (impact.omitted?.consumers ?? 0)).toBe(allConsumers)
  })

  it('bounds the webhook body and keeps its contract fields, with counts and the first names', () => {
    const body = buildWebhookBody({ plan, result: { status: 'COMPLETED', deploymentId: 'dep-1', latencyMs: 1, timeline: [] }, context, now: NOW })
    const raw = JSON.stringify(body)
    expect(bytes(raw)).toBeLessThanOrEqual(32 * KIB)
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining([
        'event',
        'deploymentId',
        'status',
        'latencyMs',
        'impactAssessment',
        'bundleId',
        'environmentId',
        'repository',
        'sha',
        'runUrl',
        'timestamp',
        'fingerprint',
        'configurationDiff'
      ])
    )
    expect(body.fingerprint).toBe(plan.fingerprint)
    expect(body.impactAssessment.truncated).toBe(true)
    const flows = body.configurationDiff.resources.flows
    expect(flows?.added.total).toBe(18_000)
    expect(flows?.removed.total).toBe(2_000)
    expect(flows?.modified.total).toBe(2_000)
    expect(body.configurationDiff.resources.queues?.removed).toEqual({ total: 2, names: ['Legacy Sales Queue', 'Legacy Support Queue'] })
    expect(body.configurationDiff.truncated).toBe(true)
    expect(body.configurationDiff.paths).toEqual({ added: plan.diff.added.length, removed: plan.diff.removed.length, modified: plan.diff.modified.length })
  })

  it('bounds the audit entry, with the api, a capped list of flow job durations and a capped error', () => {
    const flowJobs: FlowJobRecord[] = Array.from({ length: 20_000 }, (_, index) => ({
      flow: `flow-${index}`,
      name: `Inbound Customer Service Routing Flow ${index}`,
      level: 0,
      startedAtMs: index,
      endedAtMs: index + 1500 + (index % 7),
      outcome: 'published' as const
    }))
    const result: DeployResult = { status: 'FAILED', deploymentId: 'dep-1', latencyMs: 99, timeline: [], flowJobs, error: 'x'.repeat(500_000) }
    const entry = buildAuditEntry({ plan, result, context, now: NOW, api: 'architect' })
    const line = JSON.stringify(chainAuditEntry(entry, GENESIS_HASH))
    expect(bytes(line)).toBeLessThanOrEqual(32 * KIB)
    expect(entry.api).toBe('architect')
    expect(entry.flowJobs?.length).toBeGreaterThan(0)
    expect(entry.flowJobs?.length).toBeLessThanOrEqual(MAX_FLOW_JOBS_RECORDED)
    expect(entry.flowJobs?.[0]).toEqual({ name: 'Inbound Customer Service Routing Flow 0', durationMs: 1500 })
    expect((entry.flowJobs?.length ?? 0) + (entry.flowJobsOmitted ?? 0)).toBe(20_000)
    expect(entry.error?.length).toBeLessThan(1100)
    expect(entry.error).toContain('more characters')
    for (const kind of ['added', 'removed', 'modified'] as const) {
      expect(entry.configurationDiff.resources.flows?.[kind].names.length).toBeLessThanOrEqual(MAX_NAMES_PER_KIND)
    }
  })
})

describe('boundDiffOutput / boundImpact', () => {
  it('leave a value that fits as it is, without a truncated flag', () => {
    const small = { added: ['flows.a'], removed: [], modified: ['queues.b.x'] }
    expect(boundDiffOutput(small)).toEqual(small)
    const impact: Impact = {
      riskLevel: 'LOW',
      reasons: [],
      riskDrivers: [],
      criticalRemovals: [],
      warningCount: 0,
      compatibilityPassed: null,
      capacityUtilization: null,
      capacity: []
    }
    expect(boundImpact(impact)).toBe(impact)
  })

  it('cut to the budget given, counting what was left out', () => {
    const added = Array.from({ length: 100 }, (_, index) => `flows.flow-${index}`)
    const bounded = boundDiffOutput({ added, removed: ['flows.gone'], modified: [] }, 1024)
    expect(bytes(JSON.stringify(bounded))).toBeLessThanOrEqual(1024)
    expect(bounded.removed).toEqual(['flows.gone'])
    expect(bounded.added).toEqual(added.slice(0, bounded.added.length))
    expect(bounded.omitted).toEqual({ added: 100 - bounded.added.length, removed: 0, modified: 0 })
  })
})

describe('fitLists', () => {
  it('gives each list at most half of the room left first, then the rest in order, keeping prefixes', () => {
    // Budget 100: list 0 takes 5 × 10 = 50 (its half), list 1 takes 2 × 10 (all it has), list 2 takes the remaining 30.
    expect(fitLists([Array(20).fill(10), [10, 10], Array(20).fill(10)], 100)).toEqual([5, 2, 3])
    // A list stops at its first item that does not fit: a prefix, never a gap.
    expect(fitLists([[10, 500, 10]], 100)).toEqual([1])
    expect(fitLists([[10]], -5)).toEqual([0])
  })
})

describe('summarizeChanges', () => {
  it('keeps the first names within the byte budget and says it cut them', () => {
    const summary = summarizeChanges(plan.diff, 2 * KIB)
    const names = Object.values(summary.resources).flatMap(group => [...group.added.names, ...group.removed.names, ...group.modified.names])
    expect(bytes(JSON.stringify(names))).toBeLessThanOrEqual(2 * KIB + 20)
    // Removals of every group come first: both removed queues are named.
    expect(summary.resources.queues?.removed.names).toHaveLength(2)
    expect(summary.truncated).toBe(true)
  })
})
