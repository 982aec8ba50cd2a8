/**
 * The local audit log: JSON Lines, one hash-chained entry per run (see audit-chain.ts), appended under a lock so that
 * concurrent runs keep the chain, and verified before each append so that an edit is reported by the next run.
 */
import { constants, promises as fs } from 'node:fs'
import { dirname } from 'node:path'
import { redactSecrets } from '../redact-secrets.js'
import { chainAfter, type AuditRecord } from './audit-chain.js'
import type { AuditEntry } from './audit-entry.js'
import { withFileLock, type FileLockOptions } from './file-lock.js'
import { readFileTail } from './file-tail.js'

// The audit log's public surface, in one import: entries, the chain, and redaction (every record is redacted
// before it is written).
export { AuditAction, buildAuditEntry, type AuditEntry, type AuditEntryInput, type AuditGithubContext, type FlowJobDuration } from './audit-entry.js'
export { chainAuditEntry, computeAuditHash, GENESIS_HASH, verifyAuditLog, type AuditRecord, type AuditVerification } from './audit-chain.js'
export { redactSecrets } from '../redact-secrets.js'

/**
 * Bytes of the log's end read and verified before each append. A log grows by a line per run forever; at 1–30 KiB an
 * entry this is hundreds to thousands of runs, and the cost of a run stays bounded. Older lines were verified by the
 * runs that followed them.
 */
export const MAX_VERIFIED_BYTES = 16 * 1024 * 1024

/** What appendAuditEntry wrote and found. */
export interface AppendedAuditEntry {
  /** The record as written (secrets redacted, chained). */
  record: AuditRecord
  /** Set when the log's chain is broken or its last line damaged; the entry was still written. For a workflow warning. */
  warning?: string
  /** The log as read (its last MAX_VERIFIED_BYTES at most) followed by the new line: what metrics are computed over. */
  logText: string
  /** False when the log was longer than MAX_VERIFIED_BYTES, so that `logText` holds only its end. */
  logComplete: boolean
}

/** Options of appendAuditEntry. */
export interface AppendAuditOptions {
  /** Secret values (client secret, tokens, webhook secret) to replace with `***` before writing. */
  secrets?: readonly string[]
  /** How long to wait for another run's lock, and when a lock counts as abandoned. */
  lock?: FileLockOptions
  /** Bytes of the log's end verified before appending; default MAX_VERIFIED_BYTES. */
  maxVerifiedBytes?: number
}

/**
 * Appends an entry to the audit log at `path` (JSON Lines), creating the file and its folders when missing. The caller
 * has checked the path (checkWorkspaceWritePath). Secrets are redacted before hashing, so the hash covers exactly what
 * is on disk.
 *
 * Under the log's lock (withFileLock): reads the log's end, verifies its chain, chains the entry after the last line
 * and appends it in one write. A broken chain is reported in `warning` (its first broken line and what is wrong) and
 * nothing is rewritten: the entry still chains to the last line as it stands.
 */
export async function appendAuditEntry(path: string, entry: AuditEntry, options: AppendAuditOptions = {}): Promise<AppendedAuditEntry> {
  await fs.mkdir(dirname(path), { recursive: true })
  return withFileLock(
    path,
    async () => {
      const tail = await readFileTail(path, options.maxVerifiedBytes ?? MAX_VERIFIED_BYTES)
      const chained = chainAfter(tail.text, redactSecrets(entry, options.secrets ?? []), {
        log: `The audit log ${path}`,
        startsMidLog: !tail.complete,
        ...(tail.complete ? {} : { whereCounted: ` (counting lines from the start of the last ${formatMiB(tail.text.length)} checked)` })
      })
      await appendOnce(path, chained.line)
      const appended: AppendedAuditEntry = { record: chained.record, logText: tail.text + chained.line, logComplete: tail.complete }
      if (chained.warning) appended.warning = chained.warning
      return appended
    },
    options.lock
  )
}

/** Appends in a single write, so that concurrent readers never see half a line from this process. */
async function appendOnce(path: string, text: string): Promise<void> {
  const handle = await fs.open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o644)
  try {
    await handle.writeFile(text, 'utf8')
  } finally {
    await handle.close()
  }
}

function formatMiB(characters: number): string {
  return `${(characters / (1024 * 1024)).toFixed(1)} MiB`
}
