import { createHash } from 'node:crypto'
import { appendFile, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { GOVERNANCE_TAG, type FinalStatus, type RiskLevel } from '../constants.js'
import type { Plan } from '../assess/plan.js'
import type { RunContext } from '../run-context.js'
import { canonicalJson } from '../bundle/fingerprint.js'
import { readLastLine } from './last-line.js'
import { redactSecrets } from '../redact-secrets.js'
import { describeRunOutcome, type RunOutcomeInput } from './run-outcome.js'

// Part of the audit log's contract: every record is redacted before it is written.
export { redactSecrets } from '../redact-secrets.js'

/** Value of `action` in an audit entry. */
export const AuditAction = {
  Deployment: 'BUNDLE_DEPLOYMENT',
  Assessment: 'BUNDLE_ASSESSMENT'
} as const
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction]

/** `prevHash` of the first entry of a log. */
export const GENESIS_HASH = '0'.repeat(64)

/** The GitHub facts of the run, at the top level of the entry as the contract lists them. */
export interface AuditGithubContext {
  /** `owner/name`. */
  repository: string
  /** Commit the run used. */
  sha: string
  /** Branch or tag ref (`refs/heads/main`). */
  ref: string
  /** Who triggered the run. */
  actor: string
  /** Link to the workflow run. */
  runUrl: string
  /** Event that triggered the run (`push`, `pull_request`). */
  eventName: string
}

/** One audit entry before it is chained to the log. Field names are a public contract (README "Records"). */
export interface AuditEntry extends AuditGithubContext {
  action: AuditAction
  bundleId: string
  environmentId: string
  /** Platform deployment id; empty when nothing was deployed. */
  deploymentId: string
  /** Output `status` of the run. */
  finalStatus: FinalStatus
  latencyMs: number
  /** Dotted paths of the configuration diff (the output `diff`). */
  configurationDiff: { added: string[]; removed: string[]; modified: string[] }
  riskLevel: RiskLevel
  /** ISO 8601 time the entry was made. */
  timestamp: string
  governanceTag: typeof GOVERNANCE_TAG
  /** sha256 of the normalized bundle (output `fingerprint`). */
  fingerprint: string
  /** Why the run did not complete, when it did not. */
  error?: string
}

/** An audit entry as written: chained to the entry before it. One JSON line of the audit log. */
export interface AuditRecord extends AuditEntry {
  /** `hash` of the previous line; GENESIS_HASH for the first line. */
  prevHash: string
  /** See computeAuditHash. */
  hash: string
}

/** What buildAuditEntry records: the plan, how the run ended (see describeRunOutcome), where and when. */
export interface AuditEntryInput extends RunOutcomeInput {
  plan: Plan
  context: RunContext
  now: Date
}

/**
 * Builds the audit entry of a run. Pure. `action` is BUNDLE_DEPLOYMENT for a deploy run, whatever its
 * status (VALIDATION_FAILED included), and BUNDLE_ASSESSMENT for an assess run.
 */
export function buildAuditEntry(input: AuditEntryInput): AuditEntry {
  const { plan, context, now } = input
  const outcome = describeRunOutcome(input)
  const entry: AuditEntry = {
    action: outcome.mode === 'deploy' ? AuditAction.Deployment : AuditAction.Assessment,
    bundleId: plan.bundleId,
    environmentId: plan.environmentId,
    deploymentId: outcome.deploymentId,
    finalStatus: outcome.status,
    latencyMs: outcome.latencyMs,
    configurationDiff: {
      added: [...plan.diff.added],
      removed: [...plan.diff.removed],
      modified: [...plan.diff.modified]
    },
    riskLevel: plan.impact.riskLevel,
    timestamp: now.toISOString(),
    governanceTag: GOVERNANCE_TAG,
    repository: context.repository,
    sha: context.sha,
    ref: context.ref,
    actor: context.actor,
    runUrl: context.runUrl,
    eventName: context.eventName,
    fingerprint: plan.fingerprint
  }
  if (outcome.error) entry.error = outcome.error
  return entry
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
 * (the job summary) to anchor it.
 */
export function computeAuditHash(recordWithoutHash: AuditEntry & { prevHash: string }): string {
  const { hash: _ignored, ...content } = recordWithoutHash as AuditEntry & { prevHash: string; hash?: string }
  return sha256Hex(content.prevHash + canonicalJson(content))
}

/** Chains an entry after the line whose hash is `prevHash`. Pure. */
export function chainAuditEntry(entry: AuditEntry, prevHash: string): AuditRecord {
  const unhashed = { ...entry, prevHash }
  return { ...unhashed, hash: computeAuditHash(unhashed) }
}

/** What appendAuditEntry wrote. */
export interface AppendedAuditEntry {
  /** The record as written (secrets redacted, chained). */
  record: AuditRecord
  /** Set when the log's last line was damaged; the entry was still written. For a workflow warning. */
  warning?: string
}

/** Options of appendAuditEntry. */
export interface AppendAuditOptions {
  /** Secret values (client secret, tokens, webhook secret) to replace with `***` before writing. */
  secrets?: readonly string[]
}

/**
 * Appends an entry to the audit log at `path` (JSON Lines), creating the file and its folders when missing.
 * Reads only the log's last line to chain to it. Secrets are redacted before hashing, so the hash covers
 * exactly what is on disk.
 *
 * A last line that is not a chained audit record (a broken write, a hand edit) must not cost the new entry:
 * the entry then chains from the SHA-256 of that line's raw text and a warning says so.
 */
export async function appendAuditEntry(
  path: string,
  entry: AuditEntry,
  options: AppendAuditOptions = {}
): Promise<AppendedAuditEntry> {
  await mkdir(dirname(path), { recursive: true })
  const lastLine = await readLastLine(path)
  const link = lastLine ? linkAfter(lastLine.text, path) : { prevHash: GENESIS_HASH }
  const record = chainAuditEntry(redactSecrets(entry, options.secrets ?? []), link.prevHash)
  const separator = lastLine && !lastLine.fileEndsWithNewline ? '\n' : ''
  await appendFile(path, `${separator}${JSON.stringify(record)}\n`, 'utf8')
  return link.warning ? { record, warning: link.warning } : { record }
}

/** Where a new entry chains to, given the log's last line. */
function linkAfter(lastLineText: string, path: string): { prevHash: string; warning?: string } {
  const hash = hashOfRecordLine(lastLineText)
  if (hash) return { prevHash: hash }
  return {
    prevHash: sha256Hex(lastLineText),
    warning:
      `The last line of the audit log ${path} is not a valid audit record (${describeLine(lastLineText)}). ` +
      'The new entry was appended and chained to the SHA-256 of that line as it stands, so verification ' +
      'will report the chain broken at that line. Restore the line from the repository history or an ' +
      'earlier copy of the log.'
  }
}

/** The `hash` field of a JSON line, or undefined when the line is not a record. */
function hashOfRecordLine(line: string): string | undefined {
  const parsed = parseJsonObject(line)
  return typeof parsed?.hash === 'string' && typeof parsed.prevHash === 'string' ? parsed.hash : undefined
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

/**
 * Checks an audit log's hash chain (see computeAuditHash). Detects an edited field (the line's hash no longer
 * matches), a deleted, inserted or moved line (a `prevHash` no longer matches the line before it) and a line
 * that is not JSON. Blank lines are skipped; line numbers count them.
 */
export function verifyAuditLog(text: string): AuditVerification {
  const lines = text.split(/\r?\n/)
  let entries = 0
  let expectedPrevHash = GENESIS_HASH
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

/** Why one line breaks the chain, or undefined when it holds. */
function checkLine(line: string, expectedPrevHash: string, previousLineNumber: number | undefined): string | undefined {
  const record = parseJsonObject(line)
  if (!record) return `not a JSON object (${describeLine(line)}); the line was damaged or edited by hand`
  if (typeof record.prevHash !== 'string' || typeof record.hash !== 'string') {
    return 'has no `prevHash` / `hash`: it is not an audit record, or those fields were removed'
  }
  if (record.prevHash !== expectedPrevHash) {
    return previousLineNumber === undefined
      ? '`prevHash` is not the genesis hash (64 zeros) although this is the first entry: earlier lines were deleted'
      : `\`prevHash\` does not match the hash of line ${previousLineNumber}: a line was deleted, inserted or moved here`
  }
  const recomputed = computeAuditHash(record as unknown as AuditRecord)
  if (recomputed !== record.hash) {
    return '`hash` does not match the line\'s content: a field of this entry was edited'
  }
  return undefined
}

function parseJsonObject(line: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(line)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined
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
