/**
 * Local checks of a parsed manifest, before any request: the schema (every zod issue becomes a finding at
 * the offending key) and the rules the schema cannot express (install order, capacity, an empty bundle).
 * Pure: works on the parsed document and the source positions of its keys, and reports all problems at once.
 */
import { z } from 'zod'
import type { SourcePosition } from './bundle.js'
import type { Finding } from './finding.js'
import {
  CapacityConstraintsSchema,
  DependencyMatrixSchema,
  ManifestSchema,
  RESOURCE_GROUPS,
  TargetConfigSchema,
  type Manifest
} from './manifest.js'
import { isMapping } from '../mapping.js'

/** Source position of each manifest key (and list item) by dotted path, as the loader collects them. */
export type SourcePositions = Readonly<Record<string, SourcePosition>>

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

type PathSegment = PropertyKey

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
export function schemaFindings(
  issues: readonly z.core.$ZodIssue[],
  document: unknown,
  positions: SourcePositions,
  file: string
): Finding[] {
  return issues.flatMap(issue => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(key =>
        findingAt('error', unknownKeyMessage(issue.path, key), file, [...issue.path, key], positions)
      )
    }
    return [findingAt('error', issueMessage(issue, valueAt(document, issue.path)), file, issue.path, positions)]
  })
}

function unknownKeyMessage(parentPath: readonly PathSegment[], key: string): string {
  const allowed = allowedKeysAt(parentPath)
  const suggestion = closestName(key, allowed)
  const hint = suggestion ? `did you mean \`${suggestion}\`? ` : 'remove it or fix its spelling. '
  const where = parentPath.length === 0 ? 'at the top level' : `under \`${joinPath(parentPath)}\``
  return `\`${joinPath([...parentPath, key])}\` is not a known key; ${hint}Allowed ${where}: ${allowed.join(', ')}`
}

function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  const name = `\`${joinPath(issue.path) || '(manifest)'}\``
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

function invalidTypeMessage(
  name: string,
  key: string,
  expected: string,
  value: unknown,
  path: readonly PathSegment[]
): string {
  const wanted = expectedWords(expected)
  if (value === undefined) {
    const where = path.length <= 1 ? 'the top level of the manifest' : `\`${joinPath(path.slice(0, -1))}\``
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
  order.forEach((group, index) => {
    const itemPath = ['dependencyMatrix', 'order', index]
    if (!known.includes(group)) {
      const suggestion = closestName(group, known)
      const fix = suggestion ? `did you mean \`${suggestion}\`?` : `use only ${listWords(known.map(g => `\`${g}\``))}.`
      const message =
        `\`dependencyMatrix.order\` names \`${group}\`, which is not a group of targetConfig ` +
        `(${known.join(', ')}); ${fix}`
      findings.push(findingAt('error', message, file, itemPath, positions))
    } else if (order.indexOf(group) < index) {
      const message =
        `\`dependencyMatrix.order\` names \`${group}\` twice (items ${order.indexOf(group)} and ${index}); ` +
        'list each group once.'
      findings.push(findingAt('error', message, file, itemPath, positions))
    }
  })
  for (const group of RESOURCE_GROUPS) {
    const names = Object.keys(sections.targetConfig?.[group] ?? {})
    if (names.length === 0 || order.includes(group)) continue
    const message =
      `\`dependencyMatrix.order\` leaves out \`${group}\`, which targetConfig defines (${names.join(', ')}); ` +
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
    '`targetConfig` defines no flows or queues, so there is nothing to deploy; ' +
    'add entries under `targetConfig.flows` or `targetConfig.queues`.'
  return [findingAt('warning', message, file, ['targetConfig'], positions)]
}

/** A name listed twice in a dependency group is harmless but usually a copy-paste slip. */
export function checkDependencyRepeats(
  sections: ManifestSections,
  positions: SourcePositions,
  file: string
): Finding[] {
  return RESOURCE_GROUPS.flatMap(group => {
    const names = sections.dependencyMatrix?.[group] ?? []
    return names.flatMap((name, index) => {
      if (names.indexOf(name) === index) return []
      const message = `\`dependencyMatrix.${group}\` lists \`${name}\` twice; list it once.`
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
      `\`targetConfig.flows.${flow}.file\` is \`${entry.file}\`, the same file as flow \`${first}\`; ` +
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

/**
 * The candidate closest to `name` (case-insensitive edit distance, transpositions count once), or undefined
 * when none is close enough to be a plausible typo.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3))
  let best: { candidate: string; distance: number } | undefined
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase())
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance }
  }
  return best?.candidate
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) rows[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1)
      }
    }
  }
  return rows[a.length][b.length]
}

/** Dotted form of a document path (`dependencyMatrix.order.1`). */
export function joinPath(path: readonly PathSegment[]): string {
  return path.map(String).join('.')
}

/**
 * Where to point for a path: the key itself, else its nearest ancestor that exists in the source
 * (a missing key is reported at its parent), else the top of the file.
 */
export function positionOf(path: readonly PathSegment[], positions: SourcePositions): SourcePosition {
  for (let length = path.length; length > 0; length--) {
    const position = positions[joinPath(path.slice(0, length))]
    if (position !== undefined) return position
  }
  return { line: 1, column: 1 }
}

function findingAt(
  severity: Finding['severity'],
  message: string,
  file: string,
  path: readonly PathSegment[],
  positions: SourcePositions
): Finding {
  const { line, column } = positionOf(path, positions)
  return { severity, message, file, line, column, ...(path.length > 0 ? { path: joinPath(path) } : {}) }
}

/** Orders findings of one file as they appear in it. */
export function bySourcePosition(a: Finding, b: Finding): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
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
  const json = JSON.stringify(value) ?? String(value)
  const shown = json.length > MAX_QUOTED_LENGTH ? `${json.slice(0, MAX_QUOTED_LENGTH - 1)}…` : json
  return `\`${shown}\``
}

function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)]
}
