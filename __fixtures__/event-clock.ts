/**
 * A virtual clock for concurrent code without I/O: `sleep(ms)` resolves only when `run()` moves the clock to its wake
 * time, and the clock moves only once every worker is asleep, to the earliest wake time. Unlike VirtualClock (where
 * each sleep adds to one shared time, right for one worker), concurrent sleeps overlap here as they do in real time.
 * Not for code that waits on the network: time would move while a request is in flight.
 */
export class EventClock {
  private nowMs: number
  private sequence = 0
  private readonly timers: { at: number; sequence: number; wake: () => void }[] = []
  /** Every sleep asked for, in ms, in the order asked. */
  readonly sleeps: number[] = []

  constructor(startMs = Date.parse('2026-11-27T10:00:00Z')) {
    this.nowMs = startMs
  }

  now = (): number => this.nowMs

  sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms)
    return new Promise(resolve => {
      this.timers.push({ at: this.nowMs + Math.max(0, ms), sequence: this.sequence++, wake: resolve })
    })
  }

  /** Runs `work` to its end, moving the clock each time every worker waits on it. */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false
    const watched = work.finally(() => {
      settled = true
    })
    watched.catch(() => undefined)
    for (;;) {
      // Every promise reaction queued so far runs before an immediate: the workers are all waiting after this.
      await new Promise(resolve => setImmediate(resolve))
      if (settled) return work
      if (this.timers.length === 0) throw new Error('EventClock: the work waits on something other than the clock')
      this.timers.sort((a, b) => a.at - b.at || a.sequence - b.sequence)
      const next = this.timers.shift()!
      this.nowMs = Math.max(this.nowMs, next.at)
      next.wake()
    }
  }
}
