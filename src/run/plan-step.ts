/**
 * Planning: load the bundle (annotating its problems), choose the API, ask the platform to validate, find the
 * baseline and the consumers of the flows the change touches, and assemble the plan. Nothing is deployed here.
 */
import { relative, resolve } from 'node:path'
import { assemblePlan, unassessedPlan } from '../assess/assemble-plan.js'
import { emptyBaseline, readBaselineFile } from '../assess/baseline.js'
import { readBaselineAtRef } from '../assess/baseline-from-git.js'
import { resourceChanges } from '../assess/diff.js'
import type { Consumer } from '../assess/impact.js'
import type { Baseline, Plan, RemoteValidationOutcome } from '../assess/plan.js'
import type { Bundle } from '../bundle/bundle.js'
import { fingerprintBundle } from '../bundle/fingerprint.js'
import { loadBundle, type LoadResult } from '../bundle/loader.js'
import { Inputs } from '../constants.js'
import { describeError } from '../error-message.js'
import { createDriver } from '../genesys/driver-factory.js'
import type { ApiName, DeployDriver } from '../genesys/driver.js'
import { planFindingAnnotations, type ErrorOverflow } from '../report/finding-annotations.js'
import type { RunContext } from '../run-context.js'
import type { Settings } from '../settings.js'
import { enterPhase, type ActionIO, type RunDependencies } from './action-io.js'
import { checkAssessedBaseline, checkAssessedBundle } from './plan-check.js'
import type { RunState } from './run-state.js'

/** What planning hands to the gate or the deployment. */
export interface PlannedRun {
  plan: Plan
  /** The driver of the chosen API; undefined without credentials or without a bundle. */
  driver?: DeployDriver
  remoteValidation: RemoteValidationOutcome
}

/**
 * Plans the run under the planning deadline (`timeout-seconds` from the first platform request: a hung or
 * rate-limited platform must not hold the job for long before deploying; time spent on GitHub before it does not count). A failed platform call still leaves a plan in `state` (what is known locally)
 * before it is thrown.
 */
export async function planRun(state: RunState, settings: Settings, context: RunContext, workspace: string, deps: RunDependencies): Promise<PlannedRun> {
  state.requestDeadline = undefined
  state.planningTimeoutMs = settings.timeoutMs
  try {
    return await assemblePlanFromSources(state, settings, context, workspace, deps)
  } finally {
    state.requestDeadline = undefined
    state.planningTimeoutMs = undefined
  }
}

async function assemblePlanFromSources(
  state: RunState,
  settings: Settings,
  context: RunContext,
  workspace: string,
  deps: RunDependencies
): Promise<PlannedRun> {
  const { io } = deps
  enterPhase(io, `Bundle: load and check ${settings.bundle}`)
  const loaded = await loadRunBundle(settings, workspace, settings.api)
  state.errorOverflow = annotateFindings(loaded, io)
  state.api = loaded.api
  if (loaded.api) io.info(`API: ${loaded.api.reason}.`)
  const api = apiOf(state, settings)

  // A baseline file is local input: read it before any request, so that a wrong path fails fast.
  const baselineInput = settings.baseline ? await readBaselineFile(settings.baseline, workspace) : undefined
  // Deploy only the assessed plan: the bundle and the gate are compared before any request to Genesys Cloud.
  if (settings.mode === 'deploy' && loaded.bundle) {
    try {
      await checkAssessedBundle(state, settings, context, loaded.bundle, io)
    } catch (error) {
      state.plan = { ...unassessedPlan('the deploy stopped before asking Genesys Cloud', loaded), fingerprint: fingerprintBundle(loaded.bundle) }
      throw error
    }
  }
  const driver = settings.credentials && loaded.bundle ? makeDriver(state, settings, api, deps) : undefined
  if (loaded.bundle) enterPhase(io, `Platform validation, baseline and impact (${api})`)
  let remoteValidation: RemoteValidationOutcome
  try {
    remoteValidation = await validateRemotely(loaded.bundle, driver, settings)
  } catch (error) {
    const reason = `the platform could not be asked: ${describeError(error)}`
    state.plan = assemblePlan({ api, loaded, baseline: baselineInput ?? emptyBaseline(), remoteValidation: { ran: false, reason } })
    throw error
  }
  const baseline = baselineInput ?? (await resolveBaseline(settings, loaded.bundle, driver, context, workspace, state, io))
  let plan = assemblePlan({ api, loaded, baseline, remoteValidation })
  const consumers = await findConsumers(plan, driver, io)
  if (consumers) plan = assemblePlan({ api, loaded, baseline, remoteValidation, consumers })
  state.plan = plan
  if (settings.mode === 'deploy') checkAssessedBaseline(state, settings, plan, io)
  return { plan, driver, remoteValidation }
}

/** The API of the run: the one chosen for the bundle, else the input's (a bundle that did not load deploys nothing). */
function apiOf(state: RunState, settings: Settings | undefined): ApiName {
  if (state.api) return state.api.api
  return settings?.api === 'architect' ? 'architect' : 'architecture-manager'
}

/**
 * The bundle's problems as annotations on their lines, within GitHub's 10 per level and step (see
 * finding-annotations.ts); the ones left without an annotation go to the log as plain lines.
 */
/** Annotates the bundle's problems within GitHub's limits; returns the errors left out, for the failure message. */
function annotateFindings(loaded: LoadResult, io: ActionIO): ErrorOverflow | undefined {
  const { annotations, logLines, errorOverflow } = planFindingAnnotations(loaded.findings)
  for (const annotation of annotations) {
    if (annotation.level === 'error') io.error(annotation.message, annotation.properties)
    else io.warning(annotation.message, annotation.properties)
  }
  for (const line of logLines) io.info(line)
  return errorOverflow
}

/** Loads the bundle the run deploys: the `bundle` input, with the inputs that override the manifest's values. */
export function loadRunBundle(settings: Settings, workspace: string, api: Settings['api']): ReturnType<typeof loadBundle> {
  return loadBundle(settings.bundle, {
    workspace,
    overrides: { environmentId: settings.environmentId, overrideValidation: settings.overrideValidation, rollbackOnFailure: settings.rollbackOnFailure },
    api
  })
}

/**
 * The driver of `api`, over one HTTP client of the run: it keeps to the deadline of the phase under way (in the post
 * step, the one the recovery sets) and registers every secret it learns (the access token).
 */
export function makeDriver(state: RunState, settings: Settings, api: ApiName, deps: RunDependencies): DeployDriver {
  return createDriver(
    { ...settings, api },
    {
      ...deps,
      // While planning, the deadline starts with the first platform request (see planRun).
      requestDeadline: () =>
        state.requestDeadline ?? (state.planningTimeoutMs === undefined ? undefined : (state.requestDeadline = deps.now() + state.planningTimeoutMs)),
      onSecret: secret => {
        deps.io.setSecret(secret)
        state.secrets.push(secret)
      }
    }
  )
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
      return { source: 'live', description: live.description, config: live.config, ...(live.versions ? { versions: live.versions } : {}) }
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
