/**
 * The manifest's text as data: read as YAML or JSON (by its extension), with its syntax problems, an empty file or a
 * top level that is not a mapping as findings, and the position of any key when a finding asks for one.
 */
import type { SourcePosition } from './bundle.js'
import { describeShape } from './archy.js'
import { hasErrors, type Finding } from './finding.js'
import { isMapping } from '../mapping.js'
import { readYamlSource } from './yaml-source.js'

/** A manifest parsed, with the source position of its keys on demand. */
export interface ManifestSource {
  /** The manifest as plain data; undefined when it could not be read at all. */
  document: unknown
  /**
   * Source position by dotted path, for every key and list item. Filled on first access (a second, recording read
   * of the text): read it only when a position is needed; `positionAt` is the same look-up without the record.
   */
  readonly positions: Record<string, SourcePosition>
  /** The position of one key or item, computed (with all others) on first use. */
  positionAt(dottedPath: string): SourcePosition | undefined
  /** Every position, by dotted path, computed on first use. */
  positionMap(): ReadonlyMap<string, SourcePosition>
  /** Syntax problems, an empty file, a top level that is not a mapping. */
  findings: Finding[]
}

/**
 * The depth of a resource in a manifest (`targetConfig.flows.main` is 4, the top level 1) and in a bare baseline
 * (`flows.main`, 3): the mappings whose text is remembered for the diff (see `YamlSourceOptions.mappingTextDepth`).
 */
export const RESOURCE_TEXT_DEPTH = 4

/**
 * Parses manifest text: JSON when `file` ends in `.json`, else YAML. `file` is the workspace-relative path used in
 * findings. Never throws for the text's content.
 */
export function parseManifestSource(text: string, file: string): ManifestSource {
  const format = /\.json$/i.test(file) ? 'JSON' : 'YAML'
  const source = readYamlSource(text, file, { format, mappingTextDepth: RESOURCE_TEXT_DEPTH })
  const findings = [...source.findings]
  if (!hasErrors(findings)) {
    if (source.data === null || source.data === undefined) {
      findings.push({
        severity: 'error',
        file,
        line: 1,
        column: 1,
        message: `The manifest \`${file}\` is empty; it needs at least \`bundleId\` and \`targetConfig\` (see "Bundle manifest" in the README).`
      })
    } else if (!isMapping(source.data)) {
      findings.push({
        severity: 'error',
        file,
        ...source.rootPosition(),
        message: `The manifest's top level is ${describeShape(source.data)}; it must be a mapping of keys (\`bundleId: …\`, \`targetConfig: …\`).`
      })
    }
  }
  return withLazyPositions(
    { document: source.data, findings, positionAt: (dottedPath: string) => source.positionAt(dottedPath), positionMap: () => source.positions() },
    () => source.positions()
  )
}

/**
 * Adds a `positions` record to `target` that is built from `all()` the first time it is read: a manifest of
 * 50,000 flows has a million positions, and a valid one needs none of them.
 */
export function withLazyPositions<T extends object>(
  target: T,
  all: () => ReadonlyMap<string, SourcePosition>
): T & { readonly positions: Record<string, SourcePosition> } {
  let record: Record<string, SourcePosition> | undefined
  Object.defineProperty(target, 'positions', {
    enumerable: true,
    get: () => (record ??= Object.fromEntries(all()))
  })
  return target as T & { readonly positions: Record<string, SourcePosition> }
}
