/** The report's building blocks: value windows, the Mermaid sink, fitting into a budget, the annotation budget. */
import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../src/bundle/finding.js'
import { fitReport, type CuttableBlock } from '../src/report/fit-report.js'
import { ANNOTATIONS_PER_LEVEL, overflowNotice, planFindingAnnotations } from '../src/report/finding-annotations.js'
import { truncateMiddle, utf8Bytes } from '../src/report/markdown.js'
import { MERMAID_LABEL_CHARS, mermaidLabel, renderMermaid } from '../src/report/mermaid.js'
import { formatValue, formatValueChange, VALUE_MAX_CHARS } from '../src/report/value-format.js'

describe('formatValueChange', () => {
  it('shows both values whole, as JSON, when each fits', () => {
    expect(formatValueChange('2.0.0', '2.1.0')).toEqual({ before: '"2.0.0"', after: '"2.1.0"' })
    expect(formatValueChange(2, '2')).toEqual({ before: '2', after: '"2"' })
    expect(formatValueChange(undefined, Number.NaN)).toEqual({ before: 'undefined', after: 'NaN' })
  })

  it('shows where two long prompts differ, never the same cut-off beginning twice', () => {
    const start = 'Thank you for calling Acme Insurance. Your call is important to us. '.repeat(6)
    const end = ' Please stay on the line and an agent will be with you shortly. '.repeat(4)
    const before = `${start}For claims, press one.${end}`
    const after = `${start}For claims and renewals, press two.${end}`
    const shown = formatValueChange(before, after)

    expect(shown.before).toContain('For claims, press one.')
    expect(shown.after).toContain('For claims and renewals, press two.')
    expect(shown.before.startsWith('…')).toBe(true)
    expect(shown.after.startsWith('…')).toBe(true)
    expect(shown.before.endsWith('…')).toBe(true)
    expect(shown.before).not.toBe(shown.after)
    for (const side of [shown.before, shown.after]) expect(side.length).toBeLessThanOrEqual(VALUE_MAX_CHARS)
  })

  it('cuts a long differing part in the middle, keeping its start and end', () => {
    const before = `"${'a'.repeat(1000)}"`
    const after = `"${'b'.repeat(499)}MIDDLE${'c'.repeat(499)}END"`
    const shown = formatValueChange(before, after, 100)
    expect(shown.after).toMatch(/^"\\"b+ … c+END\\""$/)
    expect(shown.after.length).toBeLessThanOrEqual(110)
  })

  it('shows a change at the very end of a long text', () => {
    const text = 'x'.repeat(2000)
    const shown = formatValueChange(`${text}1`, `${text}2`)
    expect(shown.before).toMatch(/^…x{40}1"$/)
    expect(shown.after).toMatch(/^…x{40}2"$/)
  })

  it('never splits an emoji', () => {
    const shown = formatValueChange(`${'😀'.repeat(300)}a`, `${'😀'.repeat(300)}b`)
    expect(shown.before).toMatch(/^…(😀)+a"$/u)
    expect(Array.from(formatValue('😀'.repeat(500), 51)).every(char => char === '😀' || char === ' ' || char === '…' || char === '"')).toBe(true)
  })
})

describe('truncateMiddle', () => {
  it('keeps the start and the end', () => {
    expect(truncateMiddle('abcdefghijklmnopqrstuvwxyz', 13)).toBe('abcde … vwxyz')
    expect(truncateMiddle('short', 13)).toBe('short')
  })
})

describe('mermaidLabel', () => {
  const hostile = 'a"]\n click n0 href "javascript:alert(1)" %%{init: {}}%% ```x``` <b>bold</b> [y] |w| #35; `z` -->'

  it('writes every character that means something to Mermaid or Markdown as an entity code', () => {
    const label = mermaidLabel(hostile.slice(0, 40))
    expect(label).toMatch(/^(?:[\p{L}\p{N} .,:_/+()-]|#\d+;)*$/u)
    const decoded = label.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    expect(decoded).toBe(hostile.slice(0, 40).replace(/\s+/g, ' '))
  })

  it('cuts long labels in the middle', () => {
    const decoded = mermaidLabel('n'.repeat(200)).replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    expect(Array.from(decoded)).toHaveLength(MERMAID_LABEL_CHARS)
    expect(decoded).toContain(' … ')
  })

  it('renders a block that only its own last line closes, whatever the labels hold', () => {
    const block = renderMermaid({
      nodes: [
        { id: 'n0', label: hostile, kind: 'removed' },
        { id: 'n1', label: '```\n</details>', kind: 'consumer' }
      ],
      edges: [{ from: 'n0', to: 'n1' }]
    })
    const lines = block.split('\n')
    expect(lines[0]).toBe('```mermaid')
    expect(lines.at(-1)).toBe('```')
    const nodeLines = lines.filter(line => /^ {2}n\d+\[/.test(line))
    expect(nodeLines).toHaveLength(2)
    for (const line of nodeLines) expect(line).toMatch(/^ {2}n\d+\["(?:[\p{L}\p{N} .,:_/+()-]|#\d+;)*"\]:::(removed|consumer)$/u)
    expect(lines.slice(1, -1).every(line => !line.includes('`') && !line.includes('%%'))).toBe(true)
    expect(lines).toContain('  n0 --> n1')
    expect(lines.filter(line => line.startsWith('  classDef '))).toEqual([
      '  classDef removed fill:#ffebe9,stroke:#cf222e,color:#0d1117',
      '  classDef consumer fill:#f6f8fa,stroke:#57606a,color:#0d1117'
    ])
  })
})

describe('fitReport', () => {
  const rows = (count: number, width: number): string[] => Array.from({ length: count }, (_, i) => `${String(i).padStart(4, '0')}${'x'.repeat(width)}`)
  const block = (lines: string[], cutOrder: number, what: string): CuttableBlock => ({
    rowCount: lines.length,
    cutOrder,
    render: shown => [...lines.slice(0, shown), ...(shown < lines.length ? [`${shown} of ${lines.length} ${what}`] : [])].join('\n')
  })

  it('returns everything when it fits', () => {
    const fitted = fitReport(['head', block(rows(3, 5), 0, 'a'), 'foot'], 1000, 'cut')
    expect(fitted).toEqual({ markdown: `head\n\n${rows(3, 5).join('\n')}\n\nfoot\n`, cut: false })
  })

  it('cuts the lowest cut order first, and only as much as needed', () => {
    const detail = block(rows(100, 45), 0, 'detail rows')
    const names = block(rows(100, 5), 1, 'names')
    const fitted = fitReport(['head', names, detail, 'foot'], 4000, 'cut')
    expect(fitted.cut).toBe(true)
    expect(utf8Bytes(fitted.markdown)).toBeLessThanOrEqual(4000)
    expect(fitted.markdown).not.toContain('of 100 names')
    const shown = Number(/(\d+) of 100 detail rows/.exec(fitted.markdown)?.[1])
    expect(fitted.markdown.split('\n').filter(line => line.endsWith('x'.repeat(45)))).toHaveLength(shown)
    // One more row would not have fitted.
    const withOneMore = fitted.markdown.replace(`${shown} of 100 detail rows`, `${rows(100, 45)[shown]}\n${shown + 1} of 100 detail rows`)
    expect(utf8Bytes(withOneMore)).toBeGreaterThan(4000)
    expect(fitted.markdown.endsWith('foot\n')).toBe(true)
  })

  it('goes on to the next block when the first is down to nothing', () => {
    const fitted = fitReport(['head', block(rows(100, 5), 1, 'names'), block(rows(100, 45), 0, 'detail rows'), 'foot'], 600, 'cut')
    expect(fitted.markdown).toContain('0 of 100 detail rows')
    expect(fitted.markdown).toMatch(/\d+ of 100 names/)
    expect(utf8Bytes(fitted.markdown)).toBeLessThanOrEqual(600)
  })

  it('cuts on a line boundary as a last resort when the fixed blocks alone are too big', () => {
    const fitted = fitReport(['h'.repeat(50), 'f'.repeat(5000)], 300, 'Report truncated')
    expect(utf8Bytes(fitted.markdown)).toBeLessThanOrEqual(300)
    expect(fitted.markdown.trimEnd().endsWith('Report truncated')).toBe(true)
  })
})

describe('planFindingAnnotations', () => {
  const finding = (severity: Finding['severity'], line: number): Finding => ({
    severity,
    message: `problem on line ${line}`,
    file: 'genesys/bundle.yaml',
    line,
    column: 3
  })

  it('annotates up to 9 findings of a level, in report order', () => {
    const findings = [finding('warning', 1), ...Array.from({ length: 9 }, (_, i) => finding('error', 20 - i))]
    const planned = planFindingAnnotations(findings)
    expect(planned.annotations.map(a => `${a.level}:${a.properties.startLine}`)).toEqual([
      ...Array.from({ length: 9 }, (_, i) => `error:${12 + i}`),
      'warning:1'
    ])
    expect(planned.logLines).toEqual([])
  })

  it('plans 300,000 problems (more than a call takes arguments) without running out of stack', () => {
    const findings = Array.from({ length: 300_000 }, (_, i) => finding(i % 2 === 0 ? 'error' : 'warning', i + 1))
    const planned = planFindingAnnotations(findings)
    expect(planned.annotations).toHaveLength(2 * ANNOTATIONS_PER_LEVEL)
    expect(planned.logLines).toHaveLength(300_000 - ANNOTATIONS_PER_LEVEL - (ANNOTATIONS_PER_LEVEL - 1))
  })

  it('keeps the tenth error for the step failure: 9 problems annotated, the failure counts the rest, the rest in the log', () => {
    const planned = planFindingAnnotations([
      ...Array.from({ length: 14 }, (_, i) => finding('error', i + 1)),
      ...Array.from({ length: 12 }, (_, i) => finding('warning', i + 100))
    ])
    const errors = planned.annotations.filter(a => a.level === 'error')
    const warnings = planned.annotations.filter(a => a.level === 'warning')
    expect(errors).toHaveLength(ANNOTATIONS_PER_LEVEL)
    expect(warnings).toHaveLength(ANNOTATIONS_PER_LEVEL)
    expect(errors.map(a => a.properties.startLine)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(planned.errorOverflow).toEqual({ more: 5, total: 14 })
    expect(overflowNotice(planned.errorOverflow!)).toBe(
      ' … and 5 more problems, not annotated (GitHub shows 10 error annotations per step): all 14 are listed in the job summary of this run and in the log of this step.'
    )
    expect(warnings[8].message).toMatch(/^4 more warnings in the bundle are not annotated here: .* All 12 are listed/)
    expect(planned.logLines).toEqual([
      ...Array.from({ length: 5 }, (_, i) => `genesys/bundle.yaml:${i + 10}:3: error: problem on line ${i + 10}`),
      ...Array.from({ length: 4 }, (_, i) => `genesys/bundle.yaml:${i + 108}:3: warning: problem on line ${i + 108}`)
    ])
  })

  it('annotates up to 9 errors with no overflow', () => {
    const planned = planFindingAnnotations(Array.from({ length: 9 }, (_, i) => finding('error', i + 1)))
    expect(planned.annotations).toHaveLength(9)
    expect(planned.errorOverflow).toBeUndefined()
    expect(planned.logLines).toEqual([])
  })
})
