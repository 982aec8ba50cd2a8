/** One problem found in the bundle, with where it is, so it can become a GitHub annotation. */
export interface Finding {
  /** `error` stops the run before any request; `warning` is reported only. */
  severity: 'error' | 'warning'
  /** What is wrong and how to fix it, naming the key or file involved. */
  message: string
  /** File the problem is in, relative to the workspace when possible. */
  file: string
  /** 1-based line and column, when known. */
  line?: number
  column?: number
  /** Dotted path of the manifest key involved (`dependencyMatrix.order.1`), when there is one. */
  path?: string
}

/** True when any finding is an error. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some(f => f.severity === 'error')
}
