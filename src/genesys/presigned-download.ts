/**
 * Downloads from a presigned storage URL (the YAML an Architect export job leaves behind): a plain GET with
 * no bearer token, since the URL's signature is the credential, with a timeout and the action's one retry
 * loop for what is temporary. The signature (the URL's query) never appears in a message.
 *
 * GenesysHttpClient has the upload counterpart (`uploadToPresignedUrl`); this lives apart only because that
 * client has no download yet. Moving it there as `downloadFromPresignedUrl` makes `withPresignedDownload`
 * unnecessary: the client then satisfies `PresignedTransfer` by itself.
 */
import { HttpClient } from '@actions/http-client'
import { realSleep, withRetry, type Sleep } from '../retry-helper.js'
import { GenesysApiError } from './genesys-api-error.js'
import type { GenesysRequester } from './http-client.js'

/** The presigned-URL transfers the architect driver needs besides API requests. */
export interface PresignedTransfer {
  /** PUTs `body` to `url` with exactly `headers` and no bearer token. */
  uploadToPresignedUrl(url: string, body: string, headers: Record<string, string>): Promise<void>
  /** GETs `url` with no bearer token and returns the body as text. */
  downloadFromPresignedUrl(url: string): Promise<string>
}

export interface PresignedDownloadOptions {
  /** Deadline of one attempt, in ms. Default 30000. */
  timeoutMs?: number
  /** Attempts for 5xx, 429, resets and timeouts, the first included. Default 5. */
  maxAttempts?: number
  /** First backoff between attempts, in ms. Default 1000. */
  baseDelayMs?: number
  sleep?: Sleep
  random?: () => number
  log?: (message: string) => void
}

const DEFAULTS = { timeoutMs: 30_000, maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 15_000 } as const

/** Node error codes of connections that broke mid-way: worth another attempt. */
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ECONNREFUSED'])

/** Characters of an unexpected body quoted in an error. */
const SNIPPET_LENGTH = 200

/** A client that can also download from presigned URLs, built from one that can request and upload. */
export function withPresignedDownload(
  client: GenesysRequester & Pick<PresignedTransfer, 'uploadToPresignedUrl'>,
  options: PresignedDownloadOptions = {}
): GenesysRequester & PresignedTransfer {
  return {
    request: request => client.request(request),
    uploadToPresignedUrl: (url, body, headers) => client.uploadToPresignedUrl(url, body, headers),
    downloadFromPresignedUrl: url => downloadPresignedFile(url, options)
  }
}

/** GETs a presigned URL and returns its body; GenesysApiError (endpoint without the query) when it fails. */
export async function downloadPresignedFile(url: string, options: PresignedDownloadOptions = {}): Promise<string> {
  const parsed = new URL(url)
  const endpoint = `${parsed.origin}${parsed.pathname}`
  const redact = (text: string): string => (parsed.search ? text.split(parsed.search).join('?…').split(parsed.search.slice(1)).join('…') : text)
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs
  return withRetry(
    async attempt => {
      const http = new HttpClient('genesys-bundle-deploy', [], { socketTimeout: timeoutMs, allowRedirects: true })
      let status: number
      let body: string
      try {
        const response = await http.get(url)
        status = response.message.statusCode ?? 0
        body = await response.readBody()
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        const message = error instanceof Error ? error.message : String(error)
        throw new GenesysApiError({
          kind: message.startsWith('Request timeout') ? 'timeout' : 'network',
          method: 'GET',
          endpoint,
          networkCode: code,
          timeoutMs,
          detail: redact(message),
          attempts: attempt
        })
      }
      if (status >= 200 && status < 300) return body
      throw new GenesysApiError({
        kind: 'http',
        method: 'GET',
        endpoint,
        status,
        bodySnippet: redact(body.slice(0, SNIPPET_LENGTH)),
        attempts: attempt,
        hint:
          'The download URL refused the exported flow: it may have expired, or a proxy changed the request; ' +
          're-run, and check any proxy between the runner and the storage host.'
      })
    },
    {
      maxAttempts: options.maxAttempts ?? DEFAULTS.maxAttempts,
      baseDelayMs: options.baseDelayMs ?? DEFAULTS.baseDelayMs,
      maxDelayMs: DEFAULTS.maxDelayMs,
      classify: error => ({ retry: isTemporaryDownloadFailure(error), reason: error instanceof GenesysApiError ? error.reason : String(error) }),
      sleep: options.sleep ?? realSleep,
      random: options.random,
      log: options.log,
      label: `GET ${endpoint}`
    }
  )
}

function isTemporaryDownloadFailure(error: unknown): boolean {
  if (!(error instanceof GenesysApiError)) return false
  if (error.kind === 'timeout') return true
  if (error.kind === 'network') return error.networkCode === undefined || TRANSIENT_NETWORK_CODES.has(error.networkCode)
  const status = error.status ?? 0
  return status === 408 || status === 429 || status >= 500
}
