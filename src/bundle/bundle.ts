import type { Manifest } from './manifest.js'

/** 1-based position of a key or value in a source file. */
export interface SourcePosition {
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
  /** Raw text. */
  content: string
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
  /** Source position of manifest keys by dotted path (`targetConfig.flows.main-entry`). */
  positions: Record<string, SourcePosition>
}
