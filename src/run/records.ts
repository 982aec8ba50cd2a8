/**
 * The records every run writes, whatever happened: report file and job summary, audit entry, outputs (with metrics
 * over the history), webhook, pull request comment. Each is written on its own, so one failing does not lose the
 * others; a record that cannot be written is a warning.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { unassessedPlan } from '../assess/assemble-plan.js'
import type { OutputName } from '../constants.js'
import { describeError } from '../error-message.js'
import { appendAuditEntry, buildAuditEntry } from '../record/audit-log.js'
import { computeMetrics } from '../record/metrics.js'
import { buildOutputs } from '../record/outputs.js'
import { buildWebhookBody, sendWebhook } from '../record/webhook.js'
import { redactSecrets } from '../redact-secrets.js'
import { renderComment } from '../report/comment.js'
import { renderJobSummary } from '../report/render-report.js'
import type { RunContext } from '../run-context.js'
import { modeDespiteInvalidInputs, recordTargets } from '../settings.js'
import type { RunDependencies } from './action-io.js'
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
  const auditLogPath = resolve(workspace, targets.auditLog)
  const recordFile = (kind: string, extension: string): string =>
    join(env.RUNNER_TEMP || tmpdir(), `genesys-bundle-${kind}-${plan.bundleId || 'bundle'}-${plan.environmentId || 'env'}.${extension}`)
  const reportPath = recordFile('report', 'md')
  const diffPath = recordFile('diff', 'json')
  const impactPath = recordFile('impact', 'json')

  await guard('report', async () => {
    const markdown = redactSecrets(renderJobSummary(plan, result, context, { status, failure, gate: state.gate, riskAcceptedLabel: settings?.riskAcceptedLabel }), secrets)
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
    const outputs = buildOutputs({ plan, result, mode, status, paths: { auditLog: auditLogPath, report: reportPath, diff: diffPath, impact: impactPath }, metrics })
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
    await guard('pull request comment', () => publishComment(state, renderComment(plan, result, context, { status, failure, gate: state.gate, riskAcceptedLabel: settings?.riskAcceptedLabel }), io))
  }
}
