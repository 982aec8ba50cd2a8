/**
 * The Python reference of the diff benchmark (reference_diff.py) as a child process that stays up for the whole
 * measurement, so that each of its runs can be interleaved with one of the action's diff: both then share whatever
 * else the machine is doing at the time. It reads the case's JSON once, before the first timed run.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Diff } from '../src/assess/diff.js'

/** The script, next to this file. */
export const REFERENCE_DIFF_SCRIPT = fileURLToPath(new URL('reference_diff.py', import.meta.url))

/** What the Python diff found, for the check that it did the same work as computeDiff. */
export interface PythonDiffResult {
  added: string[]
  removed: string[]
  modified: string[]
  risk: string
}

/** A running reference_diff.py. */
export interface PythonReference {
  /** Python's version (`3.11.7`). */
  version: string
  /** Runs the diff and impact once; resolves to the wall time Python measured around them, in ms. */
  time(): Promise<number>
  /** The paths of the last run. */
  paths(): Promise<PythonDiffResult>
  /** Ends the process. */
  close(): Promise<void>
}

/**
 * Starts `python3 bench/reference_diff.py caseFile` and waits until it has read the case. Rejects with an
 * instruction when Python is missing or the script fails.
 */
export async function startPythonReference(caseFile: string, python = 'python3'): Promise<PythonReference> {
  const child = spawn(python, [REFERENCE_DIFF_SCRIPT, caseFile], { stdio: ['pipe', 'pipe', 'pipe'] })
  const lines = lineReader(child, python)
  const first = await lines.next()
  const ready = /^ready (\S+)$/.exec(first)
  if (!ready) throw new Error(`${python} ${REFERENCE_DIFF_SCRIPT} printed ${JSON.stringify(first)} instead of "ready" and its version.`)
  const ask = async (command: string): Promise<string> => {
    child.stdin.write(`${command}\n`)
    const answer = await lines.next()
    if (answer.startsWith('error')) throw new Error(`reference_diff.py: ${answer}`)
    return answer
  }
  return {
    version: ready[1],
    async time() {
      const ms = Number(await ask('time'))
      if (!Number.isFinite(ms)) throw new Error('reference_diff.py answered `time` with something that is not a number of ms.')
      return ms
    },
    async paths() {
      return JSON.parse(await ask('paths')) as PythonDiffResult
    },
    async close() {
      child.stdin.end()
      if (child.exitCode === null) await new Promise(resolve => child.once('close', resolve))
    }
  }
}

/**
 * The first path on which the Python reference and computeDiff disagree, in words; undefined when their added,
 * removed and modified paths are the same sets.
 */
export function pathDisagreement(python: PythonDiffResult, diff: Diff): string | undefined {
  for (const kind of ['added', 'removed', 'modified'] as const) {
    const ours = new Set(diff[kind])
    const theirs = new Set(python[kind])
    const onlyOurs = [...ours].find(path => !theirs.has(path))
    if (onlyOurs !== undefined) return `${kind} ${JSON.stringify(onlyOurs)} is in computeDiff's result but not in Python's`
    const onlyTheirs = [...theirs].find(path => !ours.has(path))
    if (onlyTheirs !== undefined) return `${kind} ${JSON.stringify(onlyTheirs)} is in Python's result but not in computeDiff's`
  }
  return undefined
}

/** The child's stdout line by line; a line awaited after the process ended rejects with its stderr. */
function lineReader(child: ChildProcessWithoutNullStreams, python: string): { next(): Promise<string> } {
  const queued: string[] = []
  const waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = []
  let stderr = ''
  let failure: Error | undefined
  const fail = (error: Error): void => {
    failure ??= error
    for (const waiter of waiting.splice(0)) waiter.reject(failure)
  }
  child.stderr.on('data', chunk => (stderr += chunk))
  child.on('error', error => fail(new Error(`Could not start ${python} (${error.message}): install Python 3 or put python3 on PATH.`)))
  child.on('close', code => fail(new Error(`${python} reference_diff.py ended (exit code ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`)))
  createInterface({ input: child.stdout }).on('line', line => {
    const waiter = waiting.shift()
    if (waiter) waiter.resolve(line)
    else queued.push(line)
  })
  return {
    next() {
      const line = queued.shift()
      if (line !== undefined) return Promise.resolve(line)
      if (failure) return Promise.reject(failure)
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }))
    }
  }
}
