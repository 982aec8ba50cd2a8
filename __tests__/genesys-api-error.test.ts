import { GenesysApiError, isRefusal, isWorthRetryingLater, type GenesysFailureKind } from '../src/genesys/genesys-api-error.js'

const failure = (kind: GenesysFailureKind, status?: number) => new GenesysApiError({ kind, method: 'GET', endpoint: '/api/v2/x', status })

describe('failure classification', () => {
  it('calls a 4xx a refusal, except a request timeout (408) and a rate limit (429)', () => {
    expect([400, 403, 404, 409, 422].map(status => isRefusal(failure('http', status)))).toEqual([true, true, true, true, true])
    expect([408, 429, 500, 503].map(status => isRefusal(failure('http', status)))).toEqual([false, false, false, false])
    expect(isRefusal(failure('timeout'))).toBe(false)
    expect(isRefusal(new Error('bug'))).toBe(false)
  })

  it('asks again later after faults and unreadable answers, never after refusals, refused credentials or bugs', () => {
    for (const retried of [
      failure('timeout'),
      failure('network'),
      failure('invalid-response', 200),
      failure('http', 429),
      failure('http', 503),
      failure('http', 408)
    ]) {
      expect(isWorthRetryingLater(retried)).toBe(true)
    }
    for (const final of [failure('http', 404), failure('auth', 401), new Error('bug'), 'text']) {
      expect(isWorthRetryingLater(final)).toBe(false)
    }
  })
})

describe('guidance', () => {
  it('says a request was never sent when no time was left for it, and points at what used the time', () => {
    const none = new GenesysApiError({ kind: 'timeout', method: 'POST', endpoint: '/oauth/token', timeoutMs: 0 })
    expect(none.message).toMatch(/^POST \/oauth\/token was not sent: the time `timeout-seconds` allows had run out before it/)
    expect(none.message).toContain('raise `timeout-seconds`')
    expect(none.message).not.toContain('within 0 ms')
    expect(new GenesysApiError({ kind: 'timeout', method: 'GET', endpoint: '/x', timeoutMs: 5000 }).message).toContain('got no complete answer within 5000 ms')
  })

  it('says that an org without the bundle API deploys Archy files with api: architect', () => {
    const notFound = new GenesysApiError({ kind: 'http', method: 'POST', endpoint: '/api/v2/architect/bundles/core/validate', status: 404 })
    expect(notFound.message).toMatch(/The org has no bundle API/)
    expect(notFound.message).toMatch(/real Genesys Cloud orgs deploy Archy flow files with `api: architect`/)
    // Any other 404 is about an id or a region, not the API.
    expect(failure('http', 404).message).not.toMatch(/api: architect/)
  })
})
