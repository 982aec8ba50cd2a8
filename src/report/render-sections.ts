/** The report's longer sections: the deployment (facts, flow jobs, timeline), the field-level detail, the footer. */
import type { DeployResult, FlowJobRecord, TimelineEvent } from '../deploy/result.js'
import type { ReportBlock } from './fit-report.js'
import { escapeText, escapeTextKeepingCode, formatCount, inlineCode, link, plural, table, truncateChars } from './markdown.js'
import { detailsTableBlock, nameCell, tableBlock, type RestLocations } from './report-blocks.js'
import type { FieldChange, ReportModel } from './report-model.js'
import { resourceNoun } from './resource-names.js'
import { formatValue, formatValueChange } from './value-format.js'

/** Longest platform message shown in the deployment section, in characters. */
const DETAIL_CHARS = 500

/** Characters of the fingerprint shown in the footer (the full one is the output `fingerprint`). */
const FINGERPRINT_CHARS = 12

const IN_TABLE = { inTable: true } as const

/** The deployment: its facts with the run link, each flow's job (`architect`), the platform's timeline (folded). */
export function renderDeployment(result: DeployResult, runUrl: string, rest: RestLocations): ReportBlock[] {
  const facts: string[][] = [
    ['Status', `**${result.status}**`],
    ['Deployment id', result.deploymentId ? inlineCode(result.deploymentId, IN_TABLE) : 'none (nothing was deployed)'],
    ['Latency', `${formatDuration(result.latencyMs)} (${result.latencyMs} ms)`]
  ]
  if (result.rollback) {
    const state = result.rollback.state ? `${inlineCode(result.rollback.state, IN_TABLE)}: ` : ''
    facts.push(['Rollback', `${state}${escapeTextKeepingCode(result.rollback.reason, IN_TABLE)}`])
  }
  if (result.error) facts.push(['Error', escapeTextKeepingCode(truncateChars(result.error, DETAIL_CHARS), IN_TABLE)])
  if (runUrl) facts.push(['Workflow run', link('open the run', runUrl)])
  const blocks: ReportBlock[] = [['### Deployment', '', table(['Item', 'Value'], facts)].join('\n')]
  if (result.flowJobs && result.flowJobs.length > 0) {
    blocks.push(
      tableBlock(
        [`Flow jobs (${formatCount(result.flowJobs.length)}):`, ''],
        ['Level', 'Flow', 'Job id', 'Duration', 'Outcome', 'Rollback'],
        result.flowJobs.map(flowJobRow),
        { what: 'flow jobs', where: rest.log, cutOrder: 7 }
      )
    )
  }
  if (result.timeline.length > 0) {
    const rows = result.timeline.map(timelineRow)
    blocks.push(
      detailsTableBlock(
        shown => `Timeline (${shown < rows.length ? `${shown} of ` : ''}${plural(rows.length, 'event')})`,
        false,
        ['At', 'State', 'Detail'],
        rows,
        {
          what: 'events',
          where: rest.log,
          cutOrder: 2
        }
      )
    )
  }
  return blocks
}

function flowJobRow(job: FlowJobRecord): string[] {
  const flow = job.name && job.name !== job.flow ? `${nameCell(job.flow)} (${escapeText(job.name)})` : nameCell(job.flow)
  const duration = job.startedAtMs !== undefined && job.endedAtMs !== undefined ? formatDuration(job.endedAtMs - job.startedAtMs) : ''
  const outcome = job.outcome === 'failed' ? '**failed**' : job.outcome
  const detail = job.detail ? `: ${escapeTextKeepingCode(truncateChars(job.detail, DETAIL_CHARS), IN_TABLE)}` : ''
  return [String(job.level), flow, job.jobId ? inlineCode(job.jobId, IN_TABLE) : '', duration, `${outcome}${detail}`, job.rollback ?? '']
}

function timelineRow(event: TimelineEvent): string[] {
  const detail = event.detail ? escapeText(truncateChars(event.detail, DETAIL_CHARS)) : ''
  return [`+${formatDuration(event.atMs)}`, inlineCode(event.state, IN_TABLE), detail]
}

/**
 * The field-level detail, folded: one row per changed field of a modified resource, one per resource added, removed
 * or replaced whole, with before and after (long values cut where they differ, see value-format.ts). Open when short;
 * the first thing cut when the report is too long.
 */
export function renderFieldChanges(fieldChanges: ReportModel['fieldChanges'], rest: RestLocations): ReportBlock {
  const { rows, open } = fieldChanges
  const resources = new Set(rows.map(row => (row.resource ? JSON.stringify([row.resource.group, row.resource.name]) : '')).filter(key => key !== '')).size
  const inResources = resources > 0 ? ` in ${plural(resources, 'resource')}` : ''
  const summary = (shown: number): string =>
    `Field changes (${formatCount(rows.length)}${inResources})${shown < rows.length ? `: ${formatCount(shown)} shown` : ''}`
  return detailsTableBlock(summary, open, ['Resource', 'Change', 'Field', 'Before', 'After'], rows.map(fieldRow), {
    what: 'field changes',
    where: rest.diff,
    cutOrder: 0
  })
}

function fieldRow(row: FieldChange): string[] {
  const resource = row.resource ? `${escapeText(resourceNoun(row.resource.group))} ${nameCell(row.resource.name)}` : 'setting'
  const field = row.field === undefined ? '(whole)' : inlineCode(row.field, IN_TABLE)
  const kind = row.kind === 'removed' ? '**removed**' : row.kind
  if (row.kind === 'added') return [resource, kind, field, '', valueCell(formatValue(row.after))]
  if (row.kind === 'removed') return [resource, kind, field, valueCell(formatValue(row.before)), '']
  const { before, after } = formatValueChange(row.before, row.after)
  return [resource, kind, field, valueCell(before), valueCell(after)]
}

function valueCell(text: string): string {
  return inlineCode(text, IN_TABLE)
}

/** The last line: baseline, fingerprint, commit, run link. */
export function renderFooter(footer: ReportModel['footer']): string {
  const { baseline, fingerprint, sha, runUrl } = footer
  const parts: string[] = []
  if (baseline !== undefined) parts.push(`Baseline: ${escapeTextKeepingCode(baseline)}`)
  parts.push(fingerprint ? `fingerprint ${inlineCode(fingerprint.slice(0, FINGERPRINT_CHARS))}` : 'no fingerprint (the manifest could not be read)')
  if (sha) parts.push(`commit ${inlineCode(sha.slice(0, 7))}`)
  if (runUrl) parts.push(link('workflow run', runUrl))
  return `<sub>${parts.join(' · ')}</sub>`
}

/** `850 ms`, `12.3 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
}
