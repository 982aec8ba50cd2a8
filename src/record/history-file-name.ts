/**
 * The file of an environment's history on the history branch: `<environment-id>.jsonl`, the id made safe as one file
 * name at the branch's root. The id comes from the manifest or an input, so a pull request controls it.
 */
import { createHash } from 'node:crypto'

/** Longest encoded id kept whole; longer ones are cut and given a hash of the whole id, so they stay distinct. */
const MAX_ENCODED_ID_LENGTH = 150

/** Characters kept as they are: letters, digits, `-`, `_`, `.` (but never a leading `.`). */
const SAFE_CHARACTER = /[A-Za-z0-9._-]/

/**
 * `<environment-id>.jsonl` with every character outside letters, digits, `-`, `_` and `.` percent-encoded as its UTF-8
 * bytes (`%2F` for `/`, `%25` for `%` itself), and a leading `.` encoded too, so that the name is never `.`, `..` or a
 * hidden file, never holds a path separator or a control character, and two different ids never share a file. An
 * encoded id longer than 150 characters is cut and ends with `~` and 16 hex digits of its SHA-256. Pure.
 */
export function historyFileName(environmentId: string): string {
  return `${safeFileNamePart(environmentId)}.jsonl`
}

/**
 * `text` as a part of a file name: the encoding of historyFileName without the extension. For any name built from
 * values of the manifest or the inputs. Pure.
 */
export function safeFileNamePart(text: string): string {
  const environmentId = text
  let encoded = ''
  for (const character of environmentId) {
    const keep = SAFE_CHARACTER.test(character) && !(encoded === '' && character === '.')
    encoded += keep ? character : percentEncode(character)
  }
  // `~` is never produced by the encoding above, so this name cannot be another id's.
  if (encoded === '') encoded = '~empty'
  if (encoded.length > MAX_ENCODED_ID_LENGTH) {
    const digest = createHash('sha256').update(environmentId, 'utf8').digest('hex').slice(0, 16)
    // Cut before a `%` escape that would be split in two.
    const cut = encoded.slice(0, MAX_ENCODED_ID_LENGTH).replace(/%[0-9A-F]?$/, '')
    encoded = `${cut}~${digest}`
  }
  return encoded
}

function percentEncode(character: string): string {
  return [...Buffer.from(character, 'utf8')].map(byte => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')
}
