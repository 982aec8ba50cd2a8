/**
 * The run's one rate budget for the Platform API: every request of the run, from whichever concurrent worker, takes a
 * slot here before it is sent. Genesys Cloud allows an OAuth client 300 requests a minute; the budget keeps the sends
 * of any 60 s window at that many or fewer (a sliding window: exact where a token bucket only approximates it), and
 * holds every request back while a 429's `Retry-After` runs (a shared "not before" time), not only the one that met
 * the 429. Slots are handed out in order, each computed once, so the budget never spins; clock and sleep are injected
 * so tests run instantly.
 */
import type { Sleep } from '../retry-helper.js'

/** Requests an OAuth client may send to the Platform API per minute (Genesys Cloud's documented limit). */
export const PLATFORM_REQUESTS_PER_MINUTE = 300

/** Random spread added to the end of a shared pause, so that the workers it held back do not all return in one instant. */
export const PAUSE_JITTER_MS = 1_000

export interface RequestBudgetOptions {
  /** Sends allowed in any window. Default PLATFORM_REQUESTS_PER_MINUTE. */
  limit?: number
  /** The window, in ms. Default 60000. */
  windowMs?: number
  now: () => number
  sleep: Sleep
  /** Returns [0, 1); spreads the end of a shared pause. */
  random: () => number
  /** Receives one line when a pause starts, and one when the window first holds a request back. */
  log?: (message: string) => void
}

/** Thrown when a request would have to wait for the budget past the caller's deadline (after waiting up to it). */
export class RateBudgetExhausted extends Error {
  constructor(
    /** How much longer than the deadline allowed the request would have had to wait, in ms. */
    readonly overrunMs: number,
    /** Why it waited: the per-minute window was full, or a 429 paused every request. */
    readonly reason: 'window' | 'pause'
  ) {
    super(
      `the run's rate budget would hold the request ${overrunMs} ms past the deadline (${reason === 'pause' ? 'a 429 paused every request' : 'the per-minute budget is spent'})`
    )
    this.name = 'RateBudgetExhausted'
  }
}

/** A pause a request has already waited out itself (the one that met the 429, in its own retry wait). */
export type PauseId = number

/** One budget shared by every request of a run. */
export class RequestBudget {
  readonly limit: number
  readonly windowMs: number
  /** Send times handed out (past sends and reserved future ones), in order; older than one window are dropped. */
  private readonly slots: number[] = []
  /** No request goes before this time (a 429's Retry-After). */
  private notBefore = 0
  /** Counts pauses, so that a request can tell whether a new one began while it waited. */
  private pauses = 0
  private windowFullLogged = false

  constructor(private readonly options: RequestBudgetOptions) {
    this.limit = Math.max(1, options.limit ?? PLATFORM_REQUESTS_PER_MINUTE)
    this.windowMs = options.windowMs ?? 60_000
  }

  /** The latest pause, for a request to say later that it waited it out already (see acquire). */
  get currentPause(): PauseId {
    return this.pauses
  }

  /**
   * Waits for the request's slot: after any pause (unless `servedPause` says the caller waited this one out itself)
   * and when the window has room. A slot at or past `deadline` is given back, the wait made only up to the deadline,
   * and RateBudgetExhausted thrown: the caller's deadline bounds every wait.
   */
  async acquire(deadline?: number, servedPause?: PauseId): Promise<void> {
    let served = servedPause
    for (;;) {
      const now = this.options.now()
      const pause = this.pauses
      const { at, reason } = this.reserve(now, served === pause)
      if (deadline !== undefined && at >= deadline) {
        this.release(at)
        if (deadline > now) await this.options.sleep(deadline - now)
        throw new RateBudgetExhausted(at - Math.max(now, deadline), reason)
      }
      if (at > now) await this.options.sleep(at - now)
      if (this.pauses === pause) return
      // A 429 paused every request while this one waited: give its slot back and queue again behind the pause.
      this.release(at)
      served = undefined
    }
  }

  /** Holds every request back until `untilMs` (a 429's Retry-After), unless a pause that long already runs. */
  pauseUntil(untilMs: number): void {
    if (untilMs <= this.notBefore) return
    this.notBefore = untilMs
    this.pauses++
    this.options.log?.(`Rate limited: every request of this run waits ${Math.max(0, untilMs - this.options.now())} ms (Retry-After)`)
  }

  /** Sends handed out in the window that ends now (reserved future ones included). */
  sentInWindow(): number {
    const now = this.options.now()
    return this.slots.filter(at => at > now - this.windowMs && at <= now).length
  }

  /**
   * The earliest time, no earlier than any slot handed out before, at which one more send keeps every window within
   * the limit; taken at once so that concurrent callers never get the same room.
   */
  private reserve(now: number, pauseServed: boolean): { at: number; reason: 'window' | 'pause' } {
    this.forgetOlderThan(now - this.windowMs)
    const paused = !pauseServed && this.notBefore > now
    // Each worker held back by a pause comes back at its own moment shortly after it ends.
    const afterPause = paused ? Math.round(this.notBefore + PAUSE_JITTER_MS * this.options.random()) : now
    const windowRoom = this.slots.length >= this.limit ? this.slots[this.slots.length - this.limit] + this.windowMs : now
    const at = Math.max(now, afterPause, windowRoom, this.slots.at(-1) ?? now)
    this.slots.push(at)
    if (windowRoom > now && windowRoom >= afterPause && !this.windowFullLogged) {
      this.windowFullLogged = true
      this.options.log?.(
        `Rate budget: ${this.limit} requests in ${this.windowMs / 1000} s is the most Genesys Cloud allows an OAuth client; ` +
          `requests now wait for room (the next ${at - now} ms)`
      )
    }
    return { at, reason: paused && afterPause >= windowRoom ? 'pause' : 'window' }
  }

  private release(at: number): void {
    const index = this.slots.lastIndexOf(at)
    if (index !== -1) this.slots.splice(index, 1)
  }

  private forgetOlderThan(cutoff: number): void {
    let expired = 0
    while (expired < this.slots.length && this.slots[expired] <= cutoff) expired++
    if (expired > 0) this.slots.splice(0, expired)
  }
}
