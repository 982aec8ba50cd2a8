/**
 * Reading the contents API's answers leniently: GitHub, GitHub Enterprise and other GitHub-like servers shape them
 * differently. Pure.
 */
import { isMapping } from '../mapping.js'

/** What a contents answer says a file holds: its text, or the blob that holds it. */
export type FileContents = { text: string } | { blobSha: string }

/** Types the contents API gives entries that are not files; a folder may also come as a list of its entries. */
const NON_FILE_TYPES: Readonly<Record<string, string>> = { dir: 'folder', symlink: 'symlink', submodule: 'submodule' }

/**
 * Reads a contents answer leniently, as GitHub Enterprise and other GitHub-like servers shape it differently
 * (no `type`, `size` or `sha`; utf-8 text instead of base64): content that is there is what the file holds,
 * whatever `size` says, because reading a manifest as empty hides every removal from the diff. Only an
 * explicit non-file `type` is refused. Pure; `where` names the file for messages.
 */
export function fileContentsOf(data: unknown, where: string): FileContents {
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
export function decodeContent(content: unknown, encoding: unknown, where: string): string | undefined {
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
export function byteSize(value: unknown): number | undefined {
  const size = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN
  return Number.isInteger(size) && size >= 0 ? size : undefined
}

export function notContentsMessage(where: string, data: unknown): string {
  const kind = typeof data === 'string' ? 'text' : data === null || data === undefined ? 'nothing' : `a ${typeof data}`
  return `GitHub answered the contents of ${where} with ${kind}, not a file's contents; check that GITHUB_API_URL points at the GitHub API (not a proxy's page).`
}
