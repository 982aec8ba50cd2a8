/**
 * How GitHub API failures are judged and told: which are worth another attempt, and the message that names the status,
 * the endpoint and the fix. Used by the GitHub helper only.
 */
import { Inputs } from '../constants.js'
import { parseRetryAfterSeconds, type RetryDecision } from '../retry-helper.js'

/** A GitHub API request that failed, with the fix in its message. */
export class GitHubApiError extends Error {
  override readonly name = 'GitHubApiError'

  constructor(
    message: string,
    /** HTTP status; undefined when no answer came (network). */
    readonly status: number | undefined,
    /** `METHOD /path` of the request. */
    readonly endpoint: string
  ) {
    super(message)
  }
}

/**
 * True when a write was refused because the file changed since it was read (409), or because it appeared since and no
 * `sha` was sent (422 "sha wasn't supplied"): read it again and retry.
 */
export function isWriteConflict(error: unknown): boolean {
  if (!(error instanceof GitHubApiError)) return false
  return error.status === 409 || (error.status === 422 && /\bsha\b/i.test(error.message))
}

/** True when a request failed because the branch it names does not exist (it was deleted meanwhile). */
export function isMissingBranch(error: unknown): boolean {
  return error instanceof GitHubApiError && (error.status === 404 || error.status === 422) && /branch .*not found|no commit found/i.test(error.message)
}

/** Longest `Retry-After` honoured; a longer wait is not worth holding the job for a comment. */
const MAX_RETRY_AFTER_MS = 60_000

/** What a failed request says about itself (Octokit's RequestError, read structurally). */
export interface FailedRequest {
  status?: number
  message?: string
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown }
}

/** One attempt of a request got no complete answer within the timeout. */
export class RequestTimedOut extends Error {
  override readonly name = 'RequestTimedOut'

  constructor(
    readonly timeoutMs: number,
    /** Which attempt this was: after the last one, how many were made. */
    readonly attempt: number,
    /** Whether the method is one that is tried again (its error message says what a lost answer means). */
    readonly repeatable: boolean
  ) {
    super(`no answer within ${formatDuration(timeoutMs)}`)
  }
}

/** Network failures that mean the API cannot be reached at all. */
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|bad port/

/** Whether a failed GitHub request is worth another attempt. */
export function classifyGitHubFailure(error: unknown): RetryDecision {
  if (error instanceof RequestTimedOut) return { retry: true, reason: error.message }
  const failed = (error ?? {}) as FailedRequest
  const status = failed.status
  const retryAfter = retryAfterMs(failed)
  if (status === undefined) return { retry: false, reason: 'not an HTTP failure' }
  if (failed.response === undefined) {
    const reason = `no answer (${failed.message ?? 'network error'})`
    // A host that refuses or does not resolve is a wrong GITHUB_API_URL or a closed network: waiting will not fix it.
    return UNREACHABLE.test(failed.message ?? '') ? { retry: false, reason } : { retry: true, reason }
  }
  if (status === 429 || status >= 500) return { retry: true, reason: `HTTP ${status}`, ...(retryAfter !== undefined ? { waitMs: retryAfter } : {}) }
  // A secondary rate limit is a 403 with Retry-After; any other 403 is a permission that waiting will not grant.
  if (status === 403 && retryAfter !== undefined) return { retry: true, reason: 'HTTP 403 rate limit', waitMs: retryAfter }
  return { retry: false, reason: `HTTP ${status}` }
}

function retryAfterMs(failed: FailedRequest): number | undefined {
  const seconds = parseRetryAfterSeconds(failed.response?.headers?.['retry-after'], Date.now())
  if (seconds === undefined) return undefined
  return seconds * 1000 > MAX_RETRY_AFTER_MS ? undefined : seconds * 1000
}

/** What one call does, for its error message. */
export interface Operation {
  /** "list the comments of pull request #12". */
  what: string
  endpoint: string
  /** The job permission the call needs (`pull-requests: write`). */
  permission: string
  /** A comment write: a 403 may be a fork's read-only token. */
  commentWrite?: boolean
  /** What a 404 means for this call, as an instruction. */
  notFound: string
}

/** Turns an Octokit failure into a message that names the status, the endpoint and the fix. */
export function toGitHubApiError(error: unknown, operation: Operation): Error {
  const prefix = `Could not ${operation.what}`
  if (error instanceof RequestTimedOut) return timeoutError(prefix, error, operation)
  const failed = error as FailedRequest
  if (typeof failed?.status !== 'number') return error instanceof Error ? error : new Error(String(error))
  if (failed.response === undefined) {
    return new GitHubApiError(
      `${prefix}: no answer from GitHub to ${operation.endpoint} (${failed.message ?? 'network error'}); check that GITHUB_API_URL points at the GitHub API and that the runner can reach it.`,
      undefined,
      operation.endpoint
    )
  }
  const status = failed.status
  const githubMessage = messageOf(failed.response.data) ?? failed.message ?? ''
  const said = githubMessage ? ` ("${githubMessage}")` : ''
  return new GitHubApiError(
    `${prefix}: GitHub answered ${status} to ${operation.endpoint}${said}; ${fixFor(status, githubMessage, failed, operation)}`,
    status,
    operation.endpoint
  )
}

/** A request that never got a whole answer: the limit, the attempts, what a lost answer means, and the fix. */
function timeoutError(prefix: string, timedOut: RequestTimedOut, operation: Operation): GitHubApiError {
  const attempts = `${timedOut.attempt} attempt${timedOut.attempt === 1 ? '' : 's'}`
  // The request may have reached GitHub and only its answer been lost; repeating a POST could act twice.
  const notRepeated = timedOut.repeatable ? '' : 'The change may have been made anyway, so it was not sent again (a repeat could make it twice). '
  return new GitHubApiError(
    `${prefix}: GitHub did not answer ${operation.endpoint} within ${formatDuration(timedOut.timeoutMs)} (${attempts}). ${notRepeated}` +
      'The API, or a proxy on the way, took the connection but sent no answer: see https://www.githubstatus.com, check that GITHUB_API_URL ' +
      "points at the GitHub API and that the runner's proxy (HTTPS_PROXY) lets the request through, then run the job again.",
    undefined,
    operation.endpoint
  )
}

/** "150 ms", "10 s". */
export function formatDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

function fixFor(status: number, githubMessage: string, failed: FailedRequest, operation: Operation): string {
  if (status === 401) {
    return `the \`${Inputs.GithubToken}\` input is not a valid token (expired or revoked); leave it at its default \`\${{ github.token }}\` or pass a valid token.`
  }
  if ((status === 403 || status === 429) && isRateLimited(githubMessage, failed)) {
    return `the GitHub API rate limit of this token is used up${resetTime(failed)}; run the job again later.`
  }
  if (status === 403 && operation.commentWrite) {
    return (
      `the token lacks \`pull-requests: write\` (or this is a fork PR, whose token is read-only): add \`permissions: pull-requests: write\` ` +
      `to the job, or set \`${Inputs.Comment}: false\`. The report is in the job summary either way.`
    )
  }
  if (status === 403) return `the token lacks \`${operation.permission}\`: add \`permissions: ${operation.permission}\` to the job.`
  // GitHub answers an unknown commit with 404 (contents) or 422 (commits/{sha}/pulls), both "No commit found…".
  if (status === 404 || /no commit found/i.test(githubMessage)) return operation.notFound
  if (status === 422)
    return `GitHub refused the request as sent (GitHub's message above names the field); check that \`${Inputs.GithubToken}\` belongs to this repository and run the job again.`
  if (status >= 500) return 'GitHub had a server error (reads are retried first); see https://www.githubstatus.com and run the job again.'
  return `GitHub's message above says what it refused; check \`${Inputs.GithubToken}\` and the job's \`permissions\`, and that \`GITHUB_API_URL\` is this GitHub's API.`
}

function isRateLimited(githubMessage: string, failed: FailedRequest): boolean {
  return /rate limit/i.test(githubMessage) || String(failed.response?.headers?.['x-ratelimit-remaining']) === '0'
}

function resetTime(failed: FailedRequest): string {
  const reset = Number(failed.response?.headers?.['x-ratelimit-reset'])
  return Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : ''
}

function messageOf(data: unknown): string | undefined {
  if (typeof data === 'string') return data || undefined
  const message = (data as { message?: unknown } | undefined)?.message
  return typeof message === 'string' ? message.split('\n')[0] : undefined
}
