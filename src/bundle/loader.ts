/**
 * Loads a bundle: reads the manifest through the workspace gate, parses it (manifest-source.ts), checks it
 * (checks.ts), applies the input overrides, chooses the API, and reads and checks each Archy flow file it references
 * (flow-files.ts). Every problem becomes a Finding with its file and line, all reported at once; a Bundle comes back
 * only when there is no error, so nothing is sent to the platform for a bundle with one.
 */
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { Inputs } from '../constants.js'
import type { ApiChoice } from '../settings.js'
import { MAX_MANIFEST_BYTES, readWorkspaceFile, type WorkspaceFileRefusal } from '../workspace-file.js'
import { chooseApi, isApiChoiceProblem, type ChosenApi } from './api-choice.js'
import type { Bundle } from './bundle.js'
import { checkManifest } from './checks.js'
import { hasErrors, type Finding } from './finding.js'
import { loadFlowFiles, workspacePath } from './flow-files.js'
import { shownText } from './shown-text.js'
import { identifierProblem } from './identifiers.js'
import { parseManifestSource, withLazyPositions } from './manifest-source.js'
import { RESOURCE_GROUPS, type Manifest } from './manifest.js'
import { isMapping } from '../mapping.js'
import { positionOf } from './source-positions.js'

export { fillPlaceholders } from './archy.js'
export { resolveFlowFilePath, workspacePath, type FlowFilePath } from './flow-files.js'
export { parseManifestSource, type ManifestSource } from './manifest-source.js'

/** How to load a bundle. */
export interface LoadOptions {
  /** The repository checkout; paths in findings are relative to it and every file read must stay inside it. */
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
  /** Whatever could be read even from a broken manifest, for the report (invisible characters escaped). */
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

  const read = await readWorkspaceFile(absoluteManifestPath, {
    workspace,
    maxBytes: MAX_MANIFEST_BYTES,
    describe: `The bundle manifest \`${shownText(manifestPath)}\` (input \`${Inputs.Bundle}\`)`
  })
  if (!read.ok) return { findings: [await manifestReadFinding(read, manifestPath, absoluteManifestPath, manifestFile)] }

  const source = parseManifestSource(read.text, manifestFile)
  const overrideEnvironment = options.overrides?.environmentId || undefined
  const readable = {
    bundleId: readableId(stringField(source.document, 'bundleId')),
    environmentId: readableId(overrideEnvironment ?? stringField(source.document, 'environmentId'))
  }
  if (hasErrors(source.findings)) return { findings: source.findings, ...definedOnly(readable) }

  const positions = (dottedPath: string) => source.positionAt(dottedPath)
  const check = checkManifest(source.document, positions, manifestFile)
  const inputFindings = environmentInputFindings(overrideEnvironment, source.document, manifestFile)
  const chosen = options.api === undefined ? undefined : chooseApi(options.api, check.sections.targetConfig?.flows ?? {})
  const apiFindings: Finding[] =
    chosen !== undefined && isApiChoiceProblem(chosen)
      ? [{ severity: 'error', file: manifestFile, path: 'targetConfig.flows', ...positionOf(['targetConfig', 'flows'], positions), message: chosen.message }]
      : []
  const api = chosen !== undefined && !isApiChoiceProblem(chosen) ? chosen : undefined
  const references = Object.entries(check.sections.targetConfig?.flows ?? {}).flatMap(([flow, entry]) =>
    entry.file === undefined ? [] : [{ flow, reference: entry.file }]
  )
  const flowFiles = await loadFlowFiles(references, {
    workspace,
    manifestDirectory: path.dirname(absoluteManifestPath),
    manifestFile,
    manifestPosition: keyPath => positionOf(keyPath, positions),
    substitutions: substitutionsOf(source.document),
    requireArchyFlows: api !== undefined ? api.api === 'architect' : (options.requireArchyFlows ?? true)
  })
  const findings = [...source.findings, ...inputFindings, ...apiFindings, ...check.findings, ...flowFiles.findings]
  if (hasErrors(findings) || check.manifest === undefined) return { findings, ...definedOnly({ ...readable, api }) }

  const manifest = applyOverrides(check.manifest, options.overrides)
  const bundle = withLazyPositions(
    {
      manifestPath,
      absoluteManifestPath,
      manifest,
      environmentId: manifest.environmentId ?? '',
      files: flowFiles.files,
      groupOrder: groupOrderOf(manifest),
      externalDependencies: externalDependenciesOf(manifest)
    },
    () => source.positionMap()
  ) satisfies Bundle
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
// The manifest file and the inputs

/**
 * The target environment: present and a valid id. A manifest `environmentId` that is there but invalid is already a
 * schema or identifier finding; here only its absence, and the `environment-id` input, which replaces it.
 */
function environmentInputFindings(overrideEnvironment: string | undefined, document: unknown, file: string): Finding[] {
  if (overrideEnvironment !== undefined) {
    const problem = identifierProblem(overrideEnvironment, 'id')
    if (problem === undefined) return []
    return [{ severity: 'error', file, path: 'environmentId', message: `The \`${Inputs.EnvironmentId}\` input ${problem}.` }]
  }
  if (isMapping(document) && Object.hasOwn(document, 'environmentId')) return []
  return [
    {
      severity: 'error',
      file,
      line: 1,
      column: 1,
      path: 'environmentId',
      message: `No target environment: set \`environmentId\` in the manifest or the \`${Inputs.EnvironmentId}\` input of the action.`
    }
  ]
}

async function manifestReadFinding(refusal: WorkspaceFileRefusal, manifestPath: string, absolutePath: string, file: string): Promise<Finding> {
  const shown = shownText(manifestPath)
  const fix = `set the \`${Inputs.Bundle}\` input to the manifest's path relative to the repository root`
  const message = async (): Promise<string> => {
    switch (refusal.problem) {
      case 'missing':
        return `The bundle manifest \`${shown}\` does not exist (looked for \`${shownText(absolutePath, 120)}\`); ${fix}.`
      case 'directory': {
        const candidates = await manifestCandidates(absolutePath)
        const hint = candidates.length > 0 ? ` (it holds ${candidates.map(name => `\`${shownText(name)}\``).join(', ')})` : ''
        return `The bundle manifest \`${shown}\` is a folder${hint}; set the \`${Inputs.Bundle}\` input to the manifest file inside it.`
      }
      default:
        return refusal.message
    }
  }
  const position = refusal.line === undefined ? {} : { line: refusal.line, column: refusal.column }
  return { severity: 'error', file, ...position, message: await message() }
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
  if (!isMapping(document)) return undefined
  const value = document[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** An id as the report may show it: as written when valid, else short and with invisible characters escaped. */
function readableId(value: string | undefined): string | undefined {
  if (value === undefined || identifierProblem(value, 'id') === undefined) return value
  return shownText(value, 128)
}

function substitutionsOf(document: unknown): Readonly<Record<string, unknown>> {
  const substitutions = isMapping(document) ? document.substitutions : undefined
  return isMapping(substitutions) ? substitutions : {}
}

function definedOnly<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>
}
