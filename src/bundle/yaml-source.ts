/**
 * YAML or JSON text → plain data, its syntax problems as findings, and the source position of any key when a
 * finding needs one. The clean common case takes a fast linear path (the plain YAML reader; `JSON.parse` with a
 * JSON scan); anything else (anchors, tags, syntax errors) goes to the `yaml` library, which gives the exact data,
 * messages and positions, but only for texts small enough for its memory: a larger one is an error naming the line
 * and the construct. Nesting is bounded on every path, and alias expansion on the library's.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Document, type YAMLError } from 'yaml'
import type { SourcePosition } from './bundle.js'
import type { Finding } from './finding.js'
import { scanJson } from './json-scan.js'
import { findJsonSyntaxProblem } from './json-syntax.js'
import { findExcessNesting } from './nesting-scan.js'
import { readPlainYaml, type MappingTexts, type PlainYamlConstruct } from './plain-yaml.js'
import { readFromText } from './source-text.js'
import { shownText } from './shown-text.js'
import { SourcePositionIndex } from './source-position-index.js'
import { bySourcePosition } from './source-positions.js'

/** Most collections one inside another: far beyond any real bundle, far below what would exhaust the stack. */
export const MAX_NESTING_DEPTH = 256

/** Largest text the `yaml` library reads (its document model takes ~40× the text in memory; see bench/bundle-load-speed.ts). */
export const MAX_LIBRARY_TEXT_LENGTH = 4 * 1024 * 1024

/** Alias resolutions (weighted by what they expand to) the library allows before calling it an expansion attack. */
const MAX_ALIAS_COUNT = 100

/** How to read a text. */
export interface YamlSourceOptions {
  /** `JSON` when the file is JSON (it is read with `JSON.parse`); `YAML` otherwise. */
  format: 'YAML' | 'JSON'
  /** Compute every key's position in the same pass (flow files, whose references need them). */
  recordPositions?: boolean
  /**
   * Remember the text of each block mapping down to this depth (the top level is 1) with `readFromText`, so that the
   * diff compares resources read from equal texts without walking them (source-text.ts). YAML read by the fast
   * reader only; 0 or absent: none.
   */
  mappingTextDepth?: number
  /** Overrides for tests. */
  maxDepth?: number
  maxLibraryTextLength?: number
}

/** A read text. */
export interface YamlSource {
  /** The data; undefined when the text could not be read at all. */
  data: unknown
  /** Syntax problems, repeated keys, too much nesting: errors, except the library's warnings. */
  findings: Finding[]
  /** Position of the key (or list item) at a dotted path (`targetConfig.flows.main`); computed on first use. */
  positionAt(dottedPath: string): SourcePosition | undefined
  /** Every key's position by dotted path; computed on first use. */
  positions(): ReadonlyMap<string, SourcePosition>
  /** Where the top-level value starts: its first line with content. */
  rootPosition(): SourcePosition
}

/** Reads `text` (the file `file`, workspace-relative, for findings). Never throws for the text's content. */
export function readYamlSource(text: string, file: string, options: YamlSourceOptions): YamlSource {
  const settings = {
    file,
    format: options.format,
    maxDepth: options.maxDepth ?? MAX_NESTING_DEPTH,
    maxLibraryTextLength: options.maxLibraryTextLength ?? MAX_LIBRARY_TEXT_LENGTH,
    recordPositions: options.recordPositions ?? false,
    mappingTextDepth: options.mappingTextDepth ?? 0
  }
  return options.format === 'JSON' ? readJson(text, settings) : readYaml(text, settings)
}

interface ReadSettings {
  file: string
  format: 'YAML' | 'JSON'
  maxDepth: number
  maxLibraryTextLength: number
  recordPositions: boolean
  mappingTextDepth: number
}

function readYaml(text: string, settings: ReadSettings): YamlSource {
  const fast = readPlainYaml(text, { maxDepth: settings.maxDepth, recordPositions: settings.recordPositions, mappingTextDepth: settings.mappingTextDepth })
  switch (fast.kind) {
    case 'data': {
      if (fast.mappingTexts !== undefined) rememberMappingTexts(fast.mappingTexts)
      const positions = fast.positions ?? (() => recordedPositions(readPlainYaml(text, { maxDepth: settings.maxDepth, recordPositions: true })))
      return source(text, fast.value, [], positions)
    }
    case 'too-deep':
      return source(text, undefined, [tooDeepFinding(settings, fast)], new Map())
    case 'duplicate-key':
      // The library reports every repeated key and the data, all at once; a text too large for it gets the first.
      if (text.length <= settings.maxLibraryTextLength) return readWithLibrary(text, settings)
      return source(text, undefined, [duplicateKeyFinding(settings, fast.path, fast)], new Map())
    case 'unsupported':
      if (text.length <= settings.maxLibraryTextLength) return readWithLibrary(text, settings)
      return source(text, undefined, [tooLargeForLibraryFinding(settings, fast)], new Map())
  }
}

/** What the fast reader's block mapping texts are remembered as: one reader, one way of cutting the texts. */
const PLAIN_YAML_MAPPING_READER = 'readPlainYaml block mapping'

function rememberMappingTexts({ values, texts }: MappingTexts): void {
  for (let index = 0; index < values.length; index++) readFromText(values[index], PLAIN_YAML_MAPPING_READER, texts[index])
}

function readJson(text: string, settings: ReadSettings): YamlSource {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    const problem = findJsonSyntaxProblem(text) ?? { offset: 0, problem: 'the text is not valid JSON' }
    const position = offsetPosition(text, problem.offset)
    return source(
      text,
      undefined,
      [{ severity: 'error', file: settings.file, ...position, message: `JSON syntax: ${problem.problem}; correct the JSON at this line.` }],
      new Map()
    )
  }
  const scan = scanJson(text, { maxDepth: settings.maxDepth, recordPositions: settings.recordPositions })
  switch (scan.kind) {
    case 'ok': {
      const positions = scan.positions ?? (() => recordedPositions(scanJson(text, { maxDepth: settings.maxDepth, recordPositions: true })))
      return source(text, data, [], positions)
    }
    case 'too-deep':
      return source(text, undefined, [tooDeepFinding(settings, scan)], new Map())
    case 'duplicate-key':
      // The library reports every repeated key at once; a text too large for it gets the first (the data is known).
      if (text.length <= settings.maxLibraryTextLength) return readWithLibrary(text, settings)
      return source(text, data, [duplicateKeyFinding(settings, scan.path, scan)], new Map())
  }
}

/** Positions as a reader gives them: a map, or the fast readers' index (looked up without writing every path out). */
type Positions = ReadonlyMap<string, SourcePosition> | SourcePositionIndex

/** Turns a reader's result with positions into them (none when the second read did not give them). */
function recordedPositions(result: { kind: string; positions?: SourcePositionIndex }): Positions {
  return result.positions ?? new Map()
}

function source(text: string, data: unknown, findings: Finding[], positions: Positions | (() => Positions)): YamlSource {
  let known = typeof positions === 'function' ? undefined : positions
  const lookup = (): Positions => (known ??= (positions as () => Positions)())
  let all: ReadonlyMap<string, SourcePosition> | undefined
  return {
    data,
    findings,
    positionAt: dottedPath => lookup().get(dottedPath),
    // Every path written out only when a caller needs them all (a lazily filled `Bundle.positions` does not).
    positions: () => (all ??= asMap(lookup())),
    rootPosition: () => firstContentPosition(text)
  }
}

function asMap(positions: Positions): ReadonlyMap<string, SourcePosition> {
  return positions instanceof SourcePositionIndex ? positions.toMap() : positions
}

// ---------------------------------------------------------------------------------------------------------
// The `yaml` library, for what the fast path does not read

function readWithLibrary(text: string, settings: ReadSettings): YamlSource {
  const excess = findExcessNesting(text, settings.maxDepth)
  if (excess !== undefined) return source(text, undefined, [tooDeepFinding(settings, excess)], new Map())
  const lineCounter = new LineCounter()
  let document: Document
  try {
    // logLevel 'error': the library would otherwise print its warnings to the process's stderr, i.e. the run's log
    // ('silent' would also drop errors such as MULTIPLE_DOCS from `document.errors`).
    // uniqueKeys off: the library compares each key with every earlier one (quadratic); repeatedKeyFindings is linear.
    document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: 'error' })
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    return source(text, undefined, [tooDeepFinding(settings, { line: 1, column: 1 })], new Map())
  }
  const findings = [
    ...document.errors.map(problem => libraryProblemFinding(problem, 'error', settings, lineCounter)),
    ...document.warnings.map(problem => libraryProblemFinding(problem, 'warning', settings, lineCounter)),
    ...repeatedKeyFindings(document, settings, lineCounter)
  ].sort(bySourcePosition)
  let data: unknown
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (error) {
    findings.push(unreadableDataFinding(error, document, settings, lineCounter))
    data = undefined
  }
  return source(text, data, findings, () => libraryPositions(document, lineCounter))
}

/** The fix for the syntax problems people actually hit, by the library's error code. */
const LIBRARY_FIXES: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  MULTIPLE_DOCS: 'keep one document: remove the second `---` and what follows, or move it to its own file',
  BAD_INDENT: 'check the indentation and that every bracket or quote is closed',
  MISSING_CHAR: 'add the missing closing bracket or quote',
  BLOCK_AS_IMPLICIT_KEY: 'put the nested mapping on its own, indented lines, or quote the value if it contains `: `',
  TAG_RESOLVE_FAILED: 'remove the unknown `!!tag` or use a standard one'
}

/** The library's own words, short: they may quote the text (an alias name), and a message quotes a snippet at most. */
const MAX_LIBRARY_MESSAGE_LENGTH = 120

function libraryProblemFinding(problem: YAMLError, severity: Finding['severity'], settings: ReadSettings, lineCounter: LineCounter): Finding {
  const position = linePosition(lineCounter, problem.pos[0])
  const fix = LIBRARY_FIXES[problem.code] ?? `correct the ${settings.format} syntax at this line`
  return {
    severity,
    file: settings.file,
    ...position,
    message: `${settings.format} syntax: ${shownText(problem.message, MAX_LIBRARY_MESSAGE_LENGTH)}; ${fix}.`
  }
}

/**
 * Keys repeated within one mapping, each at its second occurrence: one pass with a set per mapping. Keys compare as
 * the library's own check does: scalars by value and type (`1` and `"1"` differ); collection keys never repeat.
 */
function repeatedKeyFindings(document: Document, settings: ReadSettings, lineCounter: LineCounter): Finding[] {
  const findings: Finding[] = []
  const pending: { node: unknown; path: string[] }[] = [{ node: document.contents, path: [] }]
  while (pending.length > 0) {
    const { node, path } = pending.pop()!
    if (isMap(node)) {
      const seen = new Set<string>()
      for (const pair of node.items) {
        const keyText = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
        if (isScalar(pair.key)) {
          const identity = `${typeof pair.key.value}:${keyText}`
          if (seen.has(identity)) findings.push(duplicateKeyFinding(settings, [...path, keyText], nodePosition(pair.key, lineCounter)))
          seen.add(identity)
        }
        pending.push({ node: pair.value, path: [...path, keyText] })
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => pending.push({ node: item, path: [...path, String(index)] }))
    }
  }
  return findings
}

function unreadableDataFinding(error: unknown, document: Document, settings: ReadSettings, lineCounter: LineCounter): Finding {
  const reason = error instanceof Error ? error.message : String(error)
  const alias = firstAliasPosition(document, lineCounter)
  if (/alias/i.test(reason) && /excessive|resource exhaustion/i.test(reason)) {
    return {
      severity: 'error',
      file: settings.file,
      ...(alias ?? { line: 1, column: 1 }),
      message:
        `The ${settings.format} expands its aliases (\`*name\`) far beyond its own size (more than ${MAX_ALIAS_COUNT} copies), ` +
        'which is how a "billion laughs" file exhausts memory; write the repeated parts out instead of aliasing them.'
    }
  }
  return {
    severity: 'error',
    file: settings.file,
    ...(alias ?? { line: 1, column: 1 }),
    message: `The ${settings.format} cannot be read: ${shownText(reason, MAX_LIBRARY_MESSAGE_LENGTH)}; correct the file.`
  }
}

function firstAliasPosition(document: Document, lineCounter: LineCounter): SourcePosition | undefined {
  let found: SourcePosition | undefined
  visit(document, {
    Alias(_, node) {
      found = node.range ? linePosition(lineCounter, node.range[0]) : undefined
      return visit.BREAK
    }
  })
  return found
}

/** Every key's and item's position by dotted path, first occurrence winning; without recursion. */
function libraryPositions(document: Document, lineCounter: LineCounter): Map<string, SourcePosition> {
  const positions = new Map<string, SourcePosition>()
  const pending: { node: unknown; prefix: string | undefined }[] = [{ node: document.contents, prefix: undefined }]
  const join = (prefix: string | undefined, segment: string): string => (prefix === undefined ? segment : `${prefix}.${segment}`)
  while (pending.length > 0) {
    const { node, prefix } = pending.pop()!
    if (isMap(node)) {
      for (const pair of node.items) {
        const keyPath = join(prefix, isScalar(pair.key) ? String(pair.key.value) : String(pair.key))
        if (!positions.has(keyPath)) positions.set(keyPath, nodePosition(pair.key, lineCounter))
        pending.push({ node: pair.value, prefix: keyPath })
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const itemPath = join(prefix, String(index))
        if (!positions.has(itemPath)) positions.set(itemPath, nodePosition(item, lineCounter))
        pending.push({ node: item, prefix: itemPath })
      })
    } else if (isAlias(node)) {
      continue
    }
  }
  return positions
}

// ---------------------------------------------------------------------------------------------------------
// Findings shared by both paths

function duplicateKeyFinding(
  settings: ReadSettings,
  path: readonly (string | number)[],
  position: SourcePosition,
  severity: Finding['severity'] = 'error'
): Finding {
  const dotted = path.map(String).join('.')
  const shown = shownText(dotted)
  return {
    severity,
    file: settings.file,
    line: position.line,
    column: position.column,
    path: shown,
    message: `\`${shown}\` appears twice in the same mapping; keep one (${settings.format} would silently keep only the last).`
  }
}

function tooDeepFinding(settings: ReadSettings, where: { line: number; column: number }): Finding {
  return {
    severity: 'error',
    file: settings.file,
    line: where.line,
    column: where.column,
    message:
      `The ${settings.format} nests more than ${settings.maxDepth} mappings and lists one inside another here; ` +
      'no bundle needs that many levels: flatten the structure.'
  }
}

/** Constructs the fast path leaves to the library, in words, with what to write instead. */
function tooLargeForLibraryFinding(settings: ReadSettings, where: { line: number; column: number; construct: PlainYamlConstruct }): Finding {
  const megabytes = Math.round(settings.maxLibraryTextLength / (1024 * 1024))
  return {
    severity: 'error',
    file: settings.file,
    line: where.line,
    column: where.column,
    message:
      `This line uses ${describeConstruct(where.construct)}, which only the full YAML reader handles, and it reads files of at most ` +
      `${megabytes} MiB: write the file as plain block YAML (no anchors, aliases or tags) or as JSON, or split the bundle.`
  }
}

/** Each construct the fast reader leaves to the library, in words. */
const CONSTRUCT_WORDS: Readonly<Record<PlainYamlConstruct, string>> = {
  anchor: 'an anchor (`&name`)',
  alias: 'an alias (`*name`)',
  tag: 'a tag (`!tag`)',
  directive: 'a directive (`%YAML`)',
  'complex key': 'a complex key (`? …`)',
  'empty key': 'an empty key',
  'multi-line key': 'a key spread over lines',
  'long key': 'a key over 1,024 characters',
  '__proto__ key': 'a key `__proto__`',
  'keys equal only as text': 'two keys that differ in type but read the same',
  'multiple documents': 'a second document (`---`)',
  tab: 'a tab where YAML wants spaces',
  'lone carriage return': 'a carriage return without a line feed',
  'block scalar form': 'a form of block text (`|` / `>`) the fast reader does not read',
  'flow form': 'a form of `[…]` / `{…}` the fast reader does not read',
  'quoted scalar form': 'a form of quoted text the fast reader does not read',
  'syntax error': 'something that is not valid YAML'
}

function describeConstruct(construct: PlainYamlConstruct): string {
  return CONSTRUCT_WORDS[construct] ?? `a form the fast reader does not read (${shownText(String(construct), 40)})`
}

// ---------------------------------------------------------------------------------------------------------
// Positions

function linePosition(lineCounter: LineCounter, offset: number): SourcePosition {
  const { line, col } = lineCounter.linePos(offset)
  return { line, column: col }
}

function nodePosition(node: unknown, lineCounter: LineCounter): SourcePosition {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range
  return range ? linePosition(lineCounter, range[0]) : { line: 1, column: 1 }
}

/** 1-based line and column of a character offset. */
export function offsetPosition(text: string, offset: number): SourcePosition {
  let line = 1
  let lineStart = 0
  for (let newline = text.indexOf('\n'); newline !== -1 && newline < offset; newline = text.indexOf('\n', newline + 1)) {
    line++
    lineStart = newline + 1
  }
  return { line, column: offset - lineStart + 1 }
}

/** The first line that holds something other than blanks, comments or a document marker. */
function firstContentPosition(text: string): SourcePosition {
  let line = 1
  for (let start = 0; start < text.length; line++) {
    const newline = text.indexOf('\n', start)
    const end = newline === -1 ? text.length : newline
    const content = text.slice(start, end).trim()
    if (content !== '' && !content.startsWith('#') && content !== '---' && !content.startsWith('%')) {
      return { line, column: text.slice(start, end).search(/\S/) + 1 }
    }
    if (newline === -1) break
    start = newline + 1
  }
  return { line: 1, column: 1 }
}
