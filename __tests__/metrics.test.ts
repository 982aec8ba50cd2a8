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
    // (1000 + 2001 + 3000 + 600000) / 4 = 151500.25; sorted 1000, 2001, 3000, 600000: rank ceil(0.5 × 4) = 2 and
    // ceil(0.95 × 4) = 4.
    expect(computeMetrics(log)).toEqual({
      total: 4,
      successful: 2,
      failed: 2,
      successRate: 0.5,
      avgLatencyMs: 151500,
      p50LatencyMs: 2001,
      p95LatencyMs: 600000
    })
  })

  it('rounds half up', () => {
    const log = [
      line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'COMPLETED', latencyMs: 1 }),
      line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'FAILED', latencyMs: 2 })
    ].join('\n')
    expect(computeMetrics(log)).toMatchObject({ total: 2, successful: 1, failed: 1, avgLatencyMs: 2 })
  })

  it('counts an entry without a numeric latency but leaves it out of the mean', () => {
    const log = [
      line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'FAILED', latencyMs: 'slow' }),
      line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'COMPLETED', latencyMs: 900 })
    ].join('\n')
    expect(computeMetrics(log)).toEqual({ total: 2, successful: 1, failed: 1, successRate: 0.5, avgLatencyMs: 900, p50LatencyMs: 900, p95LatencyMs: 900 })
  })

  it('is all zeros for an empty log or one without deployments', () => {
    const zeros = { total: 0, successful: 0, failed: 0, successRate: 0, avgLatencyMs: 0, p50LatencyMs: 0, p95LatencyMs: 0 }
    expect(computeMetrics('')).toEqual(zeros)
    expect(computeMetrics(line({ action: 'BUNDLE_ASSESSMENT', finalStatus: 'ASSESSED' }))).toEqual(zeros)
  })

  it('gives the nearest-rank median and 95th percentile over every deployment, and the success rate to 4 decimals', () => {
    // 1..20 s in a shuffled order, 2 of 3 completed: p50 = 10th value, p95 = 19th value.
    const latencies = [7, 3, 19, 1, 12, 20, 5, 16, 9, 14, 2, 18, 11, 6, 15, 4, 13, 8, 17, 10].map(seconds => seconds * 1000)
    const log = latencies
      .map((latencyMs, index) => line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: index % 3 === 2 ? 'FAILED' : 'COMPLETED', latencyMs }))
      .join('\n')
    expect(computeMetrics(log)).toEqual({
      total: 20,
      successful: 14,
      failed: 6,
      successRate: 0.7,
      avgLatencyMs: 10500,
      p50LatencyMs: 10000,
      p95LatencyMs: 19000
    })
    const three = [1, 2, 3].map(latencyMs => line({ action: 'BUNDLE_DEPLOYMENT', finalStatus: latencyMs === 2 ? 'FAILED' : 'COMPLETED', latencyMs })).join('\n')
    expect(computeMetrics(three)).toMatchObject({ successRate: 0.6667, p50LatencyMs: 2, p95LatencyMs: 3 })
  })
})
