/**
 * The one wrapper around the GitHub REST API: pull request comments, file contents at a ref, the pull requests of a
 * commit, and the history branch's file (read with its sha, written with it, the branch created as an orphan). Tests point it at a local stand-in (`simulator/github-api.ts`) through `apiUrl`.
 */
import { isMapping } from '../mapping.js'
import { realSleep, type Sleep, withRetry } from '../retry-helper.js'
import { byteSize, decodeContent, fileContentsOf, notContentsMessage } from './contents-answer.js'
import { classifyGitHubFailure, GitHubApiError, type Operation, RequestTimedOut, toGitHubApiError } from './github-errors.js'

export { classifyGitHubFailure, GitHubApiError, isMissingBranch, isWriteConflict } from './github-errors.js'

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
  /** A file on a branch with the blob sha that replacing it needs, or which of the two does not exist. */
  readFileOnBranch(path: string, branch: string): Promise<BranchFile>
  /**
   * Creates (no `sha`) or replaces (`sha`: the blob sha read) a file on a branch, in one commit. GitHub answers a `sha`
   * that is no longer the file's (another writer came first) with 409, and a missing one for a file that exists with
   * 422: both throw a GitHubApiError with that status (see isWriteConflict). Never retried here: an answer lost on the
   * way may hide a write that happened.
   */
  writeFileOnBranch(write: BranchFileWrite): Promise<{ blobSha: string; commitSha: string }>
  /**
   * Creates `branch` as an orphan: one commit without a parent holding only `files` (no code, no workflows). False when
   * the branch exists already (another run created it first).
   */
  createOrphanBranch(branch: string, files: Readonly<Record<string, string>>, message: string): Promise<boolean>
}

/** What readFileOnBranch found. */
export type BranchFile = { state: 'found'; text: string; sha: string } | { state: 'no-file' } | { state: 'no-branch' }

/** One file written to a branch by writeFileOnBranch. */
export interface BranchFileWrite {
  path: string
  branch: string
  text: string
  /** Blob sha of the file being replaced; absent to create it. */
  sha?: string
  /** Commit message. */
  message: string
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

/** Comments per page of a listing, the most GitHub gives. */
const COMMENTS_PER_PAGE = 100

/** Most pages of a pull request's comments read: 10,000 comments. */
export const MAX_COMMENT_PAGES = 100

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
    const comments = await this.call(operation, () => {
      let pages = 0
      // Bounded: a listing whose `next` link never ends (or a pull request with more comments than anyone reads)
      // stops after MAX_COMMENT_PAGES pages; the sticky comment is then looked for among those.
      return this.octokit.paginate(
        this.octokit.rest.issues.listComments,
        { owner: this.owner, repo: this.repo, issue_number: prNumber, per_page: COMMENTS_PER_PAGE },
        (response, done) => {
          if (++pages >= MAX_COMMENT_PAGES) done()
          return response.data
        }
      )
    })
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

  async readFileOnBranch(path: string, branch: string): Promise<BranchFile> {
    const operation: Operation = {
      what: `read \`${path}\` on branch ${branch}`,
      endpoint: `GET /repos/${this.repository}/contents/${path}?ref=${branch}`,
      permission: 'contents: read',
      notFound: `the branch ${branch} does not exist in ${this.repository}.`
    }
    let data: unknown
    try {
      data = (await this.call(operation, () => this.octokit.rest.repos.getContent({ owner: this.owner, repo: this.repo, path, ref: branch }))).data
    } catch (error) {
      if (error instanceof GitHubApiError && error.status === 404) return /no commit found/i.test(error.message) ? { state: 'no-branch' } : { state: 'no-file' }
      throw error
    }
    const where = `\`${path}\` on branch ${branch}`
    const contents = fileContentsOf(data, where)
    const sha = isMapping(data) && typeof data.sha === 'string' && data.sha.trim() !== '' ? data.sha.trim() : undefined
    if (sha === undefined) {
      throw new Error(
        `GitHub answered the contents of ${where} without its blob sha, which replacing the file needs; check that GITHUB_API_URL points at the GitHub API.`
      )
    }
    const text = 'text' in contents ? contents.text : await this.readBlob(contents.blobSha, path)
    return { state: 'found', text, sha }
  }

  async writeFileOnBranch(write: BranchFileWrite): Promise<{ blobSha: string; commitSha: string }> {
    const operation: Operation = {
      what: `write \`${write.path}\` on branch ${write.branch}`,
      endpoint: `PUT /repos/${this.repository}/contents/${write.path}`,
      permission: 'contents: write',
      notFound: `the branch ${write.branch} does not exist in ${this.repository} (it was deleted while the job ran); run the job again to create it.`
    }
    const response = await this.call(operation, () =>
      this.octokit.rest.repos.createOrUpdateFileContents({
        owner: this.owner,
        repo: this.repo,
        path: write.path,
        branch: write.branch,
        message: write.message,
        content: Buffer.from(write.text, 'utf8').toString('base64'),
        ...(write.sha ? { sha: write.sha } : {})
      })
    )
    return { blobSha: response.data.content?.sha ?? '', commitSha: response.data.commit.sha ?? '' }
  }

  async createOrphanBranch(branch: string, files: Readonly<Record<string, string>>, message: string): Promise<boolean> {
    const git = (what: string, endpoint: string): Operation => ({
      what,
      endpoint: `POST /repos/${this.repository}/git/${endpoint}`,
      permission: 'contents: write',
      notFound: `${this.repository} cannot be seen with this token.`
    })
    const tree = await this.call(git(`create the first tree of branch ${branch}`, 'trees'), () =>
      this.octokit.rest.git.createTree({
        owner: this.owner,
        repo: this.repo,
        tree: Object.entries(files).map(([path, content]) => ({ path, mode: '100644' as const, type: 'blob' as const, content }))
      })
    )
    const commit = await this.call(git(`create the first commit of branch ${branch}`, 'commits'), () =>
      this.octokit.rest.git.createCommit({ owner: this.owner, repo: this.repo, message, tree: tree.data.sha, parents: [] })
    )
    try {
      await this.call(git(`create branch ${branch}`, 'refs'), () =>
        this.octokit.rest.git.createRef({ owner: this.owner, repo: this.repo, ref: `refs/heads/${branch}`, sha: commit.data.sha })
      )
      return true
    } catch (error) {
      // Another run created it between our read and now; the commit made here stays unreferenced and is collected.
      if (error instanceof GitHubApiError && error.status === 422 && /already exists/i.test(error.message)) return false
      throw error
    }
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

function toIssueComment(data: {
  id: number
  body?: string | null
  created_at: string
  updated_at: string
  html_url: string
  user?: { login?: string } | null
}): IssueComment {
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
