/**
 * The one gate every file the action reads goes through (the bundle manifest, its flow files, the baseline, the audit
 * log): a pull request controls these paths, their symbolic links and their sizes. A file is read only when its real
 * path (links followed) lies inside the workspace and outside `.git/`, it is a regular file, and it is no larger than
 * the limit given for its kind; its bytes must be valid UTF-8. Every refusal is an instruction that names the file as
 * the caller describes it (an input, or the manifest key and line that references it) and never quotes its content.
 */
import { isUtf8 } from 'node:buffer'
import { constants, promises as fs } from 'node:fs'
import path from 'node:path'
import { formatBytes } from './byte-size.js'
import { codePointName } from './bundle/shown-text.js'

/** Largest manifest or baseline read: room for 50,000 flows of about 700 bytes each (README "Limits"). */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024

/** Largest single Archy flow file read. */
export const MAX_FLOW_FILE_BYTES = 8 * 1024 * 1024

/** Why a file was not read. */
export type WorkspaceFileProblem =
  'outside-workspace' | 'inside-git' | 'missing' | 'directory' | 'not-a-file' | 'hard-link' | 'too-large' | 'unreadable' | 'invalid-utf8' | 'control-character'

/** A file that passed the gate, decoded. */
export interface WorkspaceFile {
  ok: true
  /** The text, without a leading byte order mark. */
  text: string
  /** The path as asked for, made absolute against the workspace. */
  absolutePath: string
  /** The path with every link resolved: what was actually read. */
  realPath: string
  bytes: number
}

/** A file the gate refused, and why, as an instruction. */
export interface WorkspaceFileRefusal {
  ok: false
  problem: WorkspaceFileProblem
  message: string
  /** Where an invalid UTF-8 byte is, 1-based. */
  line?: number
  column?: number
}

export interface ReadWorkspaceFileOptions {
  /** The repository checkout (GITHUB_WORKSPACE). */
  workspace: string
  /** Largest size accepted, in bytes. */
  maxBytes: number
  /** How messages name the file: "The bundle manifest `bundle.yaml` (input `bundle`)", "`targetConfig.flows.x.file` (bundle.yaml line 12)". */
  describe: string
}

/** Places that are never configuration, whatever the workspace is. */
const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev']

/** Reads `file` (relative to the workspace, or absolute) through the gate. Never throws for a problem with the file. */
export async function readWorkspaceFile(file: string, options: ReadWorkspaceFileOptions): Promise<WorkspaceFile | WorkspaceFileRefusal> {
  const absolutePath = path.resolve(options.workspace, file)
  const located = await locateInWorkspace(absolutePath, options.workspace)
  if (!located.ok) return refusal(located.problem, options)
  let handle: fs.FileHandle
  try {
    handle = await fs.open(located.realPath, constants.O_RDONLY | constants.O_NOFOLLOW | nonBlocking())
  } catch (error) {
    return refusal(errorProblem(error), options)
  }
  try {
    // Checked on the open handle, so a file swapped after the look-up is still the one checked.
    const stat = await handle.stat()
    if (stat.isDirectory()) return refusal('directory', options)
    if (!stat.isFile()) return refusal('not-a-file', options)
    // A hard link is the same file at another path, which may lie outside the workspace. Git never checks one out.
    if (stat.nlink > 1) return refusal('hard-link', options)
    if (stat.size > options.maxBytes) return refusal('too-large', options, { size: stat.size })
    const buffer = Buffer.alloc(Math.min(stat.size, options.maxBytes) + 1)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    if (bytesRead > options.maxBytes) return refusal('too-large', options, { size: bytesRead })
    const bytes = buffer.subarray(0, bytesRead)
    // The native check first (a 6 MB manifest in a few ms); the byte-by-byte walk only to locate a bad byte.
    const invalidAt = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes)
    if (invalidAt !== -1) return refusal('invalid-utf8', options, positionOfByte(bytes, invalidAt))
    const text = bytes.toString('utf8')
    const control = text.search(FORBIDDEN_CONTROL)
    if (control !== -1) {
      return refusal('control-character', options, { ...positionInText(text, control), character: codePointName(text[control]) })
    }
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, absolutePath, realPath: located.realPath, bytes: bytesRead }
  } catch (error) {
    return refusal(errorProblem(error), options)
  } finally {
    await handle.close()
  }
}

/**
 * Where a file the action is about to write (the audit log) really is: inside the workspace and outside `.git/`,
 * following links, whether or not it exists yet. Returns the real path to write, or a refusal.
 */
export async function checkWorkspaceWritePath(
  file: string,
  options: Omit<ReadWorkspaceFileOptions, 'maxBytes'>
): Promise<{ ok: true; realPath: string } | WorkspaceFileRefusal> {
  const absolutePath = path.resolve(options.workspace, file)
  const located = await locateInWorkspace(absolutePath, options.workspace, { mayBeMissing: true })
  if (!located.ok) return refusal(located.problem, options)
  try {
    const stat = await fs.lstat(located.realPath)
    if (stat.isDirectory()) return refusal('directory', options)
    if (!stat.isFile()) return refusal('not-a-file', options)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return refusal(errorProblem(error), options)
  }
  return { ok: true, realPath: located.realPath }
}

/**
 * Characters that YAML (outside its `\` escapes) and JSON never allow in a file: the C0 controls but tab, line feed
 * and carriage return, DEL, and the C1 controls but NEL. A file holding one raw is not a bundle file.
 */
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/

/** Links to missing files followed one after another before giving up (the system's own limit is 40). */
const MAX_DANGLING_LINKS = 8

/** The real path of `absolutePath` when it lies inside the real workspace, outside `.git`. */
async function locateInWorkspace(
  absolutePath: string,
  workspace: string,
  options: { mayBeMissing?: boolean; linksFollowed?: number } = {}
): Promise<{ ok: true; realPath: string } | { ok: false; problem: WorkspaceFileProblem }> {
  const realWorkspace = await fs.realpath(path.resolve(workspace)).catch(() => path.resolve(workspace))
  let realPath: string
  try {
    realPath = await fs.realpath(absolutePath)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return { ok: false, problem: errorProblem(error) }
    // A link to a file that does not exist yet: judged by where it leads (writing through it would create that file).
    const target = await fs.readlink(absolutePath).catch(() => undefined)
    const linksFollowed = options.linksFollowed ?? 0
    if (target !== undefined) {
      if (linksFollowed >= MAX_DANGLING_LINKS) return { ok: false, problem: 'outside-workspace' }
      return locateInWorkspace(path.resolve(path.dirname(absolutePath), target), workspace, { ...options, linksFollowed: linksFollowed + 1 })
    }
    // A path that does not exist: judge where it would be, from its nearest existing folder (links there followed).
    const parent = await realParent(absolutePath)
    if (parent === undefined) return { ok: false, problem: 'missing' }
    realPath = parent
    if (!options.mayBeMissing) return within(realPath, realWorkspace) ? { ok: false, problem: 'missing' } : { ok: false, problem: 'outside-workspace' }
  }
  if (!within(realPath, realWorkspace) || SYSTEM_FOLDERS.some(folder => within(realPath, folder))) return { ok: false, problem: 'outside-workspace' }
  const segments = path.relative(realWorkspace, realPath).split(path.sep)
  if (segments.some(segment => segment.toLowerCase() === '.git')) return { ok: false, problem: 'inside-git' }
  return { ok: true, realPath }
}

/** The real path `absolutePath` would have: its nearest existing ancestor resolved, the rest appended. */
async function realParent(absolutePath: string): Promise<string | undefined> {
  const rest: string[] = []
  let current = absolutePath
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...rest.reverse())
    } catch {
      const parent = path.dirname(current)
      if (parent === current) return undefined
      rest.push(path.basename(current))
      current = parent
    }
  }
}

function within(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, candidate)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

function errorProblem(error: unknown): WorkspaceFileProblem {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing'
  if (code === 'EISDIR') return 'directory'
  // O_NOFOLLOW refuses a link that appeared after the look-up.
  if (code === 'ELOOP') return 'outside-workspace'
  return 'unreadable'
}

/** O_NONBLOCK, so that opening a FIFO someone put in the pull request does not hang the run. */
function nonBlocking(): number {
  return constants.O_NONBLOCK ?? 0
}

function refusal(
  problem: WorkspaceFileProblem,
  options: Pick<ReadWorkspaceFileOptions, 'describe'> & { maxBytes?: number },
  detail: { size?: number; line?: number; column?: number; character?: string } = {}
): WorkspaceFileRefusal {
  const what = options.describe
  const messages: Record<WorkspaceFileProblem, string> = {
    'outside-workspace':
      `${what} leads outside the workspace (through \`..\`, an absolute path or a symbolic link), so it was not read: ` +
      'keep bundle files inside the repository and replace links with the files themselves.',
    'inside-git': `${what} lies inside \`.git/\`, which is never read: point it at a file of the repository.`,
    missing: `${what} does not exist: fix the path (relative to the workspace root for inputs, to the manifest's folder for flow files) or add the file.`,
    directory: `${what} is a folder: point it at a file inside it.`,
    'not-a-file': `${what} is not a regular file (a device, socket or pipe): point it at a YAML or JSON file.`,
    'hard-link':
      `${what} is a hard link (the same file is also at another path, maybe outside the workspace), so it was not read: ` +
      'replace it with a copy of the file; a checkout from git never makes one.',
    'too-large':
      `${what} is ${formatBytes(detail.size ?? 0)}, more than the ${formatBytes(options.maxBytes ?? 0)} this action reads ` +
      '(README "Limits"): split the bundle, or remove what it does not need.',
    unreadable: `${what} cannot be read: check its permissions.`,
    'control-character':
      `${what} holds the control character ${detail.character} at line ${detail.line}, column ${detail.column}, which YAML and JSON ` +
      'do not allow in a file: remove it (a value that needs one writes it as an escape inside double quotes, such as `"\\t"`).',
    'invalid-utf8':
      `${what} is not valid UTF-8 (an invalid byte at line ${detail.line}, column ${detail.column}): save the file as UTF-8 ` +
      '(a Latin-1 or Windows-1252 character is the usual cause).'
  }
  return { ok: false, problem, message: messages[problem], ...(detail.line !== undefined ? { line: detail.line, column: detail.column } : {}) }
}

/** Offset of the first byte that breaks UTF-8 (overlong forms, surrogates and values past U+10FFFF included), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const byte = bytes[i]
    if (byte < 0x80) {
      i++
      continue
    }
    let length: number
    let min: number
    if (byte >= 0xc2 && byte <= 0xdf) [length, min] = [2, 0x80]
    else if (byte >= 0xe0 && byte <= 0xef) [length, min] = [3, 0x800]
    else if (byte >= 0xf0 && byte <= 0xf4) [length, min] = [4, 0x10000]
    else return i
    if (i + length > bytes.length) return i
    let codePoint = byte & (0xff >> (length + 1))
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k]
      if ((next & 0xc0) !== 0x80) return i
      codePoint = (codePoint << 6) | (next & 0x3f)
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i
    i += length
  }
  return -1
}

/** 1-based line and column (in characters, as editors count them) of a byte offset. */
/** Line and column (in characters) of `offset` in `text`. */
function positionInText(text: string, offset: number): { line: number; column: number } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1
  let line = 1
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line++
  return { line, column: Array.from(text.slice(lineStart, offset)).length + 1 }
}

function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++
      lineStart = i + 1
    }
  }
  const before = Buffer.from(bytes.subarray(lineStart, offset)).toString('utf8')
  return { line, column: Array.from(before).length + 1 }
}
