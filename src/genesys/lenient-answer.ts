/**
 * The zod pieces both drivers read platform answers with. Lenient where a real platform, a proxy or another
 * version may vary (numbers as strings, messages as objects), so that only what the action truly needs fails.
 */
import { z } from 'zod'

/** Characters of an unexpected answer quoted in an error. */
export const SNIPPET_LENGTH = 200

/** Text the platform may send as a string or a number. */
export const textLike = z.union([z.string(), z.number().transform(String)])

/** Non-empty text, or a number sent as one. */
export const requiredText = textLike.pipe(z.string().min(1))

/** The same, or undefined: anything else is dropped. */
export const optionalText = requiredText.optional().catch(undefined)

/** Longest id taken from an answer: ids are UUIDs. */
export const MAX_PLATFORM_ID_LENGTH = 1024

/**
 * An id the action follows: non-empty text of at most MAX_PLATFORM_ID_LENGTH characters without control characters
 * (it goes into request paths, outputs and saved state), or a number sent as one.
 */
export const requiredId = textLike.pipe(
  z
    .string()
    .min(1)
    .max(MAX_PLATFORM_ID_LENGTH)
    .regex(/^[^\p{Cc}]*$/u)
)

/** The same, or undefined: an id that cannot be followed is dropped. */
export const optionalId = requiredId.optional().catch(undefined)

/** A count the platform may send as a number or a numeric string; anything else is dropped. */
export const optionalCount = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\s*\d+(\.\d+)?\s*$/)
      .transform(Number)
  ])
  .optional()
  .catch(undefined)

/** A flag the platform may send as a boolean or as "true" / "false"; anything else is dropped. */
export const optionalFlag = z
  .union([z.boolean(), z.enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False']).transform(v => v.toLowerCase() === 'true')])
  .optional()
  .catch(undefined)

/** Messages as a list of strings, whether sent as strings, `{message}` objects, or a single one of those. */
export const messageList = z.unknown().optional().transform(messagesFrom)

/**
 * The messages in `value`: a string, a number, an object with `message` / `text` / `errorMessage` /
 * `description` (prefixed by its `path` or `field` when it names one), or an array of those. Pure.
 */
export function messagesFrom(value: unknown): string[] {
  if (value === undefined || value === null) return []
  if (Array.isArray(value)) return unique(value.flatMap(messagesFrom))
  if (typeof value === 'string') return value.trim() ? [value.trim()] : []
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)]
  if (typeof value !== 'object') return []
  const record = value as Record<string, unknown>
  const text = [record.message, record.text, record.errorMessage, record.description].find(
    (candidate): candidate is string => typeof candidate === 'string' && candidate.trim() !== ''
  )
  const where = [record.path, record.field, record.fieldName].find((candidate): candidate is string => typeof candidate === 'string' && candidate.trim() !== '')
  if (text === undefined) return [snippet(JSON.stringify(value))]
  return [where ? `${where}: ${text.trim()}` : text.trim()]
}

/** Texts without repeats, in their first order. */
export function unique(texts: string[]): string[] {
  return [...new Set(texts)]
}

/** At most SNIPPET_LENGTH characters of `text`, for quoting an unexpected answer. */
export function snippet(text: string): string {
  return text.length > SNIPPET_LENGTH ? `${text.slice(0, SNIPPET_LENGTH)}…` : text
}
