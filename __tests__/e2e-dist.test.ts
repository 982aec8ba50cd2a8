/**
 * End to end: the committed dist/index.js run as the GitHub runner runs it (INPUT_* variables, command files,
 * an event payload), under Node 24 (the action's `node24` runtime), against the simulator on port 0.
 */
import { execFileSync } from 'node:child_process'
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Outputs } from '../src/constants.js'
import { parseCommentMarker } from '../src/report/comment.js'
import { verifyAuditLog } from '../src/record/audit-log.js'
import { startGitHubApi } from '../simulator/github-api.js'
import { runAction, type ActionRun } from '../simulator/run-action.js'
import { startSimulator, type Simulator } from '../simulator/server.js'

const SECRET = 'e2e-secret-9f3c1'
let node24: string
let simulator: Simulator
let workspace: string

beforeAll(async () => {
  // The runtime GitHub uses for `using: node24`, from the npm registry; resolved once, then run directly.
  node24 = execFileSync('npx', ['-y', '-p', 'node@24', 'node', '-p', 'process.execPath'], { encoding: 'utf8' }).trim()
  expect(execFileSync(node24, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./)
  simulator = await startSimulator({ clients: { 'e2e-client': SECRET }, scenario: { deployDurationMs: 300, rollbackDurationMs: 200 } })
}, 180_000)

afterAll(async () => {
  await simulator?.close()
})

beforeEach(async () => {
  simulator.reset()
  workspace = await mkdtemp(join(tmpdir(), 'gbd-e2e-'))
  await cp(join(process.cwd(), 'examples'), workspace, { recursive: true })
})

function deployRun(extra: Record<string, string> = {}): ActionRun {
  return {
    workspace,
    node: [node24],
    eventName: 'push',
    event: {
      ref: 'refs/heads/main',
      before: '1111111111111111111111111111111111111111',
      after: '0123456789abcdef0123456789abcdef01234567',
      repository: { full_name: 'acme/contact-center' }
    },
    inputs: {
      api: 'architecture-manager',
      bundle: 'bundle.yaml',
      'api-url': simulator.url,
      'auth-url': simulator.url,
      'client-id': 'e2e-client',
      'client-secret': SECRET,
      'poll-interval-seconds': '0.05',
      'max-poll-interval-seconds': '0.2',
      'timeout-seconds': '30',
      ...extra
    }
  }
}

/** The secret may only appear where the runner learns to mask it. */
function expectNoSecret(text: string): void {
  const leaks = text.split('\n').filter(line => line.includes(SECRET) && !line.startsWith('::add-mask::'))
  expect(leaks).toEqual([])
}

describe('dist/index.js under Node 24', () => {
  it('deploys on push: COMPLETED, every output, state saved for the post step', async () => {
    const result = await runAction(deployRun())
    expect(result.exitCode).toBe(0)
    expect(result.outputs.status).toBe('COMPLETED')
    expect(result.outputs['deployment-id']).toBe(simulator.deployments[0].id)
    expect(result.state['deployment-id']).toBe(simulator.deployments[0].id)
    expect(Object.keys(result.outputs).sort()).toEqual(Object.values(Outputs).sort())
    expect(result.summary).toContain('COMPLETED')
    expect(verifyAuditLog(await readFile(result.outputs['audit-log'], 'utf8'))).toMatchObject({ valid: true, entries: 1 })
    expectNoSecret([result.stdout, result.stderr, result.summary, JSON.stringify(result.outputs)].join('\n'))
  })

  it('fails the step with ROLLBACK_COMPLETED when the deployment fails', async () => {
    simulator.setScenario({ outcome: 'FAILED', failureMessage: 'queue sales-inbound has no members' })
    const result = await runAction(deployRun())
    expect(result.exitCode).toBe(1)
    expect(result.outputs.status).toBe('ROLLBACK_COMPLETED')
    expect(result.annotations.some(line => line.startsWith('::error::ROLLBACK_COMPLETED') && line.includes('queue sales-inbound has no members'))).toBe(true)
  })

  it('annotates an invalid manifest on its file and line and sends nothing', async () => {
    const result = await runAction(deployRun({ bundle: '../escape.yaml' }))
    expect(result.exitCode).toBe(1)
    expect(result.outputs.status).toBe('VALIDATION_FAILED')
    expect(simulator.requests).toHaveLength(0)

    await cp(join(process.cwd(), '__tests__/fixtures/bundles/broken-schema'), workspace, { recursive: true })
    const broken = await runAction(deployRun({ bundle: 'bundle.yaml' }))
    expect(broken.outputs.status).toBe('VALIDATION_FAILED')
    expect(broken.annotations.some(line => /^::error (title=[^,]*,)?file=bundle\.yaml,line=\d+/.test(line))).toBe(true)
    expect(simulator.requests).toHaveLength(0)
  })

  it('leaves 10 error annotations for 14 bundle problems, the last saying how many more there are', async () => {
    const junk = Array.from({ length: 14 }, (_, i) => `junk${i}: ${i}`).join('\n')
    await writeFile(join(workspace, 'bundle.yaml'), `${await readFile(join(workspace, 'bundle.yaml'), 'utf8')}\n${junk}\n`)
    const result = await runAction(deployRun())
    const errors = result.annotations.filter(line => line.startsWith('::error'))
    expect(errors).toHaveLength(10)
    expect(errors.slice(0, 9).every(line => /^::error title=[^,]*,file=bundle\.yaml,line=\d+/.test(line))).toBe(true)
    expect(errors[9]).toMatch(/^::error::VALIDATION_FAILED: .*and 5 more problems/)
  })

  it('assesses a pull request without credentials: local checks and the diff, platform validation skipped', async () => {
    const result = await runAction({
      ...deployRun({ 'client-id': '', 'client-secret': '', baseline: 'baseline.yaml', 'fail-on-risk': 'never' }),
      eventName: 'pull_request',
      event: { action: 'synchronize', number: 12, pull_request: { number: 12, labels: [], head: { sha: 'abc' }, base: { sha: 'def' } } }
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.status).toBe('ASSESSED')
    expect(result.outputs['risk-level']).toBe('HIGH')
    expect(JSON.parse(result.outputs.diff).removed).toEqual(['flows.holiday-closure'])
    expect(result.summary).toMatch(/skipped/i)
    expect(simulator.requests).toHaveLength(0)
  })

  it('gates a pull request as the runner delivers it: real-shaped event, sticky comment through GITHUB_API_URL', async () => {
    const base = 'a1'.repeat(20)
    const github = await startGitHubApi({
      repository: 'acme/contact-center',
      token: 'ghs_e2eToken',
      files: { [base]: { 'bundle.yaml': await readFile(join(workspace, 'baseline.yaml'), 'utf8') } }
    })
    try {
      github.addPullRequest({ number: 31, headSha: 'f'.repeat(40), baseSha: base })
      const event = JSON.parse(await readFile(join(process.cwd(), '__tests__/fixtures/events/pull_request.synchronize.json'), 'utf8'))
      event.pull_request.base.sha = base
      const result = await runAction({
        ...deployRun({ mode: 'auto', 'github-token': 'ghs_e2eToken' }),
        eventName: 'pull_request',
        event,
        env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/contact-center' }
      })
      expect(result.outputs.status).toBe('ASSESSED')
      expect(result.outputs['risk-level']).toBe('HIGH')
      expect(result.exitCode).toBe(1)
      expect(result.annotations.some(line => line.startsWith('::error::Risk HIGH'))).toBe(true)
      expect(github.comments(31)).toHaveLength(1)
      expect(parseCommentMarker(github.comments(31)[0].body)).toMatchObject({
        bundleId: 'contact-center-core',
        environmentId: 'prod-7f3a',
        fingerprint: result.outputs.fingerprint
      })
      expect(simulator.requests.some(r => r.path.endsWith('/deploy'))).toBe(false)
      expectNoSecret(github.comments(31)[0].body)
    } finally {
      await github.close()
    }
  })
})

describe('cancellation, as the runner cancels a step', () => {
  it('rolls back what the main step deployed, in the post step, and records CANCELLED once', async () => {
    simulator.setScenario({ deployDurationMs: 4000, rollbackDurationMs: 200 })
    const result = await runAction({ ...deployRun(), cancel: { when: stdout => /Deployment \S+ accepted/.test(stdout) } })
    expect(result.cancelled).toBe(true)
    expect(result.exitCode).not.toBe(0)
    expect(result.state.phase).toBe('deploying')
    expect(result.post).toBeDefined()
    const post = result.post!
    expect(post.exitCode).toBe(1)
    expect(post.outputs.status).toBe('CANCELLED')
    const id = simulator.deployments[0].id
    expect(post.outputs['deployment-id']).toBe(id)
    expect(simulator.requests.filter(r => r.path.endsWith(`/deployments/${id}/rollback`))).toHaveLength(1)
    expect(post.annotations.some(line => line.startsWith('::error::CANCELLED') && line.includes('rolled it back'))).toBe(true)
    const audit = await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')
    expect(verifyAuditLog(audit)).toMatchObject({ valid: true, entries: 1 })
    expect(JSON.parse(audit.trim())).toMatchObject({ finalStatus: 'CANCELLED', deploymentId: id })
    expectNoSecret([result.stdout, post.stdout, post.summary, JSON.stringify(post.outputs)].join('\n'))
  }, 60_000)

  it('leaves the deployment with on-cancel: leave, and still records CANCELLED', async () => {
    simulator.setScenario({ deployDurationMs: 1500 })
    const result = await runAction({ ...deployRun({ 'on-cancel': 'leave' }), cancel: { when: stdout => /Deployment \S+ accepted/.test(stdout) } })
    const post = result.post!
    expect(post.outputs.status).toBe('CANCELLED')
    expect(simulator.requests.some(r => r.path.endsWith('/rollback'))).toBe(false)
    expect(post.annotations.some(line => line.includes('left as it is'))).toBe(true)
    const audit = await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')
    expect(verifyAuditLog(audit)).toMatchObject({ valid: true, entries: 1 })
  }, 60_000)

  it('architect: waits for the running flow job, then republishes the previous versions of the flows this run changed', async () => {
    await cp(join(process.cwd(), 'examples', 'architect'), workspace, { recursive: true })
    simulator.setScenario({
      architectFlows: [
        { name: 'Acme After Hours', type: 'inboundCall' },
        { name: 'Acme Sales Hold', type: 'inqueueCall' }
      ],
      flowJobDurationMs: 200,
      flowJobDurationsMs: { 'Acme Main Menu': 2500 }
    })
    const before = new Map(simulator.architectFlows().map(flow => [flow.name, flow.publishedVersionId]))
    const result = await runAction({
      ...deployRun({ api: 'architect', 'poll-interval-seconds': '0.2', 'max-poll-interval-seconds': '0.5' }),
      cancel: { when: stdout => /Acme Main Menu.*uploaded to flow job/.test(stdout) }
    })
    expect(result.cancelled).toBe(true)
    const post = result.post!
    expect(post.outputs.status).toBe('CANCELLED')
    const after = new Map(simulator.architectFlows().map(flow => [flow.name, flow.publishedVersionId]))
    // The run had published a new version of each (more than one version now), and the post step put the old one back.
    for (const name of ['Acme After Hours', 'Acme Sales Hold'])
      expect(simulator.architectFlows().find(flow => flow.name === name)!.versionIds.length).toBeGreaterThan(1)
    expect(after.get('Acme After Hours')).toBe(before.get('Acme After Hours'))
    expect(after.get('Acme Sales Hold')).toBe(before.get('Acme Sales Hold'))
    // The main menu did not exist before: its job was followed to its end, and the new flow is left in place, named.
    expect(after.get('Acme Main Menu')).toBeDefined()
    expect(post.annotations.some(line => line.startsWith('::error::CANCELLED') && line.includes('rolled it back') && line.includes('left in place'))).toBe(true)
    const audit = await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')
    expect(verifyAuditLog(audit)).toMatchObject({ valid: true, entries: 1 })
  }, 60_000)

  it('does nothing in the post step after a main step that finished', async () => {
    const result = await runAction(deployRun())
    expect(result.outputs.status).toBe('COMPLETED')
    expect(result.post).toMatchObject({ exitCode: 0, outputs: {}, annotations: [] })
    const audit = await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8')
    expect(verifyAuditLog(audit)).toMatchObject({ valid: true, entries: 1 })
  })
})
