import { countResources, resourceChanges } from '../assess/diff.js'
import type { Plan } from '../assess/plan.js'
import { compareGroups, resourceNouns } from './resource-names.js'

/**
 * The plan in one log line, counted by resource: `Risk HIGH: flows 3 removed, 5 added, 292 modified; queues 1
 * modified`, or `Not assessed: the bundle has 14 problems` (an invalid bundle has no risk level). Plain text.
 */
export function planLogLine(plan: Plan): string {
  if (!plan.assessed) {
    const errors = plan.localFindings.filter(finding => finding.severity === 'error').length
    return errors > 0 ? `Not assessed: the bundle has ${errors} problem${errors === 1 ? '' : 's'} (listed above and in the job summary)` : 'Not assessed'
  }
  const { other } = resourceChanges(plan.diff)
  const parts = Object.entries(countResources(plan.diff).byGroup)
    .sort(([a], [b]) => compareGroups(a, b))
    .map(([group, counts]) => {
      const kinds = (['removed', 'added', 'modified'] as const).filter(kind => counts[kind] > 0).map(kind => `${counts[kind]} ${kind}`)
      return `${resourceNouns(group, 2)} ${kinds.join(', ')}`
    })
  if (other.length > 0) parts.push(`${other.length} other setting${other.length === 1 ? '' : 's'} changed`)
  return `Risk ${plan.impact.riskLevel}: ${parts.length > 0 ? parts.join('; ') : 'no changes'}`
}
