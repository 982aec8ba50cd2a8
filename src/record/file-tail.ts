import { constants } from 'node:fs'
import { open } from 'node:fs/promises'

/** Splitting bytes at `\n` is safe in UTF-8: that byte never occurs inside a multi-byte character. */
const NEWLINE = 0x0a

/** The end of a file, as read by readFileTail. */
export interface FileTail {
  /**
   * The text of the file's last `maxBytes` at most. When the file is longer, the partial line at the cut is dropped,
   * unless the cut falls inside the file's only (or last) line: then that part is all there is to show.
   */
  text: string
  /** True when `text` is the whole file. */
  complete: boolean
  /** False when the file does not end with a line break: the next append must start with one. Empty file: true. */
  endsWithNewline: boolean
  /** Size of the whole file in bytes (0 when it does not exist). */
  size: number
}

/**
 * Reads at most the last `maxBytes` of a UTF-8 text file (an audit log that grows forever must cost bounded work per
 * run). A missing file reads as empty. Opened without following a final symbolic link: the caller checked the path.
 */
export async function readFileTail(path: string, maxBytes: number): Promise<FileTail> {
  let file
  try {
    file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', complete: true, endsWithNewline: true, size: 0 }
    throw error
  }
  try {
    const { size } = await file.stat()
    const length = Math.min(size, maxBytes)
    const buffer = Buffer.alloc(length)
    await file.read(buffer, 0, length, size - length)
    const complete = length === size
    const endsWithNewline = length === 0 || buffer[length - 1] === NEWLINE
    if (complete) return { text: buffer.toString('utf8'), complete, endsWithNewline, size }
    // Cut mid-file: the bytes before the first line break belong to a line that started earlier.
    const firstBreak = buffer.indexOf(NEWLINE)
    const start = firstBreak >= 0 && firstBreak < length - 1 ? firstBreak + 1 : 0
    return { text: buffer.subarray(start).toString('utf8'), complete, endsWithNewline, size }
  } finally {
    await file.close()
  }
}
