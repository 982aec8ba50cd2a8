import { Outputs } from '../src/constants.js'
import type { Plan } from '../src/assess/plan.js'
import { buildOutputs } from '../src/record/outputs.js'

const plan: Plan = {
  bundle: undefined,
  assessed: true,
  baselineFingerprint: '',
  bundleId: 'contact-center-core',
  environmentId: 'prod-7f3a',
  fingerprint: 'b'.repeat(64),
  localFindings: [],
  remoteValidation: { ran: false, reason: 'no credentials' },
  baseline: { source: 'empty', description: 'no baseline', config: {} },
  diff: {
    added: ['queues.sales-inbound'],
    removed: [],
    modified: ['flows.main-entry.version'],
    changes: [{ path: 'flows.main-entry.version', kind: 'modified', before: '2.0.0', after: '2.1.0' }]
  },
  impact: {
    riskLevel: 'MEDIUM',
    reasons: ['modifies flow main-entry'],
    riskDrivers: ['modifies flow main-entry'],
    criticalRemovals: [],
    warningCount: 0,
    compatibilityPassed: null,
    capacityUtilization: null,
    capacity: []
  }
}

const paths = { auditLog: 'logs/audit.jsonl', report: '/tmp/report.md', diff: '/tmp/diff.json', impact: '/tmp/impact.json' }
const metrics = { total: 3, successful: 2, failed: 1, successRate: 0.6667, avgLatencyMs: 4567, p50LatencyMs: 4000, p95LatencyMs: 6000 }

describe('buildOutputs', () => {
  it('gives every output of a deployment as a string', () => {
    const outputs = buildOutputs({
      plan,
      result: { status: 'ROLLBACK_COMPLETED', deploymentId: 'dep-7', latencyMs: 8910, timeline: [] },
      paths,
      metrics
    })
    expect(outputs).toEqual({
      status: 'ROLLBACK_COMPLETED',
      'diff-file': '/tmp/diff.json',
      'impact-file': '/tmp/impact.json',
      'deployment-id': 'dep-7',
      'risk-level': 'MEDIUM',
      'latency-ms': '8910',
      diff: '{"added":["queues.sales-inbound"],"removed":[],"modified":["flows.main-entry.version"]}',
      impact:
        '{"riskLevel":"MEDIUM","reasons":["modifies flow main-entry"],"riskDrivers":["modifies flow main-entry"],"criticalRemovals":[],"warningCount":0,' +
        '"compatibilityPassed":null,"capacityUtilization":null,"capacity":[]}',
      fingerprint: 'b'.repeat(64),
      'audit-log': 'logs/audit.jsonl',
      report: '/tmp/report.md',
      metrics: '{"total":3,"successful":2,"failed":1,"successRate":0.6667,"avgLatencyMs":4567,"p50LatencyMs":4000,"p95LatencyMs":6000}'
    })
    expect(Object.keys(outputs).sort()).toEqual(Object.values(Outputs).sort())
  })

  it('gives ASSESSED, an empty deployment id and latency 0 without a result', () => {
    const outputs = buildOutputs({ plan, paths, metrics })
    expect(outputs[Outputs.Status]).toBe('ASSESSED')
    expect(outputs[Outputs.DeploymentId]).toBe('')
    expect(outputs[Outputs.LatencyMs]).toBe('0')
    expect(JSON.parse(outputs[Outputs.Impact])).toEqual(plan.impact)
  })

  it('gives FAILED for a deploy run that ended without a result, or the status main gives', () => {
    expect(buildOutputs({ plan, paths, metrics, mode: 'deploy' })[Outputs.Status]).toBe('FAILED')
    const stopped = buildOutputs({ plan, paths, metrics, status: 'VALIDATION_FAILED' })
    expect(stopped[Outputs.Status]).toBe('VALIDATION_FAILED')
    expect(stopped[Outputs.DeploymentId]).toBe('')
    expect(stopped[Outputs.LatencyMs]).toBe('0')
  })

  it('leaves risk-level empty when the plan was not assessed: its empty impact would claim LOW', () => {
    const outputs = buildOutputs({ plan: { ...plan, assessed: false }, paths, metrics, status: 'VALIDATION_FAILED' })
    expect(outputs[Outputs.RiskLevel]).toBe('')
    expect(buildOutputs({ plan, paths, metrics })[Outputs.RiskLevel]).toBe('MEDIUM')
  })
})
