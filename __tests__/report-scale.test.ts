/**
 * The comment and the job summary of generated changes of 3, 300 and 2,000 flows, read as a reviewer reads them: the
 * first screen holds the outcome, the risk and its drivers, every added and removed resource and what to do; sizes
 * stay under GitHub's limits; every cut states true counts; the graph is there and capped.
 */
import { describe, expect, it } from '@jest/globals'
import { firstScreen, splitFencedBlocks, structureProblems } from '../__fixtures__/markdown-structure.js'
import { generatePlan, REPORT_CONTEXT, type GeneratedChange, type GeneratedPlan } from '../__fixtures__/report-plans.js'
import { parseCommentMarker, renderComment } from '../src/report/comment.js'
import { GRAPH_MAX_NODES, GRAPH_MAX_RESOURCES } from '../src/report/impact-graph.js'
import { utf8Bytes } from '../src/report/markdown.js'
import { JOB_SUMMARY_MAX_BYTES, renderJobSummary } from '../src/report/render-report.js'

const GATE_FAILED = { passed: false, acceptedByLabel: false, message: 'Risk HIGH reaches the gate.' }
const OPTIONS = { status: 'ASSESSED' as const, gate: GATE_FAILED, riskAcceptedLabel: 'genesys-risk-accepted' }

const SCALES: [string, GeneratedChange][] = [
  ['3 flows', { flows: 2, removed: 1, added: 1 }],
  ['300 flows', { flows: 295, removed: 5, added: 5, withConsumers: 12 }],
  ['2,000 flows', { flows: 1990, removed: 10, added: 10, withConsumers: 40 }]
]

/** The comment and the summary of one generated change, rendered once for all the tests of its scale. */
const rendered = new Map<string, { generated: GeneratedPlan; comment: string; summary: string }>()
function render(label: string, change: GeneratedChange): { generated: GeneratedPlan; comment: string; summary: string } {
  const cached = rendered.get(label)
  if (cached) return cached
  const generated = generatePlan(change)
  const result = {
    generated,
    comment: renderComment(generated.plan, undefined, REPORT_CONTEXT, OPTIONS),
    summary: renderJobSummary(generated.plan, undefined, REPORT_CONTEXT, OPTIONS)
  }
  rendered.set(label, result)
  return result
}

/** Rows of the field changes table, by their first cell. */
function fieldRows(markdown: string): string[] {
  return markdown.split('\n').filter(line => /^\| (flow|queue) `/.test(line))
}

describe.each(SCALES)('a change of %s', (label, change) => {
  for (const sink of ['comment', 'summary'] as const) {
    describe(`its ${sink}`, () => {
      const get = (): { generated: GeneratedPlan; markdown: string } => {
        const { generated, comment, summary } = render(label, change)
        return { generated, markdown: sink === 'comment' ? comment : summary }
      }

      it('shows on its first screen the outcome, what to do, the risk and its drivers', () => {
        const { markdown } = get()
        const screen = firstScreen(markdown)
        expect(screen).toContain('> [!CAUTION]\n> **Risk HIGH blocks this pull request**: removes ')
        expect(screen).toContain('> **What to do:** If the change is intended, add the label `genesys-risk-accepted` to this pull request')
        expect(screen).toMatch(
          /^\*\*ASSESSED\*\* · risk \*\*HIGH\*\* · flows: [\d,]+ removed, [\d,]+ added, [\d,]+ modified · queues: 1 removed, 1 modified · /m
        )
        expect(screen).toContain('### Risk: HIGH')
        expect(screen).toMatch(/Driven by:\n- removes [\d,]+ flows?: /)
        expect(screen).toContain('- 7 platform warnings (more than 5)')
        // The flow-slot overrun is said in the alert and among the risk lines, whatever the size of the change.
        expect(screen).toMatch(/> Also: environment flow slots [\d,]+\/[\d,]+ = 166\.7 % \(above 80 %; over the limit\)/)
        expect(screen).toMatch(/^- environment flow slots [\d,]+\/[\d,]+ = 166\.7 %/m)
        expect(screen).toMatch(/^- [\d,]+ changed flows? (is|are) used by /m)
      })

      it('names every added and removed resource on its first screen', () => {
        const { markdown, generated } = get()
        const beforeFold = firstScreen(markdown)
        for (const flow of [...generated.removedFlows, ...generated.addedFlows]) expect(beforeFold).toContain(`\`${flow}\``)
        for (const queue of generated.removedQueues) expect(beforeFold).toContain(`**Queue removed (1):** \`${queue}\``)
        const flows = (count: number): string => (count === 1 ? 'Flow' : 'Flows')
        expect(beforeFold).toContain(`**${flows(generated.removedFlows.length)} removed (${generated.removedFlows.length}):**`)
        expect(beforeFold).toContain(`**${flows(generated.addedFlows.length)} added (${generated.addedFlows.length}):**`)
      })

      it('counts resources, not field paths', () => {
        const { markdown, generated } = get()
        const { removedFlows, addedFlows, modifiedFlows } = generated
        const count = (n: number): string => n.toLocaleString('en-US')
        expect(markdown).toContain(
          `flows: ${count(removedFlows.length)} removed, ${count(addedFlows.length)} added, ${count(modifiedFlows.length)} modified · queues: 1 removed, 1 modified`
        )
      })

      it('stays under its size limit and keeps its structure', () => {
        const { markdown } = get()
        if (sink === 'comment') {
          expect(utf8Bytes(markdown)).toBeLessThanOrEqual(60_000)
          expect(markdown.length).toBeLessThanOrEqual(65_536)
        } else {
          expect(utf8Bytes(markdown)).toBeLessThanOrEqual(JOB_SUMMARY_MAX_BYTES)
        }
        expect(structureProblems(markdown)).toEqual([])
      })

      it('says exactly how many field changes it shows and where the rest are', () => {
        const { markdown, generated } = get()
        const rows = fieldRows(markdown).length
        const notice = /_Showing ([\d,]+) of ([\d,]+) field changes; all are in (.+?)\._/.exec(markdown)
        if (rows === generated.fieldChangeCount) {
          expect(notice).toBeNull()
          expect(markdown).toContain(`<summary>Field changes (${generated.fieldChangeCount.toLocaleString('en-US')} in `)
          return
        }
        expect(notice).not.toBeNull()
        expect(Number(notice?.[1].replace(/,/g, ''))).toBe(rows)
        expect(Number(notice?.[2].replace(/,/g, ''))).toBe(generated.fieldChangeCount)
        expect(notice?.[3]).toBe(
          sink === 'comment' ? 'the [job summary](https://github.com/acme/contact-center/actions/runs/42)' : 'the file named by the step output `diff-file`'
        )
        // The fold says it too, and the footer after it is still there.
        expect(markdown).toContain(`: ${rows.toLocaleString('en-US')} shown</summary>`)
        expect(markdown.trimEnd().split('\n').at(-1)).toMatch(/^<sub>Baseline: /)
      })

      it('draws the changed resources and their users in a capped Mermaid graph', () => {
        const { markdown, generated } = get()
        const { blocks } = splitFencedBlocks(markdown)
        const mermaid = blocks.filter(block => block.info === 'mermaid')
        expect(mermaid).toHaveLength(1)
        const [graph] = mermaid
        expect(graph.lines[0]).toBe('flowchart LR')
        const nodes = graph.lines.filter(line => /^ {2}n\d+\[/.test(line))
        const changed = generated.removedFlows.length + generated.addedFlows.length + generated.modifiedFlows.length + 2
        const drawnResources = nodes.filter(line => /:::(added|removed|modified)$/.test(line)).length
        expect(drawnResources).toBe(Math.min(changed, GRAPH_MAX_RESOURCES))
        expect(nodes.length).toBeLessThanOrEqual(GRAPH_MAX_NODES)
        if (changed > GRAPH_MAX_RESOURCES) {
          expect(graph.lines).toContain(
            `  n${nodes.length - 1}["#8230; and ${(changed - GRAPH_MAX_RESOURCES).toLocaleString('en-US')} more changed resources"]:::more`
          )
        }
        // Removals first, then the flows something uses, each with an arrow to its users.
        expect(nodes[0]).toContain(':::removed')
        expect(graph.lines.some(line => /^ {2}n\d+ --> n\d+$/.test(line))).toBe(true)
        expect(graph.lines).toContain('  classDef removed fill:#ffebe9,stroke:#cf222e,color:#0d1117')
      })
    })
  }

  it('has the comment carry the marker and the job summary the whole report when it fits', () => {
    const { comment, summary, generated } = render(label, change)
    expect(parseCommentMarker(comment)).toEqual({
      bundleId: 'contact-center-core',
      environmentId: 'prod-7f3a',
      fingerprint: generated.plan.fingerprint,
      gate: 'failed',
      status: 'ASSESSED'
    })
    expect(fieldRows(summary)).toHaveLength(generated.fieldChangeCount)
  })
})

describe('a change too big for the job summary', () => {
  it('cuts the summary under 1 MiB and has the comment point at the complete diff file too', () => {
    const { plan, fieldChangeCount } = generatePlan({ flows: 4000, removed: 2, added: 2, withConsumers: 5 })
    const summary = renderJobSummary(plan, undefined, REPORT_CONTEXT, OPTIONS)
    expect(utf8Bytes(summary)).toBeLessThanOrEqual(JOB_SUMMARY_MAX_BYTES)
    const shown = fieldRows(summary).length
    expect(shown).toBeLessThan(fieldChangeCount)
    expect(summary).toContain(
      `_Showing ${shown.toLocaleString('en-US')} of ${fieldChangeCount.toLocaleString('en-US')} field changes; all are in the file named by the step output \`diff-file\`._`
    )
    expect(structureProblems(summary)).toEqual([])

    const comment = renderComment(plan, undefined, REPORT_CONTEXT, OPTIONS)
    expect(comment).toContain(
      'all are in the [job summary](https://github.com/acme/contact-center/actions/runs/42) and, complete, the file named by the step output `diff-file`._'
    )
  })
})
