/**
 * A separate process that appends audit entries, for the concurrency tests: `tsx append-audit-entries.ts <log> <count>
 * <label> <startAtMs>`. Waits until `startAtMs` so that every process starts appending at the same moment.
 */
import { appendAuditEntry, type AuditEntry } from '../src/record/audit-log.js'

const [path, countText, label, startAtText] = process.argv.slice(2)
if (!path || !countText || !label || !startAtText) throw new Error('usage: append-audit-entries.ts <log> <count> <label> <startAtMs>')

const entry = (index: number): AuditEntry => ({
  action: 'BUNDLE_DEPLOYMENT',
  bundleId: 'contact-center-core',
  environmentId: 'prod-7f3a',
  deploymentId: `${label}-${index}`,
  finalStatus: 'COMPLETED',
  latencyMs: index,
  configurationDiff: { paths: { added: 0, removed: 0, modified: 0 }, resources: {}, otherPaths: 0 },
  riskLevel: 'LOW',
  timestamp: new Date().toISOString(),
  governanceTag: 'INFRASTRUCTURE_UPDATE',
  repository: 'acme/cc-config',
  sha: 'abc',
  ref: 'refs/heads/main',
  actor: label,
  runUrl: '',
  eventName: 'push',
  fingerprint: 'f'.repeat(64)
})

await new Promise(resolve => setTimeout(resolve, Math.max(0, Number(startAtText) - Date.now())))
for (let index = 0; index < Number(countText); index++) {
  const { warning } = await appendAuditEntry(path, entry(index))
  if (warning) process.stderr.write(`${warning}\n`)
}
