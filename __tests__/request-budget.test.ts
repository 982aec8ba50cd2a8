/**
 * The run's rate budget with concurrent workers on an event clock (sleeps overlap as in real time): no window ever
 * holds more sends than the limit, a 429's pause holds back every worker, and the deadline bounds every wait.
 */
import { describe, expect, it } from '@jest/globals'
import { EventClock } from '../__fixtures__/event-clock.js'
import { PAUSE_JITTER_MS, RateBudgetExhausted, RequestBudget } from '../src/genesys/request-budget.js'

const MINUTE = 60_000

function budget(clock: EventClock, extra: { limit?: number; windowMs?: number; random?: number } = {}) {
  const logs: string[] = []
  const shared = new RequestBudget({
    limit: extra.limit,
    windowMs: extra.windowMs,
    now: clock.now,
    sleep: clock.sleep,
    random: () => extra.random ?? 0,
    log: line => logs.push(line)
  })
  return { shared, logs }
}

/** Most sends in any window of `windowMs` ending at a send. */
function busiestWindow(sentAt: number[], windowMs: number): number {
  const sorted = [...sentAt].sort((a, b) => a - b)
  return Math.max(...sorted.map((end, index) => sorted.slice(0, index + 1).filter(at => at > end - windowMs).length))
}

describe('RequestBudget', () => {
  it('keeps 8 concurrent workers at 300 sends in any minute, and no slower than that', async () => {
    const clock = new EventClock()
    const start = clock.now()
    const { shared, logs } = budget(clock)
    const sentAt: number[] = []
    const worker = async (): Promise<void> => {
      for (let i = 0; i < 100; i++) {
        await shared.acquire()
        sentAt.push(clock.now())
        // Some work between requests, different for each, as a real worker has.
        await clock.sleep(37 * (i % 5))
      }
    }
    await clock.run(Promise.all(Array.from({ length: 8 }, worker)))

    expect(sentAt).toHaveLength(800)
    expect(busiestWindow(sentAt, MINUTE)).toBe(300)
    // 800 sends need three windows: nothing waits longer than the limit makes it.
    expect(Math.max(...sentAt) - start).toBeLessThan(2 * MINUTE + 5_000)
    expect(Math.max(...sentAt) - start).toBeGreaterThanOrEqual(2 * MINUTE)
    expect(logs.filter(line => line.includes('300 requests in 60 s is the most'))).toHaveLength(1)
  })

  it('holds every worker back while a 429 pause runs, each coming back at its own moment', async () => {
    const clock = new EventClock()
    const start = clock.now()
    const { shared, logs } = budget(clock, { random: 0.5 })
    const sentAt: Record<string, number> = {}
    const send = async (name: string, delayMs: number): Promise<void> => {
      await clock.sleep(delayMs)
      await shared.acquire()
      sentAt[name] = clock.now() - start
    }
    await clock.run(
      Promise.all([
        send('before', 0),
        (async () => {
          await clock.sleep(100)
          shared.pauseUntil(clock.now() + 5_000)
        })(),
        send('during-a', 200),
        send('during-b', 3_000),
        send('after', 9_000)
      ])
    )
    expect(sentAt.before).toBe(0)
    // Paused until 5100, plus half the jitter; the second waiter is queued right behind the first.
    expect(sentAt['during-a']).toBe(5_100 + PAUSE_JITTER_MS / 2)
    expect(sentAt['during-b']).toBe(5_100 + PAUSE_JITTER_MS / 2)
    expect(sentAt.after).toBe(9_000)
    expect(logs).toContainEqual(expect.stringMatching(/^Rate limited: every request of this run waits 5000 ms/))
  })

  it('lets the request that met the 429 go without holding it twice (it waited in its own retry), and holds the others', async () => {
    const clock = new EventClock()
    const start = clock.now()
    const { shared } = budget(clock)
    shared.pauseUntil(start + 2_000)
    await clock.run(shared.acquire(undefined, shared.currentPause))
    expect(clock.now() - start).toBe(0)
    await clock.run(shared.acquire())
    expect(clock.now() - start).toBe(2_000)
  })

  it('queues a waiting request again behind a pause that begins while it waits', async () => {
    const clock = new EventClock()
    const start = clock.now()
    const { shared } = budget(clock)
    shared.pauseUntil(start + 2_000)
    let sentAt = 0
    await clock.run(
      Promise.all([
        (async () => {
          await shared.acquire()
          sentAt = clock.now() - start
        })(),
        (async () => {
          await clock.sleep(1_000)
          shared.pauseUntil(clock.now() + 4_000)
        })()
      ])
    )
    expect(sentAt).toBe(5_000)
  })

  it('waits no longer than the deadline, then says so, and gives the slot back', async () => {
    const clock = new EventClock()
    const start = clock.now()
    const { shared } = budget(clock, { limit: 2, windowMs: 10_000 })
    await shared.acquire()
    await shared.acquire()
    const late = clock.run(shared.acquire(start + 4_000)).catch((error: unknown) => error)
    const error = await late
    expect(error).toBeInstanceOf(RateBudgetExhausted)
    expect(error).toMatchObject({ reason: 'window', overrunMs: 6_000 })
    expect(clock.now() - start).toBe(4_000)
    // The slot it would have had is free: the next caller gets it at 10 s, not after it.
    await clock.run(shared.acquire())
    expect(clock.now() - start).toBe(10_000)
    expect(shared.sentInWindow()).toBe(1)
  })
})
