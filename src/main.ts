import * as core from '@actions/core'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { assemblePlan, unassessedPlan } from './assess/assemble-plan.js'
import { emptyBaseline, readBaselineFile } from './assess/baseline.js'
import { readBaselineAtRef } from './assess/baseline-from-git.js'
import { resourceChanges } from './assess/diff.js'
import { decideGate, type GateDecision } from './assess/gate.js'
import type { Consumer } from './assess/impact.js'
import type { Baseline, Plan, RemoteValidationOutcome } from './assess/plan.js'
import { toAnnotation } from './bundle/annotation.js'
import type { Bundle } from './bundle/bundle.js'
import { loadBundle } from './bundle/loader.js'
import { FinalStatus, Inputs, StateKeys, type InputName, type OutputName } from './constants.js'
import { runDeployment } from './deploy/deploy-runner.js'
import type { DeployResult } from './deploy/result.js'
import { createDriver } from './genesys/driver-factory.js'
import type { DeployDriver } from './genesys/driver.js'
import { describeError } from './error-message.js'
import { createGitHubHelper, type GitHubHelper } from './github/github-helper.js'
import { appendAuditEntry, buildAuditEntry, redactSecrets } from './record/audit-log.js'
import { computeMetrics } from './record/metrics.js'
import { buildOutputs } from './record/outputs.js'
import { buildWebhookBody, sendWebhook } from './record/webhook.js'
import { renderComment } from './report/comment.js'
import { renderJobSummary } from './report/render-report.js'
import { upsertStickyComment } from './report/sticky-comment.js'
import { realSleep, type Sleep } from './retry-helper.js'
import { readRunContext, type RunContext } from './run-context.js'
import { modeDespiteInvalidInputs, readSecretInputs, readSettings, recordTargets, type Settings } from './settings.js'

/** The runner-facing side effects, in one place so the story below can run against a recording stand-in. */
export interface ActionIO {
  getInput(name: InputName): string
  setOutput(name: OutputName, value: string): void
  setSecret(value: string): void
  saveState(name: string, value: string): void
  info(message: string): void
  warning(message: string, properties?: core.AnnotationProperties): void
  error(message: string, properties?: core.AnnotationProperties): void
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
}

/** The real runner: @actions/core. */
export function coreIO(): ActionIO {
  return {
    getInput: name => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    setSecret: value => core.setSecret(value),
    saveState: (name, value) => core.saveState(name, value),
    info: message => core.info(message),
    warning: (message, properties) => core.warning(message, properties),
    error: (message, properties) => core.error(message, properties),
    appendSummary: async markdown => {
      if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write()
    },
    setFailed: message => core.setFailed(message)
  }
}

/** Everything the run has learned; records are written from it whatever happened. */
interface RunState {
  settings?: Settings
  plan?: Plan
  result?: DeployResult
  gate?: GateDecision
  /** Why the run failed before or outside the deployment (invalid inputs, a crash). */
  failure?: string
  /** Status when the run ended without a deployment result. */
  status?: FinalStatus
  /** The deploy request was sent: from here on a failure may have changed the environment. */
  deployRequested?: boolean
  /** The pull request whose sticky comment shows this run (assess: the event's; deploy: the merged one). */
  commentPullRequest?: number
  /** The GitHub helper, created on first use only: loading the GitHub client costs start-up time. */
  github?: () => Promise<GitHubHelper | undefined>
  /** Values never to write anywhere. */
  secrets: string[]
  /** Deadline of the deployment phase under way, which the Genesys HTTP client respects. */
  requestDeadline?: number
}

/**
 * The story of one run: read the settings, plan (load, baseline, validate, diff, assess), report, then gate
 * (assess) or deploy (deploy), and always record: outputs, report, audit entry, webhook.
 */
export async function run(overrides: Partial<RunDependencies> = {}): Promise<void> {
  const deps: RunDependencies = {
    io: overrides.io ?? coreIO(),
    env: overrides.env ?? process.env,
    now: overrides.now ?? Date.now,
    sleep: overrides.sleep ?? realSleep,
    random: overrides.random ?? Math.random
  }
  const { io } = deps
  const secrets = readSecretInputs(name => io.getInput(name))
  for (const secret of secrets) io.setSecret(secret)
  const context = readRunContext(deps.env)
  const workspace = deps.env.GITHUB_WORKSPACE || process.cwd()
  const state: RunState = { secrets }

  try {
    state.settings = readSettings(name => io.getInput(name), context.eventName)
    state.github = lazyGitHub(state.settings, context, deps)
    await planAndAct(state, state.settings, context, workspace, deps)
  } catch (error) {
    state.failure = describeError(error)
    // Until the deploy request is made nothing can have changed on the platform.
    state.status ??= state.deployRequested ? FinalStatus.Failed : FinalStatus.ValidationFailed
  }

  await record(state, context, workspace, secrets, deps)

  const status = state.result?.status ?? state.status ?? FinalStatus.Assessed
  const failure = failureMessage(status, state)
  if (failure !== undefined) io.setFailed(redactSecrets(failure, secrets))
}

/** Plans, then gates (assess) or deploys (deploy). Everything learned goes into `state`, for the records. */
async function planAndAct(state: RunState, settings: Settings, context: RunContext, workspace: string, deps: RunDependencies): Promise<void> {
  const { io } = deps
  io.info(`Genesys Cloud bundle ${settings.bundle}: mode ${settings.mode}, api ${settings.api}, region ${settings.region}`)
  if (settings.mode === 'assess') state.commentPullRequest = context.pullRequestNumber
  const { plan, driver, remoteValidation } = await planRun(state, settings, context, workspace, deps)
  io.info(`Risk ${plan.impact.riskLevel}: ${plan.diff.added.length} added, ${plan.diff.removed.length} removed, ${plan.diff.modified.length} modified`)

  const bundle = plan.bundle
  if (bundle === undefined || (remoteValidation.ran && !remoteValidation.valid)) {
    state.status = FinalStatus.ValidationFailed
    state.failure =
      bundle === undefined
        ? `The bundle ${settings.bundle} has ${plan.localFindings.filter(f => f.severity === 'error').length} problem(s); fix the annotated lines. Nothing was sent to Genesys Cloud.`
        : `Genesys Cloud rejected the bundle: ${rejectionReasons(remoteValidation)}. Nothing was deployed.`
    return
  }

  if (settings.mode === 'assess') {
    state.status = FinalStatus.Assessed
    state.gate = decideGate(plan.impact, settings.failOnRisk, context.pullRequestLabels, settings.riskAcceptedLabel)
    io.info(state.gate.message)
    return
  }

  if (driver === undefined) throw new Error('Deploying needs `client-id` and `client-secret`.')
  await deploy(state, settings, context, plan, bundle, driver, deps)
}

/**
 * Loads the bundle (annotating its problems), asks the platform to validate it, finds the baseline and the
 * consumers of the flows it touches, and assembles the plan. A failed platform call still leaves a plan in
 * `state` (what is known locally) before it is thrown.
 */
async function planRun(state: RunState, settings: Settings, context: RunContext, workspace: string, deps: RunDependencies) {
  // Planning gets `timeout-seconds` too: a hung or rate-limited platform must not hold the job for long before deploying.
  state.requestDeadline = deps.now() + settings.timeoutMs
  try {
    return await assemblePlanFromSources(state, settings, context, workspace, deps)
  } finally {
    state.requestDeadline = undefined
  }
}

/** planRun's work, under the planning deadline. */
async function assemblePlanFromSources(state: RunState, settings: Settings, context: RunContext, workspace: string, deps: RunDependencies) {
  const { io } = deps
  const loaded = await loadBundle(settings.bundle, {
    workspace,
    overrides: {
      environmentId: settings.environmentId,
      overrideValidation: settings.overrideValidation,
      rollbackOnFailure: settings.rollbackOnFailure
    },
    requireArchyFlows: settings.api === 'architect'
  })
  for (const finding of loaded.findings) {
    const annotation = toAnnotation(finding)
    if (annotation.level === 'error') io.error(annotation.message, annotation.properties)
    else io.warning(annotation.message, annotation.properties)
  }

  // A baseline file is local input: read it before any request, so that a wrong path fails fast.
  const baselineInput = settings.baseline ? await readBaselineFile(settings.baseline, workspace) : undefined
  const driver = settings.credentials
    ? createDriver(settings, {
        ...deps,
        requestDeadline: () => state.requestDeadline,
        onSecret: secret => {
          io.setSecret(secret)
          state.secrets.push(secret)
        }
      })
    : undefined
  let remoteValidation: RemoteValidationOutcome
  try {
    remoteValidation = await validateRemotely(loaded.bundle, driver, settings)
  } catch (error) {
    const reason = `the platform could not be asked: ${describeError(error)}`
    state.plan = assemblePlan({ api: settings.api, loaded, baseline: baselineInput ?? emptyBaseline(), remoteValidation: { ran: false, reason } })
    throw error
  }
  const baseline = baselineInput ?? (await resolveBaseline(settings, loaded.bundle, driver, context, workspace, state, io))
  let plan = assemblePlan({ api: settings.api, loaded, baseline, remoteValidation })
  const consumers = await findConsumers(plan, driver, io)
  if (consumers) plan = assemblePlan({ api: settings.api, loaded, baseline, remoteValidation, consumers })
  state.plan = plan
  return { plan, driver, remoteValidation }
}

/**
 * Deploys and follows the deployment to its end (the state machine rolls back on failure), keeping the merged
 * pull request's comment and the post step's state up to date.
 */
async function deploy(state: RunState, settings: Settings, context: RunContext, plan: Plan, bundle: Bundle, driver: DeployDriver, deps: RunDependencies): Promise<void> {
  const { io } = deps
  io.saveState(StateKeys.BundleId, bundle.manifest.bundleId)
  if (settings.comment) {
    state.commentPullRequest = await findMergedPullRequest(state, context, io)
    await publishComment(state, renderComment(plan, undefined, context, { status: 'DEPLOYING' }), io)
  }
  state.deployRequested = true
  state.result = await runDeployment({
    driver,
    bundle,
    rollbackOnFailure: bundle.manifest.rollbackOnFailure ?? true,
    timeoutMs: settings.timeoutMs,
    pollIntervalMs: settings.pollIntervalMs,
    maxPollIntervalMs: settings.maxPollIntervalMs,
    now: deps.now,
    sleep: deps.sleep,
    random: deps.random,
    log: message => io.info(redactSecrets(message, state.secrets)),
    setRequestDeadline: deadline => (state.requestDeadline = deadline),
    onDeploymentStarted: id => {
      io.saveState(StateKeys.DeploymentId, id)
      const previous = driver.previousVersions?.()
      if (previous) io.saveState(StateKeys.PreviousVersions, JSON.stringify(previous))
    }
  })
  io.info(`Deployment ${state.result.deploymentId}: ${state.result.status} after ${state.result.latencyMs} ms`)
}

/**
 * What the diff compares with when no `baseline` input is given, the first that applies: the live configuration
 * (when the API can read it), the manifest at the pull request's base or the push's `before` commit (GitHub contents
 * API, so a shallow checkout works), else nothing. Failing to read a source is a warning, never a failed run.
 */
async function resolveBaseline(
  settings: Settings,
  bundle: Bundle | undefined,
  driver: DeployDriver | undefined,
  context: RunContext,
  workspace: string,
  state: RunState,
  io: ActionIO
): Promise<Baseline> {
  if (bundle === undefined) return emptyBaseline()
  if (driver?.readLiveConfiguration) {
    try {
      const live = await driver.readLiveConfiguration(bundle)
      return { source: 'live', description: live.description, config: live.config }
    } catch (error) {
      io.warning(`Could not read the live configuration, so the diff falls back to the base commit: ${describeError(error)}`)
    }
  }
  const github = context.baselineRef ? await state.github?.() : undefined
  if (context.baselineRef && github) {
    try {
      const manifestPath = relative(workspace, resolve(workspace, settings.bundle))
      const atRef = await readBaselineAtRef(github, { manifestPath, ref: context.baselineRef.ref, describe: context.baselineRef.source })
      if (atRef) return atRef
    } catch (error) {
      io.warning(`Could not read the baseline at ${context.baselineRef.ref.slice(0, 7)}, so everything shows as added: ${describeError(error)}`)
    }
  }
  return emptyBaseline()
}

/**
 * Who uses the flows this change modifies or removes, when the API can tell: it raises the risk of touching them.
 * Not knowing is a warning; the assessment goes on without it.
 */
async function findConsumers(plan: Plan, driver: DeployDriver | undefined, io: ActionIO): Promise<Record<string, Consumer[]> | undefined> {
  if (!plan.bundle || !driver?.findConsumers) return undefined
  const touched = resourceChanges(plan.diff)
    .resources.filter(resource => resource.group === 'flows' && resource.kind !== 'added')
    .map(resource => resource.name)
  if (touched.length === 0) return undefined
  try {
    return await driver.findConsumers(plan.bundle, touched)
  } catch (error) {
    io.warning(`Could not look up which resources use the changed flows (${touched.join(', ')}): ${describeError(error)}`)
    return undefined
  }
}

/** Memoizes the GitHub helper; a helper that cannot be made is a warning and no helper. */
function lazyGitHub(settings: Settings, context: RunContext, deps: RunDependencies): () => Promise<GitHubHelper | undefined> {
  let helper: Promise<GitHubHelper | undefined> | undefined
  return () =>
    (helper ??= createGitHubHelper({
      token: settings.githubToken,
      apiUrl: deps.env.GITHUB_API_URL,
      repository: context.repository,
      log: message => deps.io.info(message),
      sleep: deps.sleep,
      random: deps.random
    }).catch(error => {
      deps.io.warning(`The GitHub API cannot be used (${describeError(error)}); no pull request comment or baseline from git.`)
      return undefined
    }))
}

/** The merged pull request that brought this push's commit, whose sticky comment follows the deployment. */
async function findMergedPullRequest(state: RunState, context: RunContext, io: ActionIO): Promise<number | undefined> {
  const github = context.sha ? await state.github?.() : undefined
  if (!github) return undefined
  try {
    const pulls = await github.findPullRequestsForCommit(context.sha)
    return pulls.find(pull => pull.merged)?.number
  } catch (error) {
    io.warning(`Could not find the pull request of commit ${context.sha.slice(0, 7)} to report the deployment on: ${describeError(error)}`)
    return undefined
  }
}

/** Creates or updates the sticky comment; a token that cannot comment is a warning with the fix, never a failure. */
async function publishComment(state: RunState, body: string, io: ActionIO): Promise<void> {
  const prNumber = state.commentPullRequest
  const plan = state.plan
  const github = prNumber !== undefined && plan ? await state.github?.() : undefined
  if (prNumber === undefined || !plan || !github) return
  try {
    const outcome = await upsertStickyComment(github, {
      prNumber,
      bundleId: plan.bundleId,
      environmentId: plan.environmentId,
      body: redactSecrets(body, state.secrets)
    })
    io.info(`Pull request #${prNumber}: comment ${outcome.action}${outcome.htmlUrl ? ` (${outcome.htmlUrl})` : ''}`)
  } catch (error) {
    io.warning(redactSecrets(`Could not comment on pull request #${prNumber}: ${describeError(error)}`, state.secrets))
  }
}

/** Asks the platform to validate, when credentials allow and the local checks passed. */
async function validateRemotely(bundle: Bundle | undefined, driver: DeployDriver | undefined, settings: Settings): Promise<RemoteValidationOutcome> {
  if (bundle === undefined) return { ran: false, reason: 'the bundle failed its local checks' }
  if (driver === undefined) {
    return { ran: false, reason: `no \`${Inputs.ClientId}\` / \`${Inputs.ClientSecret}\` were given (for example on a pull request from a fork)` }
  }
  const validation = await driver.validate(bundle)
  if (!validation.valid && settings.overrideValidation === true && validation.errors.length === 0) {
    return { ran: true, ...validation, valid: true }
  }
  return { ran: true, ...validation }
}

/** What the platform gave as reasons for rejecting the bundle. */
function rejectionReasons(validation: RemoteValidationOutcome): string {
  if (!validation.ran) return validation.reason
  if (validation.errors.length > 0) return validation.errors.join('; ')
  if (validation.warnings.length > 0) {
    return `${validation.warnings.join('; ')} (warnings only: set \`overrideValidation: true\` or the \`${Inputs.OverrideValidation}\` input to bypass them)`
  }
  return 'no reason given'
}

/** The message that fails the step, or undefined when the run passed. */
function failureMessage(status: FinalStatus, state: RunState): string | undefined {
  if (status === FinalStatus.Completed) return undefined
  if (status === FinalStatus.Assessed) return state.gate && !state.gate.passed ? state.gate.message : undefined
  const detail = state.result?.error ?? state.failure
  return detail ? `${status}: ${detail}` : status
}

/**
 * Writes every record, each on its own so that one failing does not lose the others:
 * report file and job summary, audit entry, outputs (with metrics over the audit log), webhook, PR comment.
 */
async function record(state: RunState, context: RunContext, workspace: string, secrets: string[], deps: RunDependencies): Promise<void> {
  const { io, env } = deps
  const settings = state.settings
  const plan = state.plan ?? unassessedPlan(state.failure ?? 'the run stopped before the assessment')
  const result = state.result
  const status = result?.status ?? state.status ?? FinalStatus.Assessed
  const mode = settings?.mode ?? modeDespiteInvalidInputs(name => io.getInput(name), context.eventName)
  const failure = state.failure
  const guard = async (what: string, step: () => Promise<void>): Promise<void> => {
    try {
      await step()
    } catch (error) {
      io.warning(redactSecrets(`Could not write the ${what}: ${describeError(error)}`, secrets))
    }
  }

  const targets = recordTargets(settings, name => io.getInput(name))
  const auditLogPath = resolve(workspace, targets.auditLog)
  const reportPath = join(env.RUNNER_TEMP || tmpdir(), `genesys-bundle-report-${plan.bundleId || 'bundle'}-${plan.environmentId || 'env'}.md`)

  await guard('report', async () => {
    const markdown = redactSecrets(renderJobSummary(plan, result, context, { status, failure, gate: state.gate }), secrets)
    await mkdir(dirname(reportPath), { recursive: true })
    await writeFile(reportPath, markdown, 'utf8')
    await io.appendSummary(markdown)
  })

  await guard('audit log entry', async () => {
    const entry = buildAuditEntry({ plan, result, context, mode, status, error: failure, now: new Date(deps.now()) })
    const { warning } = await appendAuditEntry(auditLogPath, entry, { secrets })
    if (warning) io.warning(warning)
  })

  let metrics = computeMetrics('')
  await guard('metrics', async () => {
    metrics = computeMetrics(await readFile(auditLogPath, 'utf8'))
  })

  await guard('outputs', async () => {
    const outputs = buildOutputs({ plan, result, mode, status, paths: { auditLog: auditLogPath, report: reportPath }, metrics })
    for (const [name, value] of Object.entries(outputs)) io.setOutput(name as OutputName, redactSecrets(value, secrets))
  })

  const webhookUrl = targets.webhookUrl
  if (webhookUrl) {
    await guard('webhook', async () => {
      const body = redactSecrets(buildWebhookBody({ plan, result, context, mode, status, now: new Date(deps.now()) }), secrets)
      const delivery = await sendWebhook({
        url: webhookUrl,
        secret: targets.webhookSecret,
        body,
        sleep: deps.sleep,
        random: deps.random,
        log: message => io.info(redactSecrets(message, secrets))
      })
      if (!delivery.delivered) io.warning(redactSecrets(delivery.error ?? `The webhook was not delivered after ${delivery.attempts} attempt(s).`, secrets))
      else io.info(`Webhook delivered (HTTP ${delivery.status})`)
    })
  }

  // Last: the GitHub API is the one record that can be slow or refused, and the others must not wait for it.
  if (settings?.comment) {
    await guard('pull request comment', () => publishComment(state, renderComment(plan, result, context, { status, failure, gate: state.gate }), io))
  }
}
