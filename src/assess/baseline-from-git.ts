/**
 * The baseline from git history: the bundle manifest (and the flow files it references) as it was at the pull
 * request's base commit or the push's `before` commit. Read through the GitHub API, because a checkout is
 * usually shallow and does not hold that commit.
 */
import { posix } from 'node:path'
import { fillPlaceholders, parseManifestSource } from '../bundle/loader.js'
import { Inputs } from '../constants.js'
import { shortRef, type GitHubHelper } from '../github/github-helper.js'
import { baselineConfigOf } from './baseline.js'
import type { Baseline } from './plan.js'
import { isMapping } from '../mapping.js'
import { digestBaselineTexts } from './plan-digest.js'
import { mapConcurrently } from '../map-concurrently.js'

/** The commit a baseline comes from, and what it is to the event. */
export interface BaselineRef {
  ref: string
  source: 'base-commit' | 'before-commit'
}

/** What `readBaselineAtRef` reads. */
export interface BaselineAtRefRequest {
  /** The manifest's path from the repository root (`bundles/core.yaml`), `/` separated. */
  manifestPath: string
  /** Commit id (or branch) to read at. */
  ref: string
  describe: BaselineRef['source']
}

/** Pushes that create a branch have no `before` commit: git writes forty zeros. */
const NO_COMMIT = /^0+$/

/** Flow files read at once: enough to be quick, few enough not to meet GitHub's secondary rate limits. */
const FILE_READ_CONCURRENCY = 4

/**
 * The commit to take the baseline from: the pull request's base commit (`pull_request`, `pull_request_target`)
 * or the commit before a push. Undefined for other events and for a push that created its branch. Pure.
 */
export function baselineRefFromEvent(eventName: string, payload: unknown): BaselineRef | undefined {
  const event = isMapping(payload) ? payload : {}
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pullRequest = isMapping(event.pull_request) ? event.pull_request : {}
    const base = isMapping(pullRequest.base) ? pullRequest.base : {}
    return usableCommit(base.sha) ? { ref: base.sha, source: 'base-commit' } : undefined
  }
  if (eventName === 'push') {
    return usableCommit(event.before) ? { ref: event.before, source: 'before-commit' } : undefined
  }
  return undefined
}

/**
 * Reads the manifest at `ref` and takes its `targetConfig` as the baseline, with the text of the flow files it
 * referenced then (`files`, placeholders filled with that manifest's `substitutions`). A manifest that did not
 * exist at that commit is a new bundle: an empty baseline that says so. Undefined when `ref` names no commit
 * (empty, all zeros). Throws an instruction when the manifest there cannot be used or GitHub cannot be asked
 * (a `GitHubApiError`); the caller warns and compares with nothing.
 */
export async function readBaselineAtRef(helper: Pick<GitHubHelper, 'readFileAtRef'>, request: BaselineAtRefRequest): Promise<Baseline | undefined> {
  if (!usableCommit(request.ref)) return undefined
  const manifestPath = repositoryPath(request.manifestPath)
  const at = `${request.describe === 'base-commit' ? 'the base commit' : 'the commit before the push'} \`${shortRef(request.ref)}\``
  const text = await helper.readFileAtRef(manifestPath, request.ref)
  if (text === undefined) {
    return {
      source: request.describe,
      description: `The manifest \`${manifestPath}\` did not exist at ${at}: the bundle is new, so everything in it shows as added.`,
      config: {},
      files: {}
    }
  }
  const { config, substitutions } = manifestAt(text, manifestPath, at)
  const flowFiles = await readBaselineFlowFiles(config, substitutions, posix.dirname(manifestPath), path => helper.readFileAtRef(path, request.ref))
  return {
    source: request.describe,
    description: `The manifest \`${manifestPath}\` at ${at}${flowFiles.note}, read through the GitHub API.`,
    config,
    files: flowFiles.files,
    sourceDigest: digestBaselineTexts(text, flowFiles.files)
  }
}

/**
 * Reads the flow files a baseline manifest references (paths relative to its folder) through `read`, which answers
 * undefined for a file that is not there, and fills their placeholders with that manifest's own substitutions:
 * today's may differ, and the text deployed then is what compares. `note` describes what was found, for the report.
 */
export async function readBaselineFlowFiles(
  config: Record<string, unknown>,
  substitutions: Record<string, unknown>,
  manifestFolder: string,
  read: (path: string) => Promise<string | undefined>
): Promise<{ files: Record<string, string>; note: string }> {
  const references = flowFileReferences(config, manifestFolder)
  const texts = await mapConcurrently(references, FILE_READ_CONCURRENCY, async reference => ({ ...reference, text: await read(reference.path) }))
  const files = Object.fromEntries(texts.flatMap(({ flow, text }) => (text === undefined ? [] : [[flow, fillPlaceholders(text, substitutions).text]])))
  const missing = texts.filter(file => file.text === undefined).map(file => `\`${file.path}\``)
  const fileNote = references.length === 0 ? '' : `, with ${references.length - missing.length} of its ${references.length} flow file(s)`
  const missingNote = missing.length === 0 ? '' : ` (missing there: ${missing.join(', ')})`
  return { files, note: `${fileNote}${missingNote}` }
}

/** The old manifest's targetConfig and substitutions, or an instruction saying why it cannot serve as a baseline. */
function manifestAt(text: string, manifestPath: string, at: string): { config: Record<string, unknown>; substitutions: Record<string, unknown> } {
  const source = parseManifestSource(text, manifestPath)
  const error = source.findings.find(finding => finding.severity === 'error')
  if (error) {
    const line = error.line ? ` line ${error.line}:` : ''
    throw new Error(`The manifest \`${manifestPath}\` at ${at} cannot be read as a baseline:${line} ${error.message} The diff compares with nothing instead.`)
  }
  const config = baselineConfigOf(source.document)
  if (config === undefined) {
    throw new Error(
      `The manifest \`${manifestPath}\` at ${at} holds no \`targetConfig\` mapping, so it cannot serve as a baseline; the diff compares with nothing instead.`
    )
  }
  const substitutions = isMapping(source.document) && isMapping(source.document.substitutions) ? source.document.substitutions : {}
  return { config, substitutions }
}

/**
 * The flow files a manifest references, as repository paths (relative to the manifest's folder, as the loader
 * reads them). References that are absolute or lead out of the repository are skipped: the current bundle's
 * checks report those, and the API could not read them anyway. Pure.
 */
export function flowFileReferences(config: Record<string, unknown>, manifestFolder: string): { flow: string; path: string }[] {
  const flows = isMapping(config.flows) ? config.flows : {}
  return Object.entries(flows).flatMap(([flow, entry]) => {
    const file = isMapping(entry) ? entry.file : undefined
    if (typeof file !== 'string' || file === '' || posix.isAbsolute(file)) return []
    const path = posix.normalize(posix.join(manifestFolder, file))
    return path.startsWith('../') || path === '..' ? [] : [{ flow, path }]
  })
}

/**
 * The manifest path as the contents API wants it: `/` separated, from the repository root. Throws for a path
 * outside the repository.
 */
export function repositoryPath(path: string): string {
  const normalized = posix.normalize(path.replace(/\\/g, '/')).replace(/^(\.\/)+/, '')
  if (posix.isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../') || normalized === '.') {
    throw new Error(
      `The manifest path ${JSON.stringify(path)} is not a path inside the repository; give the \`${Inputs.Bundle}\` input relative to the repository root to read its baseline from git.`
    )
  }
  return normalized
}

function usableCommit(ref: unknown): ref is string {
  return typeof ref === 'string' && ref.trim() !== '' && !NO_COMMIT.test(ref)
}
