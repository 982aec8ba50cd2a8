/**
 * The records every run writes, whatever happened: report file and job summary, diff and impact files, audit entry
 * (local log, then the history branch), outputs (with metrics over the history), webhook, pull request comment. Each
 * is written on its own, so one failing does not lose the others; a record that cannot be written is a warning.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { unassessedPlan } from '../assess/assemble-plan.js'
import type { OutputName } from '../constants.js'
import { describeError } from '../error-message.js'
import { Inputs } from '../constants.js'
import { appendAuditEntry, buildAuditEntry, type AuditEntry } from '../record/audit-log.js'
import { appendToHistory, HistoryPermissionError } from '../record/history-branch.js'
import { safeFileNamePart } from '../record/history-file-name.js'
import { computeMetrics } from '../record/metrics.js'
import { buildOutputs } from '../record/outputs.js'
import { buildWebhookBody, sendWebhook } from '../record/webhook.js'
import { redactSecrets } from '../redact-secrets.js'
import { renderComment } from '../report/comment.js'
import { renderJobSummary } from '../report/render-report.js'
import type { RunContext } from '../run-context.js'
import { modeDespiteInvalidInputs, recordTargets } from '../settings.js'
import { checkWorkspaceWritePath } from '../workspace-file.js'
import type { RunDependencies } from './action-io.js'
import { assessmentFacts } from './comment-facts.js'
import { publishComment } from './github-access.js'
import { finalStatus } from './outcome.js'
import type { RunState } from './run-state.js'

/** Writes every record of the run from what `state` holds. */
export async function writeRecords(state: RunState, context: RunContext, workspace: string, deps: RunDependencies): Promise<void> {
  const { io, env } = deps
  const secrets = state.secrets
  const settings = state.settings
  const plan = state.plan ?? unassessedPlan(state.failure ?? 'the run stopped before the assessment')
  const result = state.result
  const status = finalStatus(state)
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
  // The output `audit-log`; emptied when the path is refused, so that no later step looks for a log that is not there.
  let auditLogPath = resolve(workspace, targets.auditLog)
  const recordFile = (kind: string, extension: string): string =>
    // The ids come from the manifest: made safe, so that an id like `../x` cannot place the file elsewhere.
    join(
      env.RUNNER_TEMP || tmpdir(),
      `genesys-bundle-${kind}-${safeFileNamePart(plan.bundleId || 'bundle')}-${safeFileNamePart(plan.environmentId || 'env')}.${extension}`
    )
  const reportPath = recordFile('report', 'md')
  const diffPath = recordFile('diff', 'json')
  const impactPath = recordFile('impact', 'json')

  await guard('report', async () => {
    const markdown = redactSecrets(
      renderJobSummary(plan, result, context, { status, failure, gate: state.gate, riskAcceptedLabel: settings?.riskAcceptedLabel }),
      secrets
    )
    await mkdir(dirname(reportPath), { recursive: true })
    await writeFile(reportPath, markdown, 'utf8')
    await io.appendSummary(markdown)
  })

  await guard('diff and impact files', async () => {
    const { added, removed, modified, changes } = plan.diff
    await mkdir(dirname(diffPath), { recursive: true })
    await writeFile(diffPath, redactSecrets(JSON.stringify({ added, removed, modified, changes }), secrets), 'utf8')
    await writeFile(impactPath, redactSecrets(JSON.stringify(plan.impact), secrets), 'utf8')
  })

  let entry: AuditEntry | undefined
  // What metrics are computed over: the history branch's whole chain when there is one, else the local log.
  let localLogText: string | undefined
  let historyText: string | undefined

  await guard('audit log entry', async () => {
    const built = buildAuditEntry({ plan, result, context, mode, status, error: failure, now: new Date(deps.now()), api: state.api?.api })
    entry = built
    // The `audit-log` input is one a pull request's workflow may set: the log must stay in the workspace, out of .git.
    const checked = await checkWorkspaceWritePath(targets.auditLog, {
      workspace,
      describe: `The audit log \`${targets.auditLog}\` (input \`${Inputs.AuditLog}\`)`
    })
    if (!checked.ok) {
      auditLogPath = ''
      io.warning(redactSecrets(`${checked.message} No audit entry was written there; the other records were.`, secrets))
      return
    }
    const appended = await appendAuditEntry(checked.realPath, built, { secrets })
    if (appended.warning) io.warning(redactSecrets(appended.warning, secrets))
    localLogText = appended.logText
  })

  const historyBranch = settings?.historyBranch
  const historyEntry = entry
  if (historyBranch && historyEntry) {
    await guard(`history entry on branch \`${historyBranch}\``, async () => {
      historyText = await appendHistory(state, context, historyBranch, historyEntry, deps)
    })
  }

  let metrics = computeMetrics('')
  await guard('metrics', async () => {
    metrics = computeMetrics(historyText ?? localLogText ?? '')
  })

  await guard('outputs', async () => {
    // The lists are masked before they are cut to size, so that masking (a short secret becomes the longer `***`) cannot
    // push a cut value back over the limit. Lists only: masking an object would mask its keys too.
    const { diff, impact } = plan
    const [added, removed, modified, reasons, riskDrivers, criticalRemovals, capacity, consumers] = redactSecrets(
      [diff.added, diff.removed, diff.modified, impact.reasons, impact.riskDrivers, impact.criticalRemovals, impact.capacity, impact.consumers] as const,
      secrets
    )
    const outputPlan = {
      ...plan,
      diff: { added, removed, modified, changes: [] },
      impact: { ...impact, reasons, riskDrivers, criticalRemovals, capacity, ...(consumers ? { consumers } : {}) }
    }
    const outputs = buildOutputs({
      plan: outputPlan,
      result,
      mode,
      status,
      paths: { auditLog: auditLogPath, report: reportPath, diff: diffPath, impact: impactPath },
      metrics
    })
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
      if (!delivery.delivered)
        io.warning(
          redactSecrets(
            delivery.error ?? `The webhook was not delivered after ${delivery.attempts} attempt(s); check \`webhook-url\` and the receiver's log.`,
            secrets
          )
        )
      else io.info(`Webhook delivered (HTTP ${delivery.status})`)
    })
  }

  // Last: the GitHub API is the one record that can be slow or refused, and the others must not wait for it.
  if (settings?.comment) {
    await guard('pull request comment', () =>
      publishComment(
        state,
        renderComment(plan, result, context, {
          status,
          failure,
          gate: state.gate,
          riskAcceptedLabel: settings?.riskAcceptedLabel,
          assessment: assessmentFacts(state, context, deps.now())
        }),
        io
      )
    )
  }
}

/**
 * Appends the run's entry to the history branch; returns the whole history, or undefined when it was not appended.
 * A token without `contents: write` is one warning naming the permission; the local log has the entry either way.
 */
async function appendHistory(state: RunState, context: RunContext, branch: string, entry: AuditEntry, deps: RunDependencies): Promise<string | undefined> {
  const { io } = deps
  if (!entry.environmentId) {
    io.warning(
      `The run has no environment id (the manifest could not be read), so it was not added to the history branch \`${branch}\`; the local audit log has it.`
    )
    return undefined
  }
  if (context.codeBranches?.includes(branch)) {
    io.warning(
      `\`${Inputs.HistoryBranch}\` is \`${branch}\`, a branch of this repository's code: the history is not written there. Name a ` +
        'branch of its own (for example `genesys-history`), which the action creates holding only history files. The local audit log has the entry.'
    )
    return undefined
  }
  const github = await state.github?.()
  if (!github) {
    io.warning(
      `\`${Inputs.HistoryBranch}\` is set to \`${branch}\` but there is no GitHub token to write it with: leave \`${Inputs.GithubToken}\` at its default. The local audit log has the entry.`
    )
    return undefined
  }
  try {
    const appended = await appendToHistory({
      github,
      branch,
      entry,
      secrets: state.secrets,
      sleep: deps.sleep,
      random: deps.random,
      log: message => io.info(message)
    })
    if (appended.warning) io.warning(redactSecrets(appended.warning, state.secrets))
    io.info(`History: entry appended to \`${appended.path}\` on branch \`${branch}\`${appended.createdBranch ? ' (branch created)' : ''}.`)
    return appended.text
  } catch (error) {
    if (!(error instanceof HistoryPermissionError)) throw error
    io.warning(redactSecrets(error.message, state.secrets))
    return undefined
  }
}
