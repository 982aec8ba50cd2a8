import { z } from 'zod'
import { Inputs, type InputName } from './constants.js'
import { API_NAMES, type ApiName } from './genesys/driver.js'
import { apiUrlFor, authUrlFor, describeKnownRegions, resolveRegion } from './genesys/regions.js'

/** How the run behaves: assess only, or assess then deploy. */
export type Mode = 'assess' | 'deploy'

/** Risk threshold of the gate (input `fail-on-risk`). */
export type FailOnRisk = 'high' | 'medium' | 'low' | 'never'

/** Input `api`: one of the APIs, or `auto` (decided from the bundle's flows once it is loaded; see bundle/api-choice.ts). */
export type ApiChoice = ApiName | 'auto'

/** What the post step does after a cancelled deployment (input `on-cancel`). */
export type OnCancel = 'rollback' | 'leave'

/** What a deploy does when its plan differs from the assessed one (input `on-plan-change`). */
export type OnPlanChange = 'fail' | 'warn'

/**
 * The shortest poll interval, in ms: status reads stay at or under 5 per second (the Platform API's default budget is
 * 300 requests per minute per OAuth client). A smaller input is raised to it, with a warning.
 */
export const MIN_POLL_INTERVAL_MS = 200

/** Most flow jobs that may run at once (input `max-parallel-jobs`). */
export const MAX_PARALLEL_JOBS_LIMIT = 32

/** Every input of the action, parsed and checked. Read once, in main, then passed around. */
export interface Settings {
  /** `assess` or `deploy`; `auto` is resolved from the event (pull requests assess, the rest deploy). */
  mode: Mode
  /** Path of the bundle manifest (YAML or JSON), as given. */
  bundle: string
  /** Which Genesys Cloud API deploys the bundle, or `auto` until the bundle is loaded. */
  api: ApiChoice
  /** Target environment; overrides the manifest's `environmentId` when set. */
  environmentId?: string
  /** Region host (`mypurecloud.com`, `usw2.pure.cloud`, ...). */
  region: string
  /** Base URL of the Platform API, without a trailing slash. */
  apiUrl: string
  /** Base URL of the login service that issues OAuth tokens, without a trailing slash. */
  authUrl: string
  /** OAuth client credentials; both or neither. Without them only local checks and the diff run. */
  credentials?: { clientId: string; clientSecret: string }
  /** Token for the GitHub API (PR comment, baseline look-ups). */
  githubToken?: string
  /** Post or update the sticky PR comment. */
  comment: boolean
  /** Lowest risk level that fails the gate; `never` disables the gate. */
  failOnRisk: FailOnRisk
  /** PR label that lets a risky change pass the gate. */
  riskAcceptedLabel: string
  /** Overrides the manifest's `overrideValidation` when set. */
  overrideValidation?: boolean
  /** Overrides the manifest's `rollbackOnFailure` when set. */
  rollbackOnFailure?: boolean
  /** Path of the configuration the diff compares against, when given. */
  baseline?: string
  /** Deadline for the deployment (and, separately, its rollback) to reach a terminal state, in ms. */
  timeoutMs: number
  /** First poll interval, in ms. */
  pollIntervalMs: number
  /** Largest poll interval, in ms. */
  maxPollIntervalMs: number
  /** `architect`: flow jobs of one dependency level running at once at most (1 = one at a time). */
  maxParallelJobs: number
  /** After a cancelled deployment, the post step rolls back what this run deployed, or leaves it. */
  onCancel: OnCancel
  /** Deploy: a plan that differs from the assessed one fails before any request, or warns. */
  onPlanChange: OnPlanChange
  /** Deploy: refuse to deploy without a plan assessed on a merged pull request. */
  requireAssessedPlan: boolean
  /** Branch holding the durable run history, appended through the GitHub API; undefined = off. */
  historyBranch?: string
  /** Problems with inputs that were corrected rather than refused (a poll interval below the floor), for warnings. */
  adjustments: string[]
  /** CI/CD completion webhook. */
  webhookUrl?: string
  /** HMAC key that signs the webhook body. */
  webhookSecret?: string
  /** Path of the audit log (JSON Lines), appended to. */
  auditLog: string
}

/**
 * Defaults by input name, the same as action.yml's (a test holds the two equal), applied when an input is empty or
 * not set at all. `github-token` has none here: its default is an expression the runner evaluates.
 */
export const DEFAULTS = {
  [Inputs.Mode]: 'auto',
  [Inputs.Api]: 'auto',
  [Inputs.Region]: 'mypurecloud.com',
  [Inputs.Comment]: 'true',
  [Inputs.FailOnRisk]: 'high',
  [Inputs.RiskAcceptedLabel]: 'genesys-risk-accepted',
  [Inputs.TimeoutSeconds]: '600',
  [Inputs.PollIntervalSeconds]: '2',
  [Inputs.MaxPollIntervalSeconds]: '15',
  [Inputs.MaxParallelJobs]: '4',
  [Inputs.OnCancel]: 'rollback',
  [Inputs.OnPlanChange]: 'fail',
  [Inputs.RequireAssessedPlan]: 'false',
  [Inputs.AuditLog]: 'genesys-deploy-audit.jsonl'
} as const satisfies Partial<Record<InputName, string>>

/** Thrown when inputs are wrong; `problems` lists each one with its fix. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? `Invalid input: ${problems[0]}` : `Invalid inputs (${problems.length}):\n${problems.map(p => `- ${p}`).join('\n')}`)
    this.name = 'SettingsError'
  }
}

/** Reads one input by name; main passes `core.getInput`. */
export type InputReader = (name: InputName) => string

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

/** Resolves `auto` from the event: pull requests are assessed, everything else deploys. */
export function resolveMode(mode: 'auto' | Mode, eventName: string): Mode {
  if (mode !== 'auto') return mode
  return PULL_REQUEST_EVENTS.has(eventName) ? 'assess' : 'deploy'
}

// The YAML 1.2 core-schema booleans that @actions/core's getBooleanInput accepts.
const TRUE_WORDS = ['true', 'True', 'TRUE']
const FALSE_WORDS = ['false', 'False', 'FALSE']

const quoted = (value: string): string => JSON.stringify(value)

function oneOf<T extends string>(input: InputName, choices: readonly T[]) {
  return z.string().transform((value, ctx): T => {
    const normalized = value.toLowerCase()
    const match = choices.find(choice => choice === normalized)
    if (match === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `\`${input}\` is ${quoted(value)}; set it to one of: ${choices.join(', ')}`
      })
      return z.NEVER
    }
    return match
  })
}

function booleanInput(input: InputName) {
  return z.string().transform((value, ctx): boolean => {
    if (TRUE_WORDS.includes(value)) return true
    if (FALSE_WORDS.includes(value)) return false
    ctx.addIssue({ code: 'custom', message: `\`${input}\` is ${quoted(value)}; set it to true or false` })
    return z.NEVER
  })
}

/** An optional boolean: empty means "use the manifest's". */
function optionalBooleanInput(input: InputName) {
  return z.string().transform((value, ctx): boolean | undefined => {
    if (value === '') return undefined
    if (TRUE_WORDS.includes(value)) return true
    if (FALSE_WORDS.includes(value)) return false
    ctx.addIssue({
      code: 'custom',
      message: `\`${input}\` is ${quoted(value)}; set it to true or false, or leave it empty to use the manifest's value`
    })
    return z.NEVER
  })
}

/** Seconds as a decimal number ("2", "0.5"), turned into whole milliseconds. */
function secondsInput(input: InputName) {
  return z.string().transform((value, ctx): number => {
    const seconds = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN
    if (!Number.isFinite(seconds) || seconds <= 0) {
      ctx.addIssue({
        code: 'custom',
        message: `\`${input}\` is ${quoted(value)}; set it to a number of seconds greater than 0 (decimals allowed, e.g. 2 or 0.5)`
      })
      return z.NEVER
    }
    return Math.max(1, Math.round(seconds * 1000))
  })
}

/** An http(s) URL; trailing slashes removed so paths can be appended. Credentials in it are not quoted back. */
function urlInput(input: InputName) {
  return z.string().transform((value, ctx): string | undefined => {
    if (value === '') return undefined
    let url: URL
    try {
      url = new URL(value)
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `\`${input}\` is not a valid URL; set it to an absolute http(s) URL such as https://example.com/path`
      })
      return z.NEVER
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({
        code: 'custom',
        message: `\`${input}\` uses the scheme ${quoted(url.protocol)}; use an https:// (or http:// for a local simulator) URL`
      })
      return z.NEVER
    }
    return value.replace(/\/+$/, '')
  })
}

const optionalText = z.string().transform(value => (value === '' ? undefined : value))

/** A whole number within bounds. */
function countInput(input: InputName, min: number, max: number) {
  return z.string().transform((value, ctx): number => {
    const count = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN
    if (!Number.isInteger(count) || count < min || count > max) {
      ctx.addIssue({ code: 'custom', message: `\`${input}\` is ${quoted(value)}; set it to a whole number from ${min} to ${max}` })
      return z.NEVER
    }
    return count
  })
}

/** A branch name git accepts (`git check-ref-format --branch`), the common rules: no spaces, `..`, `~^:?*[\\`, control characters. */
function branchInput(input: InputName) {
  return z.string().transform((value, ctx): string | undefined => {
    if (value === '') return undefined
    const invalid =
      /[\u0000-\u0020\u007f~^:?*[\\]/.test(value) || value.includes('..') || value.includes('@{') || /(^[/.-]|[/.]$|\/\/|\.lock$|\/\.)/.test(value)
    if (invalid || value.length > 200) {
      ctx.addIssue({
        code: 'custom',
        message: `\`${input}\` is ${quoted(value.slice(0, 60))}, which is not a valid branch name; use letters, digits, \`-\`, \`_\`, \`.\` and \`/\` (e.g. genesys-history)`
      })
      return z.NEVER
    }
    return value.replace(/^refs\/heads\//, '')
  })
}

/** The raw inputs, each parsed on its own so every problem is reported at once. */
const RawInputsSchema = z.object({
  mode: oneOf(Inputs.Mode, ['auto', 'assess', 'deploy'] as const),
  bundle: z
    .string()
    .min(1, { message: `\`${Inputs.Bundle}\` is required; set it to the path of the bundle manifest (YAML or JSON), e.g. genesys/bundle.yaml` }),
  api: oneOf(Inputs.Api, ['auto', ...API_NAMES] as const),
  environmentId: optionalText,
  region: z.string().transform((value, ctx): string => {
    const host = resolveRegion(value)
    if (host === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `\`${Inputs.Region}\` is ${quoted(value)}, which is not a Genesys Cloud region; set it to one of: ${describeKnownRegions()}`
      })
      return z.NEVER
    }
    return host
  }),
  apiUrl: urlInput(Inputs.ApiUrl),
  authUrl: urlInput(Inputs.AuthUrl),
  clientId: optionalText,
  clientSecret: optionalText,
  githubToken: optionalText,
  comment: booleanInput(Inputs.Comment),
  failOnRisk: oneOf(Inputs.FailOnRisk, ['high', 'medium', 'low', 'never'] as const),
  riskAcceptedLabel: z.string(),
  overrideValidation: optionalBooleanInput(Inputs.OverrideValidation),
  rollbackOnFailure: optionalBooleanInput(Inputs.RollbackOnFailure),
  baseline: optionalText,
  timeoutMs: secondsInput(Inputs.TimeoutSeconds),
  pollIntervalMs: secondsInput(Inputs.PollIntervalSeconds),
  maxPollIntervalMs: secondsInput(Inputs.MaxPollIntervalSeconds),
  maxParallelJobs: countInput(Inputs.MaxParallelJobs, 1, MAX_PARALLEL_JOBS_LIMIT),
  onCancel: oneOf(Inputs.OnCancel, ['rollback', 'leave'] as const),
  onPlanChange: oneOf(Inputs.OnPlanChange, ['fail', 'warn'] as const),
  requireAssessedPlan: booleanInput(Inputs.RequireAssessedPlan),
  historyBranch: branchInput(Inputs.HistoryBranch),
  webhookUrl: urlInput(Inputs.WebhookUrl),
  webhookSecret: optionalText,
  auditLog: z.string()
})

type RawInputs = z.input<typeof RawInputsSchema>

function readRawInputs(read: InputReader): RawInputs {
  const get = (name: InputName, fallback = ''): string => read(name).trim() || fallback
  return {
    mode: get(Inputs.Mode, DEFAULTS[Inputs.Mode]),
    bundle: get(Inputs.Bundle),
    api: get(Inputs.Api, DEFAULTS[Inputs.Api]),
    environmentId: get(Inputs.EnvironmentId),
    region: get(Inputs.Region, DEFAULTS[Inputs.Region]),
    apiUrl: get(Inputs.ApiUrl),
    authUrl: get(Inputs.AuthUrl),
    clientId: get(Inputs.ClientId),
    clientSecret: get(Inputs.ClientSecret),
    githubToken: get(Inputs.GithubToken),
    comment: get(Inputs.Comment, DEFAULTS[Inputs.Comment]),
    failOnRisk: get(Inputs.FailOnRisk, DEFAULTS[Inputs.FailOnRisk]),
    riskAcceptedLabel: get(Inputs.RiskAcceptedLabel, DEFAULTS[Inputs.RiskAcceptedLabel]),
    overrideValidation: get(Inputs.OverrideValidation),
    rollbackOnFailure: get(Inputs.RollbackOnFailure),
    baseline: get(Inputs.Baseline),
    timeoutMs: get(Inputs.TimeoutSeconds, DEFAULTS[Inputs.TimeoutSeconds]),
    pollIntervalMs: get(Inputs.PollIntervalSeconds, DEFAULTS[Inputs.PollIntervalSeconds]),
    maxPollIntervalMs: get(Inputs.MaxPollIntervalSeconds, DEFAULTS[Inputs.MaxPollIntervalSeconds]),
    maxParallelJobs: get(Inputs.MaxParallelJobs, DEFAULTS[Inputs.MaxParallelJobs]),
    onCancel: get(Inputs.OnCancel, DEFAULTS[Inputs.OnCancel]),
    onPlanChange: get(Inputs.OnPlanChange, DEFAULTS[Inputs.OnPlanChange]),
    requireAssessedPlan: get(Inputs.RequireAssessedPlan, DEFAULTS[Inputs.RequireAssessedPlan]),
    historyBranch: get(Inputs.HistoryBranch),
    webhookUrl: get(Inputs.WebhookUrl),
    webhookSecret: get(Inputs.WebhookSecret),
    auditLog: get(Inputs.AuditLog, DEFAULTS[Inputs.AuditLog])
  }
}

/**
 * Reads every input and returns the Settings, or throws one SettingsError that lists every problem.
 * `eventName` resolves `mode: auto`.
 */
export function readSettings(read: InputReader, eventName: string): Settings {
  const inputs = readRawInputs(read)
  const parsed = RawInputsSchema.safeParse(inputs)
  // Problems that involve two inputs are found from the raw text, so they are reported with the rest.
  const problems = [...(parsed.success ? [] : parsed.error.issues.map(issue => issue.message)), ...crossInputProblems(inputs, read, eventName)]
  if (!parsed.success || problems.length > 0) throw new SettingsError(problems)
  const raw = parsed.data
  const mode = resolveMode(raw.mode, eventName)
  const adjustments: string[] = []
  const atFloor = (input: InputName, ms: number): number => {
    if (ms >= MIN_POLL_INTERVAL_MS) return ms
    adjustments.push(
      `\`${input}\` is ${ms / 1000} s, below the floor of ${MIN_POLL_INTERVAL_MS / 1000} s that keeps status reads at 5 per second or fewer; ${MIN_POLL_INTERVAL_MS / 1000} s is used`
    )
    return MIN_POLL_INTERVAL_MS
  }
  const pollIntervalMs = atFloor(Inputs.PollIntervalSeconds, raw.pollIntervalMs)
  const maxPollIntervalMs = atFloor(Inputs.MaxPollIntervalSeconds, raw.maxPollIntervalMs)

  return {
    mode,
    bundle: raw.bundle,
    api: raw.api,
    environmentId: raw.environmentId,
    region: raw.region,
    apiUrl: raw.apiUrl ?? apiUrlFor(raw.region),
    authUrl: raw.authUrl ?? authUrlFor(raw.region),
    credentials: raw.clientId && raw.clientSecret ? { clientId: raw.clientId, clientSecret: raw.clientSecret } : undefined,
    githubToken: raw.githubToken,
    comment: raw.comment,
    failOnRisk: raw.failOnRisk,
    riskAcceptedLabel: raw.riskAcceptedLabel,
    overrideValidation: raw.overrideValidation,
    rollbackOnFailure: raw.rollbackOnFailure,
    baseline: raw.baseline,
    timeoutMs: raw.timeoutMs,
    pollIntervalMs,
    // A first interval above the largest one (say 20 s with the default 15 s) simply polls at the first interval.
    maxPollIntervalMs: Math.max(maxPollIntervalMs, pollIntervalMs),
    maxParallelJobs: raw.maxParallelJobs,
    onCancel: raw.onCancel,
    onPlanChange: raw.onPlanChange,
    requireAssessedPlan: raw.requireAssessedPlan,
    historyBranch: raw.historyBranch,
    adjustments,
    webhookUrl: raw.webhookUrl,
    webhookSecret: raw.webhookSecret,
    auditLog: raw.auditLog
  }
}

/** Problems between inputs: credentials given by halves, or a deployment without credentials. */
function crossInputProblems(inputs: RawInputs, read: InputReader, eventName: string): string[] {
  const problems: string[] = []
  if (Boolean(inputs.clientId) !== Boolean(inputs.clientSecret)) {
    const missing = inputs.clientId ? Inputs.ClientSecret : Inputs.ClientId
    problems.push(`\`${missing}\` is empty while its pair is set; set both \`${Inputs.ClientId}\` and \`${Inputs.ClientSecret}\` (from secrets), or neither`)
  }
  if (modeDespiteInvalidInputs(read, eventName) === 'deploy' && !inputs.clientId && !inputs.clientSecret) {
    problems.push(
      `mode is deploy (event ${quoted(eventName || 'unknown')}) but \`${Inputs.ClientId}\` and \`${Inputs.ClientSecret}\` are empty; pass the OAuth client credentials from secrets, or set \`${Inputs.Mode}: assess\``
    )
  }
  return problems
}

/**
 * The mode to record a run under when its inputs are invalid: the `mode` input when it is a valid one, else `auto`
 * resolved from the event, so that a broken pull-request run is not recorded as a deployment.
 */
export function modeDespiteInvalidInputs(read: InputReader, eventName: string): Mode {
  const raw = read(Inputs.Mode).trim().toLowerCase()
  return resolveMode(raw === 'assess' || raw === 'deploy' ? raw : 'auto', eventName)
}

/** Where the records of a run go. */
export interface RecordTargets {
  auditLog: string
  webhookUrl?: string
  webhookSecret?: string
}

/**
 * Where to write the records: from the settings, or, when the inputs are invalid, from whichever of these inputs
 * are valid on their own, so that the records still land where the user expects.
 */
export function recordTargets(settings: Settings | undefined, read: InputReader): RecordTargets {
  if (settings) return { auditLog: settings.auditLog, webhookUrl: settings.webhookUrl, webhookSecret: settings.webhookSecret }
  const webhookUrl = urlInput(Inputs.WebhookUrl).safeParse(read(Inputs.WebhookUrl).trim())
  return {
    auditLog: read(Inputs.AuditLog).trim() || DEFAULTS[Inputs.AuditLog],
    webhookUrl: webhookUrl.success ? webhookUrl.data : undefined,
    webhookSecret: read(Inputs.WebhookSecret).trim() || undefined
  }
}

/**
 * Values that secure the run, to mask in logs and strip from every record.
 * Readable even when the other inputs are invalid, so that nothing leaks on the error path.
 */
export function readSecretInputs(read: InputReader): string[] {
  // Not client-id: it is an identifier, not a secret, and masking a short one would garble bundle ids and paths.
  return [Inputs.ClientSecret, Inputs.GithubToken, Inputs.WebhookSecret].map(name => read(name).trim()).filter(value => value.length > 0)
}
