/**
 * The post step in process: nothing after a finished main step; after a cancelled one, records with status
 * CANCELLED that say what was (not) deployed, and the pull request's comment keeps the assessment it had.
 */
import { cp, mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RecordingIO } from '../__fixtures__/recording-io.js'
import { StateKeys } from '../src/constants.js'
import { run } from '../src/main.js'
import { parseCommentMarker, renderCommentMarker } from '../src/report/comment-marker.js'
import { GITHUB_ACTIONS_BOT, startGitHubApi, type GitHubApiStandIn } from '../simulator/github-api.js'

const TOKEN = 'ghs_postStepToken0001'
let workspace: string
let github: GitHubApiStandIn

beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'gbd-post-'))
  await cp(join(process.cwd(), 'examples'), workspace, { recursive: true })
  github = await startGitHubApi({ repository: 'acme/cc', token: TOKEN })
  github.addPullRequest({ number: 9, state: 'closed', merged: true, headSha: 'c'.repeat(40), baseSha: 'b'.repeat(40), mergeCommitSha: 'd'.repeat(40) })
})

afterEach(async () => {
  await github.close()
})

function postStep(state: Record<string, string>) {
  const io = new RecordingIO(
    { mode: 'deploy', api: 'architecture-manager', bundle: 'bundle.yaml', 'client-id': 'id', 'client-secret': 'post-secret-1', 'github-token': TOKEN },
    { [StateKeys.MainStarted]: 'true', ...state }
  )
  const env = { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'acme/cc', GITHUB_API_URL: github.url, RUNNER_TEMP: workspace }
  return { io, done: run({ io, env, sleep: async () => {} }) }
}

describe('the post step', () => {
  it('does nothing after a main step that finished', async () => {
    const { io, done } = postStep({ [StateKeys.MainFinished]: 'true', [StateKeys.Phase]: 'recording' })
    await done
    expect(io.outputs).toEqual({})
    expect(io.failed).toBeUndefined()
    await expect(readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')).rejects.toThrow()
  })

  it('neither rolls back nor records again when the job was cancelled while the main step wrote its records', async () => {
    const { io, done } = postStep({ [StateKeys.Phase]: 'recording', [StateKeys.DeploymentId]: 'dep-1', [StateKeys.CancelledBy]: 'SIGINT' })
    await done
    expect(io.outputs).toEqual({})
    expect(io.failed).toBeUndefined()
    expect(io.warnings.map(warning => warning.message).join('\n')).toMatch(/cancelled while the main step was writing its records.*nothing is rolled back/)
    await expect(readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')).rejects.toThrow()
  })

  it('records CANCELLED, nothing deployed, when the job was cancelled while planning', async () => {
    const { io, done } = postStep({ [StateKeys.Phase]: 'planning', [StateKeys.CancelledBy]: 'SIGINT', [StateKeys.BundleId]: 'contact-center-core' })
    await done
    expect(io.outputs.status).toBe('CANCELLED')
    expect(io.outputs['deployment-id']).toBe('')
    expect(io.failed).toMatch(/^CANCELLED: The job was cancelled before anything was deployed/)
    const entry = JSON.parse((await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')).trim())
    expect(entry).toMatchObject({ action: 'BUNDLE_DEPLOYMENT', finalStatus: 'CANCELLED', bundleId: 'contact-center-core' })
    expect(JSON.stringify(io.everythingWritten())).not.toContain('post-secret-1')
  })

  it('keeps the assessment the deploy checked in the pull request comment it updates', async () => {
    const marker = {
      bundleId: 'contact-center-core',
      environmentId: 'prod-7f3a',
      fingerprint: 'f'.repeat(64),
      gate: 'accepted' as const,
      headSha: 'c'.repeat(40)
    }
    github.addComment(9, `${renderCommentMarker({ ...marker, status: 'DEPLOYING' })}\nDeploying…`, GITHUB_ACTIONS_BOT)
    const { io, done } = postStep({
      [StateKeys.Phase]: 'deploying',
      [StateKeys.BundleId]: marker.bundleId,
      [StateKeys.EnvironmentId]: marker.environmentId,
      [StateKeys.Fingerprint]: marker.fingerprint,
      [StateKeys.CommentPullRequest]: '9',
      [StateKeys.AssessedPlan]: JSON.stringify({ marker, pullRequest: 9 })
    })
    await done
    expect(io.outputs.status).toBe('CANCELLED')
    expect(io.failed).toMatch(/before Genesys Cloud answered it/)
    const comments = github.comments(9)
    expect(comments).toHaveLength(1)
    expect(parseCommentMarker(comments[0].body)).toMatchObject({ status: 'CANCELLED', gate: 'accepted', headSha: 'c'.repeat(40), fingerprint: 'f'.repeat(64) })
  })
})
