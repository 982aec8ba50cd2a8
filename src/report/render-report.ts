import { capacityLabel } from '../assess/impact.js'
import type { Plan } from '../assess/plan.js'
import type { Finding } from '../bundle/finding.js'
import type { DeployResult } from '../deploy/result.js'
import type { RunContext } from '../run-context.js'
import { fitReport, type ReportBlock } from './fit-report.js'
import { alert, escapeText, escapeTextKeepingCode, formatCount, inlineCode, link, plural, table, truncateChars } from './markdown.js'
import { renderMermaid } from './mermaid.js'
import { bulletBlock, detailsTableBlock, namesBlock, tableBlock, type RestLocations } from './report-blocks.js'
import { buildReportModel, type ReportModel, type ReportOptions, type Verdict } from './report-model.js'
import { renderDeployment, renderFieldChanges, renderFooter } from './render-sections.js'
import { groupTitle, resourceNouns } from './resource-names.js'

/** GitHub's limit on one step's job summary (1 MiB); above it the summary upload fails. */
export const JOB_SUMMARY_MAX_BYTES = 1024 * 1024

/**
 * What the job summary may use: 1 KiB below GitHub's limit, for the line break the summary writer adds and for secrets
 * masked after rendering.
 */
export const JOB_SUMMARY_BUDGET_BYTES = JOB_SUMMARY_MAX_BYTES - 1024

/** The consumers' fold opens when it has at most this many rows. */
const OPEN_CONSUMERS_MAX_ROWS = 10

/** Longest platform message or finding shown, in characters. */
export const MESSAGE_CHARS = 500

/** Where the job summary's cut rows are: the complete JSON files of the step's outputs, and its log. */
export const SUMMARY_REST: RestLocations = {
  diff: 'the file named by the step output `diff-file`',
  impact: 'the file named by the step output `impact-file`',
  log: 'the log of this step'
}

/**
 * The job summary: the whole report, as markdown. A report above GitHub's 1 MiB summary limit loses its field-level
 * detail first, each cut saying how much is shown and that the complete diff and impact are in the files of the
 * `diff-file` and `impact-file` outputs. Pure.
 */
export function renderJobSummary(plan: Plan, result: DeployResult | undefined, context: RunContext, options: ReportOptions = {}): string {
  const blocks = renderReportBlocks(buildReportModel(plan, result, context, options), SUMMARY_REST)
  const notice = "**Report truncated** to GitHub's 1 MiB job summary limit: the complete diff is in the file named by the step output `diff-file`."
  return fitReport(blocks, JOB_SUMMARY_BUDGET_BYTES, notice).markdown
}

/**
 * The report as blocks, in reading order: what a reviewer needs first (outcome, risk and its drivers, every added and
 * removed resource) is fixed or cut last; the field-level detail comes last and is cut first. Pure.
 */
export function renderReportBlocks(model: ReportModel, rest: RestLocations): ReportBlock[] {
  const errors = model.findings.filter(finding => finding.severity === 'error')
  const warnings = model.findings.filter(finding => finding.severity === 'warning')
  return [
    renderHeading(model),
    renderAlert(model),
    renderVerdict(model.verdict, model, errors.length),
    ...renderFailure(model, errors.length),
    ...(errors.length > 0 ? [findingsBlock(`### Local checks: ${findingCounts(errors.length, warnings.length)}`, model.findings, rest)] : []),
    ...renderRisk(model),
    ...renderChanges(model, rest),
    ...renderCapacity(model),
    ...(model.deployment ? renderDeployment(model.deployment, model.footer.runUrl, rest) : []),
    ...renderImpact(model, rest),
    ...renderPlatform(model, rest),
    ...(errors.length === 0 && warnings.length > 0 ? [findingsBlock(`### Local checks: ${findingCounts(0, warnings.length)}`, warnings, rest)] : []),
    ...(model.assessed ? [renderFieldChanges(model.fieldChanges, rest)] : []),
    renderFooter(model.footer)
  ]
}

function renderHeading(model: ReportModel): string {
  const bundle = model.bundleId ? inlineCode(model.bundleId) : '(unknown bundle)'
  const environment = model.environmentId ? inlineCode(model.environmentId) : '(no environment)'
  return `## Genesys Cloud bundle ${bundle} on ${environment}`
}

/** The outcome, its reason and the one thing to do, as a GitHub alert. */
function renderAlert(model: ReportModel): string {
  const { outcome } = model
  const reason = outcome.reason ? `: ${escapeTextKeepingCode(outcome.reason)}` : '.'
  const lines = [`**${escapeTextKeepingCode(outcome.headline)}**${reason}`]
  if (outcome.also) lines.push(escapeTextKeepingCode(outcome.also))
  const runLink = outcome.runLink && model.footer.runUrl ? ` ${link(outcome.runLink, model.footer.runUrl)}.` : ''
  lines.push(`**What to do:** ${escapeTextKeepingCode(outcome.action)}${runLink}`)
  return alert(outcome.kind, lines)
}

/** One line: status, risk, resources changed by group, platform validation, gate. */
function renderVerdict(verdict: Verdict, model: ReportModel, errorCount: number): string {
  const parts: string[] = []
  if (verdict.status) parts.push(`**${verdict.status}**`)
  if (verdict.riskLevel === undefined) {
    parts.push('**not assessed**')
    if (errorCount > 0) parts.push(plural(errorCount, 'problem'))
    return parts.join(' · ')
  }
  parts.push(`risk **${verdict.riskLevel}**`)
  parts.push(...countParts(model))
  const validation = verdict.validation
  if (validation.state === 'passed') {
    parts.push(`platform validation **passed**${validation.warningCount > 0 ? ` with ${plural(validation.warningCount, 'warning')}` : ''}`)
  } else if (validation.state === 'failed') {
    parts.push(`platform validation **failed** (${plural(validation.errorCount, 'error')})`)
  } else {
    parts.push(`platform validation skipped: ${escapeTextKeepingCode(validation.reason)}`)
  }
  if (verdict.gate) parts.push(`gate **${verdict.gate.acceptedByLabel ? 'accepted by label' : verdict.gate.passed ? 'passed' : 'failed'}**`)
  return parts.join(' · ')
}

/** "flows: 3 removed, 5 added, 292 modified", one part per group: resources, not field paths. */
function countParts(model: ReportModel): string[] {
  const changes = model.changes
  if (changes === undefined) return []
  const parts = changes.groups.map(group => {
    const counts = (['removed', 'added', 'modified'] as const).filter(kind => group[kind].length > 0).map(kind => `${formatCount(group[kind].length)} ${kind}`)
    return `${groupName(group.group, 2)}: ${counts.join(', ')}`
  })
  if (changes.other.length > 0) parts.push(plural(changes.other.length, 'other setting') + ' changed')
  return parts.length > 0 ? parts : ['no changes']
}

/** A run failure the alert does not already quote (the alert quotes the first problem of an invalid bundle instead). */
function renderFailure(model: ReportModel, errorCount: number): string[] {
  if (!model.failure || errorCount > 0 || model.outcome.quotesFailure) return []
  return [`**Run failed:** ${escapeTextKeepingCode(truncateChars(model.failure, MESSAGE_CHARS))}`]
}

/** "2 errors, 1 warning". */
function findingCounts(errors: number, warnings: number): string {
  return [...(errors > 0 ? [plural(errors, 'error')] : []), ...(warnings > 0 ? [plural(warnings, 'warning')] : [])].join(', ')
}

/** The local findings: the problems of an invalid bundle, placed first; a valid bundle's warnings, after the platform. */
function findingsBlock(title: string, findings: readonly Finding[], rest: RestLocations): ReportBlock {
  const rows = findings.map(finding => [
    finding.severity === 'error' ? '**error**' : 'warning',
    inlineCode(finding.line ? `${finding.file}:${finding.line}` : finding.file, { inTable: true }),
    escapeTextKeepingCode(truncateChars(finding.message, MESSAGE_CHARS), { inTable: true })
  ])
  return tableBlock([title, ''], ['Severity', 'Location', 'Message'], rows, { what: 'findings', where: rest.log, cutOrder: 6 })
}

/**
 * The risk level and what drives it: always whole, a few lines whatever the change's size. The lists follow their
 * label directly (a list may interrupt a paragraph), so the drivers stay on the first screen.
 */
function renderRisk(model: ReportModel): string[] {
  const risk = model.risk
  if (risk === undefined) return []
  const lines = [`### Risk: ${risk.level}`, '', 'Driven by:', ...risk.drivers.map(item => `- ${escapeTextKeepingCode(item.text)}`)]
  if (risk.others.length > 0) lines.push('', 'Also:', ...risk.others.map(item => `- ${escapeTextKeepingCode(item.text)}`))
  return [lines.join('\n')]
}

/** Each capacity against its limit; those above the alert are among the risk lines already. */
function renderCapacity(model: ReportModel): string[] {
  const capacity = model.risk?.capacity ?? []
  if (capacity.length === 0) return []
  const rows = capacity.map(use => [escapeText(capacityLabel(use)), formatCount(use.used), formatCount(use.limit), `${use.percent} %`])
  return [table(['Capacity', 'Used', 'Limit', 'Use'], rows)]
}

/** Every added and removed resource by name (cut last), the modified ones (cut early), other settings. */
function renderChanges(model: ReportModel, rest: RestLocations): ReportBlock[] {
  const changes = model.changes
  if (changes === undefined) return []
  const blocks: ReportBlock[] = ['### Changes']
  if (changes.emptyBaseline) blocks.push('There is no baseline to compare with, so everything shows as added.')
  if (changes.groups.length === 0 && changes.other.length === 0) blocks.push('No changes to flows or queues.')
  for (const group of changes.groups) {
    for (const kind of ['removed', 'added', 'modified'] as const) {
      const names = group[kind]
      if (names.length === 0) continue
      const label = `**${capitalize(groupName(group.group, names.length))} ${kind} (${formatCount(names.length)}):**`
      blocks.push(namesBlock(label, names, { what: groupName(group.group, 2), where: rest.diff, cutOrder: kind === 'modified' ? 1 : 8 }))
    }
  }
  if (changes.other.length > 0) {
    blocks.push(
      namesBlock(
        `**Other settings changed (${formatCount(changes.other.length)}):**`,
        changes.other.map(change => change.path),
        { what: 'settings', where: rest.diff, cutOrder: 7 }
      )
    )
  }
  return blocks
}

/** The picture of the changed resources and what uses them, then the consumers, one row each. */
function renderImpact(model: ReportModel, rest: RestLocations): ReportBlock[] {
  if (model.graph === undefined) return []
  const blocks: ReportBlock[] = ['### Impact', renderMermaid(model.graph)]
  blocks.push(
    'Arrows point from a changed resource to what uses it: for a flow, the resources Genesys Cloud reports as its consumers; for a queue, the flows of this bundle that name it.'
  )
  const rows = model.consumers.map(({ flow, consumer }) => [
    inlineCode(flow, { inTable: true }),
    escapeText(consumer.name),
    escapeText(consumer.type),
    inlineCode(consumer.id, { inTable: true })
  ])
  const summary = (shown: number): string =>
    `Resources that use the changed flows (${formatCount(rows.length)})${shown < rows.length ? `: ${formatCount(shown)} shown` : ''}`
  blocks.push(
    detailsTableBlock(summary, rows.length <= OPEN_CONSUMERS_MAX_ROWS, ['Flow', 'Used by', 'Type', 'Id'], rows, {
      what: 'consumers',
      where: rest.impact,
      cutOrder: 3
    })
  )
  return blocks
}

function renderPlatform(model: ReportModel, rest: RestLocations): ReportBlock[] {
  if (!model.assessed) return []
  const platform = model.platform
  let status: string
  if (!platform.ran) {
    status = `Skipped: ${escapeTextKeepingCode(platform.skippedReason ?? 'not run')}.`
  } else {
    const schema = platform.schemaVersion ? ` (schema ${inlineCode(platform.schemaVersion)})` : ''
    status = `${platform.valid ? '**Passed**' : '**Failed**'}${schema}: ${plural(platform.errors.length, 'error')}, ${plural(platform.warnings.length, 'warning')}.`
  }
  if (platform.overLimit.length > 0) {
    const over = platform.overLimit.map(use => `${capacityLabel(use)} ${formatCount(use.used)} of at most ${formatCount(use.limit)} (${use.percent} %)`)
    status += ` Over the limit: ${escapeText(over.join('; '))}.`
  }
  const message = (text: string): string => escapeText(truncateChars(text, MESSAGE_CHARS))
  const blocks: ReportBlock[] = [`### Platform validation\n\n${status}`]
  blocks.push(bulletBlock(['Errors:', ''], platform.errors.map(message), { what: 'platform errors', where: rest.run, cutOrder: 5 }))
  blocks.push(bulletBlock(['Warnings:', ''], platform.warnings.map(message), { what: 'platform warnings', where: rest.run, cutOrder: 4 }))
  const rows = platform.dependencies.map(dep => [escapeText(dep.group), inlineCode(dep.name, { inTable: true }), dep.state])
  blocks.push(tableBlock(['External dependencies:', ''], ['Group', 'Name', 'State'], rows, { what: 'dependencies', where: rest.run, cutOrder: 2 }))
  return blocks
}

/** "flows" / "flow"; an unknown group by its key, as a code span. */
function groupName(group: string, count: number): string {
  return groupTitle(group) === undefined ? `group ${inlineCode(group)}` : resourceNouns(group, count)
}

function capitalize(text: string): string {
  return text.startsWith('group ') ? `Group ${text.slice('group '.length)}` : `${text.charAt(0).toUpperCase()}${text.slice(1)}`
}
