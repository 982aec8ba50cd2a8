/**
 * Reading Platform API answers for the architect driver: one request and what it answered, an answer checked against
 * a zod shape (an error naming the endpoint and what came otherwise), and paged listings read page by page, bounded.
 */
import { z } from 'zod'
import { optionalCount, optionalText, requiredId, requiredText, snippet } from './lenient-answer.js'
import { GenesysApiError } from './genesys-api-error.js'
import { describeEndpoint, type GenesysRequest, type GenesysRequester, type GenesysResponse } from './http-client.js'

/** Entities asked for per page of a listing (the platform's largest page for these endpoints is 100). */
export const PAGE_SIZE = 100

/** Pages read at most for one look-up: a name filter that matches more than this many is not a look-up. */
export const MAX_PAGES = 50

/** A request and what it answered: enough to name it in an error. */
export interface AnsweredCall {
  request: GenesysRequest
  response: GenesysResponse<unknown>
}

/** The entities of a listing, and whether every page was read (false when MAX_PAGES stopped the reading). */
export interface ListingPages<T> {
  entities: T[]
  complete: boolean
}

/** Sends `request` and keeps it with its answer. */
export async function sendRequest(client: GenesysRequester, request: GenesysRequest): Promise<AnsweredCall> {
  const response = await client.request<unknown>(request)
  return { request, response }
}

/** Every entity of a paged listing, pages read in order until the last, or until MAX_PAGES (then `complete` is false). */
export async function readPages<S extends z.ZodType>(
  client: GenesysRequester,
  path: string,
  filter: GenesysRequest['query'],
  entity: S,
  what: string
): Promise<ListingPages<z.infer<S>>> {
  const listing = listingSchema(entity)
  const entities: z.infer<S>[] = []
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
    const call = await sendRequest(client, { method: 'GET', path, query: { ...filter, pageNumber, pageSize: PAGE_SIZE } })
    const page = parseAnswer(listing, call, what)
    // A loop, not a spread: a page holds whatever the platform sent, which may be more than a call takes arguments.
    for (const item of page.entities) entities.push(item)
    const more = page.pageCount === undefined ? page.nextUri !== undefined && page.entities.length > 0 : pageNumber < page.pageCount
    if (!more) return { entities, complete: true }
  }
  return { entities, complete: false }
}

/** Names compare as the platform compares them: trimmed, ignoring case. */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase()
}

/** The answer checked against `schema`: a JSON object, extra fields welcome; anything else names what came. */
export function parseAnswer<S extends z.ZodType>(schema: S, call: AnsweredCall, what: string, quoting: { quoteBody?: boolean } = {}): z.infer<S> {
  const body = call.response.body
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidAnswer(call, `a ${what} answer that is not a JSON object`, quoting)
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw invalidAnswer(call, `a ${what} answer of an unexpected shape (${z.prettifyError(parsed.error)})`, quoting)
  return parsed.data
}

/** An `invalid-response` error for an answer the action cannot use, quoting it unless told not to. */
export function invalidAnswer(call: AnsweredCall, detail: string, extra: { hint?: string; quoteBody?: boolean } = {}): GenesysApiError {
  const { response, request } = call
  const { quoteBody = true, hint } = extra
  const body = response.body === undefined || !quoteBody ? undefined : JSON.stringify(response.body)
  return new GenesysApiError({
    kind: 'invalid-response',
    method: request.method,
    endpoint: describeEndpoint(request.path, request.query),
    status: response.status,
    correlationId: response.headers['inin-correlation-id'],
    detail,
    ...(body === undefined ? {} : { bodySnippet: snippet(body) }),
    ...(hint === undefined ? {} : { hint })
  })
}

/** An object with an id and a name (a queue, a skill, a data action, …) as listings return them. */
export const NamedEntitySchema = z.looseObject({ id: requiredId, name: requiredText })

function listingSchema<S extends z.ZodType>(entity: S) {
  return z.looseObject({
    entities: z
      .array(entity)
      .nullish()
      .transform(entities => entities ?? []),
    pageCount: optionalCount,
    nextUri: optionalText
  })
}
