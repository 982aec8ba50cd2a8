/**
 * A full garbage collection on demand, in a process not started with `--expose-gc`: run before a timed step so that
 * it starts from a heap holding only live data, and does not pay for the garbage of the step before it.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let gc: (() => void) | undefined

/** Collects all garbage now (the flag is set once, on the first call). */
export function collectGarbage(): void {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  gc()
}
