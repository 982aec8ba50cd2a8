/**
 * Runs the built action the way the GitHub runner does, from its metadata: `action.yml` is read for the input
 * defaults and for `runs` (`using`, `main`, and `post` / `post-if`), inputs become `INPUT_*` variables, the
 * `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` / `GITHUB_STATE` files exist, the event payload is in `GITHUB_EVENT_PATH`,
 * and the post step gets the main step's saved state as `STATE_*` variables. A run can be cancelled as the runner
 * cancels a step: SIGINT, then SIGTERM about 7.5 s later, then a kill. Used by the end-to-end tests and the demo.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..')

/** The action's metadata file, as the runner reads it. */
export const ACTION_YML = join(ROOT, 'action.yml')

/** What the runner takes from action.yml. */
export interface ActionMetadata {
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>
  outputs: Record<string, { description?: string }>
  runs: { using: string; main: string; post?: string; 'post-if'?: string }
}

/** Reads action.yml (strict YAML 1.2, as the runner's parser; a broken file throws). */
export function readActionMetadata(path = ACTION_YML): ActionMetadata {
  const metadata = parse(readFileSync(path, 'utf8'), { strict: true, uniqueKeys: true, prettyErrors: true }) as ActionMetadata
  if (!metadata?.runs?.main) throw new Error(`${path} has no runs.main`)
  return metadata
}

/** Path of the committed action bundle (runs.main). */
export const DIST_ENTRY = join(ROOT, readActionMetadata().runs.main)

export interface ActionRun {
  /** Inputs by their action.yml names (`client-id`); unset ones get action.yml's defaults, as on the runner. */
  inputs: Record<string, string>
  /** Folder the action runs in (GITHUB_WORKSPACE). */
  workspace: string
  eventName?: string
  /** Event payload written to GITHUB_EVENT_PATH. */
  event?: unknown
  /** Extra environment (GITHUB_API_URL, GITHUB_SHA, ...). */
  env?: Record<string, string>
  /** The job's token: what `${{ github.token }}` evaluates to in a default. */
  githubToken?: string
  /** Command that runs node; defaults to this process's node. */
  node?: string[]
  /** Kill the run after this long (ms), per step. */
  timeoutMs?: number
  /** Keep RUNNER_TEMP (where the report file is) after the run; by default it is removed. */
  keepRunnerTemp?: boolean
  /** Run the post step when action.yml declares one (default true, as the runner does). */
  runPost?: boolean
  /** Cancel the main step as the runner does: when `when` sees the output so far (or after `afterMs`). */
  cancel?: { afterMs?: number; when?: (stdout: string) => boolean; sigtermAfterMs?: number; killAfterMs?: number }
}

/** What one step (main or post) left behind. */
export interface StepResult {
  exitCode: number | null
  /** The signal that ended the process, when one did. */
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  state: Record<string, string>
  /** `::error ...::` and `::warning ...::` commands the step printed. */
  annotations: string[]
}

export interface ActionRunResult extends StepResult {
  /** The post step, when action.yml has one and its `post-if` held. */
  post?: StepResult
  /** The main step was cancelled (signals sent). */
  cancelled: boolean
}

/** Runs the action once (main step, then post step) and collects everything a later step could see. */
export async function runAction(run: ActionRun): Promise<ActionRunResult> {
  const metadata = readActionMetadata()
  const files = await mkdtemp(join(tmpdir(), 'gbd-run-'))
  const eventPath = join(files, 'event.json')
  await writeFile(eventPath, JSON.stringify(run.event ?? {}))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: run.workspace,
    GITHUB_EVENT_NAME: run.eventName ?? 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'acme/contact-center',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_ACTOR: 'octocat',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    RUNNER_TEMP: files,
    ...run.env
  }
  for (const [name, value] of Object.entries(inputsWithDefaults(metadata, run))) env[inputVariable(name)] = value

  let cancelled = false
  const main = await runStep(metadata.runs.main, join(files, 'main'), env, run, () => (cancelled = true))
  let post: StepResult | undefined
  if (metadata.runs.post && run.runPost !== false && postCondition(metadata.runs['post-if'] ?? 'always()', main, cancelled)) {
    const stateEnv = Object.fromEntries(Object.entries(main.state).map(([name, value]) => [`STATE_${name}`, value]))
    post = await runStep(metadata.runs.post, join(files, 'post'), { ...env, ...stateEnv }, { ...run, cancel: undefined }, () => {})
  }
  // The report file (output `report`) lives in RUNNER_TEMP: keep the folder when a caller wants to read it.
  if (!run.keepRunnerTemp) await rm(files, { recursive: true, force: true })
  return { ...main, cancelled, ...(post ? { post } : {}) }
}

/** The inputs the step sees: the workflow's, then action.yml's defaults (`${{ github.token }}` evaluated). */
export function inputsWithDefaults(metadata: ActionMetadata, run: Pick<ActionRun, 'inputs' | 'githubToken'>): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [name, input] of Object.entries(metadata.inputs ?? {})) {
    if (input.default === undefined) continue
    values[name] = String(input.default).replace(/\$\{\{\s*github\.token\s*\}\}/g, run.githubToken ?? '')
  }
  return { ...values, ...run.inputs }
}

/** `INPUT_<NAME>`: upper case, spaces as `_`, hyphens kept (as @actions/core reads them). */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/** The runner's status functions, for the `post-if` expressions actions use. */
function postCondition(expression: string, main: StepResult, cancelled: boolean): boolean {
  const condition = expression.replace(/^\$\{\{\s*|\s*\}\}$/g, '').trim()
  switch (condition) {
    case 'always()':
      return true
    case 'success()':
      return !cancelled && main.exitCode === 0
    case 'failure()':
      return !cancelled && main.exitCode !== 0
    case 'cancelled()':
      return cancelled
    default:
      throw new Error(`post-if ${JSON.stringify(expression)} is not an expression this runner emulation evaluates`)
  }
}

async function runStep(entry: string, prefix: string, baseEnv: Record<string, string>, run: ActionRun, onCancel: () => void): Promise<StepResult> {
  const paths = { output: `${prefix}-output`, summary: `${prefix}-summary`, state: `${prefix}-state` }
  await Promise.all(Object.values(paths).map(path => writeFile(path, '')))
  const env = { ...baseEnv, GITHUB_OUTPUT: paths.output, GITHUB_STEP_SUMMARY: paths.summary, GITHUB_STATE: paths.state }
  const [command, ...args] = run.node ?? [process.execPath]
  const child = spawn(command, [...args, join(ROOT, entry)], { cwd: run.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  const timers: NodeJS.Timeout[] = []
  let cancelling = false
  const cancel = (): void => {
    if (cancelling) return
    cancelling = true
    onCancel()
    child.kill('SIGINT')
    timers.push(setTimeout(() => child.kill('SIGTERM'), run.cancel?.sigtermAfterMs ?? 7500))
    timers.push(setTimeout(() => child.kill('SIGKILL'), run.cancel?.killAfterMs ?? 10_000))
  }
  child.stdout.on('data', chunk => {
    stdout += chunk
    if (run.cancel?.when?.(stdout)) cancel()
  })
  child.stderr.on('data', chunk => (stderr += chunk))
  if (run.cancel?.afterMs !== undefined) timers.push(setTimeout(cancel, run.cancel.afterMs))
  timers.push(setTimeout(() => child.kill('SIGKILL'), run.timeoutMs ?? 120_000))
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done, fail) => {
    child.on('error', error => fail(new Error(`Could not start ${command}: ${error.message}`)))
    child.on('close', (exitCode, exitSignal) => done({ code: exitCode, signal: exitSignal }))
  }).finally(() => timers.forEach(clearTimeout))

  return {
    exitCode: code,
    signal,
    stdout,
    stderr,
    outputs: parseCommandFile(await readFile(paths.output, 'utf8')),
    summary: await readFile(paths.summary, 'utf8'),
    state: parseCommandFile(await readFile(paths.state, 'utf8')),
    annotations: stdout.split('\n').filter(line => /^::(error|warning)/.test(line))
  }
}

/** Parses the `name<<DELIMITER\nvalue\nDELIMITER` entries @actions/core writes to GITHUB_OUTPUT / GITHUB_STATE. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const end = lines.indexOf(delimiter, i + 1)
      if (end === -1) break
      values[name] = lines.slice(i + 1, end).join('\n')
      i = end
      continue
    }
    const simple = /^([^=]+)=(.*)$/.exec(lines[i])
    if (simple) values[simple[1]] = simple[2]
  }
  return values
}
