import { nextPollDelayMs } from '../src/deploy/poll-schedule.js'

const schedule = (pollNumber: number, extra: { random?: number; retryAfterMs?: number; remainingMs?: number } = {}) =>
  nextPollDelayMs({
    pollNumber,
    initialMs: 2000,
    maxMs: 15_000,
    remainingMs: extra.remainingMs ?? 1_000_000,
    retryAfterMs: extra.retryAfterMs,
    random: () => extra.random ?? 0.5
  })

describe('nextPollDelayMs', () => {
  it('starts at the first interval and grows x1.5 up to the largest', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(n => schedule(n))).toEqual([2000, 3000, 4500, 6750, 10125, 15000, 15000, 15000])
  })

  it('jitters by at most 10 % and stays within the bounds', () => {
    expect(schedule(3, { random: 0 })).toBe(4050)
    expect(schedule(3, { random: 0.999999 })).toBe(4950)
    expect(schedule(1, { random: 0 })).toBe(2000)
    expect(schedule(10, { random: 0.999999 })).toBe(15000)
  })

  it('waits at least what Retry-After asks', () => {
    expect(schedule(1, { retryAfterMs: 30_000 })).toBe(30_000)
  })

  it('never waits past the deadline', () => {
    expect(schedule(5, { remainingMs: 700 })).toBe(700)
    expect(schedule(5, { retryAfterMs: 60_000, remainingMs: 1200 })).toBe(1200)
  })
})
