/**
 * The one wrapper around the GitHub REST API: pull request comments, file contents at a ref, and the pull
 * requests of a commit. Tests point it at a local stand-in (`simulator/github-api.ts`) through `apiUrl`.
 */
import { Inputs } from '../constants.js'
import { parseRetryAfterSeconds, realSleep, type RetryDecision, type Sleep, withRetry } from '../retry-helper.js'
import { isMapping } from '../mapping.js'

/** A pull request comment, as the action needs it. */
export interface IssueComment {
  id: number
  body: string
  /** ISO 8601, as GitHub sends it. */
  createdAt: string
  updatedAt: string
  htmlUrl: string
  /** Login of the author (`github-actions[bot]` for `GITHUB_TOKEN`). */
  author: string
}

/** A pull request that contains a commit. */
export interface AssociatedPullRequest {
  number: number
  title: string
  /** `open` or `closed`. */
  state: string
  merged: boolean
  /** The commit the merge created on the base branch, when merged. */
  mergeCommitSha?: string
  labels: string[]
  htmlUrl: string
}

/** What the action asks of GitHub. Every failure is a `GitHubApiError` that says what to change. */
export interface GitHubHelper {
  /** `owner/name`. */
  readonly repository: string
  /** Every comment of the pull request, oldest first, all pages. */
  listIssueComments(prNumber: number): Promise<IssueComment[]>
  createComment(prNumber: number, body: string): Promise<IssueComment>
  updateComment(commentId: number, body: string): Promise<IssueComment>
  /**
   * The text of a file at a commit, branch or tag, through the API (a shallow checkout does not have the
   * commit). Undefined when the file does not exist there; throws when the ref itself does not exist.
   */
  readFileAtRef(path: string, ref: string): Promise<string | undefined>
  /**
   * Pull requests that contain the commit: merged ones first (the one the commit merged first of all), then
   * the rest in GitHub's order.
   */
  findPullRequestsForCommit(sha: string): Promise<AssociatedPullRequest[]>
}

/** How to reach GitHub. */
export interface GitHubHelperOptions {
  /** The `github-token` input; without one there is no helper. */
  token: string | undefined
  /** REST API root; default `GITHUB_API_URL` (GitHub Enterprise Server sets it), else https://api.github.com. */
  apiUrl?: string
  /** `owner/name` (`GITHUB_REPOSITORY`). */
  repository: string
  /** Receives retry notices. */
  log: (message: string) => void
  /** Injected so tests need not wait between retries. */
  sleep?: Sleep
  random?: () => number
  /**
   * How long one attempt of a request may take, answer and body, before it is abandoned; default 10 s. A read
   * or an update that times out is tried again like a network failure; a comment post is not.
   */
  requestTimeoutMs?: number
}

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
 * Each attempt's limit. Without one, an API that accepts the connection but never answers holds the job for
 * undici's 300 s header timeout per attempt.
 */
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000
/** Methods whose repeat changes nothing, so a temporary failure is tried again. */
const REPEATABLE_METHODS = new Set(['GET', 'PATCH'])
/** Attempts of an idempotent request (GET, PATCH) that meets a temporary failure. */
const MAX_ATTEMPTS = 3
const BASE_DELAY_MS = 1000
const MAX_DELAY_MS = 8000
/** Longest `Retry-After` honoured; a longer wait is not worth holding the job for a comment. */
const MAX_RETRY_AFTER_MS = 60_000
/** `commits/{sha}/pulls` lists at most this many; a commit in more pull requests than that is not a merge. */
const PULLS_PER_COMMIT = 100

/**
 * Creates the helper, or returns undefined without a token. `@actions/github` is loaded here, not at start:
 * it is the slowest module to load and a run without GitHub work should not pay for it.
 */
export async function createGitHubHelper(options: GitHubHelperOptions): Promise<GitHubHelper | undefined> {
  const token = options.token?.trim()
  if (!token) return undefined
  const [owner, repo, ...rest] = options.repository.split('/')
  if (!owner || !repo || rest.length > 0) {
    throw new Error(`The repository is ${JSON.stringify(options.repository)}; expected \`owner/name\` (the runner sets GITHUB_REPOSITORY).`)
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  if (!Number.isFinite(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new Error(`The GitHub requestTimeoutMs is ${requestTimeoutMs}; expected a positive number of milliseconds (default ${DEFAULT_REQUEST_TIMEOUT_MS}).`)
  }
  const github = await import('@actions/github')
  const octokit = github.getOctokit(token, {
    ...(options.apiUrl ? { baseUrl: options.apiUrl.replace(/\/+$/, '') } : {}),
    userAgent: 'genesys-bundle-deploy',
    log: { debug: () => undefined, info: () => undefined, warn: options.log, error: options.log }
  })
  guardRequests(octokit, options, requestTimeoutMs)
  return new OctokitGitHubHelper(octokit, owner, repo)
}

type Octokit = ReturnType<typeof import('@actions/github').getOctokit>

/** What a failed request says about itself (Octokit's RequestError, read structurally). */
interface FailedRequest {
  status?: number
  message?: string
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown }
}

/** One attempt of a request got no complete answer within the timeout. */
class RequestTimedOut extends Error {
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

/**
 * Gives every attempt of every request a timeout, and retries GET and PATCH (repeating them changes nothing) on
 * 429, 5xx, timeouts, network failures and a rate limit with `Retry-After`. POST is never retried: a comment
 * whose answer was lost may exist, and a second would duplicate it.
 */
function guardRequests(octokit: Octokit, options: GitHubHelperOptions, timeoutMs: number): void {
  // Once GitHub has given no answer at all (every attempt timed out), later calls of this run fail at once with the
  // same error: each one would otherwise wait out its own attempts, and the run's other work does not need GitHub.
  let unanswered: RequestTimedOut | undefined
  octokit.hook.wrap('request', async (request, requestOptions) => {
    if (unanswered !== undefined) throw unanswered
    const method = String(requestOptions.method).toUpperCase()
    const repeatable = REPEATABLE_METHODS.has(method)
    const shared = requestOptions.request
    const attempt = (attemptNumber: number) =>
      withTimeout(
        async signal => {
          // Inner hooks (the token's) were bound to this very options object and ignore what is passed to
          // `request` (before-after-hook's register), so the signal goes on the object itself. A new `request`
          // record, not a write into the old one: that one may be the client's defaults, shared by every request.
          requestOptions.request = { ...shared, signal }
          return request(requestOptions)
        },
        timeoutMs,
        attemptNumber,
        repeatable
      )
    try {
      if (!repeatable) return await attempt(1)
      return await withRetry(attempt, {
        maxAttempts: MAX_ATTEMPTS,
        baseDelayMs: BASE_DELAY_MS,
        maxDelayMs: MAX_DELAY_MS,
        classify: classifyGitHubFailure,
        sleep: options.sleep ?? realSleep,
        random: options.random,
        log: options.log,
        label: `GitHub ${method} ${pathOf(octokit.request.endpoint.parse(requestOptions).url)}`
      })
    } catch (error) {
      if (error instanceof RequestTimedOut) unanswered = error
      throw error
    }
  })
}

/**
 * Runs one attempt with a signal that aborts it after `timeoutMs`, and reports an abort as `RequestTimedOut`.
 * Octokit reads a JSON body that breaks off as an empty string instead of failing (`getResponseData` in
 * @octokit/request), so an answer cut short by the abort is refused here rather than passed on as data.
 */
async function withTimeout<T>(attempt: (signal: AbortSignal) => Promise<T>, timeoutMs: number, attemptNumber: number, repeatable: boolean): Promise<T> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  try {
    const response = await attempt(controller.signal)
    if (controller.signal.aborted) throw new RequestTimedOut(timeoutMs, attemptNumber, repeatable)
    return response
  } catch (error) {
    throw controller.signal.aborted ? new RequestTimedOut(timeoutMs, attemptNumber, repeatable) : error
  } finally {
    clearTimeout(timer)
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
interface Operation {
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

class OctokitGitHubHelper implements GitHubHelper {
  readonly repository: string

  constructor(
    private readonly octokit: Octokit,
    private readonly owner: string,
    private readonly repo: string
  ) {
    this.repository = `${owner}/${repo}`
  }

  async listIssueComments(prNumber: number): Promise<IssueComment[]> {
    const operation = this.commentsOperation('list the comments of', prNumber, 'GET', 'pull-requests: read')
    const comments = await this.call(operation, () =>
      this.octokit.paginate(this.octokit.rest.issues.listComments, { owner: this.owner, repo: this.repo, issue_number: prNumber, per_page: 100 })
    )
    return comments.map(toIssueComment)
  }

  async createComment(prNumber: number, body: string): Promise<IssueComment> {
    const operation = { ...this.commentsOperation('comment on', prNumber, 'POST', 'pull-requests: write'), commentWrite: true }
    const response = await this.call(operation, () =>
      this.octokit.rest.issues.createComment({ owner: this.owner, repo: this.repo, issue_number: prNumber, body })
    )
    return toIssueComment(response.data)
  }

  async updateComment(commentId: number, body: string): Promise<IssueComment> {
    const operation: Operation = {
      what: `update comment ${commentId}`,
      endpoint: `PATCH /repos/${this.repository}/issues/comments/${commentId}`,
      permission: 'pull-requests: write',
      commentWrite: true,
      notFound: 'the comment no longer exists (it was deleted while the job ran); run the job again to post a new one.'
    }
    const response = await this.call(operation, () =>
      this.octokit.rest.issues.updateComment({ owner: this.owner, repo: this.repo, comment_id: commentId, body })
    )
    return toIssueComment(response.data)
  }

  async readFileAtRef(path: string, ref: string): Promise<string | undefined> {
    const operation: Operation = {
      what: `read \`${path}\` at ${shortRef(ref)}`,
      endpoint: `GET /repos/${this.repository}/contents/${path}?ref=${ref}`,
      permission: 'contents: read',
      notFound: `the commit ${ref} is not in ${this.repository} (a force push may have removed it), so there is no baseline to read from it.`
    }
    let data: unknown
    try {
      data = (await this.call(operation, () => this.octokit.rest.repos.getContent({ owner: this.owner, repo: this.repo, path, ref }))).data
    } catch (error) {
      // A 404 names either a missing file (an answer) or a missing ref (a problem): GitHub tells them apart by message.
      if (error instanceof GitHubApiError && error.status === 404 && !/no commit found/i.test(error.message)) return undefined
      throw error
    }
    const contents = fileContentsOf(data, `\`${path}\` at ${shortRef(ref)}`)
    return 'text' in contents ? contents.text : this.readBlob(contents.blobSha, path)
  }

  async findPullRequestsForCommit(sha: string): Promise<AssociatedPullRequest[]> {
    const operation: Operation = {
      what: `find the pull requests of commit ${shortRef(sha)}`,
      endpoint: `GET /repos/${this.repository}/commits/${sha}/pulls`,
      permission: 'pull-requests: read',
      notFound: `the commit ${sha} is not in ${this.repository}.`
    }
    const response = await this.call(operation, () =>
      this.octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner: this.owner, repo: this.repo, commit_sha: sha, per_page: PULLS_PER_COMMIT })
    )
    return orderPullRequestsForCommit(response.data.map(toAssociatedPullRequest), sha)
  }

  private async readBlob(sha: string, path: string): Promise<string> {
    const operation: Operation = {
      what: `read the blob of \`${path}\``,
      endpoint: `GET /repos/${this.repository}/git/blobs/${sha}`,
      permission: 'contents: read',
      notFound: `the blob ${sha} of \`${path}\` is not in ${this.repository}.`
    }
    const response = await this.call(operation, () => this.octokit.rest.git.getBlob({ owner: this.owner, repo: this.repo, file_sha: sha }))
    const blob: unknown = response.data
    const where = `the blob ${shortRef(sha)} of \`${path}\``
    if (!isMapping(blob)) throw new Error(notContentsMessage(where, blob))
    const text = decodeContent(blob.content, blob.encoding, where)
    if (text !== undefined) return text
    const size = byteSize(blob.size)
    if (size === undefined || size === 0) return ''
    throw new Error(`${where} has ${size} bytes, but the answer holds no content; check that GITHUB_API_URL points at the GitHub API.`)
  }

  private commentsOperation(verb: string, prNumber: number, method: string, permission: string): Operation {
    return {
      what: `${verb} pull request #${prNumber}`,
      endpoint: `${method} /repos/${this.repository}/issues/${prNumber}/comments`,
      permission,
      notFound: `pull request #${prNumber} is not in ${this.repository}, or the token cannot see the repository.`
    }
  }

  private async call<T>(operation: Operation, request: () => Promise<T>): Promise<T> {
    try {
      return await request()
    } catch (error) {
      throw toGitHubApiError(error, operation)
    }
  }
}

/** Turns an Octokit failure into a message that names the status, the endpoint and the fix. */
function toGitHubApiError(error: unknown, operation: Operation): Error {
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
  return new GitHubApiError(`${prefix}: GitHub answered ${status} to ${operation.endpoint}${said}; ${fixFor(status, githubMessage, failed, operation)}`, status, operation.endpoint)
}

/** A request that never got a whole answer: the limit, the attempts, what a lost answer means, and the fix. */
function timeoutError(prefix: string, timedOut: RequestTimedOut, operation: Operation): GitHubApiError {
  const attempts = `${timedOut.attempt} attempt${timedOut.attempt === 1 ? '' : 's'}`
  // The request may have reached GitHub and only its answer been lost; repeating a POST could act twice.
  const notRepeated = timedOut.repeatable ? '' : 'The change may have been made anyway, so it was not sent again (a repeat could make it twice). '
  return new GitHubApiError(
    `${prefix}: GitHub did not answer ${operation.endpoint} within ${formatDuration(timedOut.timeoutMs)} (${attempts}). ${notRepeated}` +
      'The API, or a proxy on the way, took the connection but sent no answer: see https://www.githubstatus.com, check that GITHUB_API_URL ' +
      'points at the GitHub API and that the runner\'s proxy (HTTPS_PROXY) lets the request through, then run the job again.',
    undefined,
    operation.endpoint
  )
}

/** "150 ms", "10 s". */
function formatDuration(ms: number): string {
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
  if (status === 422) return 'GitHub refused the request as sent; the message above says which field.'
  if (status >= 500) return 'GitHub had a server error (reads are retried first); see https://www.githubstatus.com and run the job again.'
  return 'see the message above.'
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

/**
 * Merged pull requests first: the one whose merge created `sha` first of all (a merge or squash commit), then
 * other merged ones (a rebase merge keeps commit ids), then open or closed ones. Otherwise GitHub's order. Pure.
 */
export function orderPullRequestsForCommit(pullRequests: readonly AssociatedPullRequest[], sha: string): AssociatedPullRequest[] {
  const rank = (pr: AssociatedPullRequest): number => (pr.merged ? (pr.mergeCommitSha === sha ? 0 : 1) : 2)
  return pullRequests
    .map((pr, index) => ({ pr, index }))
    .sort((a, b) => rank(a.pr) - rank(b.pr) || a.index - b.index)
    .map(({ pr }) => pr)
}

/** What a contents answer says a file holds: its text, or the blob that holds it. */
type FileContents = { text: string } | { blobSha: string }

/** Types the contents API gives entries that are not files; a folder may also come as a list of its entries. */
const NON_FILE_TYPES: Readonly<Record<string, string>> = { dir: 'folder', symlink: 'symlink', submodule: 'submodule' }

/**
 * Reads a contents answer leniently, as GitHub Enterprise and other GitHub-like servers shape it differently
 * (no `type`, `size` or `sha`; utf-8 text instead of base64): content that is there is what the file holds,
 * whatever `size` says, because reading a manifest as empty hides every removal from the diff. Only an
 * explicit non-file `type` is refused. Pure; `where` names the file for messages.
 */
function fileContentsOf(data: unknown, where: string): FileContents {
  const nonFile = Array.isArray(data) ? 'folder' : isMapping(data) && typeof data.type === 'string' ? NON_FILE_TYPES[data.type] : undefined
  if (nonFile) throw new Error(`${where} is a ${nonFile}; expected a file.`)
  if (!isMapping(data)) throw new Error(notContentsMessage(where, data))
  const text = decodeContent(data.content, data.encoding, where)
  if (text !== undefined) return { text }
  const size = byteSize(data.size)
  const sha = typeof data.sha === 'string' && data.sha.trim() !== '' ? data.sha.trim() : undefined
  if (size === 0) return { text: '' }
  // Above 1 MB GitHub leaves `content` empty (encoding `none`) and the blob API serves up to 100 MB. Without a
  // size the blob is asked as well: only it can tell an empty file from an omitted content.
  if (sha !== undefined) return { blobSha: sha }
  if (size === undefined) return { text: '' }
  throw new Error(
    `${where} has ${size} bytes, but the answer holds neither its content nor its blob sha, so it cannot be read; check that GITHUB_API_URL points at the GitHub API.`
  )
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/**
 * The text of `content` in `encoding`, or undefined when there is no content. GitHub wraps base64 in lines;
 * other servers send utf-8 text. A missing encoding is read as base64, the contents API's one for files.
 */
function decodeContent(content: unknown, encoding: unknown, where: string): string | undefined {
  if (typeof content !== 'string' || content === '') return undefined
  const name = typeof encoding === 'string' && encoding !== '' ? encoding.toLowerCase() : 'base64'
  if (name === 'utf-8' || name === 'utf8') return content
  if (name !== 'base64') {
    throw new Error(`${where} came in the encoding ${JSON.stringify(encoding)}; expected base64 or utf-8. Check that GITHUB_API_URL points at the GitHub API.`)
  }
  const compact = content.replace(/\s+/g, '')
  if (compact === '') return undefined
  // Buffer skips what is not base64 without a word: a wrong answer would turn into wrong text.
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    throw new Error(`${where} came as base64 that does not decode; check that GITHUB_API_URL points at the GitHub API.`)
  }
  return Buffer.from(compact, 'base64').toString('utf8')
}

/** A byte count given as a number or a numeric string; undefined when missing or not a count. */
function byteSize(value: unknown): number | undefined {
  const size = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN
  return Number.isInteger(size) && size >= 0 ? size : undefined
}

function notContentsMessage(where: string, data: unknown): string {
  const kind = typeof data === 'string' ? 'text' : data === null || data === undefined ? 'nothing' : `a ${typeof data}`
  return `GitHub answered the contents of ${where} with ${kind}, not a file's contents; check that GITHUB_API_URL points at the GitHub API (not a proxy's page).`
}

function toIssueComment(data: { id: number; body?: string | null; created_at: string; updated_at: string; html_url: string; user?: { login?: string } | null }): IssueComment {
  return {
    id: data.id,
    body: data.body ?? '',
    createdAt: data.created_at,
    updatedAt: data.updated_at,
    htmlUrl: data.html_url,
    author: data.user?.login ?? ''
  }
}

function toAssociatedPullRequest(data: {
  number: number
  title: string
  state: string
  merged_at: string | null
  merge_commit_sha?: string | null
  labels: ({ name?: string } | string)[]
  html_url: string
}): AssociatedPullRequest {
  return {
    number: data.number,
    title: data.title,
    state: data.state,
    // Only a merge time (or an explicit `merged: true`) says merged: an answer that leaves the field out is not proof.
    merged: typeof data.merged_at === 'string' || (data as { merged?: unknown }).merged === true,
    ...(data.merge_commit_sha ? { mergeCommitSha: data.merge_commit_sha } : {}),
    labels: data.labels.map(label => (typeof label === 'string' ? label : label.name)).filter((name): name is string => typeof name === 'string'),
    htmlUrl: data.html_url
  }
}

/** Seven characters of a commit id, the way git shows them; branch names as they are. */
export function shortRef(ref: string): string {
  return /^[0-9a-f]{40}$/i.test(ref) ? ref.slice(0, 7) : ref
}

function pathOf(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/, '').split('?')[0]
}
