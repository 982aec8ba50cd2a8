/**
 * Findings as GitHub annotations: main passes the result to `core.error` / `core.warning`,
 * so each problem shows on the file and line of the pull request's diff.
 */
import type { AnnotationProperties } from '@actions/core'
import type { Finding } from './finding.js'

/** One annotation, ready for `core[level](message, properties)`. */
export interface Annotation {
  level: 'error' | 'warning'
  message: string
  properties: AnnotationProperties
}

/** Maps a finding onto an annotation. Line and column are passed only when the finding knows them. */
export function toAnnotation(finding: Finding): Annotation {
  const title = finding.path ? `Genesys bundle: ${finding.path}` : 'Genesys bundle'
  const position = finding.line === undefined ? {} : { startLine: finding.line, ...(finding.column === undefined ? {} : { startColumn: finding.column }) }
  return {
    level: finding.severity,
    message: finding.message,
    properties: { title, file: finding.file, ...position }
  }
}
