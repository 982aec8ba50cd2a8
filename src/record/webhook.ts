import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { HttpClient, type HttpClientResponse } from '@actions/http-client'
import type { Plan } from '../assess/plan.js'
import type { FinalStatus } from '../constants.js'
import { parseRetryAfterSeconds, withRetry, type Sleep } from '../retry-helper.js'
import type { RunContext } from '../run-context.js'
import { redactSecretsInText } from '../redact-secrets.js'
import { boundImpact, type BoundedImpact } from './bounded-plan.js'
import { summarizeChanges, type ChangeSummary } from './change-summary.js'
import { describeRunOutcome, type RunOutcomeInput } from './run-outcome.js'
import { credentialPartsOfUrl, describeUrlSafely } from './safe-url.js'

/**
 * Value of the webhook's `event`: `deployment.completed` for every run, as the contract fixes it. Every run that
 * has a `webhook-url` sends exactly one; an assess run says so in `mode` (status ASSESSED, empty deploymentId,
 * latencyMs 0), so that a pipeline can also react to risk found on a pull request.
 */
export const WEBHOOK_EVENT = 'deployment.completed'

/**
 * The webhook's JSON body. Field names are a public contract (README "Records"). Bounded in size whatever the bundle's
 * (about 30 KiB at most): the impact is cut to IMPACT_BUDGET_BYTES and the change is a summary; the receiver that wants
 * everything reads the workflow's `diff-file` / `impact-file`.
 */
export interface WebhookBody {
  event: typeof WEBHOOK_EVENT
  /** `deploy`, or `assess` for a pull-request run that deployed nothing. */
  mode: 'assess' | 'deploy'
  /** Platform deployment id; empty when nothing was deployed. */
  deploymentId: string
  /** Output `status` of the run. */
  status: FinalStatus
  latencyMs: number
  /** The impact, cut to IMPACT_BUDGET_BYTES when larger (`truncated`, `omitted`; see boundImpact). */
  impactAssessment: BoundedImpact
  /** The configuration change: counts and the names of the changed resources (see summarizeChanges). */
  configurationDiff: ChangeSummary
  bundleId: string
  environmentId: string
  /** sha256 of the normalized bundle (output `fingerprint`). */
  fingerprint: string
  /** `owner/name`. */
  repository: string
  sha: string
  runUrl: string
  /** ISO 8601 time the body was built. */
  timestamp: string
}

/** Request headers of a delivery, besides Content-Type and User-Agent. */
export const WebhookHeaders = {
  /** `sha256=<hex HMAC-SHA256 of the raw body, keyed with webhook-secret>`; only when a secret is set. */
  Signature: 'X-Signature-256',
  /** One UUID per delivery, the same on each retry, so that a receiver can drop duplicates. */
  DeliveryId: 'X-Delivery-Id'
} as const

/** User-Agent of every delivery. */
export const WEBHOOK_USER_AGENT = 'genesys-bundle-deploy'

/** What buildWebhookBody reports: the plan, how the run ended (see describeRunOutcome), where and when. */
export interface WebhookBodyInput extends RunOutcomeInput {
  plan: Plan
  context: RunContext
  now: Date
}

/** Bytes of JSON the webhook's `impactAssessment` may take. */
export const IMPACT_BUDGET_BYTES = 14 * 1024

/** Builds the webhook body of a run. Pure. */
export function buildWebhookBody(input: WebhookBodyInput): WebhookBody {
  const { plan, context, now } = input
  const outcome = describeRunOutcome(input)
  return {
    event: WEBHOOK_EVENT,
    mode: outcome.mode,
    deploymentId: outcome.deploymentId,
    status: outcome.status,
    latencyMs: outcome.latencyMs,
    impactAssessment: boundImpact(plan.impact, IMPACT_BUDGET_BYTES),
    configurationDiff: summarizeChanges(plan.diff),
    bundleId: plan.bundleId,
    environmentId: plan.environmentId,
    fingerprint: plan.fingerprint,
    repository: context.repository,
    sha: context.sha,
    runUrl: context.runUrl,
    timestamp: now.toISOString()
  }
}

/** The X-Signature-256 value of a body: `sha256=` and the hex HMAC-SHA256 of its exact bytes (strings as UTF-8). */
export function signBody(rawBody: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`
}

/**
 * True when `header` is the signature of `rawBody` under `secret`. Compares in constant time, so that the
 * time taken does not reveal how much of a forged signature was right. For receivers and tests.
 */
export function verifySignature(rawBody: string | Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false
  const expected = Buffer.from(signBody(rawBody, secret), 'utf8')
  const received = Buffer.from(header, 'utf8')
  return received.length === expected.length && timingSafeEqual(received, expected)
}

/** Options of sendWebhook. */
export interface SendWebhookOptions {
  /** The `webhook-url`. May embed credentials (`https://user:pass@host/hook?token=…`): they are never logged. */
  url: string
  /** The `webhook-secret`; when set the body is signed (X-Signature-256). */
  secret?: string
  body: WebhookBody
  /** Longest silence from the receiver within one attempt (socket idle time). Default 10 s. */
  timeoutMs?: number
  /** Attempts in all. Default 3. */
  maxAttempts?: number
  sleep?: Sleep
  random?: () => number
  /** Receives one line per retried attempt. */
  log?: (message: string) => void
  /** The X-Delivery-Id; a new UUID when not given. */
  deliveryId?: string
}

/** What became of a delivery. Never carries a credential of the URL or the secret. */
export interface WebhookDelivery {
  delivered: boolean
  /** Attempts made (0 when the URL or body made sending impossible). */
  attempts: number
  /** HTTP status of the last answer, when there was one. */
  status?: number
  /** Why it was not delivered, as an instruction; for a workflow warning. */
  error?: string
  deliveryId: string
}

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_MAX_ATTEMPTS = 3
const BASE_DELAY_MS = 1_000
const MAX_DELAY_MS = 8_000
/** A receiver's Retry-After is honoured up to this: the webhook must not hold the job for minutes. */
const MAX_RETRY_AFTER_MS = 30_000
/** Characters of a receiver's error answer quoted in the error. */
const MAX_QUOTED_ANSWER = 200

/** Socket errors that say "try again later", not "this can never work". */
const TEMPORARY_NETWORK_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])

/** One failed attempt, described in words that are safe to log. */
class DeliveryAttemptError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
    readonly status?: number,
    readonly waitMs?: number
  ) {
    super(message)
  }
}

/**
 * POSTs the body to the webhook URL: serialized once, signed over the exact bytes sent, with Content-Type,
 * User-Agent, X-Delivery-Id and (with a secret) X-Signature-256. Retries 429, 5xx, connection failures and
 * timeouts through withRetry; other 4xx and redirects are final (a webhook is not replayed to another address,
 * which could leak it). Credentials in the URL are sent as HTTP Basic authentication, as curl does.
 *
 * Never throws: a webhook failure is a warning, never a failed deployment. Every message is built from
 * describeUrlSafely and then scrubbed of the URL's credentials and the secret.
 */
export async function sendWebhook(options: SendWebhookOptions): Promise<WebhookDelivery> {
  const deliveryId = options.deliveryId ?? randomUUID()
  const sensitive = [...credentialPartsOfUrl(options.url), ...(options.secret ? [options.secret] : [])]
  const scrub = (message: string): string => redactSecretsInText(message, sensitive)
  const safeUrl = describeUrlSafely(options.url)
  let attempts = 0
  let status: number | undefined
  try {
    const target = parseTarget(options.url)
    const rawBody = JSON.stringify(options.body)
    const headers = requestHeaders(rawBody, deliveryId, target.authorization, options.secret)
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS
    await withRetry(
      async attempt => {
        attempts = attempt
        status = await postOnce(target.url, rawBody, headers, timeoutMs, safeUrl, scrub)
      },
      {
        maxAttempts,
        baseDelayMs: BASE_DELAY_MS,
        maxDelayMs: MAX_DELAY_MS,
        classify: error => classifyAttemptError(error),
        sleep: options.sleep,
        random: options.random,
        log: options.log ? message => options.log?.(scrub(message)) : undefined,
        label: `webhook ${safeUrl}`
      }
    )
    return { delivered: true, attempts, status, deliveryId }
  } catch (error) {
    if (error instanceof DeliveryAttemptError) status = error.status
    const reason = error instanceof Error ? error.message : String(error)
    const tries = attempts === 0 ? '' : ` after ${attempts} attempt${attempts === 1 ? '' : 's'}`
    const delivery: WebhookDelivery = {
      delivered: false,
      attempts,
      error: scrub(`The webhook to ${safeUrl} was not delivered${tries}: ${reason}`),
      deliveryId
    }
    if (status !== undefined) delivery.status = status
    return delivery
  }
}

/** The URL to request (credentials removed) and the Authorization header the credentials become. */
function parseTarget(url: string): { url: string; authorization?: string } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new DeliveryAttemptError('the `webhook-url` input is not a valid URL; set it to an absolute http:// or https:// address', false)
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new DeliveryAttemptError(`the \`webhook-url\` input uses the scheme "${parsed.protocol}"; set it to an https:// (or http://) address`, false)
  }
  if (!parsed.username && !parsed.password) return { url: parsed.href }
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`
  parsed.username = ''
  parsed.password = ''
  return { url: parsed.href, authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` }
}

function requestHeaders(rawBody: string, deliveryId: string, authorization: string | undefined, secret: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    [WebhookHeaders.DeliveryId]: deliveryId
  }
  if (authorization) headers.Authorization = authorization
  if (secret) headers[WebhookHeaders.Signature] = signBody(rawBody, secret)
  return headers
}

/** One POST. Resolves with a 2xx status; throws a DeliveryAttemptError otherwise. */
async function postOnce(
  url: string,
  rawBody: string,
  headers: Record<string, string>,
  timeoutMs: number,
  safeUrl: string,
  scrub: (message: string) => string
): Promise<number> {
  // A client per attempt, disposed after it: a receiver that never answers must not keep a socket (and the job) open.
  const client = new HttpClient(WEBHOOK_USER_AGENT, [], {
    socketTimeout: timeoutMs,
    allowRedirects: false,
    allowRetries: false,
    keepAlive: false
  })
  try {
    let response: HttpClientResponse
    try {
      response = await client.post(url, rawBody, { ...headers })
    } catch (error) {
      throw transportFailure(error, timeoutMs, safeUrl)
    }
    const status = response.message.statusCode ?? 0
    const answer = await readAnswer(response, timeoutMs)
    if (status >= 200 && status < 300) return status
    throw httpFailure(status, response.message.headers['retry-after'], scrub(answer))
  } finally {
    client.dispose()
  }
}

/** The start of the receiver's answer, or '' when it does not arrive in time (the status is what matters). */
async function readAnswer(response: HttpClientResponse, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined
  const giveUp = new Promise<string>(resolve => {
    timer = setTimeout(() => {
      response.message.destroy()
      resolve('')
    }, timeoutMs)
  })
  try {
    return await Promise.race([response.readBody(), giveUp])
  } finally {
    clearTimeout(timer)
  }
}

function transportFailure(error: unknown, timeoutMs: number, safeUrl: string): DeliveryAttemptError {
  const message = error instanceof Error ? error.message : String(error)
  // @actions/http-client reports its socket timeout as a plain Error "Request timeout: <path and query>".
  if (message.startsWith('Request timeout')) {
    return new DeliveryAttemptError(`no answer within ${timeoutMs} ms; check that the receiver at ${safeUrl} answers quickly (queue slow work)`, true)
  }
  const code = (error as NodeJS.ErrnoException).code
  if (code && TEMPORARY_NETWORK_ERRORS.has(code)) {
    return new DeliveryAttemptError(`could not reach ${safeUrl} (${code}); check that the receiver is running and reachable from the runner`, true)
  }
  return new DeliveryAttemptError(`the request to ${safeUrl} failed (${code ?? message}); check the host name and its TLS certificate`, false)
}

function httpFailure(status: number, retryAfter: string | undefined, answer: string): DeliveryAttemptError {
  const quoted = quoteAnswer(answer)
  if (status === 429 || status >= 500) {
    const waitMs = status === 429 ? retryAfterMs(retryAfter) : undefined
    return new DeliveryAttemptError(`the receiver answered HTTP ${status}${quoted}`, true, status, waitMs)
  }
  if (status >= 300 && status < 400) {
    return new DeliveryAttemptError(
      `the receiver answered HTTP ${status} (a redirect), which is not followed; set \`webhook-url\` to the final address`,
      false,
      status
    )
  }
  const fix =
    status === 401 || status === 403
      ? "check the credentials in `webhook-url` and that `webhook-secret` matches the receiver's"
      : 'check `webhook-url` and what the receiver expects'
  return new DeliveryAttemptError(`the receiver answered HTTP ${status}${quoted}; not retried (it rejected the request): ${fix}`, false, status)
}

function quoteAnswer(answer: string): string {
  const oneLine = answer.replace(/\s+/g, ' ').trim()
  if (!oneLine) return ''
  const clipped = oneLine.length > MAX_QUOTED_ANSWER ? `${oneLine.slice(0, MAX_QUOTED_ANSWER)}…` : oneLine
  return ` (${JSON.stringify(clipped)})`
}

/** Retry-After in ms, capped; undefined lets withRetry back off. */
function retryAfterMs(header: string | undefined): number | undefined {
  const seconds = parseRetryAfterSeconds(header, Date.now())
  return seconds === undefined ? undefined : Math.min(MAX_RETRY_AFTER_MS, Math.round(seconds * 1000))
}

function classifyAttemptError(error: unknown): { retry: boolean; reason: string; waitMs?: number } {
  if (error instanceof DeliveryAttemptError) {
    const decision: { retry: boolean; reason: string; waitMs?: number } = { retry: error.retry, reason: error.message }
    if (error.waitMs !== undefined) decision.waitMs = error.waitMs
    return decision
  }
  return { retry: false, reason: 'unexpected error' }
}
