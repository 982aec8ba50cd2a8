import { backoffDelayMs, parseRetryAfterSeconds, withRetry, type RetryDecision } from '../src/retry-helper.js'

const temporary: RetryDecision = { retry: true, reason: 'HTTP 503' }

function failing(times: number, value = 'ok') {
  let calls = 0
  return {
    calls: () => calls,
    operation: async () => {
      calls++
      if (calls <= times) throw new Error(`failure ${calls}`)
      return value
    }
  }
}

describe('withRetry', () => {
  it('retries temporary failures with growing, jittered backoff and logs each attempt', async () => {
    const sleeps: number[] = []
    const logs: string[] = []
    const target = failing(2)
    const result = await withRetry(target.operation, {
      maxAttempts: 5,
      baseDelayMs: 1000,
      maxDelayMs: 10_000,
      classify: () => temporary,
      sleep: async ms => void sleeps.push(ms),
      random: () => 0.5,
      log: message => logs.push(message),
      label: 'GET /x'
    })
    expect(result).toBe('ok')
    expect(sleeps).toEqual([750, 1500])
    expect(logs[0]).toBe('GET /x: attempt 1 of 5 failed (HTTP 503); retrying in 750 ms')
  })

  it('never retries a permanent failure, and gives up after the last attempt', async () => {
    const permanent = failing(5)
    await expect(
      withRetry(permanent.operation, {
        maxAttempts: 5,
        baseDelayMs: 1,
        maxDelayMs: 1,
        classify: () => ({ retry: false, reason: '400' }),
        sleep: async () => undefined
      })
    ).rejects.toThrow('failure 1')
    expect(permanent.calls()).toBe(1)
    const stubborn = failing(10)
    await expect(
      withRetry(stubborn.operation, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, classify: () => temporary, sleep: async () => undefined })
    ).rejects.toThrow('failure 3')
    expect(stubborn.calls()).toBe(3)
  })

  it('waits what the failure asks (Retry-After) instead of the backoff', async () => {
    const sleeps: number[] = []
    await withRetry(failing(1).operation, {
      maxAttempts: 2,
      baseDelayMs: 1,
      maxDelayMs: 1,
      classify: () => ({ ...temporary, waitMs: 4000 }),
      sleep: async ms => void sleeps.push(ms)
    })
    expect(sleeps).toEqual([4000])
  })

  it('does not wait past the caller deadline: it throws the last failure instead', async () => {
    let clock = 0
    const sleeps: number[] = []
    const target = failing(10)
    await expect(
      withRetry(target.operation, {
        maxAttempts: 10,
        baseDelayMs: 1000,
        maxDelayMs: 1000,
        classify: () => temporary,
        sleep: async ms => {
          sleeps.push(ms)
          clock += ms
        },
        random: () => 1,
        now: () => clock,
        deadline: () => 2500
      })
    ).rejects.toThrow('failure 3')
    expect(sleeps).toEqual([1000, 1000])
    expect(clock).toBeLessThan(2500)
  })
})

describe('backoffDelayMs', () => {
  it('doubles up to the cap and keeps at least half of it', () => {
    expect([1, 2, 3, 4, 5].map(n => backoffDelayMs(n, 1000, 5000, () => 0))).toEqual([500, 1000, 2000, 2500, 2500])
    expect(backoffDelayMs(3, 1000, 5000, () => 0.999)).toBe(3998)
  })
})

describe('parseRetryAfterSeconds', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2030-01-01T00:00:00Z')
    expect(parseRetryAfterSeconds('12', now)).toBe(12)
    expect(parseRetryAfterSeconds(7, now)).toBe(7)
    expect(parseRetryAfterSeconds('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30)
    expect(parseRetryAfterSeconds('soon', now)).toBeUndefined()
    expect(parseRetryAfterSeconds(undefined, now)).toBeUndefined()
  })
})
