/**
 * The flow files a manifest references (`targetConfig.flows.<name>.file`): each resolved against the manifest's
 * folder, read through the workspace gate (inside the repository, outside `.git`, a regular file, at most
 * MAX_FLOW_FILE_BYTES, valid UTF-8), all of them together bounded, and checked as Archy flows. A pull request
 * controls every name, link and size here, so a reference that may not be followed is a finding at the manifest
 * key that makes it, and nothing outside the workspace is ever read.
 */
import path from 'node:path'
import { MAX_FLOW_FILE_BYTES, readWorkspaceFile, type WorkspaceFileProblem } from '../workspace-file.js'
import type { BundleFile, SourcePosition } from './bundle.js'
import type { Finding } from './finding.js'
import type { ArchyFlowKind } from './archy.js'
import { checkFlowFileText } from './flow-file-check.js'
import { shownText } from './shown-text.js'
import { mapConcurrently } from '../map-concurrently.js'

/** Most bytes of flow files one bundle may hold: far above a real contact center, far below the runner's memory. */
export const MAX_TOTAL_FLOW_FILE_BYTES = 256 * 1024 * 1024

/** Files read at once: enough to hide disk latency, few enough to stay clear of the open-file limit. */
const READ_CONCURRENCY = 8

/** One `file:` reference of the manifest. */
export interface FlowFileReference {
  /** The `targetConfig.flows` key. */
  flow: string
  /** The path as written (relative to the manifest's folder). */
  reference: string
}

/** Where flow files are and how to report on them. */
export interface FlowFilesContext {
  /** Absolute workspace (repository checkout). */
  workspace: string
  /** Absolute folder of the manifest: references are relative to it. */
  manifestDirectory: string
  /** The manifest, workspace-relative, for findings about a reference. */
  manifestFile: string
  /** Position in the manifest of a key path (or its nearest ancestor that exists). */
  manifestPosition(path: readonly string[]): SourcePosition
  substitutions: Readonly<Record<string, unknown>>
  /** True for the architect API (flow files must be Archy flows). */
  requireArchyFlows: boolean
  /** Overrides MAX_TOTAL_FLOW_FILE_BYTES (tests). */
  maxTotalBytes?: number
}

/** Reads and checks every referenced flow file, in manifest order. */
export async function loadFlowFiles(
  references: readonly FlowFileReference[],
  context: FlowFilesContext
): Promise<{ files: BundleFile[]; findings: Finding[] }> {
  const budget = { left: context.maxTotalBytes ?? MAX_TOTAL_FLOW_FILE_BYTES, exceeded: false }
  const results = await mapConcurrently(references, READ_CONCURRENCY, reference => loadFlowFile(reference, context, budget))
  return {
    files: results.flatMap(result => (result.file ? [result.file] : [])),
    findings: [...results.flatMap(result => result.findings), ...samePlatformFlowFindings(results, context)]
  }
}

/**
 * Two flow files that publish the same platform flow (same kind, same name: Genesys Cloud compares names without
 * case) would deploy one over the other, each job overwriting the last: every file after the first is an error at its
 * manifest key with the architect API, which publishes them (a warning otherwise).
 */
function samePlatformFlowFindings(results: readonly LoadedFlowFile[], context: FlowFilesContext): Finding[] {
  const first = new Map<string, LoadedFlowFile>()
  const findings: Finding[] = []
  for (const result of results) {
    const { file, published } = result
    if (file === undefined || published === undefined) continue
    const identity = `${published.kind.platformType}\u0000${published.name.toLowerCase()}`
    const earlier = first.get(identity)
    if (earlier === undefined) {
      first.set(identity, result)
      continue
    }
    const keySegments = ['targetConfig', 'flows', file.flow, 'file']
    findings.push({
      severity: context.requireArchyFlows ? 'error' : 'warning',
      file: context.manifestFile,
      path: shownText(keySegments.join('.'), 120),
      ...context.manifestPosition(keySegments),
      message:
        `Flows \`${shownText(earlier.file!.flow)}\` (${shownText(earlier.file!.path)}) and \`${shownText(file.flow)}\` (${shownText(file.path)}) ` +
        `both publish the ${published.kind.label} named \`${shownText(published.name)}\`: one would overwrite the other. ` +
        'Give each flow file its own `name`, or keep one of the two entries.'
    })
  }
  return findings
}

/** One flow file as read: the file, its problems, and the platform flow it publishes when it is an Archy flow. */
interface LoadedFlowFile {
  file?: BundleFile
  findings: Finding[]
  published?: { kind: ArchyFlowKind; name: string }
}

async function loadFlowFile(
  { flow, reference }: FlowFileReference,
  context: FlowFilesContext,
  budget: { left: number; exceeded: boolean }
): Promise<LoadedFlowFile> {
  const keySegments = ['targetConfig', 'flows', flow, 'file']
  const keyPath = shownText(keySegments.join('.'), 120)
  const position = context.manifestPosition(keySegments)
  const atKey = (message: string): { findings: Finding[] } => ({
    findings: [{ severity: 'error', file: context.manifestFile, path: keyPath, line: position.line, column: position.column, message }]
  })
  const written = `\`${keyPath}\` is \`${shownText(reference)}\``
  const folder = `\`${workspacePath(context.manifestDirectory, context.workspace) || '.'}\``

  const resolved = resolveFlowFilePath(reference, context.manifestDirectory, context.workspace)
  if (!resolved.ok) {
    return atKey(
      resolved.problem === 'absolute'
        ? `${written}, an absolute path; write it relative to the manifest's folder ${folder}.`
        : `${written}, which leads outside the workspace; flow files must be inside the repository, written relative to the manifest's folder ${folder}.`
    )
  }
  if (budget.exceeded) return { findings: [] }
  const displayPath = workspacePath(resolved.absolutePath, context.workspace)
  const read = await readWorkspaceFile(resolved.absolutePath, {
    workspace: context.workspace,
    maxBytes: MAX_FLOW_FILE_BYTES,
    describe: `${written} (${context.manifestFile} line ${position.line}), which`
  })
  if (!read.ok) return atKey(refusalMessage(read.problem, read.message, written, displayPath, folder))
  // Past the budget, the file that went past it gets the finding; the files after it are not read at all.
  const overBudget = (amount: number, what: string, fix: string): LoadedFlowFile | undefined => {
    budget.left -= amount
    if (budget.left >= 0) return undefined
    if (budget.exceeded) return { findings: [] }
    budget.exceeded = true
    const limit = Math.round((context.maxTotalBytes ?? MAX_TOTAL_FLOW_FILE_BYTES) / (1024 * 1024))
    return atKey(`${written}: ${what} ${limit} MiB together, more than this action reads for one bundle; ${fix} (the files after this one were not read).`)
  }
  const tooMuchRead = overBudget(read.bytes, "with it the bundle's flow files pass", 'split the bundle into smaller ones')
  if (tooMuchRead) return tooMuchRead
  const checked = checkFlowFileText(read.text, {
    file: displayPath,
    manifestKeyPath: keyPath,
    substitutions: context.substitutions,
    requireArchyFlow: context.requireArchyFlows
  })
  // What filling the placeholders added counts too: the filled text is what is kept and uploaded.
  const tooMuchFilled = overBudget(
    Math.max(0, checked.text.length - read.text.length),
    "filled with its substitutions, it takes the bundle's flow files past",
    'use shorter substitution values or split the bundle'
  )
  if (tooMuchFilled) return tooMuchFilled
  const file: BundleFile = { flow, path: reference, absolutePath: resolved.absolutePath, content: checked.text, references: checked.references }
  const published = checked.kind !== undefined && checked.name !== undefined ? { kind: checked.kind, name: checked.name } : undefined
  return { file, findings: checked.findings, ...(published ? { published } : {}) }
}

/** The gate's refusal in this module's words where they say more (the folder, the path looked for). */
function refusalMessage(problem: WorkspaceFileProblem, gateMessage: string, written: string, displayPath: string, folder: string): string {
  switch (problem) {
    case 'missing':
      return `${written}, which does not exist (looked for \`${shownText(displayPath, 120)}\`); fix the path (relative to ${folder}) or add the file.`
    case 'directory':
      return `${written}, which is a folder; point it at the Archy flow YAML file inside it.`
    case 'outside-workspace':
      // The path itself stays inside (checked before reading): a link leads out.
      return `${written}, which is a symbolic link to a place outside the workspace; flow files must be inside the repository: replace the link with the file itself.`
    default:
      return gateMessage
  }
}

/** Where a flow file reference leads, or why it may not be followed. */
export type FlowFilePath = { ok: true; absolutePath: string } | { ok: false; problem: 'absolute' | 'outside-workspace' }

/**
 * Resolves a `file:` reference against the manifest's folder and keeps it inside the workspace (as written: the
 * gate then follows links). A pull request can edit the manifest, so a `../` path could otherwise reach runner files.
 */
export function resolveFlowFilePath(reference: string, manifestDirectory: string, workspace: string): FlowFilePath {
  if (path.isAbsolute(reference) || reference.includes('\0')) return { ok: false, problem: 'absolute' }
  const absolutePath = path.resolve(manifestDirectory, reference)
  return isInside(absolutePath, path.resolve(workspace)) ? { ok: true, absolutePath } : { ok: false, problem: 'outside-workspace' }
}

function isInside(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, candidate)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

/** A path for findings: relative to the workspace with `/` separators, or absolute when outside it. */
export function workspacePath(absolutePath: string, workspace: string): string {
  const relative = path.relative(workspace, absolutePath)
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolutePath : relative.split(path.sep).join('/')
}
