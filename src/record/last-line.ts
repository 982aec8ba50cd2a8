import { open } from 'node:fs/promises'

/** The last non-blank line of a file, read from its end. */
export interface LastLine {
  /** The line's text, without its line terminator. */
  text: string
  /** False when the file does not end with a newline (an interrupted write): the next append must add one. */
  fileEndsWithNewline: boolean
}

/** Bytes read per step backwards from the end of the file. */
const CHUNK_BYTES = 64 * 1024

const NEWLINE = 0x0a

/**
 * Reads the last non-blank line of a UTF-8 text file without loading the whole file: an audit log grows by
 * one line per run forever, and appending only needs its tail. Reads backwards in 64 KiB chunks until a line
 * break precedes the line. Splitting bytes at `\n` is safe in UTF-8: that byte never occurs inside a multi-byte
 * character. Returns undefined when the file does not exist or holds only blank lines.
 */
export async function readLastLine(path: string): Promise<LastLine | undefined> {
  let file
  try {
    file = await open(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const { size } = await file.stat()
    let tail = Buffer.alloc(0)
    let position = size
    while (position > 0) {
      const length = Math.min(CHUNK_BYTES, position)
      position -= length
      const chunk = Buffer.alloc(length)
      await file.read(chunk, 0, length, position)
      tail = Buffer.concat([chunk, tail])
      const contentEnd = endOfContent(tail)
      const lineStart = tail.lastIndexOf(NEWLINE, contentEnd - 1)
      if (contentEnd > 0 && lineStart >= 0) return lastLineOf(tail, lineStart + 1, contentEnd)
    }
    const contentEnd = endOfContent(tail)
    return contentEnd > 0 ? lastLineOf(tail, 0, contentEnd) : undefined
  } finally {
    await file.close()
  }
}

function lastLineOf(tail: Buffer, start: number, end: number): LastLine {
  return {
    text: tail.subarray(start, end).toString('utf8'),
    fileEndsWithNewline: tail.length > 0 && tail[tail.length - 1] === NEWLINE
  }
}

/** Index just past the last byte that is not blank (space, tab, CR, LF). */
function endOfContent(buffer: Buffer): number {
  let end = buffer.length
  while (end > 0 && isBlankByte(buffer[end - 1] as number)) end--
  return end
}

function isBlankByte(byte: number): boolean {
  return byte === NEWLINE || byte === 0x0d || byte === 0x20 || byte === 0x09
}
