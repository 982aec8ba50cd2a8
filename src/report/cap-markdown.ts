import { utf8Bytes } from './markdown.js'

/** A rendered report in the pieces that truncation treats differently. */
export interface CappableReport {
  /** Everything that may be cut, line by line from the end. */
  body: string
  /** Kept whole, after the body (baseline, fingerprint, run link). */
  footer: string
  /** Last line, added only when the body was cut: says so and where the full report is. */
  notice: string
}

/** What is open at the end of the kept lines and must be closed for the markdown to stay well-formed. */
interface OpenBlocks {
  details: number
  /** The opening fence of an open code block. */
  fence?: string
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/

/**
 * Joins the report, cutting the body on line boundaries when the whole would exceed `maxBytes` (UTF-8). A cut body
 * gets its open code fence and `<details>` closed, then the footer, then the notice; the result never exceeds
 * `maxBytes` unless the footer and notice alone do, in which case only the notice is kept (cut to fit).
 */
export function capMarkdown(report: CappableReport, maxBytes: number): string {
  const whole = `${report.body}\n\n${report.footer}\n`
  if (utf8Bytes(whole) <= maxBytes) return whole

  const kept: string[] = []
  let keptBytes = 0
  let open: OpenBlocks = { details: 0 }
  for (const line of report.body.split('\n')) {
    const next = advance(open, line)
    const nextBytes = keptBytes + utf8Bytes(line) + 1
    if (nextBytes + utf8Bytes(closingTail(next, report)) > maxBytes) break
    kept.push(line)
    keptBytes = nextBytes
    open = next
  }
  if (kept.length === 0 && utf8Bytes(closingTail(open, report)) > maxBytes) return cutToBytes(`${report.notice}\n`, maxBytes)
  return `${kept.join('\n')}\n${closingTail(open, report)}`
}

function advance(open: OpenBlocks, line: string): OpenBlocks {
  if (open.fence !== undefined) {
    const closes = line.trim().startsWith(open.fence) && /^[`~]+$/.test(line.trim())
    return closes ? { details: open.details } : open
  }
  const fence = FENCE.exec(line)
  if (fence) return { details: open.details, fence: fence[1] }
  const trimmed = line.trim()
  if (/^<details[\s>]/i.test(trimmed)) return { details: open.details + 1 }
  if (/^<\/details>/i.test(trimmed)) return { details: Math.max(0, open.details - 1) }
  return open
}

/** What follows the kept lines of a cut body: a blank line (ends a table), closers, footer, notice. */
function closingTail(open: OpenBlocks, report: CappableReport): string {
  const closers = [...(open.fence !== undefined ? [open.fence] : []), ...Array<string>(open.details).fill('</details>')]
  const closing = closers.length > 0 ? `${closers.join('\n')}\n\n` : ''
  return `\n${closing}${report.footer}\n\n${report.notice}\n`
}

function cutToBytes(text: string, maxBytes: number): string {
  let cut = ''
  for (const char of text) {
    if (utf8Bytes(cut + char) > maxBytes) break
    cut += char
  }
  return cut
}
