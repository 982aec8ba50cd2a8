/**
 * A fast reader for the plain YAML that configuration files are made of (block mappings and sequences, plain,
 * quoted and block scalars, flow collections, comments), in time linear in the text's size. For the documents
 * it accepts it gives exactly what the `yaml` package's `parse` gives (YAML 1.2, core schema); for anything
 * else (anchors, tags, several documents, syntax errors, forms it is not sure of) it says so, and the caller
 * uses the `yaml` library instead. Nesting is bounded by `maxDepth` and read without recursion.
 */
import { DocumentReader } from './plain-yaml-block.js'
import { ReadStop, type DuplicateKeyFound, type NestingTooDeep, type UnsupportedConstruct } from './plain-yaml-cursor.js'
import type { SourcePositionIndex } from './source-position-index.js'
import type { MappingTexts } from './plain-yaml-tree.js'

export type { DuplicateKeyFound, NestingTooDeep, PlainYamlConstruct, UnsupportedConstruct } from './plain-yaml-cursor.js'
export type { SourcePositionIndex } from './source-position-index.js'
export type { MappingTexts } from './plain-yaml-tree.js'

/** How to read. */
export interface PlainYamlOptions {
  /** Most mappings and sequences (block or flow) one inside another; the top-level collection is depth 1. */
  maxDepth: number
  /** Also return the position of every mapping key and sequence item (costs more). */
  recordPositions?: boolean
  /**
   * Also return the text of each block mapping at this depth or less (the top level is 1) whose first key starts
   * its line: see `MappingTexts`. 0 or absent: none.
   */
  mappingTextDepth?: number
}

/** What reading a document gave. */
export type PlainYamlResult =
  | {
      kind: 'data'
      /** Exactly what `yaml`'s `parse` returns for the text (null for an empty document). */
      value: unknown
      /**
       * Only with `recordPositions`: the position of every mapping key and sequence item, by the path's
       * segments joined with `.` (`targetConfig.flows.main`, `list.0`); the first occurrence wins. Looked up
       * one path at a time (`get`), or listed whole (`toMap`, `toRecord`), which costs more.
       */
      positions?: SourcePositionIndex
      /** Only with `mappingTextDepth`: the block mappings and their texts. */
      mappingTexts?: MappingTexts
    }
  | DuplicateKeyFound
  | NestingTooDeep
  | UnsupportedConstruct

/**
 * Reads one YAML document. Never throws for the text's content: a document outside the supported subset is
 * `unsupported`, a repeated key `duplicate-key`, nesting beyond `options.maxDepth` `too-deep`.
 */
export function readPlainYaml(text: string, options: PlainYamlOptions): PlainYamlResult {
  const reader = new DocumentReader(text, options.maxDepth, options.recordPositions ?? false, options.mappingTextDepth ?? 0)
  try {
    refuseLoneCarriageReturns(text)
    const read = reader.read()
    if ('kind' in read) return read
    const result: PlainYamlResult = { kind: 'data', value: read.value }
    if (read.positions !== undefined) result.positions = read.positions
    if (read.mappingTexts !== undefined) result.mappingTexts = read.mappingTexts
    return result
  } catch (error) {
    if (!(error instanceof ReadStop)) throw error
    // A repeated key earlier in the text comes first, unless the rest is something only the library reads.
    const { duplicate } = reader
    return duplicate !== undefined && error.reason.kind === 'too-deep' ? duplicate : error.reason
  }
}

/** A `\r` not followed by `\n` is a line break to YAML but not to this reader's line cursor. */
function refuseLoneCarriageReturns(text: string): void {
  for (let offset = text.indexOf('\r'); offset >= 0; offset = text.indexOf('\r', offset + 1)) {
    if (text.charCodeAt(offset + 1) !== 10) {
      const before = text.slice(0, offset)
      const line = before.split('\n').length
      const column = offset - before.lastIndexOf('\n')
      throw new ReadStop({ kind: 'unsupported', line, column, construct: 'lone carriage return' })
    }
  }
}
