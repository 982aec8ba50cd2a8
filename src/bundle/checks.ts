/**
 * Local checks of a parsed manifest, before any request: the schema (every zod issue becomes a finding at
 * the offending key) and the rules the schema cannot express (install order, capacity, an empty bundle).
 * Pure: works on the parsed document and the source positions of its keys, and reports all problems at once.
 */
import { z } from 'zod'
import { closestName } from './closest-name.js'
import type { Finding } from './finding.js'
import { checkIdentifiers } from './identifier-checks.js'
import { bySourcePosition, findingAt, shownPath, type PathSegment, type SourcePositions } from './source-positions.js'
import { CapacityConstraintsSchema, DependencyMatrixSchema, ManifestSchema, RESOURCE_GROUPS, TargetConfigSchema, type Manifest } from './manifest.js'
import { isMapping } from '../mapping.js'
import { escapeInvisible, shownText } from './shown-text.js'

export { closestName } from './closest-name.js'
export { bySourcePosition, joinPath, positionOf, shownPath, type SourcePositions } from './source-positions.js'

/** The parts of a manifest the rules below look at; any may be missing when its section failed the schema. */
export type ManifestSections = Partial<Pick<Manifest, 'capacityConstraints' | 'dependencyMatrix' | 'targetConfig'>>

/** Outcome of {@link checkManifest}. */
export interface ManifestCheck {
  /** The schema-valid manifest; undefined when the schema rejected it. */
  manifest?: Manifest
  /** The sections that passed the schema on their own, so later checks (flow files) still run on them. */
  sections: ManifestSections
  /** Every problem found, in source order. */
  findings: Finding[]
}

/**
 * Runs the schema and every rule on a parsed manifest document.
 * When the schema fails, the rules still run on the sections that are valid by themselves,
 * so that one typo does not hide the other problems until the next run.
 */
export function checkManifest(document: unknown, positions: SourcePositions, file: string): ManifestCheck {
  const parsed = ManifestSchema.safeParse(document)
  const sections = parsed.success ? parsed.data : salvageSections(document)
  const findings = [
    ...(parsed.success ? [] : schemaFindings(parsed.error.issues, document, positions, file)),
    ...checkIdentifiers(document, positions, file),
    ...checkSections(sections, positions, file)
  ]
  return { manifest: parsed.success ? parsed.data : undefined, sections, findings: findings.sort(bySourcePosition) }
}

/** The rules the schema cannot express, on whatever sections are valid. */
export function checkSections(sections: ManifestSections, positions: SourcePositions, file: string): Finding[] {
  return [
    ...checkGroupOrder(sections, positions, file),
    ...checkCapacity(sections, positions, file),
    ...checkNotEmpty(sections, positions, file),
    ...checkDependencyRepeats(sections, positions, file),
    ...checkSharedFlowFiles(sections, positions, file)
  ]
}

/** Parses each checked section on its own, keeping those that are valid. */
function salvageSections(document: unknown): ManifestSections {
  if (!isMapping(document)) return {}
  const capacity = CapacityConstraintsSchema.safeParse(document.capacityConstraints)
  const matrix = DependencyMatrixSchema.safeParse(document.dependencyMatrix)
  const target = TargetConfigSchema.safeParse(document.targetConfig)
  return {
    ...(capacity.success && document.capacityConstraints !== undefined ? { capacityConstraints: capacity.data } : {}),
    ...(matrix.success && document.dependencyMatrix !== undefined ? { dependencyMatrix: matrix.data } : {}),
    ...(target.success ? { targetConfig: target.data } : {})
  }
}

// ---------------------------------------------------------------------------------------------------------
// Schema issues

/** Turns every zod issue into a finding at the offending key, naming the dotted path, the value and the fix. */
export function schemaFindings(issues: readonly z.core.$ZodIssue[], document: unknown, positions: SourcePositions, file: string): Finding[] {
  return issues.flatMap(issue => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(key => findingAt('error', unknownKeyMessage(issue.path, key), file, [...issue.path, key], positions))
    }
    return [findingAt('error', issueMessage(issue, valueAt(document, issue.path)), file, issue.path, positions)]
  })
}

function unknownKeyMessage(parentPath: readonly PathSegment[], key: string): string {
  const allowed = allowedKeysAt(parentPath)
  const suggestion = closestName(key, allowed)
  const hint = suggestion ? `did you mean \`${suggestion}\`? ` : 'remove it or fix its spelling. '
  const where = parentPath.length === 0 ? 'at the top level' : `under \`${shownPath(parentPath)}\``
  return `\`${shownPath([...parentPath, key])}\` is not a known key; ${hint}Allowed ${where}: ${allowed.join(', ')}`
}

function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  const name = `\`${shownPath(issue.path) || '(manifest)'}\``
  const key = String(issue.path.at(-1) ?? '')
  switch (issue.code) {
    case 'invalid_type':
      return invalidTypeMessage(name, key, issue.expected, value, issue.path)
    case 'too_small':
      return tooSmallMessage(name, issue.origin, Number(issue.minimum), value)
    case 'too_big':
      return `${name} is ${quoteValue(value)}; it must be at most ${String(issue.maximum)}.`
    case 'invalid_format':
      return `${name} is ${quoteValue(value)}: ${issue.message}.`
    case 'invalid_key':
      return `${name}: the name ${quoteValue(key)} is not allowed: ${issue.issues[0]?.message ?? issue.message}.`
    case 'invalid_union': {
      const expected = unique(issue.errors.flat().map(inner => ('expected' in inner ? String(inner.expected) : '')))
      return `${name} is ${describeValue(value)}; it must be ${listWords(expected.map(expectedWords))}.`
    }
    default:
      return `${name}: ${issue.message}.`
  }
}

function invalidTypeMessage(name: string, key: string, expected: string, value: unknown, path: readonly PathSegment[]): string {
  const wanted = expectedWords(expected)
  if (value === undefined) {
    const where = path.length <= 1 ? 'the top level of the manifest' : `\`${shownPath(path.slice(0, -1))}\``
    return `${name} is missing; add it to ${where} as ${wanted}.`
  }
  if (value === null) return `${name} has no value; give it ${wanted}.`
  return `${name} is ${describeValue(value)}; it must be ${wanted}.${typeFixHint(key, expected, value)}`
}

/** The one-line fix for the type slips YAML makes easy (numbers that should be text and the reverse). */
function typeFixHint(key: string, expected: string, value: unknown): string {
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return ` Quote it: \`${key}: "${String(value)}"\`.`
  }
  if ((expected === 'number' || expected === 'int') && typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) {
    return ` Write it without quotes: \`${key}: ${value}\`.`
  }
  if (expected === 'boolean' && typeof value === 'string') {
    return ` Write \`${key}: true\` or \`${key}: false\`.`
  }
  return ''
}

function tooSmallMessage(name: string, origin: string, minimum: number, value: unknown): string {
  if (origin === 'string') return `${name} is empty; set it to a non-empty value or remove the key.`
  if (origin === 'array') return `${name} must list at least ${minimum} item(s).`
  return `${name} is ${quoteValue(value)}; it must be ${minimum} or more.`
}

const EXPECTED_WORDS: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: '`true`/`false`',
  object: 'a mapping of keys',
  record: 'a mapping of keys',
  array: 'a list'
}

function expectedWords(expected: string): string {
  return EXPECTED_WORDS[expected] ?? expected
}

/** Keys the schema allows in the object at `path` (for "did you mean" and the allowed list). */
function allowedKeysAt(path: readonly PathSegment[]): string[] {
  const schema = schemaAt(ManifestSchema, path)
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : []
}

/** Walks the schema along a document path: objects by key, records and lists by their element. */
function schemaAt(root: z.ZodType, path: readonly PathSegment[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrapOptional(root)
  for (const segment of path) {
    if (current instanceof z.ZodObject) current = (current.shape as Record<string, z.ZodType>)[String(segment)]
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType
    else return undefined
    if (current === undefined) return undefined
    current = unwrapOptional(current)
  }
  return current
}

function unwrapOptional(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? unwrapOptional(schema.unwrap() as z.ZodType) : schema
}

// ---------------------------------------------------------------------------------------------------------
// Rules beyond the schema

/**
 * `dependencyMatrix.order` names only known groups, each once, and leaves out no group that targetConfig
 * fills: the deploy installs groups in exactly this order, so a group left out would not install.
 */
export function checkGroupOrder(sections: ManifestSections, positions: SourcePositions, file: string): Finding[] {
  const order = sections.dependencyMatrix?.order
  if (order === undefined) return []
  const known: readonly string[] = RESOURCE_GROUPS
  const findings: Finding[] = []
  const firstIndex = new Map<string, number>()
  order.forEach((group, index) => {
    const itemPath = ['dependencyMatrix', 'order', index]
    const first = firstIndex.get(group)
    if (first === undefined) firstIndex.set(group, index)
    if (!known.includes(group)) {
      const suggestion = closestName(group, known)
      const fix = suggestion ? `did you mean \`${suggestion}\`?` : `use only ${listWords(known.map(g => `\`${g}\``))}.`
      const message = `\`dependencyMatrix.order\` names \`${shownText(group)}\`, which is not a group of targetConfig ` + `(${known.join(', ')}); ${fix}`
      findings.push(findingAt('error', message, file, itemPath, positions))
    } else if (first !== undefined) {
      const message = `\`dependencyMatrix.order\` names \`${group}\` twice (items ${first} and ${index}); list each group once.`
      findings.push(findingAt('error', message, file, itemPath, positions))
    }
  })
  for (const group of RESOURCE_GROUPS) {
    const names = Object.keys(sections.targetConfig?.[group] ?? {})
    if (names.length === 0 || firstIndex.has(group)) continue
    const message =
      `\`dependencyMatrix.order\` leaves out \`${group}\`, which targetConfig defines (${listNames(names)}); ` +
      `add \`${group}\` to \`order\`, since only the groups it names are installed.`
    findings.push(findingAt('error', message, file, ['dependencyMatrix', 'order'], positions))
  }
  return findings
}

/** How many entries of each group `capacityConstraints` limits, with the limit's key. */
const CAPACITY_LIMITS = [
  { group: 'flows', limitKey: 'maxFlowCount' },
  { group: 'queues', limitKey: 'maxQueueCount' }
] as const

/** Counts of flows and queues in targetConfig within `capacityConstraints`. */
export function checkCapacity(sections: ManifestSections, positions: SourcePositions, file: string): Finding[] {
  const constraints = sections.capacityConstraints
  if (constraints === undefined) return []
  return CAPACITY_LIMITS.flatMap(({ group, limitKey }) => {
    const limit = constraints[limitKey]
    const count = Object.keys(sections.targetConfig?.[group] ?? {}).length
    if (limit === undefined || count <= limit) return []
    const message =
      `targetConfig defines ${count} ${group}, more than \`capacityConstraints.${limitKey}\` (${limit}); ` +
      `remove ${count - limit} of them or raise \`${limitKey}\` to at least ${count}.`
    return [findingAt('error', message, file, ['capacityConstraints', limitKey], positions)]
  })
}

/** A bundle with no flows and no queues deploys nothing: almost always a mistake, but not a harmful one. */
export function checkNotEmpty(sections: ManifestSections, positions: SourcePositions, file: string): Finding[] {
  const target = sections.targetConfig
  if (target === undefined) return []
  const entries = RESOURCE_GROUPS.reduce((sum, group) => sum + Object.keys(target[group] ?? {}).length, 0)
  if (entries > 0) return []
  const message =
    '`targetConfig` defines no flows or queues, so there is nothing to deploy; ' + 'add entries under `targetConfig.flows` or `targetConfig.queues`.'
  return [findingAt('warning', message, file, ['targetConfig'], positions)]
}

/** A name listed twice in a dependency group is harmless but usually a copy-paste slip. */
export function checkDependencyRepeats(sections: ManifestSections, positions: SourcePositions, file: string): Finding[] {
  return RESOURCE_GROUPS.flatMap(group => {
    const seen = new Set<string>()
    return (sections.dependencyMatrix?.[group] ?? []).flatMap((name, index) => {
      if (!seen.has(name)) {
        seen.add(name)
        return []
      }
      const message = `\`dependencyMatrix.${group}\` lists \`${shownText(name)}\` twice; list it once.`
      return [findingAt('warning', message, file, ['dependencyMatrix', group, index], positions)]
    })
  })
}

/** Two flows deploying the same Archy file would publish one flow twice: usually a copy-paste slip. */
export function checkSharedFlowFiles(sections: ManifestSections, positions: SourcePositions, file: string): Finding[] {
  const firstFlowByFile = new Map<string, string>()
  const findings: Finding[] = []
  for (const [flow, entry] of Object.entries(sections.targetConfig?.flows ?? {})) {
    if (entry.file === undefined) continue
    const normalized = normalizeRelativePath(entry.file)
    const first = firstFlowByFile.get(normalized)
    if (first === undefined) {
      firstFlowByFile.set(normalized, flow)
      continue
    }
    const message =
      `\`targetConfig.flows.${shownText(flow)}.file\` is \`${shownText(entry.file)}\`, the same file as flow \`${shownText(first)}\`; ` +
      'give each flow its own Archy file, or remove one of the two flows.'
    findings.push(findingAt('warning', message, file, ['targetConfig', 'flows', flow, 'file'], positions))
  }
  return findings
}

function normalizeRelativePath(reference: string): string {
  const segments: string[] = []
  for (const segment of reference.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..' && segments.length > 0 && segments.at(-1) !== '..') segments.pop()
    else segments.push(segment)
  }
  return segments.join('/')
}

// ---------------------------------------------------------------------------------------------------------
// Shared helpers of the findings above

/** Names as a message lists them: the first few, then how many more. */
function listNames(names: readonly string[]): string {
  const shown = names
    .slice(0, 5)
    .map(name => shownText(name))
    .join(', ')
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown
}

function valueAt(document: unknown, path: readonly PathSegment[]): unknown {
  let current = document
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<PropertyKey, unknown>)[segment]
  }
  return current
}

/** "`"500"` (text)", "a list": the value as the message shows it, short. */
function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (isMapping(value)) return 'a mapping'
  if (value === null) return 'empty'
  const kind = typeof value === 'string' ? 'text' : typeof value === 'number' ? 'a number' : '`true`/`false`'
  return `${quoteValue(value)} (${kind})`
}

const MAX_QUOTED_LENGTH = 60

function quoteValue(value: unknown): string {
  // Cut before encoding: the value may be megabytes long.
  const short = typeof value === 'string' && value.length > MAX_QUOTED_LENGTH ? value.slice(0, MAX_QUOTED_LENGTH) : value
  const json = JSON.stringify(short) ?? String(short)
  const shown = json.length > MAX_QUOTED_LENGTH ? `${json.slice(0, MAX_QUOTED_LENGTH - 1)}…` : json
  return `\`${escapeInvisible(shown)}\``
}

function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)]
}
