/**
 * Stand-in for the JSON scanner (interface only): it answers `unsupported` for every text, so that the YAML source
 * falls back to the `yaml` library for duplicate keys, depth and positions. The real scanner replaces this file.
 */
import type { SourcePosition } from './bundle.js'

/** How to scan. */
export interface JsonScanOptions {
  /** Most objects and arrays one inside another; the top-level value is depth 1. */
  maxDepth: number
  /** Also return the position of every object key and array item. */
  recordPositions?: boolean
}

/** What scanning valid JSON found. Line and column are 1-based. */
export type JsonScanResult =
  | { kind: 'ok'; positions?: Map<string, SourcePosition> }
  | { kind: 'duplicate-key'; path: (string | number)[]; line: number; column: number }
  | { kind: 'too-deep'; line: number; column: number; depth: number }
  | { kind: 'unsupported'; line: number; column: number; construct: string }

/** Scans JSON text that `JSON.parse` accepted: this stand-in leaves every text to the `yaml` library. */
export function scanJson(_text: string, _options: JsonScanOptions): JsonScanResult {
  return { kind: 'unsupported', line: 1, column: 1, construct: 'not implemented' }
}
