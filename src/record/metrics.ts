import { FinalStatus } from '../constants.js'
import { AuditAction } from './audit-entry.js'

/** Deployment metrics over an audit log (the output `metrics`). */
export interface DeploymentMetrics {
  /** Deployment entries in the log. */
  total: number
  /** Entries whose `finalStatus` is COMPLETED. */
  successful: number
  /** All other deployment entries (failed, rolled back, timed out, validation failed, cancelled). */
  failed: number
  /** successful / total, from 0 to 1, rounded to 4 decimals; 0 when there are none. */
  successRate: number
  /** Mean `latencyMs` of the deployment entries, rounded to a whole millisecond; 0 when there are none. */
  avgLatencyMs: number
  /** Median `latencyMs` (nearest rank); 0 when there are none. */
  p50LatencyMs: number
  /** 95th percentile of `latencyMs` (nearest rank: the value 95 % of deployments took at most); 0 when there are none. */
  p95LatencyMs: number
}

/**
 * Computes the metrics of the deployment entries (`action: BUNDLE_DEPLOYMENT`) of an audit log's text: the history
 * branch's file when there is one, else the local log. Assessment entries are not deployments and are left out. Lines
 * that are not JSON objects are skipped: a damaged line is reported by verifyAuditLog, it should not also hide the rest
 * of the history. An entry without a finite numeric `latencyMs` counts in the totals but not in the latencies.
 */
export function computeMetrics(auditText: string): DeploymentMetrics {
  let total = 0
  let successful = 0
  const latencies: number[] = []
  for (const entry of deploymentEntries(auditText)) {
    total++
    if (entry.finalStatus === FinalStatus.Completed) successful++
    if (typeof entry.latencyMs === 'number' && Number.isFinite(entry.latencyMs)) latencies.push(entry.latencyMs)
  }
  latencies.sort((a, b) => a - b)
  const sum = latencies.reduce((running, latency) => running + latency, 0)
  return {
    total,
    successful,
    failed: total - successful,
    successRate: total === 0 ? 0 : Math.round((successful / total) * 10_000) / 10_000,
    avgLatencyMs: latencies.length === 0 ? 0 : Math.round(sum / latencies.length),
    p50LatencyMs: nearestRank(latencies, 50),
    p95LatencyMs: nearestRank(latencies, 95)
  }
}

/** The nearest-rank percentile of sorted values: the smallest value that `percent` % of them do not exceed. */
function nearestRank(sorted: readonly number[], percent: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.ceil((percent / 100) * sorted.length)
  return Math.round(sorted[Math.min(sorted.length, Math.max(1, rank)) - 1])
}

/** The deployment entries of an audit log's text, as parsed objects; other and damaged lines are skipped. */
export function* deploymentEntries(auditText: string): Generator<Record<string, unknown>> {
  for (const line of auditText.split(/\r?\n/)) {
    if (line.trim() === '') continue
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      continue
    }
    if (parsed !== null && typeof parsed === 'object' && (parsed as Record<string, unknown>).action === AuditAction.Deployment) {
      yield parsed as Record<string, unknown>
    }
  }
}
