/**
 * The hostile corpus (__fixtures__/hostile-cases.ts) against the whole run: every case must end with the expected
 * status and a message naming the input or the file and line, send nothing to the platform for an invalid bundle or
 * invalid inputs, leak no secret or token anywhere the run writes (log, annotations, outputs, summary, report, audit
 * log, webhook), stay within GitHub's annotation limits, and end quickly. A few cases also run through dist/index.js
 * as the runner runs it, where the process environment holds the secrets and stdout is read for workflow commands.
 */
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, symlink, truncate, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { CORPUS_SECRETS, HOSTILE_CASES, manifest, type CaseFile, type HostileCase } from '../__fixtures__/hostile-cases.js'
import { RecordingIO, VirtualClock } from '../__fixtures__/recording-io.js'
import type { InputName } from '../src/constants.js'
import { run } from '../src/main.js'
import { runAction } from '../simulator/run-action.js'
import { startSimulator, type Simulator } from '../simulator/server.js'

const TOKEN_IN_GIT_CONFIG = Buffer.from(`x-access-token:${CORPUS_SECRETS.githubToken}`).toString('base64')
/** Strings that must never appear in anything the run writes. */
const NEVER_WRITTEN = [...Object.values(CORPUS_SECRETS), TOKEN_IN_GIT_CONFIG, 'hunter2']

let simulator: Simulator
let webhook: { server: Server; url: string; bodies: string[] }

beforeAll(async () => {
  simulator = await startSimulator({ clients: { 'corpus-client': CORPUS_SECRETS.clientSecret }, scenario: { deployDurationMs: 100 } })
  const bodies: string[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', chunk => (body += chunk))
    request.on('end', () => {
      bodies.push(body)
      response.writeHead(204).end()
    })
  })
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  webhook = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies }
})

afterAll(async () => {
  await simulator?.close()
  await new Promise(done => webhook?.server.close(done))
})

beforeEach(() => {
  simulator.reset()
  webhook.bodies.length = 0
})

/** A workspace with a `.git/config` holding the job token (as actions/checkout leaves it) and a secret next to it. */
async function workspaceFor(testCase: HostileCase): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'gbd-corpus-'))
  const workspace = join(root, 'repo')
  await mkdir(join(workspace, '.git'), { recursive: true })
  await writeFile(join(workspace, '.git', 'config'), `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${TOKEN_IN_GIT_CONFIG}\n`)
  await writeFile(join(root, 'outside.yaml'), 'password: hunter2-outside\n')
  const files: Record<string, CaseFile> = { 'bundle.yaml': manifest(), ...testCase.files }
  for (const [path, file] of Object.entries(files)) await placeFile(join(workspace, path), file)
  return workspace
}

async function placeFile(path: string, file: CaseFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  if (typeof file === 'string' || Buffer.isBuffer(file)) return writeFile(path, file)
  if ('symlink' in file) return symlink(file.symlink, path)
  if ('fifo' in file) return void execFileSync('mkfifo', [path])
  if ('folder' in file) return void (await mkdir(path, { recursive: true }))
  await writeFile(path, '')
  await truncate(path, file.sparseBytes)
}

function inputsFor(testCase: HostileCase): Record<string, string> {
  return {
    mode: 'deploy',
    bundle: 'bundle.yaml',
    'api-url': simulator.url,
    'auth-url': simulator.url,
    'client-id': 'corpus-client',
    'client-secret': CORPUS_SECRETS.clientSecret,
    'github-token': CORPUS_SECRETS.githubToken,
    'webhook-url': webhook.url,
    'webhook-secret': CORPUS_SECRETS.webhookSecret,
    'timeout-seconds': '30',
    'poll-interval-seconds': '0.2',
    ...testCase.inputs
  }
}

/** Everything a run left where a person or a later step could read it, apart from the in-memory IO. */
async function filesWritten(workspace: string, runnerTemp: string): Promise<string> {
  const texts: string[] = []
  for (const folder of [workspace, runnerTemp]) {
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      if (/\.(jsonl|md|json)$/.test(name) && name !== 'bundle.json') texts.push(await readFile(join(folder, name), 'utf8').catch(() => ''))
    }
  }
  return texts.join('\n')
}

describe('hostile corpus, in process', () => {
  it('holds at least 60 cases', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(60)
  })

  it.each(HOSTILE_CASES.map(testCase => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const workspace = await workspaceFor(testCase)
    const runnerTemp = await mkdtemp(join(tmpdir(), 'gbd-corpus-temp-'))
    const io = new RecordingIO(inputsFor(testCase) as Partial<Record<InputName, string>>)
    const clock = new VirtualClock()
    const started = Date.now()
    await run({
      io,
      env: {
        GITHUB_WORKSPACE: workspace,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REPOSITORY: 'acme/cc',
        GITHUB_SHA: 'abc123',
        GITHUB_RUN_ID: '9',
        RUNNER_TEMP: runnerTemp
      },
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5
    })
    expect(Date.now() - started).toBeLessThan(20_000)

    expect(io.outputs.status).toBe(testCase.status)
    const said = [io.failed ?? '', ...io.errors.map(error => `${error.message} ${JSON.stringify(error.properties ?? {})}`)].join('\n')
    for (const mention of testCase.mentions) expect(said).toMatch(mention)
    if (testCase.noRequests ?? true) expect(simulator.requests.map(request => `${request.method} ${request.path}`)).toEqual([])

    // GitHub shows 10 annotations of each kind per step: the action never prints more.
    expect(io.errors.length).toBeLessThanOrEqual(10)
    expect(io.warnings.length).toBeLessThanOrEqual(10)

    const written = [io.everythingWritten(), await filesWritten(workspace, runnerTemp), ...webhook.bodies].join('\n')
    for (const secret of NEVER_WRITTEN) expect(written).not.toContain(secret)
    // The records are written on every path, invalid inputs included (the webhook unless its own URL is the bad input).
    expect(webhook.bodies).toHaveLength(testCase.inputs?.['webhook-url'] === undefined ? 1 : 0)
    expect(await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')).toContain(testCase.status)
  })
})

describe('hostile corpus through dist/index.js, as the runner runs it', () => {
  const THROUGH_DIST = [
    'bundle linked to /proc/self/environ',
    'flow file linked to /proc/self/environ',
    'bundleId injects a workflow command',
    'flow name injects ::add-mask::',
    'flow name injects ::stop-commands::',
    'environment-id input injects a command'
  ]

  it.each(THROUGH_DIST)(
    '%s',
    async name => {
      const testCase = HOSTILE_CASES.find(candidate => candidate.name === name)!
      const workspace = await workspaceFor(testCase)
      const result = await runAction({ inputs: inputsFor(testCase), workspace, eventName: 'push', keepRunnerTemp: false })
      expect(result.outputs.status).toBe(testCase.status)
      expect(result.exitCode).toBe(1)
      // No data starts a workflow command: the only commands are the action's own (masks of its secrets, annotations, groups).
      const commands = result.stdout.split('\n').filter(line => /^\s*(::|##\[)/.test(line))
      for (const command of commands) expect(command).toMatch(/^::(add-mask|error|warning|group|endgroup)(::| )/)
      expect(commands.filter(command => command.startsWith('::add-mask::')).map(command => command.slice('::add-mask::'.length))).toEqual(
        expect.not.arrayContaining(['x'])
      )
      expect(result.stdout).not.toMatch(/^::(warning|stop-commands)::(injected|tok|x)$/m)
      const visible = [result.stdout.replace(/^::add-mask::.*$/gm, ''), result.stderr, result.summary, JSON.stringify(result.outputs)].join('\n')
      for (const secret of NEVER_WRITTEN) expect(visible).not.toContain(secret)
    },
    60_000
  )
})
