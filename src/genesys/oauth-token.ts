/**
 * The OAuth client-credentials token of the HTTP client: `POST {auth-url}/oauth/token` with Basic credentials and a
 * form body, cached until shortly before it expires, shared by concurrent requests, dropped when the API refuses it.
 */
import { z } from 'zod'
import { tokenErrorBody } from './genesys-error-body.js'
import { optionalCount } from './lenient-answer.js'
import { markIfUnreadable, type AttemptState } from './exchange-retry.js'
import { parseJson, type ExchangeReporter } from './exchange-reporter.js'
import { isSuccess, type Exchange, type RawAnswer } from './http-transport.js'

/** The token is renewed this long before it expires (at most; 10 % of its lifetime for short ones). */
const TOKEN_RENEWAL_MARGIN_MS = 60_000

/** Lifetime assumed when the token answer has no `expires_in`. */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 300

const TokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  expires_in: optionalCount
})

/** What the token needs of the client. */
export interface TokenExchanges {
  reporter: ExchangeReporter
  now: () => number
  /** Sends one exchange (no bearer token), throwing GenesysApiError when no answer came. */
  send(exchange: Exchange, state: AttemptState): Promise<RawAnswer>
  /** Runs an operation under the client's retry rules. */
  retry<T>(exchange: Exchange, operation: (state: AttemptState) => Promise<T>): Promise<T>
}

interface CachedToken {
  value: string
  /** When to fetch a new one (expiry minus a margin), ms since the epoch. */
  renewAt: number
}

interface IssuedToken {
  accessToken: string
  expiresInSeconds: number | undefined
}

/** One OAuth client's access token. */
export class OAuthToken {
  private readonly basicCredentials: string
  private token: CachedToken | undefined
  private pending: Promise<string> | undefined

  constructor(
    private readonly endpoint: string,
    clientId: string,
    clientSecret: string,
    private readonly exchanges: TokenExchanges
  ) {
    this.basicCredentials = Buffer.from(`${clientId}:${clientSecret}`).toString('base64')
    exchanges.reporter.rememberSecret(clientSecret)
    exchanges.reporter.rememberSecret(this.basicCredentials)
  }

  /** The access token: cached until shortly before it expires; concurrent callers share one fetch. */
  async value(): Promise<string> {
    if (this.token && this.exchanges.now() < this.token.renewAt) return this.token.value
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined
    })
    return this.pending
  }

  /** Drops the cached token the API refused, unless a concurrent request already replaced it. */
  forget(refused: string): void {
    if (this.token?.value === refused) this.token = undefined
  }

  private async fetch(): Promise<string> {
    const exchange: Exchange = {
      method: 'POST',
      url: this.endpoint,
      endpoint: this.endpoint,
      headers: {
        authorization: `Basic ${this.basicCredentials}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json'
      },
      body: 'grant_type=client_credentials',
      // Asking for a token twice only issues two tokens: safe to repeat, even when an answer could not be read.
      retryTransient: true,
      readOnly: true,
      // The login service is not the Platform API: its requests are not counted against the API's rate budget.
      rateLimited: false
    }
    const { now, reporter } = this.exchanges
    const issuedAt = now()
    const token = await this.exchanges.retry(exchange, async state => this.interpret(await this.exchanges.send(exchange, state), exchange, state))
    reporter.rememberSecret(token.accessToken)
    const lifetimeMs = (token.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS) * 1000
    this.token = { value: token.accessToken, renewAt: issuedAt + lifetimeMs - Math.min(TOKEN_RENEWAL_MARGIN_MS, lifetimeMs * 0.1) }
    reporter.log.debug(`Fetched an access token from ${this.endpoint}; valid for ${lifetimeMs / 1000} s`)
    return token.accessToken
  }

  private interpret(answer: RawAnswer, exchange: Exchange, state: AttemptState): IssuedToken {
    const { reporter } = this.exchanges
    if ([400, 401, 403].includes(answer.status)) {
      const parsed = parseJson(answer.text)
      const body = parsed.ok ? tokenErrorBody(parsed.value) : undefined
      throw reporter.failure(exchange, state, answer, { kind: 'auth', body, bodySnippet: body ? undefined : reporter.snippet(answer.text) })
    }
    if (!isSuccess(answer.status)) throw reporter.httpError(answer, exchange, state)
    const parsed = parseJson(answer.text)
    const token = parsed.ok ? TokenAnswerSchema.safeParse(parsed.value) : undefined
    if (!token?.success) {
      // Never quote a token answer: it may hold the token in a shape this parser did not expect.
      const error = reporter.failure(exchange, state, answer, {
        kind: 'invalid-response',
        detail: parsed.ok ? `a token answer without \`access_token\` (keys: ${describeKeys(parsed.value)})` : 'a token answer that is not JSON'
      })
      // An answer cut short is asked for again; a whole answer without a token would come back the same.
      throw parsed.ok ? error : markIfUnreadable(error, answer)
    }
    return { accessToken: token.data.access_token, expiresInSeconds: token.data.expires_in }
  }
}

function describeKeys(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value
  const keys = Object.keys(value)
  return keys.length > 0 ? keys.join(', ') : 'none'
}
