import { learnedPollDelayMs, learnTiming, nextLearnedPollAt, plainPollsUntil, type LearnedTiming } from '../src/deploy/learned-schedule.js'

const plain = { initialMs: 5000, maxMs: 30_000, floorMs: 200 }

/** Polls a job of `durationMs` with the learned schedule; when it is seen and how many requests it took. */
function replay(timing: LearnedTiming, durationMs: number): { seenAtMs: number; requests: number } {
  let elapsedMs = 0
  let requests = 0
  while (requests < 10_000) {
    elapsedMs += learnedPollDelayMs({ ...plain, timing, elapsedMs, remainingMs: Infinity })
    requests++
    if (elapsedMs >= durationMs) return { seenAtMs: elapsedMs, requests }
  }
  throw new Error('never seen')
}

describe('learnTiming', () => {
  it('needs three earlier durations, and keeps the 20 most recent', () => {
    expect(learnTiming([60_000, 61_000])).toBeUndefined()
    expect(learnTiming([60_000, 61_000, 59_000])).toEqual({ lowMs: 59_000, highMs: 61_000, samples: 3 })
    const drifted = [...Array(30).fill(10_000), ...Array(20).fill(100_000)]
    expect(learnTiming(drifted)).toEqual({ lowMs: 100_000, highMs: 100_000, samples: 20 })
  })

  it('ignores durations that are not positive numbers', () => {
    expect(learnTiming([Number.NaN, -1, 0, 5000, 6000, Infinity])).toBeUndefined()
    expect(learnTiming([Number.NaN, 5000, 6000, 7000])).toMatchObject({ lowMs: 5000, highMs: 7000 })
  })
})

describe('the learned schedule', () => {
  const timing: LearnedTiming = { lowMs: 120_000, highMs: 150_000, samples: 10 }

  it('waits quietly until the shortest typical duration', () => {
    expect(nextLearnedPollAt({ ...plain, timing, elapsedMs: 0 })).toBe(120_000)
    expect(learnedPollDelayMs({ ...plain, timing, elapsedMs: 0, remainingMs: 600_000 })).toBe(120_000)
  })

  it('polls densely across the typical range, within the plain schedule’s request budget', () => {
    const budget = plainPollsUntil(150_000, plain.initialMs, plain.maxMs)
    const grid = (150_000 - 120_000) / (budget - 1)
    expect(nextLearnedPollAt({ ...plain, timing, elapsedMs: 120_000 })).toBeCloseTo(120_000 + grid)
    for (const duration of [120_000, 127_000, 139_500, 150_000]) {
      const { seenAtMs, requests } = replay(timing, duration)
      expect(seenAtMs - duration).toBeLessThanOrEqual(grid + 1)
      expect(requests).toBeLessThanOrEqual(plainPollsUntil(duration, plain.initialMs, plain.maxMs) + 1)
    }
  })

  it('backs off after the longest duration seen, up to the plain cap', () => {
    const waits: number[] = []
    let elapsedMs = 150_000
    for (let i = 0; i < 12; i++) {
      const wait = learnedPollDelayMs({ ...plain, timing, elapsedMs, remainingMs: Infinity })
      waits.push(wait)
      elapsedMs += wait
    }
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1])
    expect(waits.at(-1)).toBe(30_000)
  })

  it('never waits less than the floor nor past the deadline', () => {
    const tight: LearnedTiming = { lowMs: 10_000, highMs: 10_050, samples: 5 }
    expect(learnedPollDelayMs({ ...plain, timing: tight, elapsedMs: 10_000, remainingMs: 60_000 })).toBeGreaterThanOrEqual(200)
    expect(learnedPollDelayMs({ ...plain, timing, elapsedMs: 0, remainingMs: 5000 })).toBe(5000)
  })

  it('detects a job that behaves as before far sooner than the plain backoff, with fewer requests', () => {
    let learnedLag = 0
    let plainLag = 0
    let learnedRequests = 0
    let plainRequests = 0
    for (let typical = 5000; typical <= 300_000; typical += 5000) {
      const history: LearnedTiming = { lowMs: typical * 0.9, highMs: typical * 1.1, samples: 10 }
      for (const duration of [typical * 0.92, typical, typical * 1.07]) {
        const learned = replay(history, duration)
        learnedLag += learned.seenAtMs - duration
        learnedRequests += learned.requests
        let at = 0
        let interval = plain.initialMs
        while (at < duration) {
          at += Math.min(plain.maxMs, interval)
          interval *= 1.5
          plainRequests++
        }
        plainLag += at - duration
      }
    }
    expect(learnedLag).toBeLessThan(plainLag / 4)
    expect(learnedRequests).toBeLessThanOrEqual(plainRequests)
  })
})
