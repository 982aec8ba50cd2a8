import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DOCS, error, fakeSha, notFound, safeDecode, type Answer, type RequestInfo } from './github-answers.js'
import { RepositoryStandIn, type StandInCommit } from './github-repository.js'
import { flattenHeaders, readBody } from './http-request.js'
import { matchPattern } from './router.js'

/**
 * A local stand-in for the parts of the GitHub REST API the action uses: pull request comments (paginated with
 * a `Link` header), file contents and blobs at a ref, the pull requests of a commit, and the history branch's calls:
 * contents written with GitHub's `sha` checks (409 / 422 on a conflict), branches and refs, and a branch created
 * through the git data API (see github-repository.ts). Answers are shaped like
 * GitHub's (ids, `user`, `html_url`, timestamps, error bodies with `documentation_url`), every request is
 * recorded, comment writes can be refused with the 403 a read-only token gets, chosen requests can get another
 * answer (a fault, or another GitHub-like server's shape) or none at all. Used by tests and the demo through
 * `GITHUB_API_URL`.
 */

export interface GitHubApiOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number
  /** Address to listen on. Default 127.0.0.1. */
  host?: string
  /** `owner/name` served; any other repository answers 404 as GitHub does for one the token cannot see. */
  repository?: string
  /** Token accepted in `Authorization: token …` or `Authorization: Bearer …`. Default `ghs_standin_token`. */
  token?: string
  /** Clock for `created_at` / `updated_at`, in ms since the epoch. Default Date.now. */
  now?: () => number
  /** Files per ref (a commit sha or branch name): path → text. More with `setFiles`. */
  files?: Record<string, Record<string, string>>
  /** Branch that `contents` reads when no `ref` is given. Default `main`. */
  defaultBranch?: string
  /**
   * Files larger than this many bytes come back from `contents` with empty content and encoding `none`, as
   * GitHub does above 1 MB, so the client must fetch the blob. Default 1 MiB.
   */
  contentsMaxBytes?: number
  /** Author of comments created through the API. Default the `github-actions[bot]` user. */
  commentAuthor?: GitHubUser
}

/** The `user` object of comments and pull requests. */
export interface GitHubUser {
  login: string
  id: number
  type: 'Bot' | 'User'
}

/** A pull request the stand-in knows; comments are only accepted on known pull requests. */
export interface SeededPullRequest {
  number: number
  title?: string
  /** Default `open`, or `closed` when `merged`. */
  state?: 'open' | 'closed'
  merged?: boolean
  labels?: string[]
  /** Commits of the pull request; `commits/{sha}/pulls` finds it by any of them, its head and its merge commit. */
  commits?: string[]
  headSha?: string
  baseSha?: string
  mergeCommitSha?: string
}

/** A comment as the API returns it. */
export interface GitHubCommentJson {
  id: number
  node_id: string
  url: string
  html_url: string
  issue_url: string
  body: string
  user: GitHubUserJson
  created_at: string
  updated_at: string
  author_association: string
}

interface GitHubUserJson {
  login: string
  id: number
  node_id: string
  type: string
  site_admin: boolean
  html_url: string
}

/** One request the stand-in received. */
export interface RecordedGitHubRequest {
  method: string
  /** URL path without the query, as sent (still percent-encoded). */
  path: string
  /** Query parameters (the last value of a repeated name). */
  query: Record<string, string>
  /** Headers by lower-case name. */
  headers: Record<string, string>
  body: string
  /** The body parsed as JSON, when it parses. */
  json?: unknown
  /** Status answered; 0 while none was sent (a request held by `hangNext` before its headers). */
  status: number
}

/** Which requests an injected failure strikes. */
export interface RequestMatcher {
  method?: string
  /** Matched against the URL path (without the query). */
  path?: string | RegExp
}

/** The answer of an injected failure. */
export interface InjectedAnswer {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/**
 * Where a held request stops: `before-headers` accepts the connection and never answers; `mid-body` sends the
 * status, the headers and half of the body, then nothing more.
 */
export type HangPoint = 'before-headers' | 'mid-body'

/** A running stand-in. */
export interface GitHubApiStandIn {
  /** `http://host:port`: the value of `GITHUB_API_URL`. */
  readonly url: string
  readonly repository: string
  readonly token: string
  /** Every request received so far, oldest first. */
  readonly requests: readonly RecordedGitHubRequest[]
  /** Adds or replaces the files at `ref`; an empty record makes the ref a known commit without files. */
  setFiles(ref: string, files: Record<string, string>): void
  addPullRequest(pullRequest: SeededPullRequest): void
  /** Adds a comment as if someone had posted it (another tool, an older run), returning it. */
  addComment(prNumber: number, body: string, author?: GitHubUser): GitHubCommentJson
  /** The comments of a pull request, oldest first. */
  comments(prNumber: number): readonly GitHubCommentJson[]
  /** Makes comment writes answer 403 "Resource not accessible by integration" (a read-only token), or not. */
  denyCommentWrites(deny?: boolean): void
  /** Makes contents and git data writes answer 403, as for a token without `contents: write`, or not. */
  denyContentWrites(deny?: boolean): void
  /** The files at a ref (a branch or a commit sha), path → text; undefined when the ref is unknown. */
  files(ref: string): Record<string, string> | undefined
  /** The commit a branch points at, when it was made through the API (a contents write, a created branch). */
  headCommit(branch: string): StandInCommit | undefined
  /**
   * The next `times` requests that match get `answer` instead of the stand-in's own: a fault (5xx, rate limits…)
   * or a success shaped the way another GitHub-like server shapes it. Checked before the token.
   */
  answerNext(matcher: RequestMatcher, answer: InjectedAnswer, times?: number): void
  /** `answerNext`, for the faults it is mostly used for. */
  failNext(matcher: RequestMatcher, answer: InjectedAnswer, times?: number): void
  /**
   * The next `times` requests that match are recorded and then left hanging at `point` (default
   * `before-headers`) until the client gives up or `close()`: a server that accepts connections but stalls.
   */
  hangNext(matcher: RequestMatcher, times?: number, point?: HangPoint): void
  close(): Promise<void>
}

/** The user behind `GITHUB_TOKEN`. */
export const GITHUB_ACTIONS_BOT: GitHubUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }

/** Starts a stand-in; resolves once it listens. */
export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApiStandIn> {
  const standIn = new GitHubApiServer(options)
  await standIn.listen(options.port ?? 0, options.host ?? '127.0.0.1')
  return standIn
}

/** GitHub's page size when `per_page` is absent, and its largest. */
const DEFAULT_PER_PAGE = 30
const MAX_PER_PAGE = 100

/** GitHub refuses comment bodies above this many characters. */
const MAX_COMMENT_CHARS = 65_536

/** The contents API leaves `content` empty above 1 MB; the blob API serves up to 100 MB. */
const DEFAULT_CONTENTS_MAX_BYTES = 1024 * 1024

type Handler = (params: Record<string, string>, request: RequestInfo) => Answer

interface StandInRoute {
  method: string
  pattern: string
  handle: Handler
}

interface PullRequestRecord extends Required<Omit<SeededPullRequest, 'mergeCommitSha' | 'title'>> {
  title: string
  mergeCommitSha: string | null
  createdAt: string
}

interface FailureRule {
  matcher: RequestMatcher
  answer: InjectedAnswer
  remaining: number
}

interface HangRule {
  matcher: RequestMatcher
  point: HangPoint
  remaining: number
}

class GitHubApiServer implements GitHubApiStandIn {
  readonly repository: string
  readonly token: string
  private readonly now: () => number
  private readonly defaultBranch: string
  private readonly commentAuthor: GitHubUser
  private readonly repositoryFiles: RepositoryStandIn
  private readonly pullRequests = new Map<number, PullRequestRecord>()
  private readonly commentsByPr = new Map<number, GitHubCommentJson[]>()
  private readonly recorded: RecordedGitHubRequest[] = []
  private readonly failures: FailureRule[] = []
  private readonly hangs: HangRule[] = []
  private readonly routes: StandInRoute[]
  private readonly server: Server
  private commentWritesDenied = false
  private nextCommentId = 1_000_001
  private address: string | undefined

  constructor(options: GitHubApiOptions) {
    this.repository = options.repository ?? 'acme/genesys-config'
    this.token = options.token ?? 'ghs_standin_token'
    this.now = options.now ?? Date.now
    this.defaultBranch = options.defaultBranch ?? 'main'
    this.commentAuthor = options.commentAuthor ?? GITHUB_ACTIONS_BOT
    this.repositoryFiles = new RepositoryStandIn({
      baseUrl: () => this.url,
      repository: this.repository,
      defaultBranch: this.defaultBranch,
      contentsMaxBytes: options.contentsMaxBytes ?? DEFAULT_CONTENTS_MAX_BYTES,
      timestamp: () => this.timestamp()
    })
    for (const [ref, files] of Object.entries(options.files ?? {})) this.setFiles(ref, files)
    const repo = '/repos/:owner/:repo'
    this.routes = [
      { method: 'GET', pattern: `${repo}/issues/:number/comments`, handle: (p, r) => this.listComments(p, r) },
      { method: 'POST', pattern: `${repo}/issues/:number/comments`, handle: (p, r) => this.createComment(p, r) },
      { method: 'PATCH', pattern: `${repo}/issues/comments/:id`, handle: (p, r) => this.updateComment(p, r) },
      { method: 'GET', pattern: `${repo}/commits/:sha/pulls`, handle: p => this.pullsOfCommit(p) },
      { method: 'GET', pattern: `${repo}/git/blobs/:sha`, handle: p => this.repositoryFiles.blob(p.sha) },
      { method: 'GET', pattern: `${repo}/branches/:branch`, handle: p => this.repositoryFiles.getBranch(p.branch) },
      { method: 'POST', pattern: `${repo}/git/trees`, handle: (_, r) => this.repositoryFiles.createTree(r.json) },
      { method: 'POST', pattern: `${repo}/git/commits`, handle: (_, r) => this.repositoryFiles.createCommit(r.json) },
      { method: 'POST', pattern: `${repo}/git/refs`, handle: (_, r) => this.repositoryFiles.createRef(r.json) }
    ]
    this.server = createServer((request, response) => void this.handle(request, response))
  }

  get url(): string {
    if (!this.address) throw new Error('The GitHub API stand-in is not listening yet: await startGitHubApi().')
    return this.address
  }

  get requests(): readonly RecordedGitHubRequest[] {
    return this.recorded
  }

  setFiles(ref: string, files: Record<string, string>): void {
    this.repositoryFiles.setFiles(ref, files)
  }

  files(ref: string): Record<string, string> | undefined {
    return this.repositoryFiles.filesAt(ref)
  }

  headCommit(branch: string): StandInCommit | undefined {
    return this.repositoryFiles.headCommit(branch)
  }

  addPullRequest(pullRequest: SeededPullRequest): void {
    const merged = pullRequest.merged ?? false
    this.pullRequests.set(pullRequest.number, {
      number: pullRequest.number,
      title: pullRequest.title ?? `Pull request #${pullRequest.number}`,
      state: pullRequest.state ?? (merged ? 'closed' : 'open'),
      merged,
      labels: pullRequest.labels ?? [],
      commits: pullRequest.commits ?? [],
      headSha: pullRequest.headSha ?? fakeSha(`head-${pullRequest.number}`),
      baseSha: pullRequest.baseSha ?? fakeSha(`base-${pullRequest.number}`),
      mergeCommitSha: pullRequest.mergeCommitSha ?? null,
      createdAt: this.timestamp()
    })
  }

  addComment(prNumber: number, body: string, author: GitHubUser = { login: 'octocat', id: 583231, type: 'User' }): GitHubCommentJson {
    const comment = this.newComment(prNumber, body, author)
    this.commentsOf(prNumber).push(comment)
    return comment
  }

  comments(prNumber: number): readonly GitHubCommentJson[] {
    return [...this.commentsOf(prNumber)]
  }

  denyCommentWrites(deny = true): void {
    this.commentWritesDenied = deny
  }

  denyContentWrites(deny = true): void {
    this.repositoryFiles.denyWrites(deny)
  }

  answerNext(matcher: RequestMatcher, answer: InjectedAnswer, times = 1): void {
    this.failures.push({ matcher, answer, remaining: times })
  }

  failNext(matcher: RequestMatcher, answer: InjectedAnswer, times = 1): void {
    this.answerNext(matcher, answer, times)
  }

  hangNext(matcher: RequestMatcher, times = 1, point: HangPoint = 'before-headers'): void {
    this.hangs.push({ matcher, point, remaining: times })
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', error =>
        reject(new Error(`The GitHub API stand-in could not listen on ${host}:${port}: ${error.message}. Pick another port (0 picks a free one).`))
      )
      this.server.listen(port, host, () => resolve())
    })
    const address = this.server.address() as AddressInfo
    const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
    this.address = `http://${urlHost}:${address.port}`
  }

  async close(): Promise<void> {
    await new Promise<void>(resolve => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  // -------------------------------------------------------------------------------------------------------
  // Request pipeline: record, injected failure, authentication, repository, route.

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request)
    if (body === undefined) return
    const method = request.method ?? 'GET'
    const url = new URL(request.url ?? '/', this.url)
    const json = parseJson(body)
    const record: RecordedGitHubRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(request),
      body,
      ...(json === undefined ? {} : { json }),
      status: 0
    }
    this.recorded.push(record)
    const hang = this.takeHang({ method, url, json })
    // Left open on purpose: the client's timeout, or close(), ends the connection.
    if (hang === 'before-headers') return
    const answer = this.answer({ method, url, json }, record.headers.authorization)
    const bytes = Buffer.from(JSON.stringify(answer.body), 'utf8')
    record.status = answer.status
    response.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(bytes.length),
      'x-github-request-id': randomUUID().toUpperCase(),
      'x-github-api-version-selected': '2022-11-28',
      ...answer.headers
    })
    if (hang === 'mid-body') response.write(bytes.subarray(0, Math.floor(bytes.length / 2)))
    else response.end(bytes)
  }

  private answer(request: RequestInfo, authorization: string | undefined): Answer {
    const injected = this.takeFailure(request)
    if (injected) return { status: injected.status, body: injected.body ?? { message: 'Server Error' }, headers: injected.headers }
    const authProblem = this.authenticationProblem(authorization)
    if (authProblem) return error(401, authProblem, `${DOCS}`)

    const pathname = request.url.pathname
    const contents = /^\/repos\/([^/]+)\/([^/]+)\/contents(?:\/(.*))?$/.exec(pathname)
    if (contents) {
      if (!this.isServedRepository(contents[1], contents[2])) return notFound()
      if (request.method === 'GET') return this.repositoryFiles.getContents(contents[3] ?? '', request.url)
      if (request.method === 'PUT') return this.repositoryFiles.putContents(contents[3] ?? '', request.json)
      return error(405, 'Method Not Allowed', DOCS)
    }
    // A ref name holds slashes (`heads/feature/x`), which the route patterns do not match.
    const ref = /^\/repos\/([^/]+)\/([^/]+)\/git\/ref\/(.+)$/.exec(pathname)
    if (ref && request.method === 'GET') {
      return this.isServedRepository(ref[1], ref[2]) ? this.repositoryFiles.getRef(safeDecode(ref[3] as string)) : notFound()
    }
    for (const route of this.routes) {
      const params = matchPattern(route.pattern, pathname)
      if (!params || route.method !== request.method) continue
      if (!this.isServedRepository(params.owner, params.repo)) return notFound()
      return route.handle(params, request)
    }
    return notFound()
  }

  private takeFailure(request: RequestInfo): InjectedAnswer | undefined {
    return takeRule(this.failures, request)?.answer
  }

  private takeHang(request: RequestInfo): HangPoint | undefined {
    return takeRule(this.hangs, request)?.point
  }

  /** GitHub accepts both schemes for installation and personal tokens. */
  private authenticationProblem(authorization: string | undefined): string | undefined {
    if (!authorization) return 'Requires authentication'
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization.trim())
    return match && match[1] === this.token ? undefined : 'Bad credentials'
  }

  private isServedRepository(owner: string | undefined, repo: string | undefined): boolean {
    return `${owner}/${repo}`.toLowerCase() === this.repository.toLowerCase()
  }

  // -------------------------------------------------------------------------------------------------------
  // Comments

  private listComments(params: Record<string, string>, request: RequestInfo): Answer {
    const prNumber = Number(params.number)
    if (!this.pullRequests.has(prNumber)) return notFound(`${DOCS}/issues/comments#list-issue-comments`)
    const perPage = clampPerPage(request.url.searchParams.get('per_page'))
    const page = Math.max(1, Number.parseInt(request.url.searchParams.get('page') ?? '1', 10) || 1)
    const all = this.commentsOf(prNumber)
    const lastPage = Math.max(1, Math.ceil(all.length / perPage))
    const link = paginationLink(this.url, request.url.pathname, perPage, page, lastPage)
    return {
      status: 200,
      body: all.slice((page - 1) * perPage, page * perPage),
      ...(link ? { headers: { link } } : {})
    }
  }

  private createComment(params: Record<string, string>, request: RequestInfo): Answer {
    const prNumber = Number(params.number)
    const docs = `${DOCS}/issues/comments#create-an-issue-comment`
    if (this.commentWritesDenied) return error(403, 'Resource not accessible by integration', docs)
    if (!this.pullRequests.has(prNumber)) return notFound(docs)
    const problem = commentBodyProblem(request.json, docs)
    if (problem) return problem
    const comment = this.newComment(prNumber, (request.json as { body: string }).body, this.commentAuthor)
    this.commentsOf(prNumber).push(comment)
    return { status: 201, body: comment, headers: { location: comment.url } }
  }

  private updateComment(params: Record<string, string>, request: RequestInfo): Answer {
    const docs = `${DOCS}/issues/comments#update-an-issue-comment`
    if (this.commentWritesDenied) return error(403, 'Resource not accessible by integration', docs)
    const comment = this.findComment(Number(params.id))
    if (!comment) return notFound(docs)
    const problem = commentBodyProblem(request.json, docs)
    if (problem) return problem
    comment.body = (request.json as { body: string }).body
    comment.updated_at = this.timestamp()
    return { status: 200, body: comment }
  }

  private newComment(prNumber: number, body: string, author: GitHubUser): GitHubCommentJson {
    const id = this.nextCommentId++
    const created = this.timestamp()
    return {
      id,
      node_id: `IC_${Buffer.from(String(id)).toString('base64url')}`,
      url: `${this.url}/repos/${this.repository}/issues/comments/${id}`,
      html_url: `https://github.com/${this.repository}/pull/${prNumber}#issuecomment-${id}`,
      issue_url: `${this.url}/repos/${this.repository}/issues/${prNumber}`,
      body,
      user: userJson(author),
      created_at: created,
      updated_at: created,
      author_association: author.type === 'Bot' ? 'NONE' : 'MEMBER'
    }
  }

  private findComment(id: number): GitHubCommentJson | undefined {
    for (const comments of this.commentsByPr.values()) {
      const found = comments.find(comment => comment.id === id)
      if (found) return found
    }
    return undefined
  }

  private commentsOf(prNumber: number): GitHubCommentJson[] {
    const comments = this.commentsByPr.get(prNumber) ?? []
    this.commentsByPr.set(prNumber, comments)
    return comments
  }

  // -------------------------------------------------------------------------------------------------------
  // Pull requests of a commit

  private pullsOfCommit(params: Record<string, string>): Answer {
    const sha = params.sha
    const found = [...this.pullRequests.values()].filter(pr => pr.commits.includes(sha) || pr.headSha === sha || pr.mergeCommitSha === sha)
    if (found.length === 0 && !this.repositoryFiles.knowsRef(sha)) {
      return error(422, `No commit found for SHA: ${sha}`, `${DOCS}/commits/commits#list-pull-requests-associated-with-a-commit`)
    }
    return { status: 200, body: found.map(pr => this.pullRequestJson(pr)) }
  }

  private pullRequestJson(pr: PullRequestRecord): Record<string, unknown> {
    const api = `${this.url}/repos/${this.repository}`
    const [owner] = this.repository.split('/')
    return {
      url: `${api}/pulls/${pr.number}`,
      id: 2_000_000 + pr.number,
      node_id: `PR_${Buffer.from(String(pr.number)).toString('base64url')}`,
      html_url: `https://github.com/${this.repository}/pull/${pr.number}`,
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      user: userJson({ login: 'octocat', id: 583231, type: 'User' }),
      body: null,
      labels: pr.labels.map((name, index) => ({ id: 3_000_000 + index, name, color: 'ededed', default: false, description: null })),
      created_at: pr.createdAt,
      updated_at: pr.createdAt,
      closed_at: pr.state === 'closed' ? pr.createdAt : null,
      merged_at: pr.merged ? pr.createdAt : null,
      merge_commit_sha: pr.mergeCommitSha,
      draft: false,
      head: { label: `${owner}:feature-${pr.number}`, ref: `feature-${pr.number}`, sha: pr.headSha },
      base: { label: `${owner}:${this.defaultBranch}`, ref: this.defaultBranch, sha: pr.baseSha }
    }
  }

  private timestamp(): string {
    // GitHub's timestamps carry no milliseconds.
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }
}

function commentBodyProblem(json: unknown, docs: string): Answer | undefined {
  const body = (json as { body?: unknown } | undefined)?.body
  if (typeof body !== 'string' || body === '') return error(422, 'Invalid request.\n\n"body" wasn\'t supplied.', docs)
  if (body.length > MAX_COMMENT_CHARS) {
    return {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'unprocessable', field: 'data', message: `Body is too long (maximum is ${MAX_COMMENT_CHARS} characters)` }],
        documentation_url: docs,
        status: '422'
      }
    }
  }
  return undefined
}

/** `Link` header of one page, with `prev`/`next`/`first`/`last` as GitHub sends them; undefined for a single page. */
function paginationLink(base: string, path: string, perPage: number, page: number, lastPage: number): string | undefined {
  if (lastPage <= 1) return undefined
  const at = (target: number): string => `<${base}${path}?per_page=${perPage}&page=${target}>`
  const links: string[] = []
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`)
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`)
  if (page > 1) links.push(`${at(1)}; rel="first"`)
  return links.join(', ')
}

function clampPerPage(value: string | null): number {
  const parsed = Number.parseInt(value ?? '', 10)
  if (!Number.isFinite(parsed) || parsed < 1) return DEFAULT_PER_PAGE
  return Math.min(parsed, MAX_PER_PAGE)
}

/** The first rule with uses left that matches the request, one use spent. */
function takeRule<Rule extends { matcher: RequestMatcher; remaining: number }>(rules: Rule[], request: RequestInfo): Rule | undefined {
  const rule = rules.find(candidate => candidate.remaining > 0 && matches(candidate.matcher, request))
  if (rule) rule.remaining -= 1
  return rule
}

function matches(matcher: RequestMatcher, request: RequestInfo): boolean {
  if (matcher.method && matcher.method.toUpperCase() !== request.method) return false
  if (matcher.path === undefined) return true
  const path = request.url.pathname
  return typeof matcher.path === 'string' ? path === matcher.path : matcher.path.test(path)
}

function userJson(user: GitHubUser): GitHubUserJson {
  return {
    login: user.login,
    id: user.id,
    node_id: `U_${Buffer.from(String(user.id)).toString('base64url')}`,
    type: user.type,
    site_admin: false,
    html_url: user.type === 'Bot' ? `https://github.com/apps/${user.login.replace(/\[bot\]$/, '')}` : `https://github.com/${user.login}`
  }
}

function parseJson(body: string): unknown {
  if (body === '') return undefined
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}
