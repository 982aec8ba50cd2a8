/**
 * A small seeded random source for property tests: the same seed gives the same cases, so a failure names a seed
 * that reproduces it.
 */

/** Random choices drawn from one seed (mulberry32). */
export class SeededRandom {
  private state: number

  constructor(readonly seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [0, below). */
  int(below: number): number {
    return Math.floor(this.next() * below)
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** One of the items. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  /** A string of 0 to `maxLength` characters drawn from `alphabet`. */
  text(alphabet: readonly string[], maxLength: number): string {
    let text = ''
    for (let length = this.int(maxLength + 1); length > 0; length--) text += this.pick(alphabet)
    return text
  }
}
