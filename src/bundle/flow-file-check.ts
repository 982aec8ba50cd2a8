/**
 * Checks one Archy flow file's text as it will be deployed: `{{placeholders}}` filled from the manifest's
 * `substitutions` as text (an undefined one, or a value that changes the YAML's structure, is an error), the result
 * read as YAML, its shape checked and the objects it names collected. Every finding points into the flow file on
 * disk (positions in the filled text are mapped back) and carries the manifest key that references the file.
 */
import type { ArchyReference, SourcePosition } from './bundle.js'
import {
  PlaceholderTokens,
  REFERENCE_NOUNS,
  archyReferences,
  checkFlowShape,
  findPlaceholders,
  findStructureChange,
  replacePlaceholders,
  type ArchyFlowKind,
  type Placeholder,
  type ReplacedText
} from './archy.js'
import type { Finding } from './finding.js'
import { identifierProblem } from './identifiers.js'
import { shownText } from './shown-text.js'
import { bySourcePosition } from './source-positions.js'
import { offsetPosition, readYamlSource, type YamlSource } from './yaml-source.js'
import { MAX_FLOW_FILE_BYTES } from '../workspace-file.js'
import { formatBytes } from '../byte-size.js'

/** How to check a flow file. */
export interface FlowFileCheckOptions {
  /** The flow file, workspace-relative: where findings point. */
  file: string
  /** The manifest key that references the file (`targetConfig.flows.main.file`): every finding's `path`. */
  manifestKeyPath: string
  substitutions: Readonly<Record<string, unknown>>
  /** True for the architect API: shape problems are errors; otherwise warnings (a file that parses will do). */
  requireArchyFlow: boolean
}

/** A checked flow file. */
export interface CheckedFlowFile {
  /** The text as deployed: placeholders filled. */
  text: string
  /** The flow's kind, when its top-level key is one Archy knows. */
  kind?: ArchyFlowKind
  /** The flow's platform name, when it has one. */
  name?: string
  /** What the flow names literally (empty when the file could not be read as a flow). */
  references: ArchyReference[]
  /** Problems, in the order they appear in the file. */
  findings: Finding[]
}

/** Checks `text`, the flow file's content as read from disk. */
export function checkFlowFileText(text: string, options: FlowFileCheckOptions): CheckedFlowFile {
  const placeholders = findPlaceholders(text)
  const read = placeholders.length === 0 ? readPlain(text, options) : readWithPlaceholders(text, placeholders, options)
  const findings = [...read.findings]
  let result: CheckedFlowFile = { text: read.text, references: [], findings }
  if (read.source !== undefined && !read.syntax) {
    const located = read.source
    const shapeSource = {
      data: located.data,
      file: options.file,
      positionAt: (dottedPath: string) => mapped(located.positionAt(dottedPath), read.replaced),
      rootPosition: () => mapped(located.rootPosition(), read.replaced) ?? { line: 1, column: 1 }
    }
    const shape = checkFlowShape(shapeSource)
    for (const finding of shape.findings) findings.push(options.requireArchyFlow ? finding : { ...finding, severity: 'warning' })
    const references = shape.key !== undefined ? archyReferences({ ...shapeSource, flowKind: shape.kind?.key }) : []
    // Each name goes into a look-up request's query: it must be a name as the manifest's are.
    for (const finding of referenceNameFindings(references)) findings.push(options.requireArchyFlow ? finding : { ...finding, severity: 'warning' })
    result = { text: read.text, references, findings, ...(shape.kind ? { kind: shape.kind } : {}), ...(shape.name !== undefined ? { name: shape.name } : {}) }
  }
  result.findings = findings.map(finding => ({ ...finding, path: options.manifestKeyPath })).sort(bySourcePosition)
  return result
}

/** A reference whose name is no name (a control character, blank, too long), at the reference. */
function referenceNameFindings(references: readonly ArchyReference[]): Finding[] {
  const findings: Finding[] = []
  for (const reference of references) {
    const problem = identifierProblem(reference.name, 'name')
    if (problem === undefined) continue
    const { file, line, column } = reference
    findings.push({ severity: 'error', file, line, column, message: `The ${REFERENCE_NOUNS[reference.kind]} named here ${problem}.` })
  }
  return findings
}

interface ReadFlowFile {
  /** The text as deployed. */
  text: string
  /** The read text, when there is data to check further. */
  source?: YamlSource
  /** How positions in the read text map back to the file; undefined when they are the file's own. */
  replaced?: ReplacedText
  /** True when `findings` hold syntax problems (nothing further is checked then). */
  syntax: boolean
  findings: Finding[]
}

function readPlain(text: string, options: FlowFileCheckOptions): ReadFlowFile {
  const source = readYamlSource(text, options.file, { format: 'YAML', recordPositions: true })
  const syntax = source.findings.some(finding => finding.severity === 'error')
  return { text, syntax, findings: source.findings, ...(syntax ? {} : { source }) }
}

function readWithPlaceholders(text: string, placeholders: readonly Placeholder[], options: FlowFileCheckOptions): ReadFlowFile {
  const { substitutions, file } = options
  const tokens = new PlaceholderTokens(text)
  const defined = (key: string): boolean => Object.hasOwn(substitutions, key)
  const valueOf = (key: string): string => (defined(key) ? String(substitutions[key]) : tokens.tokenOf(key))
  const withTokens = replacePlaceholders(text, placeholders, placeholder => tokens.tokenOf(placeholder.key))
  // Measured before it is built: a short file can name a long value many times.
  const oversize = oversizeFinding(text, placeholders, valueOf, withTokens, file)
  if (oversize !== undefined) return { text, syntax: true, findings: [oversize] }
  // An undefined placeholder keeps its token, so the rest of the file is still checked; the file has an error anyway.
  const filled = replacePlaceholders(text, placeholders, placeholder => valueOf(placeholder.key))
  const formed = findPlaceholders(filled.text)[0]
  if (formed !== undefined) return { text: filled.text, syntax: true, findings: [formedPlaceholderFinding(formed, filled, file)] }
  const undefinedFindings = placeholders
    .filter(placeholder => !defined(placeholder.key))
    .map(placeholder => undefinedPlaceholderFinding(placeholder, withTokens, file))

  if (placeholders.every(placeholder => INERT_VALUE.test(valueOf(placeholder.key)))) {
    // No value holds anything YAML reads as syntax: filling cannot change the structure, so one read will do.
    const filledRead = readYamlSource(filled.text, file, { format: 'YAML', recordPositions: true })
    const syntax = filledRead.findings.some(finding => finding.severity === 'error')
    const findings = [...undefinedFindings, ...filledRead.findings.map(finding => mappedFinding(finding, filled))]
    return { text: filled.text, syntax, findings, ...(syntax ? {} : { source: filledRead, replaced: filled }) }
  }
  const tokenRead = readYamlSource(withTokens.text, file, { format: 'YAML' })
  if (tokenRead.findings.some(finding => finding.severity === 'error')) {
    // The file is broken whatever the values: report its own syntax problems, at its own lines.
    return { text: filled.text, syntax: true, findings: [...undefinedFindings, ...tokenRead.findings.map(finding => mappedFinding(finding, withTokens))] }
  }
  const filledRead = readYamlSource(filled.text, file, { format: 'YAML', recordPositions: true })
  const filledError = filledRead.findings.find(finding => finding.severity === 'error')
  if (filledError !== undefined) {
    const placeholder = placeholderNear(filledError, filled, placeholders)
    return {
      text: filled.text,
      syntax: true,
      findings: [...undefinedFindings, brokenSyntaxFinding(placeholder, valueOf(placeholder.key), filledError, withTokens, file)]
    }
  }
  const change = findStructureChange(tokenRead.data, filledRead.data, tokens, valueOf)
  const changeFindings: Finding[] = []
  if (change !== undefined) {
    const key = change.keys.find(candidate => defined(candidate)) ?? change.keys[0]
    const placeholder = placeholders.find(candidate => candidate.key === key) ?? placeholders[0]
    changeFindings.push(structureChangeFinding(placeholder, valueOf(placeholder.key), change.path, withTokens, file))
  }
  // What is left of the filled read are the library's warnings: at their places in the file.
  const findings = [...undefinedFindings, ...changeFindings, ...filledRead.findings.map(finding => mappedFinding(finding, filled))]
  return { text: filled.text, source: filledRead, replaced: filled, syntax: changeFindings.length > 0, findings }
}

/** Most characters a flow file may hold once its placeholders are filled: what the file itself may hold. */
const MAX_FILLED_LENGTH = MAX_FLOW_FILE_BYTES

/** The file would be too long once filled: reported at the placeholder that adds the most. */
function oversizeFinding(
  text: string,
  placeholders: readonly Placeholder[],
  valueOf: (key: string) => string,
  withTokens: ReplacedText,
  file: string
): Finding | undefined {
  let length = text.length
  const added = new Map<string, number>()
  for (const placeholder of placeholders) {
    const growth = valueOf(placeholder.key).length - placeholder.length
    length += growth
    added.set(placeholder.key, (added.get(placeholder.key) ?? 0) + growth)
  }
  if (length <= MAX_FILLED_LENGTH) return undefined
  const [key] = [...added].reduce((most, entry) => (entry[1] > most[1] ? entry : most))
  const placeholder = placeholders.find(candidate => candidate.key === key) ?? placeholders[0]
  return {
    severity: 'error',
    file,
    ...withTokens.originalPosition(placeholder.offset),
    message:
      `Filled with its substitutions the flow file would hold ${formatBytes(length)} of text (\`${shownText(key)}\` adds the most); ` +
      `a flow file holds at most ${formatBytes(MAX_FILLED_LENGTH)}: shorten the values it uses, or use them less often.`
  }
}

/** Filling made a new placeholder (a value holds `{{` or `}}`): Archy would fill it in turn, so it is refused. */
function formedPlaceholderFinding(formed: Placeholder, filled: ReplacedText, file: string): Finding {
  return {
    severity: 'error',
    file,
    ...filled.toOriginal(offsetPosition(filled.text, formed.offset)),
    message:
      `Filled with its substitutions the flow file holds \`${shownText(filled.text.slice(formed.offset, formed.offset + formed.length))}\`, ` +
      'a placeholder the values made (one holds `{{` or `}}`): it would be uploaded as it is. Change the substitution values so that none holds `{{` or `}}`.'
  }
}

/**
 * A value that cannot act as YAML syntax wherever it is filled in (plain, quoted, block or flow context): letters,
 * digits, spaces and a few punctuation marks that are never indicators, not starting with a space or a mark. The
 * inert tokens of undefined placeholders pass too.
 */
const INERT_VALUE = /^[\p{L}\p{N}](?:[\p{L}\p{N} _./()+=-]*[\p{L}\p{N}_./()+=-])?$/u

function undefinedPlaceholderFinding(placeholder: Placeholder, text: ReplacedText, file: string): Finding {
  const key = shownText(placeholder.key)
  return {
    severity: 'error',
    file,
    ...text.originalPosition(placeholder.offset),
    message:
      `The flow file uses \`{{${key}}}\`, which the manifest's \`substitutions\` does not define; ` +
      `add \`${key}\` under \`substitutions\`, or remove the placeholder: a flow is never deployed with one left in it.`
  }
}

function brokenSyntaxFinding(placeholder: Placeholder, value: string, error: Finding, withTokens: ReplacedText, file: string): Finding {
  const key = shownText(placeholder.key)
  return {
    severity: 'error',
    file,
    ...withTokens.originalPosition(placeholder.offset),
    message:
      `Filling \`{{${key}}}\` with the substitution \`${key}\` (\`${shownText(value)}\`) breaks the YAML of the flow file ` +
      `(${error.message.replace(/\.$/, '')}). ${valueFix(key, value)}`
  }
}

function structureChangeFinding(placeholder: Placeholder, value: string, path: readonly (string | number)[], withTokens: ReplacedText, file: string): Finding {
  const key = shownText(placeholder.key)
  const where = path.length > 0 ? ` at \`${shownText(path.join('.'))}\`` : ''
  return {
    severity: 'error',
    file,
    ...withTokens.originalPosition(placeholder.offset),
    message:
      `The substitution \`${key}\` (\`${shownText(value)}\`) changes the structure of the flow's YAML where \`{{${key}}}\` ` +
      `is used${where}: the deployed flow would not be the one written. ${valueFix(key, value)}`
  }
}

/** Which characters of a value act as YAML syntax, and the fix. */
function valueFix(key: string, value: string): string {
  const holds = [
    value.includes(': ') || value.endsWith(':') ? '`: `' : '',
    value.includes(' #') ? '` #`' : '',
    /^[-[\]{}&*!|>'"%@`,?]/.test(value) ? `a leading \`${value[0]}\`` : '',
    /[\r\n]/.test(value) ? 'a line break' : ''
  ].filter(Boolean)
  const what = holds.length > 0 ? `Its value holds ${holds.join(', ')}, which YAML reads as syntax: ` : ''
  return `${what}put the placeholder in quotes (\`"{{${key}}}"\`) or in a block scalar, or change the value.`
}

/** The placeholder the filled text's first error comes from: the last one starting at or before it. */
function placeholderNear(error: Finding, filled: ReplacedText, placeholders: readonly Placeholder[]): Placeholder {
  const original = filled.toOriginal({ line: error.line ?? 1, column: error.column ?? 1 })
  const errorOffset = offsetOf(filled.original, original)
  let nearest = placeholders[0]
  for (const placeholder of placeholders) if (placeholder.offset <= errorOffset) nearest = placeholder
  return nearest
}

function offsetOf(text: string, position: SourcePosition): number {
  let offset = 0
  for (let line = 1; line < position.line; line++) {
    const newline = text.indexOf('\n', offset)
    if (newline === -1) break
    offset = newline + 1
  }
  return offset + position.column - 1
}

function mapped(position: SourcePosition | undefined, replaced: ReplacedText | undefined): SourcePosition | undefined {
  return position === undefined || replaced === undefined ? position : replaced.toOriginal(position)
}

function mappedFinding(finding: Finding, replaced: ReplacedText): Finding {
  if (finding.line === undefined) return finding
  return { ...finding, ...replaced.toOriginal({ line: finding.line, column: finding.column ?? 1 }) }
}
