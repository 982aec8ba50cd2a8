import { computeDiff } from '../src/assess/diff.js'
import { assessImpact, type Consumer } from '../src/assess/impact.js'
import type { Baseline, Plan, RemoteValidationOutcome } from '../src/assess/plan.js'
import type { Bundle } from '../src/bundle/bundle.js'
import type { Finding } from '../src/bundle/finding.js'
import type { Manifest } from '../src/bundle/manifest.js'
import type { DeployResult } from '../src/deploy/result.js'
import { capMarkdown } from '../src/report/cap-markdown.js'
import { commentMarkerKey, isCommentFor, parseCommentMarker, renderComment, renderCommentMarker } from '../src/report/comment.js'
import { escapeText, escapeTextKeepingCode, inlineCode, link, utf8Bytes } from '../src/report/markdown.js'
import { renderJobSummary } from '../src/report/render-report.js'
import type { RunContext } from '../src/run-context.js'
import { withoutCodeSpans } from '../__fixtures__/markdown-structure.js'

const context: RunContext = {
  repository: 'acme/contact-center',
  sha: '0123456789abcdef0123456789abcdef01234567',
  ref: 'refs/pull/7/merge',
  actor: 'octocat',
  eventName: 'pull_request',
  runUrl: 'https://github.com/acme/contact-center/actions/runs/42',
  pullRequestNumber: 7,
  pullRequestLabels: []
}

const FINGERPRINT = 'f'.repeat(8) + '0123456789abcdef'.repeat(3) + 'e'.repeat(8)

const baselineConfig = {
  flows: { 'main-entry': { version: '2.0.0', routingStrategy: 'longest-idle' }, 'after-hours': { file: 'flows/after-hours.yaml' } },
  queues: { 'sales-inbound': { serviceLevel: '80/20' } }
}

const bundleConfig = {
  flows: { 'main-entry': { version: '2.1.0', routingStrategy: 'longest-idle' }, holiday: { file: 'flows/holiday.yaml' } },
  queues: { 'sales-inbound': { serviceLevel: '90/20' } }
}

interface PlanInput {
  before?: Record<string, unknown>
  after?: Record<string, unknown>
  remoteValidation?: RemoteValidationOutcome
  findings?: Finding[]
  consumers?: Record<string, Consumer[]>
  bundleId?: string
  environmentId?: string
  baseline?: Partial<Baseline>
  externalDependencies?: Bundle['externalDependencies']
}

/** A plan assembled the way the action does it: diff and impact computed from the configurations. */
function makePlan(input: PlanInput = {}): Plan {
  const before = input.before ?? baselineConfig
  const after = input.after ?? bundleConfig
  const bundleId = input.bundleId ?? 'contact-center-core'
  const environmentId = input.environmentId ?? 'prod-7f3a'
  const manifest: Manifest = {
    bundleId,
    environmentId,
    capacityConstraints: { maxFlowCount: 500, maxQueueCount: 100 },
    targetConfig: after as Manifest['targetConfig']
  }
  const remoteValidation = input.remoteValidation ?? {
    ran: true,
    valid: true,
    warnings: ['Queue sales-inbound has no members'],
    errors: [],
    schemaVersion: '4.2',
    environmentCapacity: { availableFlowSlots: 50, requiredFlowSlots: 45 }
  }
  const diff = computeDiff(before, after)
  const bundle: Bundle = {
    manifestPath: 'genesys/bundle.yaml',
    absoluteManifestPath: '/work/genesys/bundle.yaml',
    manifest,
    environmentId,
    files: [],
    groupOrder: ['queues', 'flows'],
    externalDependencies: input.externalDependencies ?? [{ group: 'flows', name: 'base-routing' }],
    positions: {}
  }
  return {
    bundle,
    assessed: true,
    baselineFingerprint: '',
    bundleId,
    environmentId,
    fingerprint: FINGERPRINT,
    localFindings: input.findings ?? [],
    remoteValidation,
    baseline: { source: 'base-commit', description: 'manifest at base commit `abc1234`', config: before, ...input.baseline },
    diff,
    impact: assessImpact({ diff, remoteValidation, manifest, consumers: input.consumers })
  }
}

const rolledBack: DeployResult = {
  status: 'ROLLBACK_COMPLETED',
  deploymentId: 'dep-8c1e',
  latencyMs: 12_345,
  rollback: { reason: 'the deployment reached FAILED', state: 'ROLLED_BACK' },
  timeline: [
    { atMs: 0, state: 'DEPLOY_REQUESTED' },
    { atMs: 2_000, state: 'IN_PROGRESS' },
    { atMs: 6_500, state: 'FAILED', detail: 'Flow main-entry failed to publish' },
    { atMs: 6_600, state: 'ROLLBACK_REQUESTED' },
    { atMs: 12_345, state: 'ROLLED_BACK' }
  ],
  error: 'The deployment failed and was rolled back; see the timeline.'
}

/** The markdown without its fenced code blocks (the Mermaid graph), which are shown or drawn, never read as HTML. */
function withoutFencedBlocks(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '<fence/>')
}

/** Every HTML tag or comment that markdown outside code spans and code blocks would interpret. */
function htmlOutsideCode(markdown: string): string[] {
  return (
    withoutCodeSpans(withoutFencedBlocks(markdown))
      .match(/<!--|-->|<\/?[a-z][^>]*>/gi)
      ?.filter(tag => tag !== '<code/>' && tag !== '<fence/>') ?? []
  )
}

/** The cells of a table row, split on pipes that are not escaped. */
function cellsOf(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map(cell => cell.trim())
}

function count(text: string, part: string | RegExp): number {
  return text.split(part).length - 1
}

describe('renderJobSummary', () => {
  // Changed on purpose: an alert with the outcome comes first, and the verdict counts resources, not field paths.
  it('opens with the bundle, the environment, the outcome alert and a one-line verdict counted by resource', () => {
    const summary = renderJobSummary(makePlan(), rolledBack, context)
    const lines = summary.split('\n')
    expect(lines[0]).toBe('## Genesys Cloud bundle `contact-center-core` on `prod-7f3a`')
    expect(lines.slice(2, 5)).toEqual([
      '> [!WARNING]',
      '> **Deployment failed and was rolled back: `prod-7f3a` is as it was**: The deployment failed and was rolled back; see the timeline.',
      '> **What to do:** Fix the cause, then deploy again. [Open the workflow run](https://github.com/acme/contact-center/actions/runs/42).'
    ])
    expect(lines[6]).toBe(
      '**ROLLBACK_COMPLETED** · risk **HIGH** · flows: 1 removed, 1 added, 1 modified · queues: 1 modified · platform validation **passed** with 1 warning'
    )
  })

  it('shows a status given without a deploy result, the gate and why it failed', () => {
    const summary = renderJobSummary(makePlan(), undefined, context, {
      status: 'ASSESSED',
      gate: { passed: false, acceptedByLabel: false, message: 'Risk HIGH reaches the gate (`fail-on-risk: high`).' }
    })
    expect(summary).toContain('**ASSESSED** · risk **HIGH** ·')
    expect(summary).toContain('· gate **failed**')
    // Changed on purpose: the failed gate is the alert, which names the label to add (no longer the gate's message).
    expect(summary).toContain('> [!CAUTION]\n> **Risk HIGH blocks this pull request**: removes 1 flow: `after-hours`')
    expect(summary).toContain('set `risk-accepted-label` and add that label, or raise `fail-on-risk`')
  })

  it('says why platform validation was skipped or failed', () => {
    const skipped = renderJobSummary(makePlan({ remoteValidation: { ran: false, reason: 'no `client-id` was given' } }), undefined, context)
    expect(skipped).toContain('platform validation skipped: no `client-id` was given')
    expect(skipped).toContain('Skipped: no `client-id` was given.')
    expect(skipped).toMatch(/\| flows \| `base-routing` \| unverified \|/)

    const failed = renderJobSummary(
      makePlan({ remoteValidation: { ran: true, valid: false, warnings: [], errors: ['Flow main-entry: unknown queue', 'Schema fault'] } }),
      undefined,
      context,
      { status: 'VALIDATION_FAILED', failure: 'Genesys Cloud rejected the bundle. Nothing was deployed.' }
    )
    expect(failed).toContain('platform validation **failed** (2 errors)')
    // Changed on purpose: the rejection is the alert, quoting the platform's first error.
    expect(failed).toContain('> [!CAUTION]\n> **Genesys Cloud rejected the bundle: nothing was deployed**: Flow main-entry: unknown queue')
    expect(failed).toContain('- Flow main-entry: unknown queue')
  })

  it('lists local findings in a table, errors first', () => {
    const findings: Finding[] = [
      { severity: 'warning', message: 'flow `x` has no description', file: 'genesys/bundle.yaml', line: 30 },
      { severity: 'error', message: '`dependencyMatrix.order` names `qeues`, which is not a key of `targetConfig`', file: 'genesys/bundle.yaml', line: 12 }
    ]
    const summary = renderJobSummary(makePlan({ findings }), undefined, context)
    expect(summary).toContain('### Local checks: 1 error, 1 warning')
    const rows = summary.split('\n').filter(line => line.includes('genesys/bundle.yaml:'))
    expect(rows).toEqual([
      '| **error** | `genesys/bundle.yaml:12` | `dependencyMatrix.order` names `qeues`, which is not a key of `targetConfig` |',
      '| warning | `genesys/bundle.yaml:30` | flow `x` has no description |'
    ])
  })

  // Changed on purpose: resources are named by kind in the changes section; the values moved to the field changes.
  it('names the changed resources by group and kind, removals first, and details each field with its values', () => {
    const summary = renderJobSummary(makePlan(), undefined, context)
    const changes = summary.slice(summary.indexOf('### Changes'), summary.indexOf('### Impact'))
    expect(changes.split('\n').filter(line => line.startsWith('**'))).toEqual([
      '**Flow removed (1):** `after-hours`',
      '**Flow added (1):** `holiday`',
      '**Flow modified (1):** `main-entry`',
      '**Queue modified (1):** `sales-inbound`'
    ])
    const fields = summary.slice(summary.indexOf('<summary>Field changes'))
    expect(fields.split('\n').filter(line => line.startsWith('| ') && !line.startsWith('| ---') && !line.startsWith('| Resource'))).toEqual([
      '| flow `after-hours` | **removed** | (whole) | `{"file":"flows/after-hours.yaml"}` |  |',
      '| flow `main-entry` | modified | `version` | `"2.0.0"` | `"2.1.0"` |',
      '| flow `holiday` | added | (whole) |  | `{"file":"flows/holiday.yaml"}` |',
      '| queue `sales-inbound` | modified | `serviceLevel` | `"80/20"` | `"90/20"` |'
    ])
  })

  // Changed on purpose: values are whole up to 400 characters, and a longer one is cut in the middle.
  it('cuts long values in the field changes in the middle', () => {
    const long = `${'x'.repeat(500)}END`
    const summary = renderJobSummary(makePlan({ after: { ...bundleConfig, queues: { 'sales-inbound': { serviceLevel: long } } } }), undefined, context)
    const row = summary.split('\n').find(line => line.startsWith('| queue `sales-inbound`')) ?? ''
    expect(row).toContain(' … ')
    expect(row).toContain('xEND"`')
    expect(row.length).toBeLessThan(500)
  })

  it('explains the risk: reasons, capacity and consumers', () => {
    const consumers = { 'main-entry': [{ id: 'ivr-1', name: 'Main IVR', type: 'IVRCONFIGURATION' }] }
    const summary = renderJobSummary(makePlan({ consumers }), undefined, context)
    const risk = summary.slice(summary.indexOf('### Risk: HIGH'), summary.indexOf('### Impact'))
    // Changed on purpose: removals of a group are one line that names them all (up to ten).
    expect(risk).toContain('Driven by:\n- removes 1 flow: `after-hours`\n')
    expect(risk).toContain('- environment flow slots 45/50 = 90 % (above 80 %)')
    expect(risk).toContain('- 1 changed flow is used by 1 other resource: `main-entry` (used by `Main IVR`)')
    expect(risk).toContain('| flow capacity | 2 | 500 | 0.4 % |')
    expect(risk).toContain('| environment flow slots | 45 | 50 | 90 % |')
    // The consumers, one row each, moved to the impact section beside the graph.
    const impact = summary.slice(summary.indexOf('### Impact'), summary.indexOf('### Platform validation'))
    expect(impact).toContain('| `main-entry` | Main IVR | IVRCONFIGURATION | `ivr-1` |')
  })

  it('shows the deployment and its timeline', () => {
    const summary = renderJobSummary(makePlan(), rolledBack, context)
    const deployment = summary.slice(summary.indexOf('### Deployment'), summary.indexOf('### Impact'))
    expect(deployment).toContain('| Status | **ROLLBACK_COMPLETED** |')
    expect(deployment).toContain('| Deployment id | `dep-8c1e` |')
    expect(deployment).toContain('| Latency | 12.3 s (12345 ms) |')
    expect(deployment).toContain('| Rollback | `ROLLED_BACK`: the deployment reached FAILED |')
    expect(deployment).toContain('| +6.5 s | `FAILED` | Flow main-entry failed to publish |')
    expect(deployment).toContain('| +12.3 s | `ROLLED_BACK` |  |')
    expect(deployment).toContain('| Workflow run | [open the run](https://github.com/acme/contact-center/actions/runs/42) |')
    expect(deployment).toContain('<details>\n<summary>Timeline (5 events)</summary>')
  })

  it('leaves the deployment out in assess mode', () => {
    expect(renderJobSummary(makePlan(), undefined, context)).not.toContain('### Deployment')
  })

  it('is complete: every section, every change of a large diff, the footer, no truncation', () => {
    const plan = makePlan(largeDiff())
    const summary = renderJobSummary(plan, rolledBack, context)
    for (const heading of ['## Genesys Cloud bundle', '### Changes', '### Risk:', '### Platform validation', '### Deployment', '<summary>Field changes']) {
      expect(summary).toContain(heading)
    }
    // Changed on purpose: each field change is a row under its resource, with the path inside the resource.
    for (const path of plan.diff.changes.map(change => change.path)) {
      const [, name, field] = /^flows\.([^.]+)\.(.+)$/.exec(path) ?? []
      expect(summary).toContain(`| flow \`${name}\` | modified | \`${field}\` |`)
    }
    expect(summary).not.toContain('Showing')
    expect(summary).toContain('<sub>Baseline: manifest at base commit `abc1234` · fingerprint `ffffffff0123`')
    expect(summary).toContain('[workflow run](https://github.com/acme/contact-center/actions/runs/42)')
    expect(summary).not.toContain('Report truncated')
  })

  it('says everything shows as added when there is no baseline', () => {
    const summary = renderJobSummary(
      makePlan({
        before: {},
        baseline: { source: 'empty', description: 'no baseline: everything shows as added' },
        remoteValidation: { ran: false, reason: 'no credentials' }
      }),
      undefined,
      context
    )
    expect(summary).toContain('There is no baseline to compare with, so everything shows as added.')
    expect(summary).toContain('**Flows added (2):** `holiday`, `main-entry`')
    expect(summary).toContain('risk **LOW**')
  })

  it('says so when nothing changed, and renders no field changes', () => {
    const summary = renderJobSummary(makePlan({ before: bundleConfig }), undefined, context)
    expect(summary).toContain('No changes to flows or queues.')
    expect(summary).not.toContain('<details')
  })
})

// Changed on purpose: the full diff became the field changes, one table of every field with its resource.
describe('the field changes', () => {
  it('opens when it holds at most 20 changes and stays closed above', () => {
    const flows = (count: number, value: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`flow-${i}`, { v: value }]))
    const twenty = renderJobSummary(makePlan({ before: { flows: flows(20, 1) }, after: { flows: flows(20, 2) } }), undefined, context)
    expect(twenty).toContain('<details open>\n<summary>Field changes (20 in 20 resources)</summary>')
    const twentyOne = renderJobSummary(makePlan({ before: { flows: flows(21, 1) }, after: { flows: flows(21, 2) } }), undefined, context)
    expect(twentyOne).toContain('<details>\n<summary>Field changes (21 in 21 resources)</summary>')
  })

  it('shows the new text of a long prompt that changed near its end, beside the old one', () => {
    const prompt = (ending: string) => ({
      'main-entry': {
        inboundCall: {
          tasks: { Main: { actions: { 'Transfer to sales': { preTransferAudio: { tts: `${'Thank you for calling Acme. '.repeat(30)}${ending}` } } } } }
        }
      }
    })
    const summary = renderJobSummary(makePlan({ before: { flows: prompt('Goodbye.') }, after: { flows: prompt('Have a nice day.') } }), undefined, context)
    const row = summary
      .split('\n')
      .find(line => line.startsWith('| flow `main-entry` | modified | `inboundCall.tasks.Main.actions.Transfer to sales.preTransferAudio.tts` |'))
    const [, , , before, after] = cellsOf(row ?? '')
    // The shared beginning is left out of both (…), and each ends with its own words.
    expect(before).toMatch(/^`…[^`]{40}Goodbye\."`$/)
    expect(after).toMatch(/^`…[^`]{40}Have a nice day\."`$/)
  })

  it('lists resource, change, field, before and after', () => {
    const summary = renderJobSummary(makePlan(), undefined, context)
    expect(summary).toContain('| flow `main-entry` | modified | `version` | `"2.0.0"` | `"2.1.0"` |')
    expect(summary).toContain('| flow `holiday` | added | (whole) |  | `{"file":"flows/holiday.yaml"}` |')
  })
})

describe('escaping', () => {
  const hostile = 'a|b<c-->'
  const closer = '</details><script>x</script>'

  function hostilePlan(): Plan {
    return makePlan({
      bundleId: 'bundle-->x',
      environmentId: 'env<!--',
      before: { flows: { [hostile]: { v: 'old' }, gone: { v: closer } } },
      after: { flows: { [hostile]: { v: `new|value\n<b>bold</b>` } } },
      remoteValidation: { ran: true, valid: true, warnings: [`Flow ${closer} --> @octo-org/admins [x](javascript:alert(1))`], errors: [] },
      consumers: { gone: [{ id: 'id|1', name: '<img src=x>', type: 'QUEUE|X' }] },
      findings: [{ severity: 'error', message: `bad key \`${closer}\` in ${closer}`, file: 'a|b.yaml', line: 1 }],
      externalDependencies: [{ group: 'flows', name: hostile }]
    })
  }

  it('renders no HTML from names, values or messages, outside code spans', () => {
    const summary = renderJobSummary(hostilePlan(), { ...rolledBack, error: closer, timeline: [{ atMs: 1, state: 'FAILED', detail: closer }] }, context)
    // The report's own tags only: the timeline's, the consumers' and the field changes' folds, and the footer.
    const fold = (open: boolean): string[] => [open ? '<details open>' : '<details>', '</details>', '<summary>', '</summary>']
    expect(htmlOutsideCode(summary).sort()).toEqual([...fold(false), ...fold(true), ...fold(true), '<sub>', '</sub>'].sort())
    expect(summary).toContain('&lt;/details&gt;&lt;script&gt;x&lt;/script&gt; --&gt;')
  })

  it('keeps table rows whole when names and values hold pipes and line breaks', () => {
    const summary = renderJobSummary(hostilePlan(), undefined, context)
    const tables = summary.split('\n').filter(line => line.startsWith('|') && !line.startsWith('| ---'))
    expect(tables.length).toBeGreaterThan(8)
    for (const header of summary.split('\n\n').filter(block => block.startsWith('|'))) {
      const [head, ...rows] = header.split('\n')
      for (const row of rows) expect(cellsOf(row)).toHaveLength(cellsOf(head).length)
    }
    expect(summary).toContain('| flow `a\\|b<c-->` | modified | `v` | `"old"` | `"new\\|value\\n<b>bold</b>"` |')
  })

  it('stops mentions and links in platform messages', () => {
    const summary = renderJobSummary(hostilePlan(), undefined, context)
    expect(summary).not.toMatch(/@octo-org/)
    expect(summary).toContain('@\u200bocto-org/admins \\[x\\](javascript:alert(1))')
  })

  it('keeps the marker closed whatever the bundle and environment are called', () => {
    const comment = renderComment(hostilePlan(), undefined, context)
    const firstLine = comment.split('\n')[0]
    expect(firstLine.startsWith('<!-- genesys-bundle-deploy {')).toBe(true)
    expect(comment.indexOf('-->')).toBe(firstLine.length - 3)
    expect(parseCommentMarker(comment)).toEqual({ bundleId: 'bundle-->x', environmentId: 'env<!--', fingerprint: FINGERPRINT })
  })
})

describe('renderComment', () => {
  it('starts with the marker, then the same report as the summary', () => {
    const plan = makePlan()
    const comment = renderComment(plan, undefined, context)
    const summary = renderJobSummary(plan, undefined, context)
    expect(comment).toBe(
      `<!-- genesys-bundle-deploy {"bundleId":"contact-center-core","environmentId":"prod-7f3a","fingerprint":"${FINGERPRINT}"} -->\n${summary}`
    )
  })

  // Changed on purpose: the field changes are cut first, inside their fold, with the true counts and a pointer to the
  // job summary (no longer to a log, which holds no report); everything after them (the footer) stays.
  it('fits a 70 KB diff in 60,000 bytes, cutting the field changes first and saying how many are shown', () => {
    const plan = makePlan(largeDiff())
    expect(utf8Bytes(JSON.stringify(plan.diff))).toBeGreaterThan(70_000)
    const comment = renderComment(plan, rolledBack, context)
    expect(utf8Bytes(comment)).toBeLessThanOrEqual(60_000)
    expect(utf8Bytes(comment)).toBeGreaterThan(55_000)
    expect(count(comment, /<details[\s>]/)).toBe(2)
    expect(count(comment, '</details>')).toBe(2)
    const shownRows = comment.split('\n').filter(line => line.startsWith('| flow `flow-')).length
    expect(shownRows).toBeGreaterThan(50)
    expect(shownRows).toBeLessThan(600)
    expect(comment).toContain(
      `_Showing ${shownRows} of 600 field changes; all are in the [job summary](https://github.com/acme/contact-center/actions/runs/42)._\n\n</details>\n`
    )
    expect(comment).toContain(`<summary>Field changes (600 in 300 resources): ${shownRows} shown</summary>`)
    expect(comment).toContain('<sub>Baseline: manifest at base commit')
    expect(comment).toContain('### Deployment')
    // The cut falls between table rows, and a blank line ends the table before the notice.
    expect(comment).toMatch(/\|\n\n_Showing/)
    expect(parseCommentMarker(comment)?.fingerprint).toBe(FINGERPRINT)
  })

  it('honours a smaller budget counted in UTF-8 bytes, not characters', () => {
    const plan = makePlan(largeDiff())
    const comment = renderComment(plan, undefined, context, { maxBytes: 10_000 })
    expect(utf8Bytes(comment)).toBeLessThanOrEqual(10_000)
    expect(comment.length).toBeLessThan(utf8Bytes(comment))
    expect(comment).toMatch(/_Showing \d+ of 600 field changes; all are in the \[job summary\]/)
  })
})

describe('comment marker', () => {
  const marker = { bundleId: 'contact-center-core', environmentId: 'prod-7f3a', fingerprint: FINGERPRINT }

  it('round-trips through render and parse, with odd characters too', () => {
    expect(parseCommentMarker(renderCommentMarker(marker))).toEqual(marker)
    const odd = { bundleId: 'a"b\\c>d', environmentId: 'é日本 & <x>', fingerprint: '' }
    const rendered = renderCommentMarker(odd)
    expect(rendered.slice('<!-- genesys-bundle-deploy '.length, -' -->'.length)).not.toMatch(/[<>&]/)
    expect(parseCommentMarker(rendered)).toEqual(odd)
  })

  it('finds the marker among other text and other tools’ markers', () => {
    const body = [
      '<!-- terraform-plan {"workspace":"prod"} -->',
      '<!-- genesys-bundle-deploy-preview {"bundleId":"other","environmentId":"x","fingerprint":"y"} -->',
      '<!-- genesys-bundle-deploy {not json} -->',
      '<!-- genesys-bundle-deploy {"bundleId":1,"environmentId":"x","fingerprint":"y"} -->',
      'Some text',
      renderCommentMarker(marker),
      'more text'
    ].join('\n')
    expect(parseCommentMarker(body)).toEqual(marker)
  })

  it('returns undefined when there is no marker of this action', () => {
    expect(parseCommentMarker('just a review comment')).toBeUndefined()
    expect(parseCommentMarker('<!-- genesys-bundle-deploy -->')).toBeUndefined()
  })

  it('matches one comment per bundle and environment', () => {
    const body = renderComment(makePlan(), undefined, context)
    expect(isCommentFor(body, 'contact-center-core', 'prod-7f3a')).toBe(true)
    expect(isCommentFor(body, 'contact-center-core', 'staging')).toBe(false)
    expect(isCommentFor('no marker', 'contact-center-core', 'prod-7f3a')).toBe(false)
    expect(commentMarkerKey('a', 'b-c')).not.toBe(commentMarkerKey('a-b', 'c'))
  })
})

describe('capMarkdown', () => {
  it('returns the whole report when it fits', () => {
    expect(capMarkdown({ body: 'a\nb', footer: 'f', notice: 'n' }, 100)).toBe('a\nb\n\nf\n')
  })

  it('closes an open code fence and details when it cuts inside them', () => {
    const body = ['# t', '<details>', '<summary>s</summary>', '', '```', ...Array.from({ length: 50 }, (_, i) => `line ${i}`), '```', '</details>'].join('\n')
    const capped = capMarkdown({ body, footer: 'foot', notice: 'cut' }, 200)
    expect(utf8Bytes(capped)).toBeLessThanOrEqual(200)
    expect(capped).toMatch(/line \d+\n\n```\n<\/details>\n\nfoot\n\ncut\n$/)
  })

  it('keeps only the notice when even the footer does not fit', () => {
    expect(capMarkdown({ body: 'x'.repeat(100), footer: 'f'.repeat(50), notice: 'truncated' }, 20)).toBe('truncated\n')
  })
})

describe('markdown primitives', () => {
  it('escapes markdown and HTML in text', () => {
    expect(escapeText('*a* _b_ [c](d) <e> & `f` | #g\nh')).toBe('\\*a\\* \\_b\\_ \\[c\\](d) &lt;e&gt; &amp; \\`f\\` \\| \\#g h')
  })

  it('fences code spans longer than the backtick runs inside', () => {
    expect(inlineCode('plain')).toBe('`plain`')
    expect(inlineCode('a`b')).toBe('``a`b``')
    expect(inlineCode('`x`')).toBe('`` `x` ``')
    expect(inlineCode('a|b', { inTable: true })).toBe('`a\\|b`')
    expect(inlineCode('a|b')).toBe('`a|b`')
  })

  it('keeps code spans of text and escapes the rest', () => {
    expect(escapeTextKeepingCode('removes flow ``a`b`` <now>')).toBe('removes flow ``a`b`` &lt;now&gt;')
    expect(escapeTextKeepingCode('unclosed ` tick')).toBe('unclosed \\` tick')
  })

  it('links only http(s) URLs, encoding characters that end the target', () => {
    expect(link('run', 'https://x.test/a(b)')).toBe('[run](https://x.test/a%28b%29)')
    expect(link('run', 'javascript:alert(1)')).toBe('run')
  })
})

/** About 300 modified flows with long values: a diff of more than 70 KB. */
function largeDiff(): PlanInput {
  const flows = (version: string) =>
    Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`flow-${String(i).padStart(3, '0')}`, { description: `Flöw ${i} ${version} ${'é'.repeat(100)}`, version }])
    )
  return { before: { flows: flows('1.0.0') }, after: { flows: flows('2.0.0') } }
}
