/**
 * Reading the error bodies Genesys Cloud sends (the SDK's `ErrorBody`): lenient, since a gateway, the login service
 * or an older endpoint may send only some of the fields, numbers as text, or nested errors as plain strings.
 */
import { z } from 'zod'
import type { GenesysErrorBody } from './genesys-api-error.js'
import { optionalCount } from './lenient-answer.js'

/** Any text, or undefined (an error body's fields are only quoted). */
const looseText = z.string().optional().catch(undefined)

const ErrorBodyFieldsSchema = z.object({
  message: looseText,
  code: looseText,
  status: optionalCount,
  contextId: looseText,
  messageWithParams: looseText,
  messageParams: z.record(z.string(), z.string()).optional().catch(undefined),
  details: z
    .array(
      z.object({
        errorCode: looseText,
        fieldName: looseText,
        entityId: looseText,
        entityName: looseText
      })
    )
    .optional()
    .catch(undefined),
  errors: z.array(z.unknown()).optional().catch(undefined)
})

/** The Genesys error body in `value`, or undefined when it is not one (a bare string, an array). */
export function genesysErrorBody(value: unknown): GenesysErrorBody | undefined {
  // Nested `errors` are sometimes plain strings rather than error bodies.
  if (typeof value === 'string') return value.trim() ? { message: value } : undefined
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const parsed = ErrorBodyFieldsSchema.safeParse(value)
  if (!parsed.success) return undefined
  const { errors, ...fields } = parsed.data
  const nested = (errors ?? []).map(genesysErrorBody).filter((body): body is GenesysErrorBody => body !== undefined)
  return { ...withoutUndefined(fields), ...(nested.length > 0 ? { errors: nested } : {}) }
}

/** The login service answers OAuth-style (`error`, `error_description`): map it onto the Genesys shape. */
export function tokenErrorBody(value: unknown): GenesysErrorBody | undefined {
  const parsed = z.object({ error: looseText, error_description: looseText, description: looseText, message: looseText }).safeParse(value)
  if (!parsed.success) return undefined
  const { error, error_description: errorDescription, description, message } = parsed.data
  const text = errorDescription ?? description ?? message
  if (error === undefined && text === undefined) return genesysErrorBody(value)
  return withoutUndefined({ code: error, message: text })
}

/** `value` without its undefined fields. */
function withoutUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>
  }
}
