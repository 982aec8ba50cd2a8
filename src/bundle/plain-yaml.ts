/**
 * Stand-in for the fast plain-YAML reader (interface only): it answers `unsupported` for every text, so that the
 * YAML source falls back to the `yaml` library. The real reader replaces this file with the same interface.
 */
import type { SourcePosition } from './bundle.js'

/** A construct the fast reader leaves to the full YAML library. */
export type PlainYamlConstruct = string

/** How to read. */
export interface PlainYamlOptions {
  /** Most mappings and sequences (block or flow) one inside another; the top-level collection is depth 1. */
  maxDepth: number
  /** Also return the position of every mapping key and sequence item. */
  recordPositions?: boolean
}

/** What reading a document gave. Line and column are 1-based. */
export type PlainYamlResult =
  | { kind: 'data'; value: unknown; positions?: Map<string, SourcePosition> }
  | { kind: 'duplicate-key'; path: (string | number)[]; line: number; column: number }
  | { kind: 'too-deep'; line: number; column: number; depth: number }
  | { kind: 'unsupported'; line: number; column: number; construct: PlainYamlConstruct }

/** Reads one YAML document: this stand-in leaves every text to the `yaml` library. */
export function readPlainYaml(_text: string, _options: PlainYamlOptions): PlainYamlResult {
  return { kind: 'unsupported', line: 1, column: 1, construct: 'not implemented' }
}
