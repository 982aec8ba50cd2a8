/**
 * The bundle's problems as GitHub annotations, within what GitHub shows: 10 error and 10 warning annotations per step
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands, "annotations"). Beyond that
 * they are dropped from the checks view without a word, and with them the step's own failure message, which is an
 * error annotation too. So each level gets ANNOTATIONS_PER_LEVEL annotations, one of them saying how many more
 * problems there are and where to read them all; every problem not annotated is still written to the log.
 */
import { toAnnotation, type Annotation } from '../bundle/annotation.js'
import type { Finding } from '../bundle/finding.js'
import { compareFindings } from './report-model.js'

/** GitHub shows this many annotations of each level per step. */
export const GITHUB_ANNOTATIONS_PER_LEVEL = 10

/**
 * Annotations of each level the findings may use: one less than GitHub shows, which leaves the tenth error for the
 * step's failure message (`setFailed`) and the tenth warning for the run's own warnings.
 */
export const ANNOTATIONS_PER_LEVEL = GITHUB_ANNOTATIONS_PER_LEVEL - 1

/** What to tell the runner: annotations in order, then plain log lines for the problems that got none. */
export interface FindingAnnotations {
  annotations: Annotation[]
  /** One line per problem that is not annotated (`file:line:column: error: message`), for the log. */
  logLines: string[]
}

/**
 * Annotates the findings in report order (errors first, by file and line), at most ANNOTATIONS_PER_LEVEL per level.
 * When a level has more, the first ANNOTATIONS_PER_LEVEL - 1 are annotated and the last annotation counts the rest and
 * says where they are listed (the job summary, and this step's log). Pure.
 */
export function planFindingAnnotations(findings: readonly Finding[]): FindingAnnotations {
  const annotations: Annotation[] = []
  const logLines: string[] = []
  for (const level of ['error', 'warning'] as const) {
    const ofLevel = findings.filter(finding => finding.severity === level).sort(compareFindings)
    if (ofLevel.length <= ANNOTATIONS_PER_LEVEL) {
      annotations.push(...ofLevel.map(toAnnotation))
      continue
    }
    const annotated = ofLevel.slice(0, ANNOTATIONS_PER_LEVEL - 1)
    const rest = ofLevel.slice(annotated.length)
    annotations.push(...annotated.map(toAnnotation), overflowAnnotation(level, rest.length, ofLevel.length))
    logLines.push(...rest.map(logLine))
  }
  return { annotations, logLines }
}

function overflowAnnotation(level: Finding['severity'], more: number, total: number): Annotation {
  const noun = level === 'error' ? 'problem' : 'warning'
  const nouns = `${noun}${more === 1 ? '' : 's'}`
  return {
    level,
    message:
      `${more} more ${nouns} in the bundle ${more === 1 ? 'is' : 'are'} not annotated here: GitHub shows ${GITHUB_ANNOTATIONS_PER_LEVEL} ${level} annotations per step. ` +
      `All ${total} are listed in the job summary of this run and in the log of this step.`,
    properties: { title: `Genesys bundle: ${more} more ${nouns}` }
  }
}

/** `genesys/bundle.yaml:12:3: error: message`, the form editors and problem matchers read. */
function logLine(finding: Finding): string {
  const position = finding.line === undefined ? '' : `:${finding.line}${finding.column === undefined ? '' : `:${finding.column}`}`
  return `${finding.file}${position}: ${finding.severity}: ${finding.message}`
}
