import { FinalStatus } from '../constants.js'
import { AuditAction } from './audit-log.js'

/** Deployment metrics over an audit log (the output `metrics`). */
export interface DeploymentMetrics {
  /** Deployment entries in the log. */
  total: number
  /** Entries whose `finalStatus` is COMPLETED. */
  successful: number
  /** All other deployment entries (failed, rolled back, timed out, validation failed). */
  failed: number
  /** Mean `latencyMs` of the deployment entries, rounded to a whole millisecond; 0 when there are none. */
  avgLatencyMs: number
}

/**
 * Computes the metrics of the deployment entries (`action: BUNDLE_DEPLOYMENT`) of an audit log's text.
 * Assessment entries are not deployments and are left out. Lines that are not JSON objects are skipped:
 * a damaged line is reported by verifyAuditLog, it should not also hide the rest of the history.
 * An entry without a numeric `latencyMs` counts in the totals but not in the average.
 */
export function computeMetrics(auditText: string): DeploymentMetrics {
  let total = 0
  let successful = 0
  let latencySum = 0
  let latencyCount = 0
  for (const entry of deploymentEntries(auditText)) {
    total++
    if (entry.finalStatus === FinalStatus.Completed) successful++
    if (typeof entry.latencyMs === 'number' && Number.isFinite(entry.latencyMs)) {
      latencySum += entry.latencyMs
      latencyCount++
    }
  }
  return {
    total,
    successful,
    failed: total - successful,
    avgLatencyMs: latencyCount === 0 ? 0 : Math.round(latencySum / latencyCount)
  }
}

function* deploymentEntries(auditText: string): Generator<Record<string, unknown>> {
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
