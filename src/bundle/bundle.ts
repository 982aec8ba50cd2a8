import type { Manifest } from './manifest.js'

/** 1-based position of a key or value in a source file. */
export interface SourcePosition {
  line: number
  column: number
}

/** Kinds of platform objects an Archy flow can name, which the architect preflight looks up by name. */
export type ArchyReferenceKind = 'queue' | 'flow' | 'dataAction' | 'schedule' | 'scheduleGroup' | 'prompt' | 'skill'

/** One object a flow file names literally (`targetQueue: {lit: {name: Sales}}`), and where. */
export interface ArchyReference {
  kind: ArchyReferenceKind
  /** The object's name as written (after substitutions). */
  name: string
  /** For a flow: its Archy flow kind when the reference says it (`inboundCall`), so the look-up can filter by type. */
  flowType?: string
  /** The flow file (workspace-relative) and the 1-based position of the reference in it. */
  file: string
  line: number
  column: number
}

/** A file the manifest references (an Archy flow YAML), read and checked. */
export interface BundleFile {
  /** The flow (targetConfig.flows key) that references it. */
  flow: string
  /** Path as written in the manifest (relative to the manifest's folder). */
  path: string
  /** Absolute path on disk. */
  absolutePath: string
  /**
   * The text as deployed: the file with its `{{placeholders}}` filled from the manifest's `substitutions` (as text,
   * before parsing). The loader checked exactly this text; it is what is uploaded, diffed and fingerprinted.
   */
  content: string
  /** The platform objects the flow names literally (architect API preflight), in file order; absent when not extracted. */
  references?: ArchyReference[]
}

/**
 * A loaded, schema-checked bundle. Pure data.
 * `manifest` already carries the input overrides (environment-id, override-validation,
 * rollback-on-failure): it is the payload sent to the platform.
 */
export interface Bundle {
  /** Manifest path as given in the `bundle` input. */
  manifestPath: string
  /** Absolute path of the manifest. */
  absoluteManifestPath: string
  manifest: Manifest
  /** Environment the bundle deploys to (input override or manifest). Empty when neither says. */
  environmentId: string
  /** Files referenced by targetConfig.flows[*].file, in manifest order. */
  files: BundleFile[]
  /** Install order of the resource groups (dependencyMatrix.order, else queues then flows). */
  groupOrder: string[]
  /** External dependencies: names in dependencyMatrix that targetConfig does not define. */
  externalDependencies: { group: string; name: string }[]
  /**
   * Source position of manifest keys by dotted path (`targetConfig.flows.main-entry`). The loader fills it on first
   * read (a large manifest has a million positions and a valid run needs few): read it only to point at a key.
   */
  positions: Record<string, SourcePosition>
}
