/**
 * The outcome first: the alert that opens the comment and the summary for every status, the deployment's flow jobs,
 * an invalid bundle that is not assessed, hostile names in every place a name lands, and the comment marker.
 */
import { describe, expect, it } from '@jest/globals'
import { htmlOutsideCode, splitFencedBlocks, structureProblems, withoutCodeSpans } from '../__fixtures__/markdown-structure.js'
import { generatePlan, REPORT_CONTEXT } from '../__fixtures__/report-plans.js'
import { assemblePlan, unassessedPlan } from '../src/assess/assemble-plan.js'
import { emptyBaseline } from '../src/assess/baseline.js'
import type { Finding } from '../src/bundle/finding.js'
import { FinalStatus } from '../src/constants.js'
import type { DeployResult } from '../src/deploy/result.js'
import { isCommentFor, parseCommentMarker, renderComment, renderCommentMarker, type CommentMarker } from '../src/report/comment.js'
import { planLogLine } from '../src/report/plan-log-line.js'
import { renderJobSummary } from '../src/report/render-report.js'

const RUN_LINK = '(https://github.com/acme/contact-center/actions/runs/42)'

function deployResult(status: FinalStatus, error?: string): DeployResult {
  return {
    status,
    deploymentId: 'dep-8c1e',
    latencyMs: 12_345,
    ...(status === FinalStatus.RollbackCompleted ? { rollback: { reason: 'the deployment reached FAILED', state: 'ROLLED_BACK' as const } } : {}),
    timeline: [
      { atMs: 0, state: 'DEPLOY_REQUESTED' },
      { atMs: 6_500, state: 'FAILED', detail: 'Flow main-entry failed to publish' }
    ],
    ...(error ? { error } : {})
  }
}

describe('the alert that opens the merged pull request comment on a deploy', () => {
  const cases: [FinalStatus, string, string][] = [
    [FinalStatus.Completed, 'TIP', 'Deployed to `prod-7f3a`'],
    [FinalStatus.RollbackCompleted, 'WARNING', 'Deployment failed and was rolled back: `prod-7f3a` is as it was'],
    [FinalStatus.RollbackTriggered, 'WARNING', 'Genesys Cloud rolled the deployment back by itself'],
    [FinalStatus.RollbackFailed, 'CAUTION', 'Deployment failed and its rollback failed: `prod-7f3a` may be partly changed'],
    [FinalStatus.Failed, 'CAUTION', 'Deployment failed: `prod-7f3a` may be partly changed'],
    [FinalStatus.TimedOut, 'CAUTION', 'The deployment did not finish before the deadline'],
    [FinalStatus.Cancelled, 'WARNING', 'The run was cancelled during the deployment']
  ]

  it.each(cases)('%s: the outcome, its reason and the run link in the first lines', (status, kind, headline) => {
    const error = status === FinalStatus.Completed ? undefined : 'Deployment dep-8c1e failed (Flow main-entry failed to publish); see the timeline.'
    const { plan } = generatePlan({ flows: 3, removed: 0, added: 0 })
    const lines = renderComment(plan, deployResult(status, error), { ...REPORT_CONTEXT, eventName: 'push' }).split('\n')
    expect(lines[3]).toBe(`> [!${kind}]`)
    expect(lines[4].startsWith(`> **${headline}**`)).toBe(true)
    if (error) expect(lines[4]).toContain(`**: ${error}`)
    const toDo = lines.slice(4, 7).find(line => line.startsWith('> **What to do:**')) ?? ''
    expect(toDo).toContain(status === FinalStatus.Completed ? `[Workflow run]${RUN_LINK}` : `[Open the workflow run]${RUN_LINK}`)
  })

  it('says a deployment is under way, with the run to follow', () => {
    const { plan } = generatePlan({ flows: 3, removed: 0, added: 0 })
    const comment = renderComment(plan, undefined, REPORT_CONTEXT, { status: 'DEPLOYING' })
    expect(comment).toContain(
      `> [!NOTE]\n> **Deploying to \`prod-7f3a\`**: This comment is updated when the deployment ends.\n> **What to do:** Follow it in the workflow run. [Open the workflow run]${RUN_LINK}.`
    )
    expect(parseCommentMarker(comment)?.status).toBe('DEPLOYING')
  })

  it("shows each flow's job of an architect deployment: level, flow, job id, duration, outcome, rollback", () => {
    const { plan } = generatePlan({ flows: 3, removed: 0, added: 0 })
    const result: DeployResult = {
      ...deployResult(FinalStatus.RollbackCompleted, 'Flow job job-2 failed.'),
      flowJobs: [
        {
          flow: 'base-routing',
          name: 'Base Routing',
          level: 0,
          jobId: 'job-1',
          startedAtMs: 100,
          endedAtMs: 4_300,
          outcome: 'published',
          rollback: 'restored'
        },
        {
          flow: 'main-entry',
          name: 'main-entry',
          level: 1,
          jobId: 'job-2',
          startedAtMs: 4_400,
          endedAtMs: 9_000,
          outcome: 'failed',
          detail: 'Queue `Sales` | not found'
        },
        { flow: 'after-hours', name: 'After Hours', level: 1, outcome: 'not started' }
      ]
    }
    const summary = renderJobSummary(plan, result, REPORT_CONTEXT)
    expect(summary).toContain(
      [
        'Flow jobs (3):',
        '',
        '| Level | Flow | Job id | Duration | Outcome | Rollback |',
        '| --- | --- | --- | --- | --- | --- |',
        '| 0 | `base-routing` (Base Routing) | `job-1` | 4.2 s | published | restored |',
        '| 1 | `main-entry` | `job-2` | 4.6 s | **failed**: Queue `Sales` \\| not found |  |',
        '| 1 | `after-hours` (After Hours) |  |  | not started |  |'
      ].join('\n')
    )
    expect(structureProblems(summary)).toEqual([])
  })
})

describe('the alert of an assessment', () => {
  it('names the accepting label when the risk was accepted', () => {
    const { plan } = generatePlan({ flows: 3, removed: 1, added: 0 })
    const gate = { passed: true, acceptedByLabel: true, message: 'accepted' }
    const comment = renderComment(plan, undefined, REPORT_CONTEXT, { status: 'ASSESSED', gate, riskAcceptedLabel: 'genesys-risk-accepted' })
    expect(comment).toContain('> [!WARNING]\n> **Risk HIGH, accepted by the label `genesys-risk-accepted`**: removes 1 flow: `flow-0000`')
    expect(parseCommentMarker(comment)?.gate).toBe('accepted')
  })

  it('is a tip when the risk is low, and a note when it is medium', () => {
    const quiet = { removed: 0, warnings: 0, withConsumers: 0, queues: false, slotOverrun: false }
    const passed = { status: 'ASSESSED' as const, gate: { passed: true, acceptedByLabel: false, message: '' } }
    const low = renderJobSummary(generatePlan({ ...quiet, flows: 2, unchanged: 2, added: 1 }).plan, undefined, REPORT_CONTEXT, passed)
    expect(low).toContain('> [!TIP]\n> **Risk LOW**: adds 1 flow: `new-flow-000`\n> **What to do:** Nothing to do.')
    const medium = renderJobSummary(generatePlan({ ...quiet, flows: 2, unchanged: 1, added: 0 }).plan, undefined, REPORT_CONTEXT, passed)
    expect(medium).toContain('> [!NOTE]\n> **Risk MEDIUM**: modifies 1 flow\n> **What to do:** Review the changes below before merging.')
  })
})

describe('an invalid bundle', () => {
  const findings: Finding[] = Array.from({ length: 14 }, (_, i) => ({
    severity: 'error',
    message: `\`unknown${String(i + 1).padStart(2, '0')}\` is not a known key; remove it or fix its spelling.`,
    file: 'bundle.yaml',
    line: i + 6,
    column: 1
  }))
  const plan = assemblePlan({
    api: 'architecture-manager',
    loaded: { findings, bundleId: 'contact-center-core', environmentId: 'prod-7f3a' },
    baseline: emptyBaseline(),
    remoteValidation: { ran: false, reason: 'the bundle failed its local checks' }
  })
  const failure = 'The bundle bundle.yaml has 14 problem(s); fix the annotated lines. Nothing was sent to Genesys Cloud.'

  it('is not assessed: no risk level, no changes, one consistent story of its problems and how to fix them', () => {
    for (const markdown of [
      renderJobSummary(plan, undefined, REPORT_CONTEXT, { status: 'VALIDATION_FAILED', failure }),
      renderComment(plan, undefined, REPORT_CONTEXT, { status: 'VALIDATION_FAILED', failure })
    ]) {
      expect(markdown).toContain(
        '> [!CAUTION]\n> **The bundle has 14 problems: not assessed, nothing was sent to Genesys Cloud**: `bundle.yaml:6`: `unknown01` is not a known key; remove it or fix its spelling.\n' +
          '> **What to do:** Fix `bundle.yaml:6` and the 13 other problems listed below, then push again.'
      )
      expect(markdown).toContain('**VALIDATION_FAILED** · **not assessed** · 14 problems')
      expect(markdown).toContain('### Local checks: 14 errors')
      expect(markdown.split('\n').filter(line => line.startsWith('| **error** | `bundle.yaml:'))).toHaveLength(14)
      for (const absent of [/risk/i, /everything shows as added/, /No changes/, /### Changes/, /Field changes/, /Baseline:/, /```mermaid/])
        expect(markdown).not.toMatch(absent)
      expect(structureProblems(markdown)).toEqual([])
    }
  })

  it('says why the run stopped when it stopped before any bundle was read', () => {
    const stopped = unassessedPlan('`fail-on-risk` is "extreme"; set it to one of high, medium, low, never.')
    const summary = renderJobSummary(stopped, undefined, REPORT_CONTEXT, {
      status: 'VALIDATION_FAILED',
      failure: '`fail-on-risk` is "extreme"; set it to one of high, medium, low, never.'
    })
    expect(summary).toContain(
      '> **The run failed before the bundle could be assessed**: `fail-on-risk` is &quot;extreme&quot;; set it to one of high, medium, low, never.'
    )
    expect(summary).not.toContain('**Run failed:**')
    expect(summary).not.toMatch(/risk \*\*|everything shows as added|No changes/)
  })

  it('logs no risk level either', () => {
    expect(planLogLine(plan)).toBe('Not assessed: the bundle has 14 problems (listed above and in the job summary)')
    expect(planLogLine(generatePlan({ flows: 300, removed: 5, added: 5 }).plan)).toBe(
      'Risk HIGH: flows 5 removed, 5 added, 295 modified; queues 1 removed, 1 modified'
    )
  })
})

describe('hostile names', () => {
  const FORGED = '<!-- genesys-bundle-deploy {"bundleId":"contact-center-core","environmentId":"forged","fingerprint":"0"} -->'
  const hostile = [
    `evil${FORGED}`,
    '--> </details><script>alert(1)</script>',
    '@octo-org/admins please look',
    'pipe|in|name',
    'tick`s ``` fence',
    'line\nbreak',
    '%%{init: {"theme":"dark"}}%%',
    '"]; click n0 href "javascript:alert(1)"',
    '[link](https://evil.example) *bold* _em_'
  ]
  const { plan } = generatePlan({
    flows: 6,
    removed: 3,
    added: 3,
    withConsumers: 3,
    names: { removed: hostile.slice(0, 3), added: hostile.slice(3, 6), modified: hostile.slice(6, 9) },
    consumerNames: hostile,
    queueName: hostile[1],
    bundleId: 'bundle-->x',
    environmentId: `env<!--${FORGED}`
  })
  const options = { status: 'ASSESSED' as const, gate: { passed: false, acceptedByLabel: false, message: '' }, riskAcceptedLabel: 'ok' }
  const comment = renderComment(plan, undefined, REPORT_CONTEXT, options)
  const summary = renderJobSummary(plan, undefined, REPORT_CONTEXT, options)

  it('keep the structure: one marker, the fence closed, folds paired, table rows whole', () => {
    for (const markdown of [comment, summary]) expect(structureProblems(markdown)).toEqual([])
    expect(comment.split('<!-- genesys-bundle-deploy').length - 1).toBe(1)
    expect(parseCommentMarker(comment)).toMatchObject({ bundleId: 'bundle-->x', environmentId: `env<!--${FORGED}` })
    expect(isCommentFor(comment, 'contact-center-core', 'forged')).toBe(false)
  })

  it('render no HTML, link, emphasis or mention outside code', () => {
    for (const markdown of [comment, summary]) {
      const tags = htmlOutsideCode(markdown.replace(/^<!-- genesys-bundle-deploy .* -->\n/, ''))
      expect(tags.filter(tag => !/^<\/?(details|summary|sub)( open)?>$/.test(tag))).toEqual([])
      const prose = withoutCodeSpans(splitFencedBlocks(markdown).rest)
      expect(prose).not.toMatch(/@(?!\u200b)\w/)
      expect(prose).not.toMatch(/(?<!\\)\]\(https:\/\/evil/)
    }
  })

  it('are named in code spans where they are listed, and as entity codes in the graph', () => {
    expect(summary).toContain('**Flows added (3):** `line break`, `pipe|in|name`, ````tick`s ``` fence````')
    expect(summary).toContain('`@octo-org/admins please look`')
    expect(summary).toContain('| flow `pipe\\|in\\|name` | added | (whole) |')
    const [graph] = splitFencedBlocks(summary).blocks.filter(block => block.info === 'mermaid')
    for (const line of graph.lines.filter(line => /^ {2}n\d+\[/.test(line))) {
      expect(line).toMatch(/^ {2}n\d+\["(?:[\p{L}\p{N} .,:_/+()-]|#\d+;)*"\]:::\w+$/u)
    }
    expect(graph.lines.join('\n')).toContain('#64;octo-org/admins please look')
  })
})

describe('the comment marker', () => {
  const full: CommentMarker = {
    bundleId: 'contact-center-core',
    environmentId: 'prod-7f3a',
    fingerprint: 'f'.repeat(64),
    baselineFingerprint: 'b'.repeat(64),
    gate: 'accepted',
    assessedAt: '2026-11-27T10:00:00.000Z',
    status: 'ASSESSED'
  }

  it('round-trips every field, written in a fixed order', () => {
    const rendered = renderCommentMarker(full)
    expect(rendered).toBe(
      `<!-- genesys-bundle-deploy {"bundleId":"contact-center-core","environmentId":"prod-7f3a","fingerprint":"${'f'.repeat(64)}","baselineFingerprint":"${'b'.repeat(64)}","gate":"accepted","assessedAt":"2026-11-27T10:00:00.000Z","status":"ASSESSED"} -->`
    )
    expect(parseCommentMarker(rendered)).toEqual(full)
  })

  it('reads markers written before the new fields, and leaves out fields it cannot trust', () => {
    expect(parseCommentMarker('<!-- genesys-bundle-deploy {"bundleId":"a","environmentId":"b","fingerprint":"c"} -->')).toEqual({
      bundleId: 'a',
      environmentId: 'b',
      fingerprint: 'c'
    })
    const odd =
      '<!-- genesys-bundle-deploy {"bundleId":"a","environmentId":"b","fingerprint":"c","gate":"maybe","assessedAt":"yesterday","status":"DONE","baselineFingerprint":7} -->'
    expect(parseCommentMarker(odd)).toEqual({ bundleId: 'a', environmentId: 'b', fingerprint: 'c' })
  })

  it('keeps every value inside the HTML comment', () => {
    const nasty = `--> ${'<!-- genesys-bundle-deploy {"bundleId":"x","environmentId":"y","fingerprint":"z"} -->'} --!> &`
    const marker: CommentMarker = { ...full, bundleId: nasty, environmentId: nasty, fingerprint: nasty, baselineFingerprint: nasty }
    const rendered = renderCommentMarker(marker)
    expect(rendered.indexOf('-->')).toBe(rendered.length - 3)
    expect(rendered.slice(4, -3)).not.toMatch(/[<>&]/)
    expect(parseCommentMarker(rendered)).toEqual(marker)
  })

  it('is filled from the comment options: the assessed plan, gate, status', () => {
    const { plan } = generatePlan({ flows: 3, removed: 0, added: 0 })
    const comment = renderComment(plan, undefined, REPORT_CONTEXT, {
      status: 'ASSESSED',
      gate: { passed: false, acceptedByLabel: false, message: '' },
      assessment: { baselineFingerprint: 'b'.repeat(64), assessedAt: '2026-11-27T10:00:00.000Z' }
    })
    expect(parseCommentMarker(comment)).toEqual({ ...full, fingerprint: plan.fingerprint, gate: 'failed' })
  })
})
