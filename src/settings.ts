import { z } from 'zod'
import { Inputs, type InputName } from './constants.js'
import type { ApiName } from './genesys/driver.js'
import { apiUrlFor, authUrlFor, describeKnownRegions, resolveRegion } from './genesys/regions.js'

/** How the run behaves: assess only, or assess then deploy. */
export type Mode = 'assess' | 'deploy'

/** Risk threshold of the gate (input `fail-on-risk`). */
export type FailOnRisk = 'high' | 'medium' | 'low' | 'never'

/** Every input of the action, parsed and checked. Read once, in main, then passed around. */
export interface Settings {
  /** `assess` or `deploy`; `auto` is resolved from the event (pull requests assess, the rest deploy). */
  mode: Mode
  /** Path of the bundle manifest (YAML or JSON), as given. */
  bundle: string
  /** Which Genesys Cloud API deploys the bundle. */
  api: ApiName
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
  /** CI/CD completion webhook. */
  webhookUrl?: string
  /** HMAC key that signs the webhook body. */
  webhookSecret?: string
  /** Path of the audit log (JSON Lines), appended to. */
  auditLog: string
}

/** Defaults, the same as action.yml's, applied when an input is empty or not set at all. */
export const DEFAULTS = {
  mode: 'auto',
  api: 'architecture-manager',
  region: 'mypurecloud.com',
  comment: 'true',
  failOnRisk: 'high',
  riskAcceptedLabel: 'genesys-risk-accepted',
  timeoutSeconds: '600',
  pollIntervalSeconds: '2',
  maxPollIntervalSeconds: '15',
  auditLog: 'genesys-deploy-audit.jsonl'
} as const

/** Thrown when inputs are wrong; `problems` lists each one with its fix. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid input: ${problems[0]}`
        : `Invalid inputs (${problems.length}):\n${problems.map(p => `- ${p}`).join('\n')}`
    )
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

/** The raw inputs, each parsed on its own so every problem is reported at once. */
const RawInputsSchema = z.object({
  mode: oneOf(Inputs.Mode, ['auto', 'assess', 'deploy'] as const),
  bundle: z.string().min(1, { message: `\`${Inputs.Bundle}\` is required; set it to the path of the bundle manifest (YAML or JSON), e.g. genesys/bundle.yaml` }),
  api: oneOf(Inputs.Api, ['architecture-manager', 'architect'] as const),
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
  webhookUrl: urlInput(Inputs.WebhookUrl),
  webhookSecret: optionalText,
  auditLog: z.string()
})

type RawInputs = z.input<typeof RawInputsSchema>

function readRawInputs(read: InputReader): RawInputs {
  const get = (name: InputName, fallback = ''): string => read(name).trim() || fallback
  return {
    mode: get(Inputs.Mode, DEFAULTS.mode),
    bundle: get(Inputs.Bundle),
    api: get(Inputs.Api, DEFAULTS.api),
    environmentId: get(Inputs.EnvironmentId),
    region: get(Inputs.Region, DEFAULTS.region),
    apiUrl: get(Inputs.ApiUrl),
    authUrl: get(Inputs.AuthUrl),
    clientId: get(Inputs.ClientId),
    clientSecret: get(Inputs.ClientSecret),
    githubToken: get(Inputs.GithubToken),
    comment: get(Inputs.Comment, DEFAULTS.comment),
    failOnRisk: get(Inputs.FailOnRisk, DEFAULTS.failOnRisk),
    riskAcceptedLabel: get(Inputs.RiskAcceptedLabel, DEFAULTS.riskAcceptedLabel),
    overrideValidation: get(Inputs.OverrideValidation),
    rollbackOnFailure: get(Inputs.RollbackOnFailure),
    baseline: get(Inputs.Baseline),
    timeoutMs: get(Inputs.TimeoutSeconds, DEFAULTS.timeoutSeconds),
    pollIntervalMs: get(Inputs.PollIntervalSeconds, DEFAULTS.pollIntervalSeconds),
    maxPollIntervalMs: get(Inputs.MaxPollIntervalSeconds, DEFAULTS.maxPollIntervalSeconds),
    webhookUrl: get(Inputs.WebhookUrl),
    webhookSecret: get(Inputs.WebhookSecret),
    auditLog: get(Inputs.AuditLog, DEFAULTS.auditLog)
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
    pollIntervalMs: raw.pollIntervalMs,
    // A first interval above the largest one (say 20 s with the default 15 s) simply polls at the first interval.
    maxPollIntervalMs: Math.max(raw.maxPollIntervalMs, raw.pollIntervalMs),
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
    problems.push(`mode is deploy (event ${quoted(eventName || 'unknown')}) but \`${Inputs.ClientId}\` and \`${Inputs.ClientSecret}\` are empty; pass the OAuth client credentials from secrets, or set \`${Inputs.Mode}: assess\``)
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
    auditLog: read(Inputs.AuditLog).trim() || DEFAULTS.auditLog,
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
  return [Inputs.ClientSecret, Inputs.GithubToken, Inputs.WebhookSecret]
    .map(name => read(name).trim())
    .filter(value => value.length > 0)
}
