/**
 * `npm run demo`: runs the built action (dist/index.js) end to end against the local Genesys Cloud simulator and a
 * local stand-in for the GitHub API, exactly as the GitHub runner would, on the example bundle: a pull-request
 * assessment (the sticky comment it posts), one deployment that completes and one that fails and is rolled back.
 * Prints each run's job summary and outputs; exits 0 when every run behaved as expected.
 */
import { createHmac } from 'node:crypto'
import { existsSync } from 'node:fs'
import { cp, mkdtemp, readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { verifyAuditLog } from '../src/record/audit-log.js'
import { DIST_ENTRY, runAction, type ActionRunResult } from '../simulator/run-action.js'
import { startGitHubApi } from '../simulator/github-api.js'
import { startSimulator } from '../simulator/server.js'

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..')
const WEBHOOK_SECRET = 'demo-webhook-secret'
const REPOSITORY = 'acme/contact-center'
const GITHUB_TOKEN = 'ghs_demoToken'
const BASE_SHA = '5d1e0a7c2b9f4e3d8a6b1c0f9e8d7c6b5a4f3e2d'

interface Expectation {
  title: string
  status: string
  exitCode: number
}

async function main(): Promise<number> {
  if (!existsSync(DIST_ENTRY)) {
    console.error(`${DIST_ENTRY} is missing: run \`npm run build\` first.`)
    return 1
  }
  const simulator = await startSimulator({
    scenario: { deployDurationMs: 1500, pendingMs: 300, rollbackDurationMs: 800 }
  })
  const webhook = await startWebhookReceiver()
  const workspace = await mkdtemp(join(tmpdir(), 'genesys-demo-'))
  await cp(join(ROOT, 'examples'), workspace, { recursive: true })
  // The pull request's base commit holds the manifest production runs today (examples/baseline.yaml).
  const github = await startGitHubApi({
    repository: REPOSITORY,
    token: GITHUB_TOKEN,
    files: { [BASE_SHA]: { 'bundle.yaml': await readFile(join(workspace, 'baseline.yaml'), 'utf8') } }
  })
  github.addPullRequest({ number: 42, headSha: 'e'.repeat(40), baseSha: BASE_SHA })
  console.log(`Simulator: ${simulator.url}   GitHub API stand-in: ${github.url}   workspace: ${workspace}\n`)

  const inputs = {
    mode: 'deploy',
    api: 'architecture-manager',
    bundle: 'bundle.yaml',
    'api-url': simulator.url,
    'auth-url': simulator.url,
    'client-id': 'sim-client',
    'client-secret': 'sim-secret',
    'github-token': GITHUB_TOKEN,
    'poll-interval-seconds': '0.25',
    'max-poll-interval-seconds': '1',
    'timeout-seconds': '30',
    'webhook-url': webhook.url,
    'webhook-secret': WEBHOOK_SECRET
  }
  const env = { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: REPOSITORY }
  const checks: boolean[] = []
  try {
    const pullRequest = {
      action: 'synchronize',
      number: 42,
      pull_request: { number: 42, state: 'open', labels: [], head: { sha: 'e'.repeat(40), ref: 'after-hours' }, base: { sha: BASE_SHA, ref: 'main' } },
      repository: { full_name: REPOSITORY }
    }
    const assessed = await runAction({ inputs: { ...inputs, mode: 'auto', 'webhook-url': '' }, workspace, eventName: 'pull_request', event: pullRequest, env })
    checks.push(
      show(assessed, { title: '1. Pull request assessment: HIGH risk (a flow is removed), the gate fails the check', status: 'ASSESSED', exitCode: 1 })
    )
    const comment = github.comments(42)
    console.log(`Sticky comment on pull request #42 (${comment.length} comment, ${Buffer.byteLength(comment[0]?.body ?? '')} bytes):\n`)
    console.log(comment[0]?.body ?? '(none)')
    checks.push(comment.length === 1)

    const accepted = await runAction({
      inputs: { ...inputs, mode: 'auto', 'webhook-url': '' },
      workspace,
      eventName: 'pull_request',
      event: { ...pullRequest, pull_request: { ...pullRequest.pull_request, labels: [{ name: 'genesys-risk-accepted' }] } },
      env
    })
    checks.push(
      show(accepted, { title: '2. The same pull request with the `genesys-risk-accepted` label: the gate passes', status: 'ASSESSED', exitCode: 0 }),
      github.comments(42).length === 1
    )

    const push = { ref: 'refs/heads/main', before: BASE_SHA, after: '0123456789abcdef0123456789abcdef01234567' }
    simulator.setScenario({ outcome: 'COMPLETED' })
    const completed = await runAction({ inputs, workspace, eventName: 'push', event: push, env })
    checks.push(show(completed, { title: '3. Deployment on push that completes', status: 'COMPLETED', exitCode: 0 }))

    simulator.setScenario({ outcome: 'FAILED', failureMessage: 'Flow main-entry: queue sales-inbound has no members', rollbackOutcome: 'ROLLED_BACK' })
    const rolledBack = await runAction({ inputs, workspace, eventName: 'push', event: push, env })
    checks.push(show(rolledBack, { title: '4. Deployment on push that fails and is rolled back', status: 'ROLLBACK_COMPLETED', exitCode: 1 }))

    const audit = verifyAuditLog(await readFile(join(workspace, 'genesys-deploy-audit.jsonl'), 'utf8'))
    console.log(`Audit log: ${audit.entries} entries, hash chain ${audit.valid ? 'intact' : `BROKEN (${audit.problem})`}`)
    checks.push(audit.valid && audit.entries === 4)
    checks.push(...(await architectDemo(simulator, env)))

    const signed = webhook.deliveries.filter(d => d.signatureValid)
    console.log(
      `Webhook: ${webhook.deliveries.length} deliveries, ${signed.length} with a valid X-Signature-256: ${webhook.deliveries.map(d => d.status).join(', ')}`
    )
    checks.push(webhook.deliveries.length === 2 && signed.length === 2)
  } finally {
    await simulator.close()
    await github.close()
    webhook.server.close()
  }
  const ok = checks.every(Boolean)
  console.log(ok ? '\nDemo passed: every run behaved as expected.' : '\nDemo FAILED: see above.')
  return ok ? 0 : 1
}

/**
 * `api: architect`: the example IVR (examples/architect) deployed as Archy flow jobs to an org where two of its
 * flows are already published. The diff compares with the org's published YAML; a failing flow job rolls the flows
 * already published back to their previous versions.
 */
async function architectDemo(simulator: Awaited<ReturnType<typeof startSimulator>>, env: Record<string, string>): Promise<boolean[]> {
  const workspace = await mkdtemp(join(tmpdir(), 'genesys-demo-architect-'))
  await cp(join(ROOT, 'examples', 'architect'), workspace, { recursive: true })
  const inputs = {
    mode: 'deploy',
    api: 'architect',
    bundle: 'bundle.yaml',
    'api-url': simulator.url,
    'auth-url': simulator.url,
    'client-id': 'sim-client',
    'client-secret': 'sim-secret',
    'poll-interval-seconds': '0.25',
    'max-poll-interval-seconds': '1',
    'timeout-seconds': '60'
  }
  const org = {
    flowJobDurationMs: 600,
    flowPublishDurationMs: 300,
    architectFlows: [
      { name: 'Acme After Hours', type: 'inboundCall', yaml: PUBLISHED_AFTER_HOURS },
      { name: 'Acme Sales Hold', type: 'inqueueCall' }
    ],
    flowConsumers: { 'Acme After Hours': [{ name: 'Main number +1 555 0100', type: 'IVRCONFIGURATION' }] }
  }
  simulator.setScenario({ ...org, flowJobFailures: null })
  const completed = await runAction({ inputs, workspace, eventName: 'push', env })
  const first = show(completed, { title: '5. api: architect — three Archy flows published as flow jobs', status: 'COMPLETED', exitCode: 0 })

  simulator.reset() // the org as it was before run 5: two published flows
  simulator.setScenario({ ...org, flowJobFailures: { 'Acme Main Menu': ['Unable to resolve queue reference "acme-claims".'] } })
  const rolledBack = await runAction({ inputs, workspace, eventName: 'push', env })
  const second = show(rolledBack, {
    title: '6. api: architect — a flow job fails; published flows go back to their previous versions',
    status: 'ROLLBACK_COMPLETED',
    exitCode: 1
  })
  return [first, second]
}

/** What the org publishes today for the after-hours flow: the demo's diff shows the greeting change. */
const PUBLISHED_AFTER_HOURS = `inboundCall:
  name: Acme After Hours
  description: Closed message
  division: Home
  startUpRef: "/inboundCall/menus/menu[Closed Menu_10]"
  defaultLanguage: en-us
  supportedLanguages:
    en-us:
      defaultLanguageSkill:
        noValue: true
  initialGreeting:
    tts: Thanks for calling Acme Insurance. We are closed.
`

function show(run: ActionRunResult, expected: Expectation): boolean {
  const rule = '='.repeat(100)
  console.log(`${rule}\n${expected.title}\n${rule}`)
  console.log(run.summary.trim())
  console.log('\nOutputs:')
  for (const [name, value] of Object.entries(run.outputs)) console.log(`  ${name} = ${value}`)
  const errors = run.annotations.filter(line => line.startsWith('::error'))
  if (errors.length > 0) console.log(`\nStep failure: ${errors.join('\n')}`)
  const ok = run.outputs.status === expected.status && run.exitCode === expected.exitCode
  console.log(
    `\n=> status ${run.outputs.status}, exit code ${run.exitCode}: ${ok ? 'as expected' : `EXPECTED ${expected.status} / exit ${expected.exitCode}`}\n`
  )
  if (!ok) console.log(run.stdout, run.stderr)
  return ok
}

/** A CI/CD endpoint that checks each webhook's signature with its own HMAC over the raw bytes. */
async function startWebhookReceiver() {
  const deliveries: { status: string; signatureValid: boolean }[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', chunk => chunks.push(chunk))
    request.on('end', () => {
      const raw = Buffer.concat(chunks)
      const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(raw).digest('hex')}`
      const body = JSON.parse(raw.toString('utf8')) as { status: string }
      deliveries.push({ status: body.status, signatureValid: request.headers['x-signature-256'] === expected })
      response.writeHead(204).end()
    })
  })
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return { server, deliveries, url: `http://127.0.0.1:${port}/hooks/genesys` }
}

process.exitCode = await main()
