import type { ActionRunResult } from '../simulator/run-action.js'

/**
 * Throws an instruction when a run of dist/index.js did not end as a benchmark expects (a stale or broken dist/,
 * a changed input): the time of a run that went wrong measures nothing.
 */
export function expectActionStatus(result: ActionRunResult, status: string, exitCode: number): void {
  if (result.exitCode === exitCode && result.outputs.status === status) return
  const errors = result.annotations.filter(line => line.startsWith('::error')).slice(0, 3)
  const stderrTail = result.stderr.trim().split('\n').slice(-3).join(' | ')
  const detail = [...errors, stderrTail].filter(Boolean).join(' / ')
  throw new Error(
    `dist/index.js ended with exit code ${result.exitCode} and status ${JSON.stringify(result.outputs.status ?? '')}, ` +
      `expected ${exitCode} and ${status}${detail ? `: ${detail}` : ''}. Rebuild dist/ (npm run build) if it is stale.`
  )
}
