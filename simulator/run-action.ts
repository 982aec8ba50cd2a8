/**
 * Runs the built action (`dist/index.js`) the way the GitHub runner does: inputs as `INPUT_*` variables,
 * `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` / `GITHUB_STATE` files that exist, an event payload in
 * `GITHUB_EVENT_PATH`. Used by the end-to-end tests and the demo.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..')

/** Path of the committed action bundle. */
export const DIST_ENTRY = join(ROOT, 'dist', 'index.js')

export interface ActionRun {
  /** Inputs by their action.yml names (`client-id`); unset ones are left out, as the runner would default them. */
  inputs: Record<string, string>
  /** Folder the action runs in (GITHUB_WORKSPACE). */
  workspace: string
  eventName?: string
  /** Event payload written to GITHUB_EVENT_PATH. */
  event?: unknown
  /** Extra environment (GITHUB_API_URL, GITHUB_SHA, ...). */
  env?: Record<string, string>
  /** Command that runs node; defaults to this process's node. */
  node?: string[]
  /** Kill the run after this long (ms). */
  timeoutMs?: number
  /** Keep RUNNER_TEMP (where the report file is) after the run; by default it is removed. */
  keepRunnerTemp?: boolean
}

export interface ActionRunResult {
  exitCode: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  state: Record<string, string>
  /** `::error ...::` and `::warning ...::` commands the action printed. */
  annotations: string[]
}

/** The action.yml defaults: the runner passes them as INPUT_* when the workflow does not set an input. */
export const ACTION_DEFAULTS: Record<string, string> = {
  mode: 'auto',
  api: 'architecture-manager',
  region: 'mypurecloud.com',
  comment: 'true',
  'fail-on-risk': 'high',
  'risk-accepted-label': 'genesys-risk-accepted',
  'timeout-seconds': '600',
  'poll-interval-seconds': '2',
  'max-poll-interval-seconds': '15',
  'audit-log': 'genesys-deploy-audit.jsonl'
}

/** Runs dist/index.js once and collects everything a later step could see. */
export async function runAction(run: ActionRun): Promise<ActionRunResult> {
  const files = await mkdtemp(join(tmpdir(), 'gbd-run-'))
  const paths = {
    output: join(files, 'output'),
    summary: join(files, 'summary'),
    state: join(files, 'state'),
    event: join(files, 'event.json')
  }
  await Promise.all([
    writeFile(paths.output, ''),
    writeFile(paths.summary, ''),
    writeFile(paths.state, ''),
    writeFile(paths.event, JSON.stringify(run.event ?? {}))
  ])
  const inputs = { ...ACTION_DEFAULTS, ...run.inputs }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: run.workspace,
    GITHUB_EVENT_NAME: run.eventName ?? 'push',
    GITHUB_EVENT_PATH: paths.event,
    GITHUB_OUTPUT: paths.output,
    GITHUB_STEP_SUMMARY: paths.summary,
    GITHUB_STATE: paths.state,
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
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value

  const [command, ...args] = run.node ?? [process.execPath]
  const child = spawn(command, [...args, DIST_ENTRY], { cwd: run.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', chunk => (stdout += chunk))
  child.stderr.on('data', chunk => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), run.timeoutMs ?? 120_000)
  const exitCode = await new Promise<number | null>((done, fail) => {
    child.on('error', error => fail(new Error(`Could not start ${command}: ${error.message}`)))
    child.on('close', code => done(code))
  }).finally(() => clearTimeout(timer))

  const result: ActionRunResult = {
    exitCode,
    stdout,
    stderr,
    outputs: parseCommandFile(await readFile(paths.output, 'utf8')),
    summary: await readFile(paths.summary, 'utf8'),
    state: parseCommandFile(await readFile(paths.state, 'utf8')),
    annotations: stdout.split('\n').filter(line => /^::(error|warning)/.test(line))
  }
  // The report file (output `report`) lives in RUNNER_TEMP: keep the folder when a caller wants to read it.
  if (!run.keepRunnerTemp) await rm(files, { recursive: true, force: true })
  return result
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
