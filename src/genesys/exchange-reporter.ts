/**
 * What the HTTP client says about its exchanges: GenesysApiError with everything an exchange knows, and log lines,
 * both with every credential the client has learnt (secret, Basic value, tokens, upload signatures) masked, whatever
 * a server echoed back.
 */
import { redactSecrets, redactSecretsInText } from '../redact-secrets.js'
import { parseRetryAfterSeconds } from '../retry-helper.js'
import { GenesysApiError, type GenesysApiErrorInit, type GenesysErrorBody } from './genesys-api-error.js'
import { genesysErrorBody } from './genesys-error-body.js'
import { snippet } from './lenient-answer.js'
import type { AttemptState } from './exchange-retry.js'
import type { Exchange, RawAnswer, TransportFailure } from './http-transport.js'

/** Where the client writes what it does. Lines never contain a token, a secret or an Authorization header. */
export interface HttpLog {
  /** Every exchange (method, endpoint, status, duration). */
  debug(message: string): void
  /** Retries and rate-limit waits. */
  info(message: string): void
}

/** Characters of an unexpected body quoted in an error. */

/** Builds errors and log lines for one client; remembers its credentials to keep them out of both. */
export class ExchangeReporter {
  /** Every line passes through redaction. */
  readonly log: HttpLog
  private readonly secrets = new Set<string>()

  constructor(
    log: HttpLog,
    private readonly now: () => number,
    private readonly onSecret?: (value: string) => void
  ) {
    this.log = {
      debug: message => log.debug(this.redact(message)),
      info: message => log.info(this.redact(message))
    }
  }

  /** Keeps `value` out of every message from now on, and tells the runner to mask it. */
  rememberSecret(value: string): void {
    // Very short values would blank out ordinary words; they are not worth hiding.
    if (value.length < 4 || this.secrets.has(value)) return
    this.secrets.add(value)
    this.onSecret?.(value)
  }

  /** Builds the error with everything the exchange knows; redacts whatever the server echoed. */
  failure(
    exchange: Exchange,
    state: AttemptState,
    answer: RawAnswer | undefined,
    init: Pick<GenesysApiErrorInit, 'kind'> & Partial<GenesysApiErrorInit>
  ): GenesysApiError {
    const status = answer?.status
    const temporary = init.kind === 'timeout' || init.kind === 'network' || (status !== undefined && status >= 500)
    return new GenesysApiError({
      method: exchange.method,
      endpoint: exchange.endpoint,
      status,
      correlationId: answer?.headers['inin-correlation-id'],
      retryAfterSeconds: answer ? parseRetryAfterSeconds(answer.headers['retry-after'], this.now()) : undefined,
      attempts: state.attempt,
      rateLimitWaits: state.rateLimitWaits,
      notRetriedBecause: temporary && !exchange.retryTransient ? `a ${exchange.method} that is not idempotent could apply twice if repeated` : undefined,
      ...init,
      body: init.body ? this.redactBody(init.body) : undefined
    })
  }

  /** An error status, with the Genesys error body when the answer was one, else the start of the answer. */
  httpError(answer: RawAnswer, exchange: Exchange, state: AttemptState, extra: Partial<GenesysApiErrorInit> = {}): GenesysApiError {
    const parsed = parseJson(answer.text)
    const body = parsed.ok ? genesysErrorBody(parsed.value) : undefined
    return this.failure(exchange, state, answer, { kind: 'http', body, bodySnippet: body ? undefined : this.snippet(answer.text), ...extra })
  }

  /** A timeout or a broken connection. */
  transportError(failure: TransportFailure, exchange: Exchange, state: AttemptState): GenesysApiError {
    if (failure.kind === 'timeout') return this.failure(exchange, state, undefined, { kind: 'timeout', timeoutMs: failure.timeoutMs })
    return this.failure(exchange, state, undefined, { kind: 'network', networkCode: failure.code, detail: this.redact(failure.message) })
  }

  /** The first characters of `text`, whitespace collapsed and credentials masked. */
  snippet(text: string): string {
    return snippet(this.redact(text).replace(/\s+/g, ' ').trim())
  }

  redact(text: string): string {
    return redactSecretsInText(text, [...this.secrets])
  }

  private redactBody(body: GenesysErrorBody): GenesysErrorBody {
    return redactSecrets(body, [...this.secrets])
  }
}

/** A parsed JSON text, or the fact that it did not parse. */
export type JsonParse = { ok: true; value: unknown } | { ok: false }

export function parseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

/** Adapts the client's `log` option: a plain function receives the `info` lines only. */
export function toHttpLog(log: HttpLog | ((message: string) => void) | undefined): HttpLog {
  if (typeof log === 'function') return { debug: () => {}, info: log }
  return log ?? { debug: () => {}, info: () => {} }
}
