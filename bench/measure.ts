/** Bounded timing loops around `performance.now()`. */
import { performance } from 'node:perf_hooks'

/** How many times to run a step, and when to stop early. */
export interface MeasureOptions<T> {
  /** Runs before measuring, discarded: they load modules, fill caches and let the JIT settle. */
  warmupRuns: number
  /** Most measured runs. */
  runs: number
  /** Fewest measured runs, kept even when the budget is spent. Default 3. */
  minRuns?: number
  /** Stop starting new runs after this long (ms, measured runs only) once `minRuns` are done. */
  budgetMs: number
  /** Untimed set-up before each run (a fresh workspace); its value is passed to the step. */
  prepare?: (index: number) => Promise<T>
}

/**
 * Times `step` after its warm-up runs and returns one sample (ms) per measured run. The loop is bounded by both a
 * run count and a time budget, so a slow machine yields fewer samples instead of a bench that never ends.
 */
export async function measureRuns<T = undefined>(step: (prepared: T) => Promise<unknown>, options: MeasureOptions<T>): Promise<number[]> {
  const prepare = options.prepare ?? (async () => undefined as T)
  for (let index = 0; index < options.warmupRuns; index++) await step(await prepare(index))
  const minRuns = Math.min(options.minRuns ?? 3, options.runs)
  const samples: number[] = []
  const started = performance.now()
  for (let run = 0; run < options.runs; run++) {
    if (run >= minRuns && performance.now() - started > options.budgetMs) break
    const prepared = await prepare(options.warmupRuns + run)
    const begin = performance.now()
    await step(prepared)
    samples.push(performance.now() - begin)
  }
  return samples
}
