import type { AnnotationProperties } from '@actions/core'
import type { InputName, OutputName } from '../src/constants.js'
import type { ActionIO } from '../src/run/action-io.js'

/** Stands in for @actions/core: reads inputs from a map and records everything the action says and sets. */
export class RecordingIO implements ActionIO {
  readonly outputs: Partial<Record<OutputName, string>> = {}
  readonly state: Record<string, string> = {}
  readonly secrets: string[] = []
  readonly infos: string[] = []
  readonly warnings: { message: string; properties?: AnnotationProperties }[] = []
  readonly errors: { message: string; properties?: AnnotationProperties }[] = []
  /** Titles of the log groups opened, in order; `groupDepth` is how many are open now. */
  readonly groups: string[] = []
  groupDepth = 0
  summary = ''
  failed: string | undefined

  /** `savedState`: what a main step saved, for a post step to read (`getState`). */
  constructor(
    private readonly inputs: Partial<Record<InputName, string>>,
    private readonly savedState: Record<string, string> = {}
  ) {}

  getInput(name: InputName): string {
    return this.inputs[name] ?? ''
  }
  getState(name: string): string {
    return this.savedState[name] ?? ''
  }
  setOutput(name: OutputName, value: string): void {
    this.outputs[name] = value
  }
  setSecret(value: string): void {
    this.secrets.push(value)
  }
  saveState(name: string, value: string): void {
    this.state[name] = value
  }
  info(message: string): void {
    this.infos.push(message)
  }
  warning(message: string, properties?: AnnotationProperties): void {
    this.warnings.push({ message, properties })
  }
  error(message: string, properties?: AnnotationProperties): void {
    this.errors.push({ message, properties })
  }
  startGroup(title: string): void {
    this.groups.push(title)
    this.groupDepth++
  }
  endGroup(): void {
    this.groupDepth--
  }
  async appendSummary(markdown: string): Promise<void> {
    this.summary += markdown
  }
  setFailed(message: string): void {
    this.failed = message
  }

  /** Everything the action wrote where a person or a later step could read it. */
  everythingWritten(): string {
    return [
      JSON.stringify(this.outputs),
      JSON.stringify(this.state),
      this.infos.join('\n'),
      JSON.stringify(this.warnings),
      JSON.stringify(this.errors),
      this.summary,
      this.failed ?? ''
    ].join('\n')
  }
}

/** A virtual clock: sleeping advances it at once, so polling and Retry-After waits cost no real time. */
export class VirtualClock {
  private nowMs = Date.parse('2026-11-27T10:00:00Z')
  readonly sleeps: number[] = []
  now = (): number => this.nowMs
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms)
    this.nowMs += ms
  }
  advance(ms: number): void {
    this.nowMs += ms
  }
}
