/**
 * Loads a bundle: reads the manifest (YAML or JSON) keeping the source position of every key, checks it,
 * applies the input overrides, and reads and checks each Archy flow file it references.
 * Every problem becomes a Finding with its file and line; a Bundle comes back only when there is no error.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import {
  LineCounter,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Document,
  type Node,
  type YAMLError
} from 'yaml'
import { Inputs } from '../constants.js'
import type { ApiChoice } from '../settings.js'
import { chooseApi, isApiChoiceProblem, type ChosenApi } from './api-choice.js'
import type { Bundle, BundleFile, SourcePosition } from './bundle.js'
import {
  bySourcePosition,
  checkManifest,
  closestName,
  positionOf,
  type ManifestSections,
  type SourcePositions
} from './checks.js'
import { hasErrors, type Finding } from './finding.js'
import { RESOURCE_GROUPS, type Manifest } from './manifest.js'

/** How to load a bundle. */
export interface LoadOptions {
  /** The repository checkout; paths in findings are relative to it and flow files must stay inside it. */
  workspace: string
  /** Input values that replace the manifest's (empty / undefined = keep the manifest's). */
  overrides?: { environmentId?: string; overrideValidation?: boolean; rollbackOnFailure?: boolean }
  /**
   * Flow files must be Archy flows (one flow-type key with a `name`) when true, as the `architect` API deploys
   * them; otherwise a file only has to exist and parse, and a shape problem is a warning. Default true.
   */
  requireArchyFlows?: boolean
  /**
   * The `api` input. When given, it decides the API (see chooseApi: `auto` looks at the flows) and with it whether
   * flow files must be Archy flows; a bundle that mixes the two kinds under `auto` is an error finding.
   */
  api?: ApiChoice
}

/** What loading found. */
export interface LoadResult {
  /** The bundle; undefined when any error finding exists. */
  bundle?: Bundle
  findings: Finding[]
  /** The API that deploys the bundle and why, when `api` was given and could be decided. */
  api?: ChosenApi
  /** Whatever could be read even from a broken manifest, for the report. */
  bundleId?: string
  environmentId?: string
}

/**
 * Reads, parses and checks the manifest at `manifestPath` (relative to the workspace, or absolute) and the
 * flow files it references. Never throws for a problem in the bundle: each one is a finding.
 */
export async function loadBundle(manifestPath: string, options: LoadOptions): Promise<LoadResult> {
  const workspace = path.resolve(options.workspace)
  const absoluteManifestPath = path.resolve(workspace, manifestPath)
  const manifestFile = workspacePath(absoluteManifestPath, workspace)

  const read = await readTextFile(absoluteManifestPath)
  if (!read.ok) {
    return { findings: [await manifestReadFinding(read.problem, manifestPath, absoluteManifestPath, manifestFile)] }
  }

  const source = parseManifestSource(read.text, manifestFile)
  const overrideEnvironment = options.overrides?.environmentId || undefined
  const readable = {
    bundleId: stringField(source.document, 'bundleId'),
    environmentId: overrideEnvironment ?? stringField(source.document, 'environmentId')
  }
  if (hasErrors(source.findings)) return { findings: source.findings, ...definedOnly(readable) }

  const check = checkManifest(source.document, source.positions, manifestFile)
  // An environmentId that is present but invalid is already a schema finding; only its absence is reported here.
  const environmentMissing = readable.environmentId === undefined && source.positions.environmentId === undefined
  const environmentFindings = environmentMissing ? [missingEnvironmentFinding(manifestFile)] : []
  const chosen = options.api === undefined ? undefined : chooseApi(options.api, check.sections.targetConfig?.flows ?? {})
  const apiFindings: Finding[] =
    chosen !== undefined && isApiChoiceProblem(chosen)
      ? [{ severity: 'error', file: manifestFile, path: 'targetConfig.flows', ...positionOf(['targetConfig', 'flows'], source.positions), message: chosen.message }]
      : []
  const api = chosen !== undefined && !isApiChoiceProblem(chosen) ? chosen : undefined
  const flowFiles = await loadFlowFiles(check.sections, {
    workspace,
    manifestDirectory: path.dirname(absoluteManifestPath),
    manifestFile,
    positions: source.positions,
    substitutions: substitutionsOf(source.document),
    requireArchyFlows: api !== undefined ? api.api === 'architect' : (options.requireArchyFlows ?? true)
  })
  const findings = [...source.findings, ...environmentFindings, ...apiFindings, ...check.findings, ...flowFiles.findings]
  if (hasErrors(findings) || check.manifest === undefined) return { findings, ...definedOnly({ ...readable, api }) }

  const manifest = applyOverrides(check.manifest, options.overrides)
  const bundle: Bundle = {
    manifestPath,
    absoluteManifestPath,
    manifest,
    environmentId: manifest.environmentId ?? '',
    files: flowFiles.files,
    groupOrder: groupOrderOf(manifest),
    externalDependencies: externalDependenciesOf(manifest),
    positions: source.positions
  }
  return { bundle, findings, ...definedOnly({ ...readable, api }) }
}

// ---------------------------------------------------------------------------------------------------------
// Pure derivations from a valid manifest

/** Replaces the manifest's environmentId / overrideValidation / rollbackOnFailure with the inputs that are set. */
export function applyOverrides(manifest: Manifest, overrides: LoadOptions['overrides']): Manifest {
  return {
    ...manifest,
    ...(overrides?.environmentId ? { environmentId: overrides.environmentId } : {}),
    ...(overrides?.overrideValidation !== undefined ? { overrideValidation: overrides.overrideValidation } : {}),
    ...(overrides?.rollbackOnFailure !== undefined ? { rollbackOnFailure: overrides.rollbackOnFailure } : {})
  }
}

/** Queues before flows, because flows route calls to queues that must already exist. */
const DEFAULT_GROUP_ORDER = ['queues', 'flows'] as const

/** Install order of the groups: `dependencyMatrix.order` when given, else queues then flows, as present. */
export function groupOrderOf(manifest: Manifest): string[] {
  if (manifest.dependencyMatrix?.order !== undefined) return [...manifest.dependencyMatrix.order]
  return DEFAULT_GROUP_ORDER.filter(group => manifest.targetConfig[group] !== undefined)
}

/** Names in `dependencyMatrix` that targetConfig does not define: the platform must confirm they exist. */
export function externalDependenciesOf(manifest: Manifest): { group: string; name: string }[] {
  return RESOURCE_GROUPS.flatMap(group => {
    const defined = manifest.targetConfig[group] ?? {}
    const names = [...new Set(manifest.dependencyMatrix?.[group] ?? [])]
    return names.filter(name => !Object.hasOwn(defined, name)).map(name => ({ group, name }))
  })
}

// ---------------------------------------------------------------------------------------------------------
// Manifest source

/** A manifest parsed with the source position of each key. */
export interface ManifestSource {
  /** The manifest as plain data; undefined when it could not be read at all. */
  document: unknown
  /** Source position by dotted path, for every key and list item. */
  positions: Record<string, SourcePosition>
  /** Syntax problems, an empty file, a top level that is not a mapping. */
  findings: Finding[]
}

/**
 * Parses manifest text (YAML, or JSON, which the YAML parser reads too and keeps positions for).
 * `file` is the workspace-relative path used in findings.
 */
export function parseManifestSource(text: string, file: string): ManifestSource {
  const format = /\.json$/i.test(file) ? 'JSON' : 'YAML'
  const parsed = parseYamlText(text, file, format)
  const positions: Record<string, SourcePosition> = {}
  collectPositions(parsed.document.contents, parsed.lineCounter, [], positions)
  const findings = [...parsed.findings]
  const contents = parsed.document.contents
  if (!hasErrors(findings)) {
    if (contents === null) {
      findings.push({
        severity: 'error',
        file,
        line: 1,
        column: 1,
        message:
          `The manifest \`${file}\` is empty; it needs at least \`bundleId\` and \`targetConfig\` ` +
          '(see "Bundle manifest" in the README).'
      })
    } else if (!isMap(contents)) {
      findings.push({
        severity: 'error',
        file,
        ...nodePosition(contents, parsed.lineCounter),
        message:
          `The manifest's top level is ${describeNode(contents)}; it must be a mapping of keys ` +
          '(`bundleId: …`, `targetConfig: …`).'
      })
    }
  }
  return { document: parsed.data, positions, findings }
}

function collectPositions(
  node: unknown,
  lineCounter: LineCounter,
  prefix: readonly string[],
  positions: Record<string, SourcePosition>
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const keyText = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
      const keyPath = [...prefix, keyText]
      const position = nodePosition(pair.key, lineCounter)
      // The first occurrence wins: a repeated key is already a syntax finding of its own.
      positions[keyPath.join('.')] ??= position
      collectPositions(pair.value, lineCounter, keyPath, positions)
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const itemPath = [...prefix, String(index)]
      positions[itemPath.join('.')] ??= nodePosition(item, lineCounter)
      collectPositions(item, lineCounter, itemPath, positions)
    })
  }
}

function missingEnvironmentFinding(file: string): Finding {
  return {
    severity: 'error',
    file,
    line: 1,
    column: 1,
    path: 'environmentId',
    message:
      'No target environment: set `environmentId` in the manifest or the ' +
      `\`${Inputs.EnvironmentId}\` input of the action.`
  }
}

type ReadProblem = 'missing' | 'directory' | 'not-a-file' | 'unreadable'

async function manifestReadFinding(
  problem: ReadProblem,
  manifestPath: string,
  absolutePath: string,
  file: string
): Promise<Finding> {
  const fix = `set the \`${Inputs.Bundle}\` input to the manifest's path relative to the repository root`
  const messages: Record<ReadProblem, () => Promise<string>> = {
    missing: async () =>
      `The bundle manifest \`${manifestPath}\` does not exist (looked for \`${absolutePath}\`); ${fix}.`,
    directory: async () => {
      const candidates = await manifestCandidates(absolutePath)
      const hint = candidates.length > 0 ? ` (it holds ${candidates.map(name => `\`${name}\``).join(', ')})` : ''
      return (
        `The bundle manifest \`${manifestPath}\` is a folder${hint}; ` +
        `set the \`${Inputs.Bundle}\` input to the manifest file inside it.`
      )
    },
    'not-a-file': async () => `The bundle manifest \`${manifestPath}\` is not a regular file; ${fix}.`,
    unreadable: async () => `The bundle manifest \`${manifestPath}\` cannot be read; check its permissions.`
  }
  return { severity: 'error', file, message: await messages[problem]() }
}

const MAX_LISTED_CANDIDATES = 5

async function manifestCandidates(directory: string): Promise<string[]> {
  const names = await fs.readdir(directory).catch(() => [] as string[])
  return names
    .filter(name => /\.(ya?ml|json)$/i.test(name))
    .sort()
    .slice(0, MAX_LISTED_CANDIDATES)
}

function stringField(document: unknown, key: string): string | undefined {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined
  const value = (document as Record<string, unknown>)[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

function substitutionsOf(document: unknown): Readonly<Record<string, unknown>> {
  if (document === null || typeof document !== 'object') return {}
  const substitutions = (document as Record<string, unknown>).substitutions
  return substitutions !== null && typeof substitutions === 'object' ? (substitutions as Record<string, unknown>) : {}
}

function definedOnly<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>
}

// ---------------------------------------------------------------------------------------------------------
// Flow files

interface FlowFileContext {
  workspace: string
  manifestDirectory: string
  manifestFile: string
  positions: SourcePositions
  substitutions: Readonly<Record<string, unknown>>
  requireArchyFlows: boolean
}

/** Reads and checks every `targetConfig.flows.<name>.file`, in manifest order. */
async function loadFlowFiles(
  sections: ManifestSections,
  context: FlowFileContext
): Promise<{ files: BundleFile[]; findings: Finding[] }> {
  const references = Object.entries(sections.targetConfig?.flows ?? {}).flatMap(([flow, entry]) =>
    entry.file === undefined ? [] : [{ flow, reference: entry.file }]
  )
  const loaded = await Promise.all(references.map(({ flow, reference }) => loadFlowFile(flow, reference, context)))
  return {
    files: loaded.flatMap(result => (result.file ? [result.file] : [])),
    findings: loaded.flatMap(result => result.findings)
  }
}

async function loadFlowFile(
  flow: string,
  reference: string,
  context: FlowFileContext
): Promise<{ file?: BundleFile; findings: Finding[] }> {
  const keySegments = ['targetConfig', 'flows', flow, 'file']
  const keyPath = keySegments.join('.')
  const referenceFinding = (message: string): { findings: Finding[] } => ({
    findings: [
      {
        severity: 'error',
        file: context.manifestFile,
        path: keyPath,
        ...positionOf(keySegments, context.positions),
        message
      }
    ]
  })
  const folder = `\`${workspacePath(context.manifestDirectory, context.workspace) || '.'}\``

  const resolved = resolveFlowFilePath(reference, context.manifestDirectory, context.workspace)
  if (!resolved.ok) {
    return referenceFinding(
      resolved.problem === 'absolute'
        ? `\`${keyPath}\` is \`${reference}\`, an absolute path; write it relative to the manifest's folder ${folder}.`
        : `\`${keyPath}\` is \`${reference}\`, which leads outside the workspace; flow files must be inside the ` +
            `repository, written relative to the manifest's folder ${folder}.`
    )
  }
  // Checked before reading, so that nothing outside the workspace is ever read.
  if (!(await staysInsideWorkspace(resolved.absolutePath, context.workspace))) {
    return referenceFinding(
      `\`${keyPath}\` is \`${reference}\`, which is a symbolic link to a place outside the workspace; ` +
        'flow files must be inside the repository: replace the link with the file itself.'
    )
  }
  const displayPath = workspacePath(resolved.absolutePath, context.workspace)
  const read = await readTextFile(resolved.absolutePath)
  if (!read.ok) {
    const what: Record<ReadProblem, string> = {
      missing:
        `which does not exist (looked for \`${displayPath}\`); ` +
        `fix the path (relative to ${folder}) or add the file`,
      directory: 'which is a folder; point it at the Archy flow YAML file inside it',
      'not-a-file': 'which is not a regular file; point it at an Archy flow YAML file',
      unreadable: 'which cannot be read; check its permissions'
    }
    return referenceFinding(`\`${keyPath}\` is \`${reference}\`, ${what[read.problem]}.`)
  }

  const file: BundleFile = { flow, path: reference, absolutePath: resolved.absolutePath, content: read.text }
  return { file, findings: checkFlowFileText(read.text, displayPath, keyPath, context.substitutions, context.requireArchyFlows) }
}

/** Where a flow file reference leads, or why it may not be followed. */
export type FlowFilePath = { ok: true; absolutePath: string } | { ok: false; problem: 'absolute' | 'outside-workspace' }

/**
 * Resolves a `file:` reference against the manifest's folder and keeps it inside the workspace.
 * A pull request can edit the manifest, so a `../` path could otherwise pull runner files into the report.
 */
export function resolveFlowFilePath(reference: string, manifestDirectory: string, workspace: string): FlowFilePath {
  if (path.isAbsolute(reference)) return { ok: false, problem: 'absolute' }
  const absolutePath = path.resolve(manifestDirectory, reference)
  return isInside(absolutePath, path.resolve(workspace))
    ? { ok: true, absolutePath }
    : { ok: false, problem: 'outside-workspace' }
}

/**
 * The same containment after following symbolic links, which the textual check cannot see.
 * A path that does not resolve passes here: reading it next reports it as missing, with a better message.
 */
async function staysInsideWorkspace(absolutePath: string, workspace: string): Promise<boolean> {
  try {
    const [realFile, realWorkspace] = await Promise.all([fs.realpath(absolutePath), fs.realpath(workspace)])
    return isInside(realFile, realWorkspace)
  } catch {
    return true
  }
}

function isInside(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, candidate)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

/**
 * Checks one flow file's text as it will be deployed: placeholders filled from `substitutions`, then parsed
 * as YAML and checked for the Archy shape (errors when `requireArchyFlow`, else warnings). Findings point into the
 * flow file (`file`).
 */
export function checkFlowFileText(
  text: string,
  file: string,
  manifestKeyPath: string,
  substitutions: Readonly<Record<string, unknown>>,
  requireArchyFlow = true
): Finding[] {
  const filled = fillPlaceholders(text, substitutions)
  const parsed = parseYamlText(filled.text, file, 'YAML')
  const placeholderFindings: Finding[] = filled.unknown.map(({ name, offset }) => ({
    severity: 'warning',
    file,
    ...linePosition(parsed.lineCounter, offset),
    message:
      `The flow file uses \`{{${name}}}\`, which the manifest's \`substitutions\` does not define; ` +
      `add \`${name}\` under \`substitutions\` or the placeholder is deployed as written.`
  }))
  const shape = hasErrors(parsed.findings) ? [] : checkArchyFlowShape(parsed.document, parsed.lineCounter, file)
  // Only the `architect` API needs the Archy shape; for the other a file that parses is enough.
  const shapeFindings = requireArchyFlow ? shape : shape.map(finding => ({ ...finding, severity: 'warning' as const }))
  return [...parsed.findings, ...placeholderFindings, ...shapeFindings]
    .map(finding => ({ ...finding, path: manifestKeyPath }))
    .sort(bySourcePosition)
}

/** The result of filling `{{name}}` placeholders. */
export interface FilledText {
  text: string
  /** Placeholders with no substitution, left as written, with their offset in the filled text. */
  unknown: { name: string; offset: number }[]
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g

/**
 * Fills `{{name}}` placeholders with the manifest's `substitutions` (the architect API deploys the filled
 * text). Unknown placeholders stay as written and are listed.
 */
export function fillPlaceholders(text: string, substitutions: Readonly<Record<string, unknown>>): FilledText {
  const unknown: FilledText['unknown'] = []
  let shift = 0
  const filled = text.replace(PLACEHOLDER, (placeholder: string, name: string, offset: number) => {
    if (!Object.hasOwn(substitutions, name)) {
      unknown.push({ name, offset: offset + shift })
      return placeholder
    }
    const value = String(substitutions[name])
    shift += value.length - placeholder.length
    return value
  })
  return { text: filled, unknown }
}

/**
 * Flow types Archy files start with: the Platform API's `Flow.type` values, spelled as Archy keys.
 * Compared without case, because the exact spelling of some (`workitem`) is not settled in public samples.
 */
export const ARCHY_FLOW_TYPES = [
  'bot',
  'commonModule',
  'digitalBot',
  'inboundCall',
  'inboundChat',
  'inboundEmail',
  'inboundShortMessage',
  'inQueueCall',
  'inQueueEmail',
  'inQueueShortMessage',
  'outboundCall',
  'secureCall',
  'surveyInvite',
  'voice',
  'voicemail',
  'voiceSurvey',
  'workflow',
  'workitem'
] as const

/** An Archy flow file is a mapping with one flow-type key whose value has a `name`. */
function checkArchyFlowShape(document: Document, lineCounter: LineCounter, file: string): Finding[] {
  const contents = document.contents
  const at = (node: unknown): SourcePosition => nodePosition(node, lineCounter)
  const error = (message: string, position: SourcePosition): Finding => ({
    severity: 'error',
    file,
    ...position,
    message
  })
  const example = 'e.g. `inboundCall:` with `name: …` under it'

  if (contents === null) {
    return [error(`The flow file is empty; it must hold one Archy flow (${example}).`, { line: 1, column: 1 })]
  }
  if (!isMap(contents)) {
    const shape = describeNode(contents)
    return [error(`The flow file's top level is ${shape}; it must be one flow-type key (${example}).`, at(contents))]
  }
  const keys = contents.items.map(pair => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key)))
  if (keys.length !== 1) {
    const where = contents.items[1]?.key ?? contents
    return [
      error(
        `The flow file has ${keys.length} top-level keys (${keys.join(', ')}); an Archy flow file holds exactly one, ` +
          `the flow type (${example}): move each flow to its own file.`,
        at(where)
      )
    ]
  }
  const [pair] = contents.items
  const flowType = keys[0]
  const findings: Finding[] = []
  const known = ARCHY_FLOW_TYPES.some(type => type.toLowerCase() === flowType.toLowerCase())
  if (!known) {
    const suggestion = closestName(flowType, ARCHY_FLOW_TYPES)
    findings.push({
      severity: 'warning',
      file,
      ...at(pair.key),
      message:
        `\`${flowType}\` is not a flow type Archy is known to accept` +
        (suggestion ? `; did you mean \`${suggestion}\`?` : '') +
        ` Known types: ${ARCHY_FLOW_TYPES.join(', ')}. The platform rejects the file if the type is wrong.`
    })
  }
  const name = isMap(pair.value) ? pair.value.get('name', true) : undefined
  if (!isMap(pair.value)) {
    const shape = describeNode(pair.value)
    const message = `\`${flowType}\` must hold the flow's settings as a mapping (with \`name: …\`), not ${shape}.`
    findings.push(error(message, at(pair.key)))
  } else if (!isScalar(name) || name.value === null || String(name.value).trim() === '') {
    const message = `The \`${flowType}\` flow has no \`name\`; add \`name: <flow name>\` under \`${flowType}:\`.`
    findings.push(error(message, at(name ?? pair.key)))
  }
  return findings
}

// ---------------------------------------------------------------------------------------------------------
// YAML and files

interface ParsedYaml {
  document: Document
  lineCounter: LineCounter
  /** Plain data; undefined when even that could not be built (an alias with no anchor). */
  data: unknown
  findings: Finding[]
}

/** Parses one YAML (or JSON) text, turning its errors and warnings into findings at their lines. */
function parseYamlText(text: string, file: string, format: 'YAML' | 'JSON'): ParsedYaml {
  const lineCounter = new LineCounter()
  // logLevel 'error': the library would otherwise print to the process's stderr about odd keys.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' })
  const findings = [
    ...document.errors.map(problem => yamlProblemFinding(problem, 'error', document, file, format, lineCounter)),
    ...document.warnings.map(problem => yamlProblemFinding(problem, 'warning', document, file, format, lineCounter))
  ]
  let data: unknown
  try {
    data = document.toJS()
  } catch (problem) {
    findings.push({
      severity: 'error',
      file,
      line: 1,
      column: 1,
      message: `The ${format} cannot be read: ${problem instanceof Error ? problem.message : String(problem)}.`
    })
  }
  return { document, lineCounter, data, findings }
}

/** The fix for the syntax problems people actually hit, by the parser's error code. */
const YAML_FIXES: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MULTIPLE_DOCS: 'keep one document: remove the second `---` and what follows, or move it to its own file',
  BAD_INDENT: 'check the indentation and that every bracket or quote is closed',
  MISSING_CHAR: 'add the missing closing bracket or quote',
  BLOCK_AS_IMPLICIT_KEY: 'put the nested mapping on its own, indented lines, or quote the value if it contains `: `',
  TAG_RESOLVE_FAILED: 'remove the unknown `!!tag` or use a standard one'
}

function yamlProblemFinding(
  problem: YAMLError,
  severity: Finding['severity'],
  document: Document,
  file: string,
  format: 'YAML' | 'JSON',
  lineCounter: LineCounter
): Finding {
  const position = linePosition(lineCounter, problem.pos[0])
  const duplicatePath = problem.code === 'DUPLICATE_KEY' ? keyPathAt(document, problem.pos[0]) : undefined
  if (duplicatePath !== undefined) {
    const dotted = duplicatePath.join('.')
    return {
      severity,
      file,
      ...position,
      path: dotted,
      message:
        `\`${dotted}\` appears twice in the same mapping; ` +
        `keep one (${format} would silently keep only the last).`
    }
  }
  const fix = YAML_FIXES[problem.code] ?? `correct the ${format} syntax at this line`
  return { severity, file, ...position, message: `${format} syntax: ${problem.message}; ${fix}.` }
}

/** Dotted path of the mapping key that starts at `offset` (the parser reports a repeated key by offset only). */
function keyPathAt(document: Document, offset: number): string[] | undefined {
  let found: string[] | undefined
  visit(document, {
    Pair(_, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== offset) return undefined
      const chain = [...ancestors, pair]
      found = chain.flatMap((node, index) => {
        if (isPair(node)) return [isScalar(node.key) ? String(node.key.value) : String(node.key)]
        if (isSeq(node)) return [String(node.items.indexOf(chain[index + 1] as never))]
        return []
      })
      return visit.BREAK
    }
  })
  return found
}

function linePosition(lineCounter: LineCounter, offset: number): SourcePosition {
  const { line, col } = lineCounter.linePos(offset)
  return { line, column: col }
}

function nodePosition(node: unknown, lineCounter: LineCounter): SourcePosition {
  const range = (node as Node | null | undefined)?.range
  return range ? linePosition(lineCounter, range[0]) : { line: 1, column: 1 }
}

function describeNode(node: unknown): string {
  if (isSeq(node)) return 'a list'
  if (isMap(node)) return 'a mapping'
  if (isScalar(node)) return node.value === null ? 'empty' : `the value \`${String(node.value)}\``
  return 'empty'
}

type ReadOutcome = { ok: true; text: string } | { ok: false; problem: ReadProblem }

async function readTextFile(absolutePath: string): Promise<ReadOutcome> {
  try {
    const stat = await fs.stat(absolutePath)
    if (stat.isDirectory()) return { ok: false, problem: 'directory' }
    if (!stat.isFile()) return { ok: false, problem: 'not-a-file' }
    return { ok: true, text: await fs.readFile(absolutePath, 'utf8') }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return { ok: false, problem: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable' }
  }
}

/** A path for findings: relative to the workspace with `/` separators, or absolute when outside it. */
export function workspacePath(absolutePath: string, workspace: string): string {
  const relative = path.relative(workspace, absolutePath)
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolutePath : relative.split(path.sep).join('/')
}
