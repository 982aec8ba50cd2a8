import type { DiffChange, ResourceChange } from '../assess/diff.js'
import { capacityLabel } from '../assess/impact.js'
import type { Plan } from '../assess/plan.js'
import type { Finding } from '../bundle/finding.js'
import type { DeployResult, TimelineEvent } from '../deploy/result.js'
import type { RunContext } from '../run-context.js'
import { capMarkdown, type CappableReport } from './cap-markdown.js'
import { escapeText, escapeTextKeepingCode, inlineCode, link, table, truncateChars } from './markdown.js'
import { buildReportModel, type ChangeSection, type ReportModel, type ReportOptions, type Verdict } from './report-model.js'

/** GitHub's limit on one step's job summary (1 MiB); above it the summary upload fails. */
export const JOB_SUMMARY_MAX_BYTES = 1024 * 1024

/** Longest value shown in the change tables, in characters. */
const CHANGE_VALUE_CHARS = 80

/** Longest value shown in the full diff, in characters. */
const FULL_DIFF_VALUE_CHARS = 300

/** Longest platform message or finding shown, in characters. */
const MESSAGE_CHARS = 500

/** Most rows of one table or list before "… and N more": keeps the sections above the full diff short. */
const MAX_ROWS = 50

/** Characters of the fingerprint shown in the footer (the full one is the output `fingerprint`). */
const FINGERPRINT_CHARS = 12

const IN_TABLE = { inTable: true } as const

/**
 * The job summary: the whole report, as markdown. Only a report above GitHub's 1 MiB summary limit is cut, with
 * a notice pointing at the outputs and the audit log. Pure.
 */
export function renderJobSummary(plan: Plan, result: DeployResult | undefined, context: RunContext, options: ReportOptions = {}): string {
  const report = renderReport(buildReportModel(plan, result, context, options))
  return capMarkdown(
    {
      ...report,
      notice:
        "**Report truncated** to GitHub's 1 MiB job summary limit: the complete diff is in the step's `diff` output and in the audit log."
    },
    JOB_SUMMARY_MAX_BYTES
  )
}

/** The report as markdown, split into the part truncation may cut (`body`) and the `footer` it keeps. Pure. */
export function renderReport(model: ReportModel): Omit<CappableReport, 'notice'> {
  const sections = [
    renderHeading(model),
    renderFindings(model.findings),
    renderChanges(model),
    renderRisk(model),
    renderPlatform(model),
    model.deployment ? renderDeployment(model.deployment) : '',
    renderFullDiff(model)
  ]
  return { body: sections.filter(section => section !== '').join('\n\n'), footer: renderFooter(model) }
}

function renderHeading(model: ReportModel): string {
  const bundle = model.bundleId ? inlineCode(model.bundleId) : '(unknown bundle)'
  const environment = model.environmentId ? inlineCode(model.environmentId) : '(no environment)'
  const lines = [`## Genesys Cloud bundle ${bundle} on ${environment}`, '', renderVerdict(model.verdict)]
  const gate = model.verdict.gate
  if (gate && (!gate.passed || gate.acceptedByLabel)) lines.push('', `> ${escapeTextKeepingCode(gate.message)}`)
  if (model.failure) lines.push('', `> **Run failed:** ${escapeTextKeepingCode(truncateChars(model.failure, MESSAGE_CHARS))}`)
  return lines.join('\n')
}

/** One line: status, risk, counts, platform validation, gate. */
function renderVerdict(verdict: Verdict): string {
  const parts: string[] = []
  if (verdict.status) parts.push(`**${verdict.status}**`)
  parts.push(`risk **${verdict.riskLevel}**`)
  parts.push(`${verdict.added} added, ${verdict.removed} removed, ${verdict.modified} modified`)
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

function renderFindings(findings: Finding[]): string {
  if (findings.length === 0) return ''
  const rows = findings.map(finding => [
    finding.severity === 'error' ? '**error**' : 'warning',
    inlineCode(finding.line ? `${finding.file}:${finding.line}` : finding.file, IN_TABLE),
    escapeTextKeepingCode(truncateChars(finding.message, MESSAGE_CHARS), IN_TABLE)
  ])
  return [`### Local checks: ${plural(findings.length, 'finding')}`, '', ...cappedTable(['Severity', 'Location', 'Message'], rows, 'findings')].join('\n')
}

function renderChanges(model: ReportModel): string {
  const { sections, other, emptyBaseline } = model.changes
  const lines = ['### Changes']
  if (emptyBaseline) lines.push('', 'There is no baseline to compare with, so everything shows as added.')
  if (sections.length === 0 && other.length === 0) lines.push('', 'No changes to flows or queues.')
  for (const section of sections) lines.push('', renderChangeSection(section))
  if (other.length > 0) {
    const rows = other.map(change => [inlineCode(change.path, IN_TABLE), change.kind, describeValueChange(change)])
    lines.push('', '#### Other settings', '', ...cappedTable(['Path', 'Change', 'Detail'], rows, 'changes'))
  }
  return lines.join('\n')
}

function renderChangeSection(section: ChangeSection): string {
  const rows = section.resources.flatMap(resourceRows)
  const title = section.title === section.group ? `Group ${inlineCode(section.group)}` : section.title
  return [`#### ${title}`, '', ...cappedTable(['Resource', 'Change', 'Detail'], rows, 'changes (all are in the full diff below)')].join('\n')
}

/** One row per resource added, removed or replaced; one per inner change of a modified resource. */
function resourceRows(resource: ResourceChange): string[][] {
  const name = inlineCode(resource.name, IN_TABLE)
  if (resource.kind === 'removed') return [[name, '**removed**', `was ${compactValue(resource.before)}`]]
  if (resource.kind === 'added') return [[name, 'added', compactValue(resource.after)]]
  if (resource.inner.length === 0) return [[name, 'replaced', `${compactValue(resource.before)} → ${compactValue(resource.after)}`]]
  return resource.inner.map(change => [name, 'modified', `${inlineCode(change.path, IN_TABLE)}: ${describeValueChange(change)}`])
}

function describeValueChange(change: DiffChange): string {
  if (change.kind === 'added') return `added ${compactValue(change.after)}`
  if (change.kind === 'removed') return `removed (was ${compactValue(change.before)})`
  return `${compactValue(change.before)} → ${compactValue(change.after)}`
}

function renderRisk(model: ReportModel): string {
  const { level, reasons, capacity, consumers } = model.risk
  const lines = [`### Risk: ${level}`, '', ...cappedList(reasons.map(reason => escapeTextKeepingCode(reason)), 'reasons')]
  if (capacity.length > 0) {
    const rows = capacity.map(use => [escapeText(capacityLabel(use)), String(use.used), String(use.limit), `${use.percent} %`])
    lines.push('', table(['Capacity', 'Used', 'Limit', 'Use'], rows))
  }
  if (consumers.length > 0) {
    const rows = consumers.map(({ flow, consumer }) => [
      inlineCode(flow, IN_TABLE),
      escapeText(consumer.name),
      escapeText(consumer.type),
      inlineCode(consumer.id, IN_TABLE)
    ])
    lines.push('', 'Resources that use the changed flows:', '', ...cappedTable(['Flow', 'Used by', 'Type', 'Id'], rows, 'consumers'))
  }
  return lines.join('\n')
}

function renderPlatform(model: ReportModel): string {
  const platform = model.platform
  const lines = ['### Platform validation', '']
  if (!platform.ran) {
    lines.push(`Skipped: ${escapeTextKeepingCode(platform.skippedReason ?? 'not run')}.`)
  } else {
    const schema = platform.schemaVersion ? ` (schema ${inlineCode(platform.schemaVersion)})` : ''
    const counts = `${plural(platform.errors.length, 'error')}, ${plural(platform.warnings.length, 'warning')}`
    lines.push(`${platform.valid ? '**Passed**' : '**Failed**'}${schema}: ${counts}.`)
  }
  lines.push(...messageList('Errors', platform.errors), ...messageList('Warnings', platform.warnings))
  if (platform.dependencies.length > 0) {
    const rows = platform.dependencies.map(dep => [escapeText(dep.group), inlineCode(dep.name, IN_TABLE), dep.state])
    lines.push('', 'External dependencies:', '', ...cappedTable(['Group', 'Name', 'State'], rows, 'dependencies'))
  }
  return lines.join('\n')
}

function messageList(title: string, messages: string[]): string[] {
  if (messages.length === 0) return []
  return ['', `${title}:`, '', ...cappedList(messages.map(message => escapeText(truncateChars(message, MESSAGE_CHARS))), title.toLowerCase())]
}

function renderDeployment(result: DeployResult): string {
  const facts: string[][] = [
    ['Status', `**${result.status}**`],
    ['Deployment id', result.deploymentId ? inlineCode(result.deploymentId, IN_TABLE) : 'none (nothing was deployed)'],
    ['Latency', `${formatDuration(result.latencyMs)} (${result.latencyMs} ms)`]
  ]
  if (result.rollback) {
    const state = result.rollback.state ? `${inlineCode(result.rollback.state, IN_TABLE)}: ` : ''
    facts.push(['Rollback', `${state}${escapeTextKeepingCode(result.rollback.reason, IN_TABLE)}`])
  }
  if (result.error) facts.push(['Error', escapeTextKeepingCode(truncateChars(result.error, MESSAGE_CHARS), IN_TABLE)])
  const lines = ['### Deployment', '', table(['Item', 'Value'], facts)]
  if (result.timeline.length > 0) {
    lines.push('', ...cappedTable(['At', 'State', 'Detail'], result.timeline.map(timelineRow), 'events'))
  }
  return lines.join('\n')
}

function timelineRow(event: TimelineEvent): string[] {
  const detail = event.detail ? escapeText(truncateChars(event.detail, MESSAGE_CHARS)) : ''
  return [`+${formatDuration(event.atMs)}`, inlineCode(event.state, IN_TABLE), detail]
}

/** Every change with its values, folded; open only when short. */
function renderFullDiff(model: ReportModel): string {
  const { changes, open } = model.fullDiff
  if (changes.length === 0) return ''
  const rows = changes.map(change => [
    inlineCode(change.path, IN_TABLE),
    change.kind,
    change.kind === 'added' ? '' : inlineCode(formatValue(change.before, FULL_DIFF_VALUE_CHARS), IN_TABLE),
    change.kind === 'removed' ? '' : inlineCode(formatValue(change.after, FULL_DIFF_VALUE_CHARS), IN_TABLE)
  ])
  return [
    open ? '<details open>' : '<details>',
    `<summary>Full diff (${plural(changes.length, 'change')})</summary>`,
    '',
    table(['Path', 'Change', 'Before', 'After'], rows),
    '',
    '</details>'
  ].join('\n')
}

function renderFooter(model: ReportModel): string {
  const { baseline, fingerprint, sha, runUrl } = model.footer
  const parts = [
    `Baseline: ${escapeTextKeepingCode(baseline)}`,
    fingerprint ? `fingerprint ${inlineCode(fingerprint.slice(0, FINGERPRINT_CHARS))}` : 'no fingerprint (the manifest could not be read)'
  ]
  if (sha) parts.push(`commit ${inlineCode(sha.slice(0, 7))}`)
  if (runUrl) parts.push(link('workflow run', runUrl))
  return `<sub>${parts.join(' · ')}</sub>`
}

function compactValue(value: unknown): string {
  return inlineCode(formatValue(value, CHANGE_VALUE_CHARS), IN_TABLE)
}

/** A value as compact JSON (strings quoted, so `"2"` and `2` differ), cut to `maxChars`. */
function formatValue(value: unknown, maxChars: number): string {
  const json = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value)
  return truncateChars(json ?? String(value), maxChars)
}

/** `850 ms`, `12.3 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** A table of at most MAX_ROWS rows, then how many were left out. */
function cappedTable(headers: readonly string[], rows: string[][], what: string): string[] {
  return [table(headers, rows.slice(0, MAX_ROWS)), ...leftOut(rows.length, what)]
}

/** A bullet list of at most MAX_ROWS items (markdown already), then how many were left out. */
function cappedList(items: string[], what: string): string[] {
  return [...items.slice(0, MAX_ROWS).map(item => `- ${item}`), ...leftOut(items.length, what)]
}

function leftOut(total: number, what: string): string[] {
  return total > MAX_ROWS ? ['', `… and ${total - MAX_ROWS} more ${what}.`] : []
}
