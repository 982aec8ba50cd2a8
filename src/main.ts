import * as core from '@actions/core'
import type { AnnotationProperties } from '@actions/core'
import { RunPhase, StateKeys } from './constants.js'
import { describeError } from './error-message.js'
import { breakOldCommands, escapeLogText } from './log-line.js'
import { redactSecrets, redactSecretsInText } from './redact-secrets.js'
import { planLogLine } from './report/plan-log-line.js'
import { realSleep } from './retry-helper.js'
import { readRunContext, type RunContext } from './run-context.js'
import { enterPhase, inGroup, type ActionIO, type RunDependencies } from './run/action-io.js'
import { cancellationPromise, handleCancellation, processCancellation, savePhase } from './run/cancellation.js'
import { deployPlan } from './run/deploy-step.js'
import { lazyGitHub } from './run/github-access.js'
import { failureMessage, settleCrash, settlePlannedRun } from './run/outcome.js'
import { planRun } from './run/plan-step.js'
import { runPostStep } from './run/post-step.js'
import { writeRecords } from './run/records.js'
import type { RunState } from './run/run-state.js'
import { readSecretInputs, readSettings } from './settings.js'

export type { ActionIO, RunDependencies } from './run/action-io.js'

/**
 * The real runner: @actions/core. Log lines are escaped here, once, so no data can start a workflow command, and
 * every text for the log is cleared of the secrets the run registered (the runner masks them too, but only in what it
 * shows: the raw output stays clean this way, whatever the platform echoes).
 */
export function coreIO(): ActionIO {
  const secrets: string[] = []
  const redact = (text: string): string => redactSecretsInText(text, secrets)
  const clean = (text: string): string => breakOldCommands(redact(text))
  const cleanProperties = (properties?: AnnotationProperties): AnnotationProperties | undefined =>
    properties && {
      ...properties,
      ...(properties.title === undefined ? {} : { title: clean(properties.title) }),
      ...(properties.file === undefined ? {} : { file: clean(properties.file) })
    }
  return {
    getInput: name => core.getInput(name),
    getState: name => core.getState(name),
    setOutput: (name, value) => core.setOutput(name, value),
    setSecret: value => {
      core.setSecret(value)
      secrets.push(value)
    },
    saveState: (name, value) => core.saveState(name, value),
    info: message => core.info(escapeLogText(redact(message))),
    warning: (message, properties) => core.warning(clean(message), cleanProperties(properties)),
    error: (message, properties) => core.error(clean(message), cleanProperties(properties)),
    startGroup: title => core.startGroup(clean(title)),
    endGroup: () => core.endGroup(),
    appendSummary: async markdown => {
      if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write()
    },
    setFailed: message => core.setFailed(clean(message))
  }
}

/**
 * The story of one run: read the settings, plan (load, validate, baseline, diff, assess), then gate (assess) or
 * deploy (deploy), and always write the records: report, audit entry, outputs, webhook, comment.
 * The same entry runs as the post step (`runs.post`): it then only acts when the main step did not finish.
 */
export async function run(overrides: Partial<RunDependencies> = {}): Promise<void> {
  const deps: RunDependencies = {
    io: overrides.io ?? coreIO(),
    env: overrides.env ?? process.env,
    now: overrides.now ?? Date.now,
    sleep: overrides.sleep ?? realSleep,
    random: overrides.random ?? Math.random,
    // Under the runner (no stand-in IO) the process's signals cancel the step; tests pass their own hooks or none.
    cancellation: overrides.cancellation ?? (overrides.io ? undefined : processCancellation)
  }
  const { io } = deps
  if (io.getState(StateKeys.MainStarted) !== '') return runPostStep(deps)
  io.saveState(StateKeys.MainStarted, 'true')
  savePhase(io, RunPhase.Planning)

  const state: RunState = { secrets: readSecretInputs(name => io.getInput(name)) }
  if (deps.cancellation) handleCancellation(deps.cancellation, io, () => cancellationPromise(state.settings?.onCancel))
  for (const secret of state.secrets) io.setSecret(secret)
  const context = readRunContext(deps.env)
  const workspace = deps.env.GITHUB_WORKSPACE || process.cwd()

  try {
    await planAndAct(state, context, workspace, deps)
  } catch (error) {
    settleCrash(state, describeError(error))
  }

  savePhase(io, RunPhase.Recording)
  await inGroup(io, 'Records', () => writeRecords(state, context, workspace, deps))
  io.saveState(StateKeys.MainFinished, 'true')
  const failure = failureMessage(state)
  if (failure !== undefined) io.setFailed(redactSecrets(failure, state.secrets))
}

/** Reads the settings, plans, then gates (assess) or deploys (deploy). Everything learned goes into `state`. */
async function planAndAct(state: RunState, context: RunContext, workspace: string, deps: RunDependencies): Promise<void> {
  const { io } = deps
  const settings = await inGroup(io, 'Settings', async () => {
    const read = readSettings(name => io.getInput(name), context.eventName)
    io.info(`Genesys Cloud bundle ${read.bundle}: mode ${read.mode}, api ${read.api}, region ${read.region}`)
    for (const adjustment of read.adjustments) io.warning(adjustment)
    return read
  })
  state.settings = settings
  io.saveState(StateKeys.Mode, settings.mode)
  state.github = lazyGitHub(settings, context, deps)
  if (settings.mode === 'assess') state.commentPullRequest = context.pullRequestNumber

  const planned = await planRun(state, settings, context, workspace, deps)
  const { plan } = planned
  io.info(planLogLine(plan))
  if (!settlePlannedRun(state, settings, context, planned)) {
    if (state.gate) io.info(state.gate.message)
    return
  }
  const { driver } = planned
  const bundle = plan.bundle
  if (driver === undefined || bundle === undefined) throw new Error('Deploying needs `client-id` and `client-secret`.')
  enterPhase(io, 'Deploy')
  await deployPlan(state, settings, context, plan, bundle, driver, workspace, deps)
}
