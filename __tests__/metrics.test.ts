import { computeMetrics } from '../src/record/metrics.js'

function line(fields: Record<string, unknown>): string {
  return JSON.stringify({ prevHash: '0'.repeat(64), hash: '1'.repeat(64), ...fields })
}

describe('computeMetrics', () => {
  it('counts deployment entries only, splits COMPLETED from the rest and rounds the mean latency', () => {
    const log = [
      line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'COMPLETED', latencyMs: 1000 }),
      line({ action: 'BUNDLE_ASSESSMENT', finalStatus: 'ASSESSED', latencyMs: 0 }),
      line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'ROLLBACK_COMPLETED', latencyMs: 2001 }),
      '{"action":"BUNDLE_DEPLOYMENT","finalStatus":"COMPLETED","latency', // broken line: skipped
      '',
      line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'COMPLETED', latencyMs: 3000 }),
      line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'TIMED_OUT', latencyMs: 600000 }),
      'null',
      '42'
    ].join('\r\n')
    // (1000 + 2001 + 3000 + 600000) / 4 = 151500.25
    expect(computeMetrics(log)).toEqual({ total: 4, successful: 2, failed: 2, avgLatencyMs: 151500 })
  })

  it('rounds half up', () => {
    const log = [
      line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'COMPLETED', latencyMs: 1 }),
      line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'FAILED', latencyMs: 2 })
    ].join('\n')
    expect(computeMetrics(log)).toEqual({ total: 2, successful: 1, failed: 1, avgLatencyMs: 2 })
  })

  it('counts an entry without a numeric latency but leaves it out of the mean', () => {
    const log = [
      line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'FAILED', latencyMs: 'slow' }),
      line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'COMPLETED', latencyMs: 900 })
    ].join('\n')
    expect(computeMetrics(log)).toEqual({ total: 2, successful: 1, failed: 1, avgLatencyMs: 900 })
  })

  it('is all zeros for an empty log or one without deployments', () => {
    expect(computeMetrics('')).toEqual({ total: 0, successful: 0, failed: 0, avgLatencyMs: 0 })
    expect(computeMetrics(line({ action: 'BUNDLE_ASSESSMENT', finalStatus: 'ASSESSED' }))).toEqual({
      total: 0,
      successful: 0,
      failed: 0,
      avgLatencyMs: 0
    })
  })
})
