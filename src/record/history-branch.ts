/**
 * The durable history: each run's audit entry appended to `<environment-id>.jsonl` on the `history-branch`, through the
 * GitHub API. A hosted runner's workspace is new for every job, so the local log starts over each run; the branch keeps
 * the whole chain, which metrics and learned poll timing read.
 *
 * Appends use optimistic concurrency: read the file and its blob sha, chain after its last line, write with that sha.
 * When another run wrote first GitHub refuses the write (409, or 422 for a file that appeared meanwhile); the file is
 * read again, the entry chained after the new last line, and the write retried with backoff. The branch is created on
 * first use as an orphan branch (its own root commit, holding only history files): it carries no code and no workflow
 * files, so nothing in it can be run, and pushes to it trigger nothing.
 */
import { canonicalJson } from '../bundle/fingerprint.js'
import { GitHubApiError, isMissingBranch, isWriteConflict, type GitHubHelper } from '../github/github-helper.js'
import { redactSecrets } from '../redact-secrets.js'
import { backoffDelayMs, realSleep, type Sleep } from '../retry-helper.js'
import { chainAfter, chainAuditEntry, GENESIS_HASH, type AuditRecord } from './audit-chain.js'
import type { AuditEntry } from './audit-entry.js'
import { historyFileName } from './history-file-name.js'

/** Options of appendToHistory. */
export interface HistoryAppendOptions {
  github: GitHubHelper
  /** The `history-branch` input. */
  branch: string
  entry: AuditEntry
  /** Secret values to replace with `***` before writing. */
  secrets?: readonly string[]
  /** Writes tried in all before giving up, the first included. Default 12. */
  maxAttempts?: number
  sleep?: Sleep
  random?: () => number
  /** Receives one line per retried write. */
  log?: (message: string) => void
}

/** What appendToHistory wrote and found. */
export interface HistoryAppend {
  /** The record as written (secrets redacted, chained after the branch's last line). */
  record: AuditRecord
  /** The file on the branch (`<environment-id>.jsonl`, made safe). */
  path: string
  /** The whole history after the append: what metrics are computed over. */
  text: string
  /** True when this run created the branch. */
  createdBranch: boolean
  /** Writes made; more than 1 when other runs wrote at the same time. */
  attempts: number
  /** Set when the history's chain is broken; the entry was still appended and nothing rewritten. */
  warning?: string
}

/** The token may not write the repository's contents (HTTP 403): the caller warns once and keeps the local log. */
export class HistoryPermissionError extends Error {
  override readonly name = 'HistoryPermissionError'
}

const DEFAULT_MAX_ATTEMPTS = 12
const FIRST_RETRY_MS = 250
const LONGEST_RETRY_MS = 4000

/**
 * Appends the entry to the history on `branch`, creating the branch when it does not exist. Verifies the chain of what
 * is there first (a break is a warning naming its line; nothing is rewritten). Throws HistoryPermissionError on 403,
 * and an error saying how often it tried when other writers kept coming first.
 */
export async function appendToHistory(options: HistoryAppendOptions): Promise<HistoryAppend> {
  const { github, branch } = options
  const path = historyFileName(options.entry.environmentId)
  const entry = redactSecrets(options.entry, options.secrets ?? [])
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
  const sleep = options.sleep ?? realSleep
  const random = options.random ?? Math.random
  const message = `Record ${entry.action} of ${entry.bundleId} to ${entry.environmentId}: ${entry.finalStatus} [skip ci]`
  // After an answer that was lost (a 5xx), the write may have happened: the next read checks before writing again.
  let mayHaveLanded = false
  for (let attempt = 1; ; attempt++) {
    const file = await withPermissionCheck(branch, () => github.readFileOnBranch(path, branch))
    if (file.state === 'no-branch') {
      const record = chainAuditEntry(entry, GENESIS_HASH)
      const text = `${JSON.stringify(record)}\n`
      const created = await withPermissionCheck(branch, () => github.createOrphanBranch(branch, { [path]: text }, message))
      if (created) return { record, path, text, createdBranch: true, attempts: attempt }
      // Another run created it first: read what it wrote and append after it.
      await retryLater(attempt, 'another run created the branch first')
      continue
    }
    const current = file.state === 'found' ? file.text : ''
    if (mayHaveLanded) {
      const landed = findLanded(current, entry)
      if (landed) return { record: landed, path, text: current, createdBranch: false, attempts: attempt - 1 }
    }
    const chained = chainAfter(current, entry, { log: `The history \`${path}\` on branch \`${branch}\`` })
    const text = current + chained.line
    try {
      await withPermissionCheck(branch, () => github.writeFileOnBranch({ path, branch, text, message, ...(file.state === 'found' ? { sha: file.sha } : {}) }))
      const appended: HistoryAppend = { record: chained.record, path, text, createdBranch: false, attempts: attempt }
      if (chained.warning) appended.warning = chained.warning
      return appended
    } catch (error) {
      const retry = retryReason(error)
      if (retry === undefined) throw error
      mayHaveLanded = error instanceof GitHubApiError && (error.status ?? 0) >= 500
      await retryLater(attempt, retry)
    }
  }

  async function retryLater(attempt: number, reason: string): Promise<void> {
    if (attempt >= maxAttempts) {
      throw new Error(
        `Could not append to \`${path}\` on branch \`${branch}\` after ${attempt} attempts (the last: ${reason}). More runs wrote ` +
          'this history at once than the retries cover; run the job again (its entry is in the local audit log).'
      )
    }
    const waitMs = backoffDelayMs(attempt, FIRST_RETRY_MS, LONGEST_RETRY_MS, random)
    options.log?.(`History \`${path}\` on \`${branch}\`: attempt ${attempt} of ${maxAttempts} failed (${reason}); reading it again in ${waitMs} ms`)
    await sleep(waitMs)
  }
}

/** Why a failed write is worth another read and write, or undefined when it is not. */
function retryReason(error: unknown): string | undefined {
  if (isWriteConflict(error)) return 'another run wrote the file first'
  if (isMissingBranch(error)) return 'the branch was deleted meanwhile'
  if (error instanceof GitHubApiError && (error.status ?? 0) >= 500) return `GitHub answered ${error.status}`
  return undefined
}

/** Turns a 403 that is not a rate limit into HistoryPermissionError, with the permission to add. */
async function withPermissionCheck<T>(branch: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 403 && !/rate limit/i.test(error.message)) {
      throw new HistoryPermissionError(
        `The run was not added to the history branch \`${branch}\`: the token may not write the repository's contents ` +
          `(${error.message}). Add \`permissions: contents: write\` to the job (a pull request from a fork always gets a ` +
          'read-only token: there, leave `history-branch` empty). The local audit log was still written.'
      )
    }
    throw error
  }
}

/** The record of `entry` among the last lines of the history, when an earlier write landed although its answer was lost. */
function findLanded(text: string, entry: AuditEntry): AuditRecord | undefined {
  const wanted = canonicalJson(entry)
  const lines = text.split('\n').slice(-20)
  for (const line of lines.reverse()) {
    try {
      const { prevHash: _prev, hash: _hash, ...content } = JSON.parse(line) as AuditRecord
      if (canonicalJson(content) === wanted) return JSON.parse(line) as AuditRecord
    } catch {
      // Not a record: not ours.
    }
  }
  return undefined
}
