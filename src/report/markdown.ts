/**
 * Markdown building blocks that are safe for untrusted text (flow names, values, platform messages): whatever the
 * text holds, it renders as that text and cannot open markup, close the report's `<details>`, start an HTML comment
 * or mention a GitHub user or team.
 */

/** Where a fragment lands: table cells need their pipes escaped, everything else must not have them escaped. */
export interface InlineContext {
  inTable?: boolean
}

const ZERO_WIDTH_SPACE = '\u200b'

/** Characters with an inline markdown meaning, escaped with a backslash. */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~#!]/g

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }

/**
 * Plain text as inline markdown: markdown punctuation is backslash-escaped, `<` `>` `&` `"` become entities
 * (so `<!--`, `-->` and `</details>` are inert), line breaks become spaces (a line break could start a new block),
 * and `@` gets a zero-width space after it so that a name cannot notify anyone.
 */
export function escapeText(text: string): string {
  return singleLine(text)
    .replace(MARKDOWN_PUNCTUATION, char => `\\${char}`)
    .replace(/[&<>"]/g, char => HTML_ENTITIES[char])
    .replace(/@/g, `@${ZERO_WIDTH_SPACE}`)
}

/**
 * Text as a code span. The fence is longer than any run of backticks inside, so the text cannot close it;
 * HTML inside a code span is shown, not interpreted. Empty text shows as an empty-looking span.
 */
export function inlineCode(text: string, context: InlineContext = {}): string {
  // A code span shows `<!--` as text, but the raw body still holds it: a name spelling this action's hidden marker
  // must not be read back as one (see comment.ts), so the sequence is broken by an invisible zero-width space.
  let content = singleLine(text).replace(/<!--/g, `<${ZERO_WIDTH_SPACE}!--`)
  if (content === '') return '` `'
  if (context.inTable) content = content.replace(/\|/g, '\\|')
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longestRun + 1)
  // CommonMark strips one space from each side when both are there, and a backtick next to the fence would join it.
  const pad = content.startsWith('`') || content.endsWith('`') || (content.startsWith(' ') && content.endsWith(' ')) ? ' ' : ''
  return `${fence}${pad}${content}${pad}${fence}`
}

/**
 * Text that may hold code spans of its own (reasons, instructions: "removes flow `after-hours`"): each code span is
 * rendered again with `inlineCode`, everything else with `escapeText`, so the spans survive and nothing else does.
 */
export function escapeTextKeepingCode(text: string, context: InlineContext = {}): string {
  return splitCodeSpans(text)
    .map(part => (part.code ? inlineCode(part.text, context) : escapeText(part.text)))
    .join('')
}

/** Cuts text to at most `maxChars` characters (code points, so no emoji is split), ending with "…" when cut. */
export function truncateChars(text: string, maxChars: number): string {
  const chars = Array.from(text)
  return chars.length <= maxChars ? text : `${chars.slice(0, Math.max(0, maxChars - 1)).join('')}…`
}

/**
 * Cuts text to at most `maxChars` characters by taking out its middle (`start … end`): the end of a value (a
 * prompt's last words, a version suffix) is often what tells it apart. Code points, so no emoji is split.
 */
export function truncateMiddle(text: string, maxChars: number): string {
  const chars = Array.from(text)
  if (chars.length <= maxChars) return text
  const keep = Math.max(0, maxChars - 3)
  const head = Math.ceil(keep / 2)
  return `${chars.slice(0, head).join('')} … ${chars.slice(chars.length - (keep - head)).join('')}`
}

/** The five GitHub alert kinds (`> [!CAUTION]`), rendered as coloured call-outs in comments and job summaries. */
export type AlertKind = 'CAUTION' | 'WARNING' | 'IMPORTANT' | 'NOTE' | 'TIP'

/** A GitHub alert: a blockquote whose first line names its kind. Lines are markdown already (escaped by the caller). */
export function alert(kind: AlertKind, lines: readonly string[]): string {
  return [`> [!${kind}]`, ...lines.map(line => `> ${line}`)].join('\n')
}

/** Names as a comma-separated list of code spans: the compact way to name many resources on one line. */
export function codeList(names: readonly string[], context: InlineContext = {}): string {
  return names.map(name => inlineCode(name, context)).join(', ')
}

/** `1,234`: counts in reports are read by people, with the thousands grouped the same on every runner. */
export function formatCount(count: number): string {
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** `3 flows`, `1 flow`: a count with its noun, plural unless the count is one. */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 ? noun : pluralNoun}`
}

/** A GFM table. Cells are markdown already escaped for a table (`inTable`). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n')
}

/**
 * A link, when the URL is http(s); otherwise the text alone, so a malformed or `javascript:` URL is never rendered.
 * Characters that would end the link target early are percent-encoded.
 */
export function link(text: string, url: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return escapeText(text)
  const target = url.replace(/[()<>"'`\\|]/g, char => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
  return `[${escapeText(text)}](${target})`
}

/** UTF-8 size of a string, the unit GitHub's comment and summary limits count in. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

function singleLine(text: string): string {
  return text.replace(/\s*(?:\r\n|\r|\n)\s*/g, ' ')
}

interface TextPart {
  code: boolean
  text: string
}

/** Splits text into code spans and the rest, by the CommonMark rule: a backtick run closes at the next run of the same length. */
function splitCodeSpans(text: string): TextPart[] {
  const parts: TextPart[] = []
  let plainStart = 0
  let searchFrom = 0
  const runs = /`+/g
  while (searchFrom < text.length) {
    runs.lastIndex = searchFrom
    const opening = runs.exec(text)
    if (!opening) break
    const closing = findClosingRun(text, opening.index + opening[0].length, opening[0].length)
    if (closing === -1) {
      searchFrom = opening.index + opening[0].length
      continue
    }
    if (opening.index > plainStart) parts.push({ code: false, text: text.slice(plainStart, opening.index) })
    parts.push({ code: true, text: stripCodePadding(text.slice(opening.index + opening[0].length, closing)) })
    plainStart = closing + opening[0].length
    searchFrom = plainStart
  }
  if (plainStart < text.length) parts.push({ code: false, text: text.slice(plainStart) })
  return parts
}

function findClosingRun(text: string, from: number, length: number): number {
  const runs = /`+/g
  runs.lastIndex = from
  for (let run = runs.exec(text); run; run = runs.exec(text)) {
    if (run[0].length === length) return run.index
  }
  return -1
}

function stripCodePadding(content: string): string {
  return content.length >= 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '' ? content.slice(1, -1) : content
}
