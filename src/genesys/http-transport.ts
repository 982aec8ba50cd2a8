/**
 * One HTTP exchange on the wire: sent through @actions/http-client with a timeout that covers headers and body,
 * answered as status, lower-case headers and text. Knows nothing of Genesys, tokens or retries; failures come out
 * as TransportFailure for the client to turn into instructions.
 */
import { HttpClient } from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, RequestOptions } from 'node:http'

/** HTTP methods the Genesys Cloud API uses. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Query parameters; undefined values are left out. */
export type QueryParameters = Record<string, string | number | boolean | undefined>

/** One HTTP exchange to perform. */
export interface Exchange {
  method: HttpMethod
  url: string
  /** What messages call it: no query values, no credentials. */
  endpoint: string
  headers: OutgoingHttpHeaders
  body?: string
  /** Whether 5xx / resets / timeouts of this exchange will be retried. */
  retryTransient: boolean
  /**
   * Whether the exchange changes nothing on the platform (a read, the token request, a validation), so that an
   * answer that could not be read may simply be asked for again.
   */
  readOnly: boolean
  /** Whether it counts against the Platform API's rate budget (API requests do; the login service and storage do not). */
  rateLimited: boolean
}

/** What came back. */
export interface RawAnswer {
  status: number
  headers: Record<string, string>
  text: string
}

/** An exchange that got no complete answer. */
export class TransportFailure extends Error {
  constructor(
    readonly kind: 'timeout' | 'network',
    message: string,
    readonly timeoutMs?: number,
    readonly code?: string
  ) {
    super(message)
    this.name = 'TransportFailure'
  }
}

/** Performs `exchange`, reading the whole body, within `timeoutMs`. Throws TransportFailure when no complete answer came. */
export async function performExchange(exchange: Exchange, timeoutMs: number, userAgent: string): Promise<RawAnswer> {
  const abort = new AbortController()
  // A fresh client per exchange carries this exchange's abort signal into node:http.
  const http = new HttpClient(userAgent, [abortSignalHandler(abort.signal)], {
    allowRedirects: false,
    // Backstop only: the timer below also covers a body that stops mid-way.
    socketTimeout: timeoutMs + 1_000
  })
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort()
      reject(new TransportFailure('timeout', `no complete answer within ${timeoutMs} ms`, timeoutMs))
    }, timeoutMs)
  })
  try {
    return await Promise.race([exchangeOnce(http, exchange), deadline])
  } catch (error) {
    if (error instanceof TransportFailure) throw error
    const message = error instanceof Error ? error.message : String(error)
    // @actions/http-client's own socket timeout quotes the path with its query: never repeat it.
    if (message.startsWith('Request timeout')) throw new TransportFailure('timeout', `no complete answer within ${timeoutMs} ms`, timeoutMs)
    const code = errorCode(error)
    throw new TransportFailure('network', code && !message.includes(code) ? `${code} (${message})` : message, undefined, code)
  } finally {
    clearTimeout(timer)
  }
}

/** Whether `status` is a 2xx. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300
}

/**
 * `?a=1&b=2` from the defined query values, or ''. Percent-encoded (a space is `%20`, not the form
 * encoding's `+`, which not every server reads as a space in a query).
 */
export function queryString(query: QueryParameters | undefined): string {
  const pairs = Object.entries(query ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
  return pairs.length > 0 ? `?${pairs.join('&')}` : ''
}

/**
 * The request as messages show it: the path and the query's names, never its values, which can hold
 * ids users consider private or signatures (`/api/v2/flows?name=…&type=…`).
 */
export function describeEndpoint(path: string, query?: QueryParameters): string {
  const [bare, inlineQuery] = path.split('?', 2)
  const names = [
    ...(inlineQuery ? [...new URLSearchParams(inlineQuery).keys()] : []),
    ...Object.entries(query ?? {})
      .filter(([, value]) => value !== undefined)
      .map(([key]) => key)
  ]
  return names.length > 0 ? `${bare}?${names.map(name => `${name}=…`).join('&')}` : bare
}

/** The base URL without trailing slashes; a clear error naming the input when it is not http(s). */
export function checkedBaseUrl(value: string, inputName: string): string {
  let parsed: URL | undefined
  try {
    parsed = new URL(value)
  } catch {
    parsed = undefined
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new Error(`\`${inputName}\` must be an absolute http(s) URL such as https://api.mypurecloud.com; got "${value}".`)
  }
  return value.replace(/\/+$/, '')
}

/** Performs the exchange and reads the whole body. */
async function exchangeOnce(http: HttpClient, exchange: Exchange): Promise<RawAnswer> {
  const response = await http.request(exchange.method, exchange.url, exchange.body ?? null, exchange.headers)
  const text = await readText(response.message)
  return { status: response.message.statusCode ?? 0, headers: flattenHeaders(response.message.headers), text }
}

/**
 * Most bytes of one answer read: far above any Genesys Cloud answer (a page of entities, a status, an export's
 * link), far below what the process can hold as one string (about 512 MiB).
 */
export const MAX_ANSWER_BYTES = 128 * 1024 * 1024

/**
 * The body as text. Unlike HttpClientResponse.readBody this settles when the connection breaks
 * mid-body (or is aborted by the deadline) instead of waiting forever, and stops reading an answer that passes
 * `maxBytes`, which fails like a broken connection.
 */
export function readText(message: IncomingMessage, maxBytes = MAX_ANSWER_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let bytes = 0
    message.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > maxBytes) {
        chunks.length = 0
        message.removeAllListeners('data')
        message.destroy()
        reject(
          new Error(
            `the answer passed ${shownSize(maxBytes)}, far more than any Genesys Cloud answer; it was not read: check that \`api-url\` points at the Platform API and that no proxy answers in its place`
          )
        )
        return
      }
      chunks.push(chunk)
    })
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    message.on('error', reject)
  })
}

function shownSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.round(bytes / 1024)} KiB`
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

/** Hands an AbortSignal to node:http through the client's request-preparation hook. */
function abortSignalHandler(signal: AbortSignal): RequestHandler {
  return {
    prepareRequest: (options: RequestOptions) => {
      options.signal = signal
    },
    canHandleAuthentication: () => false,
    handleAuthentication: () => Promise.reject(new Error('not an authentication handler'))
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}
