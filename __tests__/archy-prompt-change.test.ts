/**
 * A change deep inside a realistic Archy flow (a prompt, a message, a step's setting inside `tasks` / `menus` /
 * `actions` lists) is visible by its path and its new text in the job summary and the pull request comment, for every
 * kind of flow in __tests__/fixtures/archy. The whole assessment runs in process, with the original flow as the
 * `baseline` file.
 */
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { RecordingIO } from '../__fixtures__/recording-io.js'
import { run } from '../src/main.js'
import { startGitHubApi, type GitHubApiStandIn } from '../simulator/github-api.js'

const FIXTURES = join(process.cwd(), '__tests__', 'fixtures', 'archy')
const NEW_TEXT = 'Changed for the review: please hold while we connect you 4711'
const TOKEN = 'ghs_promptChangeToken001'

let github: GitHubApiStandIn

beforeAll(async () => {
  github = await startGitHubApi({ repository: 'acme/cc', token: TOKEN })
  github.addPullRequest({ number: 3, headSha: 'c'.repeat(40), baseSha: 'b'.repeat(40) })
})

afterAll(async () => {
  await github.close()
})

/** The fixtures' placeholders filled from their manifest, so both sides of the diff are plain Archy. */
async function substituted(file: string): Promise<string> {
  const manifest = parse(await readFile(join(FIXTURES, 'bundle.yaml'), 'utf8')) as { substitutions: Record<string, unknown> }
  const text = await readFile(join(FIXTURES, 'flows', file), 'utf8')
  return text.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, key: string) => String(manifest.substitutions[key]))
}

/**
 * The first text value reached through a list of named items (an action, a menu choice, a task), and its path; not the
 * item's own identity (its `name` / `refId`, right under the item or its single key).
 */
function textInsideList(node: unknown, path: (string | number)[] = [], throughList = false): (string | number)[] | undefined {
  const isIdentity = (path.at(-1) === 'name' || path.at(-1) === 'refId') && (typeof path.at(-2) === 'number' || typeof path.at(-3) === 'number')
  if (typeof node === 'string') return throughList && !isIdentity ? path : undefined
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) {
      const found = textInsideList(item, [...path, index], true)
      if (found) return found
    }
    return undefined
  }
  if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const found = textInsideList(value, [...path, key], throughList)
      if (found) return found
    }
  }
  return undefined
}

function setAt(node: unknown, path: readonly (string | number)[], value: string): void {
  let current = node as Record<string | number, unknown>
  for (const segment of path.slice(0, -1)) current = current[segment] as Record<string | number, unknown>
  current[path.at(-1)!] = value
}

describe('a change inside an Archy flow shows by path and text', () => {
  it.each([
    'inbound-call.yaml',
    'in-queue-call.yaml',
    'outbound-call.yaml',
    'inbound-message.yaml',
    'inbound-chat.yaml',
    'inbound-email.yaml',
    'bot-flow.yaml',
    'digital-bot-flow.yaml',
    'workflow.yaml',
    'common-module.yaml'
  ])('%s', async file => {
    expect(await readdir(join(FIXTURES, 'flows'))).toContain(file)
    const original = await substituted(file)
    const document = parse(original) as Record<string, unknown>
    const path = textInsideList(document)
    expect(path).toBeDefined()
    setAt(document, path!, NEW_TEXT)

    const workspace = await mkdtemp(join(tmpdir(), 'gbd-prompt-'))
    await mkdir(join(workspace, 'flows'))
    await mkdir(join(workspace, 'before'))
    await writeFile(join(workspace, 'flows', file), stringify(document))
    await writeFile(join(workspace, 'before', file), original)
    const manifest = (flowsFolder: string) =>
      `bundleId: prompts\nenvironmentId: prod\ntargetConfig:\n  flows:\n    the-flow: { file: ${flowsFolder}/${file} }\n`
    await writeFile(join(workspace, 'bundle.yaml'), manifest('flows'))
    await writeFile(join(workspace, 'baseline.yaml'), manifest('before'))
    const eventPath = join(workspace, 'event.json')
    await writeFile(
      eventPath,
      JSON.stringify({ number: 3, pull_request: { number: 3, labels: [], head: { sha: 'c'.repeat(40) }, base: { sha: 'b'.repeat(40) } } })
    )

    const io = new RecordingIO({
      mode: 'assess',
      api: 'architect',
      bundle: 'bundle.yaml',
      baseline: 'baseline.yaml',
      'github-token': TOKEN,
      'fail-on-risk': 'never'
    })
    await run({
      io,
      env: {
        GITHUB_WORKSPACE: workspace,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: 'acme/cc',
        GITHUB_API_URL: github.url,
        RUNNER_TEMP: workspace
      }
    })
    expect(io.outputs.status).toBe('ASSESSED')
    const modified = JSON.parse(io.outputs.diff ?? '{}').modified as string[]
    expect(modified).toHaveLength(1)
    // Item by item: the path names list items by their identity, never a whole list.
    expect(modified[0]).toMatch(/^flows\.the-flow\.\w+\..*\[[^\]]+\]/)
    const comment = github.comments(3).find(candidate => candidate.body.includes('"bundleId":"prompts"'))!.body
    for (const report of [io.summary, comment]) {
      expect(report).toContain(NEW_TEXT)
      // The path as the report writes it: the segments after the flow, in a code span.
      expect(report).toContain(modified[0].replace(/^flows\.the-flow\./, ''))
    }
  })
})
