/**
 * The repository behind the GitHub API stand-in: files at refs (commits and branches), the contents API (read, and
 * write with GitHub's `sha` checks and conflicts), blobs, branches, and the git data calls that create a branch (trees,
 * commits, refs). Writes are applied one request at a time, as GitHub serializes the updates of a branch, so two
 * clients that read the same version and both write it get one success and one 409, as on GitHub.
 */
import { randomUUID } from 'node:crypto'
import { DOCS, error, fakeSha, gitBlobSha, normalizeRepoPath, notFound, safeDecode, wrappedBase64, type Answer } from './github-answers.js'

/** What the repository needs to know of the server around it. */
export interface RepositorySite {
  /** `http://host:port` of the stand-in, for the URLs in answers. */
  baseUrl(): string
  repository: string
  /** Branch that `contents` reads when no `ref` is given, and writes when no `branch` is given. */
  defaultBranch: string
  /** Files larger than this come back from `contents` with empty content and encoding `none`, as GitHub does above 1 MB. */
  contentsMaxBytes: number
  /** GitHub's timestamp format (no milliseconds). */
  timestamp(): string
}

/** A commit the stand-in made (a write, a created branch). */
export interface StandInCommit {
  sha: string
  message: string
  parents: string[]
  /** Path → text of every file in the commit. */
  files: Record<string, string>
}

const CONTENTS_DOCS = `${DOCS}/repos/contents`
const GIT_DOCS = `${DOCS}/git`
const FULL_SHA = /^[0-9a-f]{40}$/

/** The stand-in's repository: refs and their files, with the contents and git data calls over them. */
export class RepositoryStandIn {
  /** Files by ref: branch names (their current files) and commit shas. */
  private readonly filesByRef = new Map<string, Map<string, string>>()
  private readonly commits = new Map<string, StandInCommit>()
  private readonly heads = new Map<string, string>()
  /** Trees created through the git data API, by sha, until a commit uses them. */
  private readonly trees = new Map<string, Map<string, string>>()
  private writesDenied = false

  constructor(private readonly site: RepositorySite) {}

  /** Adds or replaces the files at `ref` (a commit sha or a branch); an empty record makes the ref known without files. */
  setFiles(ref: string, files: Record<string, string>): void {
    const stored = this.filesByRef.get(ref) ?? new Map<string, string>()
    for (const [path, text] of Object.entries(files)) stored.set(normalizeRepoPath(path), text)
    this.filesByRef.set(ref, stored)
  }

  /** The files at a ref (path → text), or undefined when the ref is unknown. */
  filesAt(ref: string): Record<string, string> | undefined {
    const files = this.filesByRef.get(ref)
    return files ? Object.fromEntries(files) : undefined
  }

  /** The commit a branch points at, when the stand-in made it (a write or a created branch). */
  headCommit(branch: string): StandInCommit | undefined {
    const sha = this.heads.get(branch)
    return sha === undefined ? undefined : this.commits.get(sha)
  }

  /** Whether `ref` names a commit or branch the stand-in knows. */
  knowsRef(ref: string): boolean {
    return this.filesByRef.has(ref)
  }

  /** Makes writes (contents PUT, git data POSTs) answer 403 as for a token without `contents: write`, or not. */
  denyWrites(deny: boolean): void {
    this.writesDenied = deny
  }

  // -------------------------------------------------------------------------------------------------------
  // Reads

  getContents(encodedPath: string, url: URL): Answer {
    const docs = `${CONTENTS_DOCS}#get-repository-content`
    const ref = url.searchParams.get('ref') || this.site.defaultBranch
    const files = this.filesByRef.get(ref)
    if (!files) return error(404, `No commit found for the ref ${ref}`, docs)
    const path = normalizeRepoPath(safeDecode(encodedPath))
    const text = files.get(path)
    if (text !== undefined) return { status: 200, body: this.fileJson(path, text, ref) }
    const entries = [...files.keys()].filter(candidate => path === '' || candidate.startsWith(`${path}/`))
    if (entries.length === 0) return notFound(docs)
    return { status: 200, body: this.folderJson(path, entries, files, ref) }
  }

  blob(sha: string): Answer {
    for (const files of this.filesByRef.values()) {
      for (const text of files.values()) {
        const bytes = Buffer.from(text, 'utf8')
        if (gitBlobSha(bytes) !== sha) continue
        const url = `${this.site.baseUrl()}/repos/${this.site.repository}/git/blobs/${sha}`
        return { status: 200, body: { sha, node_id: `B_${sha.slice(0, 12)}`, size: bytes.length, url, content: wrappedBase64(bytes), encoding: 'base64' } }
      }
    }
    return notFound(`${GIT_DOCS}/blobs#get-a-blob`)
  }

  /** `GET /branches/{branch}`: the branch and its head commit. */
  getBranch(branch: string): Answer {
    if (!this.isBranch(branch)) return error(404, 'Branch not found', `${DOCS}/branches/branches#get-a-branch`)
    return { status: 200, body: { name: branch, commit: { sha: this.headSha(branch) }, protected: false } }
  }

  /** `GET /git/ref/heads/{branch}`. */
  getRef(ref: string): Answer {
    const branch = ref.replace(/^heads\//, '')
    if (!ref.startsWith('heads/') || !this.isBranch(branch)) return notFound(`${GIT_DOCS}/refs#get-a-reference`)
    return { status: 200, body: { ref: `refs/${ref}`, object: { type: 'commit', sha: this.headSha(branch) } } }
  }

  // -------------------------------------------------------------------------------------------------------
  // Writes

  /** `PUT /contents/{path}`: creates or replaces one file on a branch in a new commit, with GitHub's `sha` rules. */
  putContents(encodedPath: string, json: unknown): Answer {
    const docs = `${CONTENTS_DOCS}#create-or-update-file-contents`
    if (this.writesDenied) return error(403, 'Resource not accessible by integration', docs)
    const body = (json ?? {}) as { message?: unknown; content?: unknown; sha?: unknown; branch?: unknown }
    if (typeof body.message !== 'string' || body.message === '') return error(422, 'Invalid request.\n\n"message" wasn\'t supplied.', docs)
    if (typeof body.content !== 'string') return error(422, 'Invalid request.\n\n"content" wasn\'t supplied.', docs)
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body.content)) return error(422, 'content is not valid Base64', docs)
    const branch = typeof body.branch === 'string' && body.branch !== '' ? body.branch : this.site.defaultBranch
    if (!this.isBranch(branch)) return error(404, `Branch ${branch} not found`, docs)
    const path = normalizeRepoPath(safeDecode(encodedPath))
    const current = this.filesByRef.get(branch) as Map<string, string>
    const existing = current.get(path)
    if (existing !== undefined && body.sha === undefined) return error(422, 'Invalid request.\n\n"sha" wasn\'t supplied.', docs)
    if (body.sha !== undefined && (existing === undefined || body.sha !== gitBlobSha(Buffer.from(existing, 'utf8')))) {
      return error(409, `${path} does not match ${String(body.sha)}`, docs)
    }
    const text = Buffer.from(body.content, 'base64').toString('utf8')
    const files = new Map(current)
    files.set(path, text)
    const commit = this.commit(branch, files, body.message, [this.headSha(branch)])
    const bytes = Buffer.from(text, 'utf8')
    return {
      status: existing === undefined ? 201 : 200,
      body: {
        content: { type: 'file', name: path.split('/').pop(), path, sha: gitBlobSha(bytes), size: bytes.length },
        commit: { sha: commit.sha, message: commit.message, parents: commit.parents.map(sha => ({ sha })), committer: { date: this.site.timestamp() } }
      }
    }
  }

  /** `POST /git/trees`: a tree of files given inline (`content`); no `base_tree`, so it holds only them. */
  createTree(json: unknown): Answer {
    const docs = `${GIT_DOCS}/trees#create-a-tree`
    if (this.writesDenied) return error(403, 'Resource not accessible by integration', docs)
    const entries = (json as { tree?: unknown } | undefined)?.tree
    if (!Array.isArray(entries) || entries.length === 0) return error(422, 'Invalid tree info', docs)
    const files = new Map<string, string>()
    for (const entry of entries as { path?: unknown; content?: unknown; type?: unknown }[]) {
      if (typeof entry.path !== 'string' || typeof entry.content !== 'string' || entry.type !== 'blob') return error(422, 'Invalid tree info', docs)
      files.set(normalizeRepoPath(entry.path), entry.content)
    }
    const sha = fakeSha(`tree-${randomUUID()}`)
    this.trees.set(sha, files)
    return { status: 201, body: { sha, tree: [...files.keys()].map(path => ({ path, mode: '100644', type: 'blob' })) } }
  }

  /** `POST /git/commits`: a commit of a tree made before, with the parents given (none: the first of an orphan branch). */
  createCommit(json: unknown): Answer {
    const docs = `${GIT_DOCS}/commits#create-a-commit`
    if (this.writesDenied) return error(403, 'Resource not accessible by integration', docs)
    const body = (json ?? {}) as { message?: unknown; tree?: unknown; parents?: unknown }
    const files = typeof body.tree === 'string' ? this.trees.get(body.tree) : undefined
    if (typeof body.message !== 'string' || !files) return error(422, 'Tree SHA does not exist', docs)
    const parents = Array.isArray(body.parents) ? body.parents.filter((parent): parent is string => typeof parent === 'string') : []
    const sha = fakeSha(`commit-${randomUUID()}`)
    this.commits.set(sha, { sha, message: body.message, parents, files: Object.fromEntries(files) })
    this.filesByRef.set(sha, new Map(files))
    return { status: 201, body: { sha, message: body.message, tree: { sha: body.tree }, parents: parents.map(parent => ({ sha: parent })) } }
  }

  /** `POST /git/refs`: a new branch at a commit; 422 "Reference already exists" when it does. */
  createRef(json: unknown): Answer {
    const docs = `${GIT_DOCS}/refs#create-a-reference`
    if (this.writesDenied) return error(403, 'Resource not accessible by integration', docs)
    const body = (json ?? {}) as { ref?: unknown; sha?: unknown }
    const branch = typeof body.ref === 'string' && body.ref.startsWith('refs/heads/') ? body.ref.slice('refs/heads/'.length) : undefined
    if (!branch) return error(422, 'Reference name must start with refs/ and have at least two slashes.', docs)
    if (this.isBranch(branch)) return error(422, 'Reference already exists', docs)
    const files = typeof body.sha === 'string' ? this.filesByRef.get(body.sha) : undefined
    if (!files || !FULL_SHA.test(String(body.sha))) return error(422, 'Object does not exist', docs)
    this.filesByRef.set(branch, new Map(files))
    this.heads.set(branch, body.sha as string)
    return { status: 201, body: { ref: body.ref, object: { type: 'commit', sha: body.sha } } }
  }

  // -------------------------------------------------------------------------------------------------------

  private isBranch(ref: string): boolean {
    return !FULL_SHA.test(ref) && this.filesByRef.has(ref)
  }

  /** The head commit's sha; a branch seeded through setFiles gets a stable invented one. */
  private headSha(branch: string): string {
    return this.heads.get(branch) ?? fakeSha(`head-of-${branch}`)
  }

  private commit(branch: string, files: Map<string, string>, message: string, parents: string[]): StandInCommit {
    const sha = fakeSha(`commit-${randomUUID()}`)
    const commit: StandInCommit = { sha, message, parents, files: Object.fromEntries(files) }
    this.commits.set(sha, commit)
    this.filesByRef.set(sha, files)
    // A new map for the branch: the commit's snapshot must not change with the next write.
    this.filesByRef.set(branch, new Map(files))
    this.heads.set(branch, sha)
    return commit
  }

  private fileJson(path: string, text: string, ref: string): Record<string, unknown> {
    const bytes = Buffer.from(text, 'utf8')
    const sha = gitBlobSha(bytes)
    const tooLarge = bytes.length > this.site.contentsMaxBytes
    const base = this.site.baseUrl()
    const repository = this.site.repository
    return {
      type: 'file',
      encoding: tooLarge ? 'none' : 'base64',
      size: bytes.length,
      name: path.split('/').pop(),
      path,
      content: tooLarge ? '' : wrappedBase64(bytes),
      sha,
      url: `${base}/repos/${repository}/contents/${path}?ref=${encodeURIComponent(ref)}`,
      git_url: `${base}/repos/${repository}/git/blobs/${sha}`,
      html_url: `https://github.com/${repository}/blob/${ref}/${path}`,
      download_url: `https://raw.githubusercontent.com/${repository}/${ref}/${path}`
    }
  }

  private folderJson(folder: string, paths: string[], files: Map<string, string>, ref: string): Record<string, unknown>[] {
    const prefix = folder === '' ? '' : `${folder}/`
    const names = [...new Set(paths.map(path => path.slice(prefix.length).split('/')[0]))].sort()
    return names.map(name => {
      const path = `${prefix}${name}`
      const text = files.get(path)
      return text === undefined
        ? { type: 'dir', name, path, size: 0, sha: fakeSha(`dir-${ref}-${path}`) }
        : { type: 'file', name, path, size: Buffer.byteLength(text), sha: gitBlobSha(Buffer.from(text, 'utf8')) }
    })
  }
}
