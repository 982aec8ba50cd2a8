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

/** Errors not annotated: the step's failure message (the tenth error annotation) says how many and where they are. */
export interface ErrorOverflow {
  more: number
  total: number
}

/** What to tell the runner: annotations in order, then plain log lines for the problems that got none. */
export interface FindingAnnotations {
  annotations: Annotation[]
  /** One line per problem that is not annotated (`file:line:column: error: message`), for the log. */
  logLines: string[]
  /** Set when errors were left out: the failure message must count them (see overflowNotice). */
  errorOverflow?: ErrorOverflow
}

/**
 * Annotates the findings in report order (errors first, by file and line), at most ANNOTATIONS_PER_LEVEL per level.
 * Errors beyond that are counted in the step's failure message, which is the tenth error annotation (a bundle with
 * 14 problems leaves 9 annotations, then the failure saying "and 5 more"); warnings beyond that get the ninth
 * warning annotation counting them. Every problem not annotated is written to the log. Pure.
 */
export function planFindingAnnotations(findings: readonly Finding[]): FindingAnnotations {
  const annotations: Annotation[] = []
  const logLines: string[] = []
  let errorOverflow: ErrorOverflow | undefined
  for (const level of ['error', 'warning'] as const) {
    const ofLevel = findings.filter(finding => finding.severity === level).sort(compareFindings)
    if (ofLevel.length <= ANNOTATIONS_PER_LEVEL) {
      for (const finding of ofLevel) annotations.push(toAnnotation(finding))
      continue
    }
    const annotated = ofLevel.slice(0, level === 'error' ? ANNOTATIONS_PER_LEVEL : ANNOTATIONS_PER_LEVEL - 1)
    const rest = ofLevel.slice(annotated.length)
    for (const finding of annotated) annotations.push(toAnnotation(finding))
    if (level === 'error') errorOverflow = { more: rest.length, total: ofLevel.length }
    else annotations.push(overflowAnnotation(level, rest.length, ofLevel.length))
    // A loop, not a spread: a bundle can have hundreds of thousands of problems, more than a call takes arguments.
    for (const finding of rest) logLines.push(logLine(finding))
  }
  return { annotations, logLines, ...(errorOverflow ? { errorOverflow } : {}) }
}

/** What the failure message adds when errors were left out: "… and 5 more problems: all 14 are in the job summary …". */
export function overflowNotice(overflow: ErrorOverflow): string {
  return (
    ` … and ${overflow.more} more problem${overflow.more === 1 ? '' : 's'}, not annotated (GitHub shows ${GITHUB_ANNOTATIONS_PER_LEVEL} error annotations per step): ` +
    `all ${overflow.total} are listed in the job summary of this run and in the log of this step.`
  )
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
