/** Answers and git ids of the GitHub API stand-in, shared by its parts (github-api.ts, github-repository.ts). */
import { createHash } from 'node:crypto'

/** Root of GitHub's REST documentation, for `documentation_url`. */
export const DOCS = 'https://docs.github.com/rest'

/** One answer: status, JSON body, extra headers. */
export interface Answer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/** What a handler knows of a request. */
export interface RequestInfo {
  method: string
  url: URL
  json: unknown
}

/** An error answer shaped as GitHub's: `message`, `documentation_url`, `status`. */
export function error(status: number, message: string, documentationUrl: string): Answer {
  return { status, body: { message, documentation_url: documentationUrl, status: String(status) } }
}

/** GitHub's 404, which it also gives for a repository the token cannot see. */
export function notFound(documentationUrl = DOCS): Answer {
  return error(404, 'Not Found', documentationUrl)
}

/** The id git gives a file's content: sha1 of `blob <size>\0<bytes>`. */
export function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

/** A stable 40-hex id for things the stand-in invents (commits, trees). */
export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex')
}

/** GitHub wraps base64 content at 60 characters a line. */
export function wrappedBase64(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,60}/g) ?? []).map(line => `${line}\n`).join('')
}

/** A repository path without leading or trailing slashes or a leading `./`. */
export function normalizeRepoPath(path: string): string {
  return path.replace(/^\/+|\/+$/g, '').replace(/^\.\//, '')
}

/** Percent-decoded text, or the text as it is when it does not decode. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
