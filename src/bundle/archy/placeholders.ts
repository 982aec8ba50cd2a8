/**
 * `{{key}}` placeholders in Archy flow files, filled from the manifest's `substitutions` as text, before the YAML
 * is parsed: the way Archy and the Terraform provider fill them, so that an unquoted `name: {{flow_name}}` is a
 * name and not a YAML mapping. The text that results is the text that is checked, uploaded, diffed and
 * fingerprinted. Positions in it map back to the file on disk, where annotations belong.
 */
import type { SourcePosition } from '../bundle.js'

/** `{{ key }}` as Archy writes it; the key is letters, digits, `_`, `.` and `-`. */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g

/** One placeholder in a file's text. */
export interface Placeholder {
  key: string
  /** Offset in the file's text, and the placeholder's length there. */
  offset: number
  length: number
}

/** Every placeholder of `text`, in order. */
export function findPlaceholders(text: string): Placeholder[] {
  const found: Placeholder[] = []
  for (const match of text.matchAll(PLACEHOLDER)) found.push({ key: match[1], offset: match.index, length: match[0].length })
  return found
}

/** The result of filling `{{name}}` placeholders. */
export interface FilledText {
  text: string
  /** Placeholders with no substitution, left as written, with their offset in the filled text. */
  unknown: { name: string; offset: number }[]
}

/**
 * Fills the placeholders `substitutions` defines and leaves the others as written (listed in `unknown`). For texts
 * that are not checked here: a baseline read from git, whose flow files were deployed with that commit's values.
 */
export function fillPlaceholders(text: string, substitutions: Readonly<Record<string, unknown>>): FilledText {
  const unknown: FilledText['unknown'] = []
  let shift = 0
  const filled = text.replace(PLACEHOLDER, (placeholder: string, name: string, offset: number) => {
    if (!Object.hasOwn(substitutions, name)) {
      unknown.push({ name, offset: offset + shift })
      return placeholder
    }
    const value = String(substitutions[name])
    shift += value.length - placeholder.length
    return value
  })
  return { text: filled, unknown }
}

/** One replaced stretch: `[from, to)` in the new text stood for `[originalFrom, originalTo)` in the file. */
interface Replacement {
  from: number
  to: number
  originalFrom: number
  originalTo: number
}

/**
 * A text made from a file by replacing placeholders, with the way back: any position in it maps to the position in
 * the file (a position inside a replaced value maps to its placeholder).
 */
export class ReplacedText {
  private lineStarts: number[] | undefined
  private originalLineStarts: number[] | undefined

  constructor(
    /** The new text. */
    readonly text: string,
    /** The file's own text. */
    readonly original: string,
    private readonly replacements: readonly Replacement[]
  ) {}

  /** The file position of a position in the new text. */
  toOriginal(position: SourcePosition): SourcePosition {
    if (this.replacements.length === 0) return position
    this.lineStarts ??= lineStartsOf(this.text)
    const offset = (this.lineStarts[position.line - 1] ?? this.text.length) + position.column - 1
    return this.originalPosition(this.originalOffset(offset))
  }

  /** The file position of a file offset. */
  originalPosition(offset: number): SourcePosition {
    this.originalLineStarts ??= lineStartsOf(this.original)
    const starts = this.originalLineStarts
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle] <= offset) low = middle
      else high = middle - 1
    }
    return { line: low + 1, column: offset - starts[low] + 1 }
  }

  private originalOffset(offset: number): number {
    const replacements = this.replacements
    let low = 0
    let high = replacements.length - 1
    let before = -1
    while (low <= high) {
      const middle = (low + high) >> 1
      if (replacements[middle].from <= offset) {
        before = middle
        low = middle + 1
      } else high = middle - 1
    }
    if (before === -1) return offset
    const replacement = replacements[before]
    if (offset < replacement.to) return replacement.originalFrom
    return replacement.originalTo + (offset - replacement.to)
  }
}

/** Replaces each placeholder of `text` with `replace(placeholder)`, keeping the way back to the file. */
export function replacePlaceholders(text: string, placeholders: readonly Placeholder[], replace: (placeholder: Placeholder) => string): ReplacedText {
  const parts: string[] = []
  const replacements: Replacement[] = []
  let copied = 0
  let length = 0
  for (const placeholder of placeholders) {
    const before = text.slice(copied, placeholder.offset)
    parts.push(before)
    length += before.length
    const value = replace(placeholder)
    parts.push(value)
    replacements.push({ from: length, to: length + value.length, originalFrom: placeholder.offset, originalTo: placeholder.offset + placeholder.length })
    length += value.length
    copied = placeholder.offset + placeholder.length
  }
  parts.push(text.slice(copied))
  return new ReplacedText(parts.join(''), text, replacements)
}

/**
 * Inert stand-ins for placeholder keys: letters and digits only (a plain scalar wherever it stands, never YAML
 * syntax), with a prefix the text does not contain, so a token found in parsed data can only be one placed there.
 */
export class PlaceholderTokens {
  private readonly prefix: string
  private readonly byKey = new Map<string, string>()
  private readonly keyByToken = new Map<string, string>()

  constructor(text: string) {
    let prefix = 'Qplaceholder'
    while (text.includes(prefix)) prefix += 'Q'
    this.prefix = prefix
  }

  /** The token of `key` (the same for every use of the key). */
  tokenOf(key: string): string {
    let token = this.byKey.get(key)
    if (token === undefined) {
      token = `${this.prefix}${this.byKey.size}Z`
      this.byKey.set(key, token)
      this.keyByToken.set(token, key)
    }
    return token
  }

  /** The keys whose tokens occur in `text`, in order of appearance. */
  keysIn(text: string): string[] {
    const keys: string[] = []
    for (let at = text.indexOf(this.prefix); at !== -1; at = text.indexOf(this.prefix, at + 1)) {
      const end = text.indexOf('Z', at + this.prefix.length)
      const key = end === -1 ? undefined : this.keyByToken.get(text.slice(at, end + 1))
      if (key !== undefined && !keys.includes(key)) keys.push(key)
    }
    return keys
  }

  /** `text` with every token replaced by `valueOf(key)`. */
  fill(text: string, valueOf: (key: string) => string): string {
    if (!text.includes(this.prefix)) return text
    let result = text
    for (const [token, key] of this.keyByToken) result = result.split(token).join(valueOf(key))
    return result
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0]
  for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', newline + 1)) starts.push(newline + 1)
  return starts
}
