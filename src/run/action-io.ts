import type { AnnotationProperties } from '@actions/core'
import type { InputName, OutputName } from '../constants.js'
import type { Sleep } from '../retry-helper.js'
import type { CancellationHooks } from './cancellation.js'

/**
 * The runner-facing side effects, in one place so the run can be driven by a recording stand-in. main.ts maps them
 * onto @actions/core; nothing else touches the runner.
 */
export interface ActionIO {
  getInput(name: InputName): string
  /** A value the main step saved (`saveState`), read by the post step; empty when not set. */
  getState(name: string): string
  setOutput(name: OutputName, value: string): void
  setSecret(value: string): void
  saveState(name: string, value: string): void
  /** A log line. The caller's text may hold data: it is escaped (see log-line.ts) before it reaches the log. */
  info(message: string): void
  warning(message: string, properties?: AnnotationProperties): void
  error(message: string, properties?: AnnotationProperties): void
  /** Folds the log lines that follow under a title, until endGroup. */
  startGroup(title: string): void
  endGroup(): void
  appendSummary(markdown: string): Promise<void>
  setFailed(message: string): void
}

/** What a run needs from the world; tests replace the clock and sleep. */
export interface RunDependencies {
  io: ActionIO
  env: NodeJS.ProcessEnv
  now: () => number
  sleep: Sleep
  random: () => number
  /** Signals that cancel the main step, and how it exits; the process's own under the runner, none by default in tests. */
  cancellation?: CancellationHooks
}

/** The IOs with a log group open (GitHub's groups do not nest: a phase closes the one before). */
const openGroups = new WeakSet<ActionIO>()

/**
 * Starts the log group of a phase of the run (settings, bundle, platform validation, deploy, rollback, records),
 * closing the phase before: a newcomer finds each phase folded under its name.
 */
export function enterPhase(io: ActionIO, title: string): void {
  if (openGroups.has(io)) io.endGroup()
  io.startGroup(title)
  openGroups.add(io)
}

/** Closes the open phase's log group, if any. */
function endPhase(io: ActionIO): void {
  if (!openGroups.has(io)) return
  io.endGroup()
  openGroups.delete(io)
}

/** Runs `work` inside a log group titled `title`; the group is closed whatever happens. */
export async function inGroup<T>(io: ActionIO, title: string, work: () => Promise<T>): Promise<T> {
  enterPhase(io, title)
  try {
    return await work()
  } finally {
    endPhase(io)
  }
}
