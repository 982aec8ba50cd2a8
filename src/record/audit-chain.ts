/**
 * The hash chain of an audit log (local file or history branch): how a line's hash is computed, how an entry is chained
 * after the last line, and how a log is verified. Pure.
 */
import { createHash } from 'node:crypto'
import { canonicalJson } from '../bundle/fingerprint.js'
import type { AuditEntry } from './audit-entry.js'

/** `prevHash` of the first entry of a log. */
export const GENESIS_HASH = '0'.repeat(64)

/** An audit entry as written: chained to the entry before it. One JSON line of the audit log. */
export interface AuditRecord extends AuditEntry {
  /** `hash` of the previous line; GENESIS_HASH for the first line. */
  prevHash: string
  /** See computeAuditHash. */
  hash: string
}

/**
 * The hash of an audit line:
 *
 *     hash = lowercase hex of SHA-256( UTF-8 bytes of ( prevHash + canonicalJson(record without `hash`) ) )
 *
 * where `record without hash` still holds `prevHash`, and canonicalJson is JSON.stringify with the keys of
 * every object sorted by UTF-16 code unit, no whitespace and `undefined` members left out (the same canonical
 * form as the bundle fingerprint). Anyone can re-check a log with a few lines of any language.
 * Because each hash covers the previous one, editing, deleting, inserting or reordering a line breaks the chain
 * at that point. Deleting the last lines cannot be seen from the file alone: publish the last hash elsewhere
 * (the job summary, the history branch) to anchor it.
 */
export function computeAuditHash(recordWithoutHash: AuditEntry & { prevHash: string }): string {
  const { hash: _ignored, ...content } = recordWithoutHash as AuditEntry & { prevHash: string; hash?: string }
  return sha256Hex(content.prevHash + canonicalJson(content))
}

/** Chains an entry after the line whose hash is `prevHash`. */
export function chainAuditEntry(entry: AuditEntry, prevHash: string): AuditRecord {
  const unhashed = { ...entry, prevHash }
  return { ...unhashed, hash: computeAuditHash(unhashed) }
}

/** Where a new entry chains to: the last line's hash, or, for a damaged last line, the hash of its raw text. */
export interface ChainLink {
  prevHash: string
  /** Set when the last line is not a chained record; says what was done instead. */
  damagedLastLine?: string
}

/**
 * Where a new entry chains to, given the log's last non-blank line (undefined for an empty log). A last line that is
 * not a chained audit record (a broken write, a hand edit) must not cost the new entry: it then chains from the
 * SHA-256 of that line's raw text, which verification reports as a break at that line.
 */
export function linkAfterLine(lastLineText: string | undefined): ChainLink {
  if (lastLineText === undefined) return { prevHash: GENESIS_HASH }
  const parsed = parseJsonObject(lastLineText)
  if (typeof parsed?.hash === 'string' && typeof parsed.prevHash === 'string') return { prevHash: parsed.hash }
  return {
    prevHash: sha256Hex(lastLineText),
    damagedLastLine:
      `its last line is not a valid audit record (${describeLine(lastLineText)}), so the new entry was chained to the ` + 'SHA-256 of that line as it stands'
  }
}

/** Result of verifyAuditLog. */
export interface AuditVerification {
  /** True when every line chains to the one before it and matches its own hash. */
  valid: boolean
  /** Non-blank lines of the log. */
  entries: number
  /** 1-based line number of the first line that breaks the chain. */
  firstBrokenLine?: number
  /** What is wrong with that line, and what it means. */
  problem?: string
}

/** Options of verifyAuditLog. */
export interface VerifyAuditOptions {
  /**
   * The text is the end of a longer log (its earlier part was not read): the first entry's `prevHash` cannot be
   * checked and is taken as given. Line numbers then count from the start of the text.
   */
  startsMidLog?: boolean
}

/**
 * Checks an audit log's hash chain (see computeAuditHash). Detects an edited field (the line's hash no longer
 * matches), a deleted, inserted or moved line (a `prevHash` no longer matches the line before it) and a line
 * that is not JSON. Blank lines are skipped; line numbers count them.
 */
export function verifyAuditLog(text: string, options: VerifyAuditOptions = {}): AuditVerification {
  const lines = text.split(/\r?\n/)
  let entries = 0
  let expectedPrevHash: string | undefined = options.startsMidLog ? undefined : GENESIS_HASH
  let previousLineNumber: number | undefined
  let firstBreak: { line: number; problem: string } | undefined
  lines.forEach((line, index) => {
    if (line.trim() === '') return
    entries++
    if (firstBreak) return
    const lineNumber = index + 1
    const problem = checkLine(line, expectedPrevHash, previousLineNumber)
    if (problem) {
      firstBreak = { line: lineNumber, problem: `line ${lineNumber}: ${problem}` }
      return
    }
    expectedPrevHash = (JSON.parse(line) as AuditRecord).hash
    previousLineNumber = lineNumber
  })
  if (!firstBreak) return { valid: true, entries }
  return { valid: false, entries, firstBrokenLine: firstBreak.line, problem: firstBreak.problem }
}

/** Why one line breaks the chain, or undefined when it holds. `expectedPrevHash` undefined: any `prevHash` will do. */
function checkLine(line: string, expectedPrevHash: string | undefined, previousLineNumber: number | undefined): string | undefined {
  const record = parseJsonObject(line)
  if (!record) return `not a JSON object (${describeLine(line)}); the line was damaged or edited by hand`
  if (typeof record.prevHash !== 'string' || typeof record.hash !== 'string') {
    return 'has no `prevHash` / `hash`: it is not an audit record, or those fields were removed'
  }
  if (expectedPrevHash !== undefined && record.prevHash !== expectedPrevHash) {
    return previousLineNumber === undefined
      ? '`prevHash` is not the genesis hash (64 zeros) although this is the first entry: earlier lines were deleted'
      : `\`prevHash\` does not match the hash of line ${previousLineNumber}: a line was deleted, inserted or moved here`
  }
  const recomputed = computeAuditHash(record as unknown as AuditRecord)
  if (recomputed !== record.hash) {
    return "`hash` does not match the line's content: a field of this entry was edited"
  }
  return undefined
}

/**
 * The warning for a damaged chain: what is wrong, that the new entry was still written and nothing rewritten, and how
 * to repair. Shared with the history branch, whose log follows the same rule.
 */
export function chainWarning(log: string, problems: readonly string[]): string {
  return (
    `${log} ${problems.join('; ')}. The new entry was appended after the last line and chained to it; nothing was ` +
    'rewritten. Compare the log with an earlier copy (the repository history, a workflow artifact or the history branch) ' +
    'to find what was changed, and restore it: until then every run reports this break.'
  )
}

/** The last non-blank line of a text (without its line break), or undefined when there is none. */
export function lastLineOf(text: string): string | undefined {
  let end = text.length
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1
    const line = text.slice(start, end).replace(/\r$/, '')
    if (line.trim() !== '') return line
    end = start - 1
  }
  return undefined
}

function parseJsonObject(line: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(line)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** Short description of a damaged line: its length and start, never the whole (possibly huge) line. */
function describeLine(line: string): string {
  const start = line.length > 40 ? `${line.slice(0, 40)}…` : line
  return `${line.length} characters starting ${JSON.stringify(start)}`
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** What appending an entry after a log gives: the chained record, the text to append, and what is wrong with the log. */
export interface ChainedAppend {
  record: AuditRecord
  /** The record as a line, with a line break before it when the log does not end with one. */
  line: string
  /** A warning naming the log's first broken link or damaged last line; nothing is rewritten. */
  warning?: string
}

/**
 * Chains `entry` after `text` (a whole log, or its end when `startsMidLog`), the one rule for the local audit log and
 * the history branch alike: verify what is there, link to its last line as it stands, and say what is broken.
 * `log` names the log in the warning; `whereCounted` says how its line numbers count when the text is only its end.
 */
export function chainAfter(text: string, entry: AuditEntry, options: { log: string; startsMidLog?: boolean; whereCounted?: string }): ChainedAppend {
  const verification = verifyAuditLog(text, { startsMidLog: options.startsMidLog ?? false })
  const link = linkAfterLine(lastLineOf(text))
  const record = chainAuditEntry(entry, link.prevHash)
  const line = `${text === '' || text.endsWith('\n') ? '' : '\n'}${JSON.stringify(record)}\n`
  const problems = [
    verification.valid ? undefined : `breaks its hash chain at ${verification.problem}${options.whereCounted ?? ''}`,
    link.damagedLastLine
  ].filter((problem): problem is string => problem !== undefined)
  return { record, line, ...(problems.length > 0 ? { warning: chainWarning(options.log, problems) } : {}) }
}
