/**
 * The shapes of cuttable report blocks: a table, a bullet list, a line of names, a folded table. Each one, when it
 * shows fewer rows than it has, ends with a notice of the true counts and where the rest can be read.
 */
import type { CuttableBlock } from './fit-report.js'
import { codeList, formatCount, inlineCode, table } from './markdown.js'

/** Where the rows a cut block leaves out can be read, by kind of data (markdown); undefined when nowhere else. */
export interface RestLocations {
  /** Changes: names and field-level detail. */
  diff: string
  /** Consumers, capacity. */
  impact: string
  /** Local findings, deployment events. */
  log?: string
  /** Platform errors and warnings, flow jobs. */
  run?: string
}

/** How cutting a block is announced: what its rows are and where all of them can be read. */
export interface CutNotice {
  /** Plural noun of the rows ("field changes", "platform warnings"). */
  what: string
  /** Markdown naming where every row can be read ("the [job summary](…)"); undefined when nowhere else. */
  where?: string
  /** Lower is cut first (see `CuttableBlock.cutOrder`). */
  cutOrder: number
}

/** "Showing 412 of 907 field changes; all are in the job summary." */
export function cutNotice(shown: number, total: number, notice: CutNotice): string {
  const rest = notice.where ? `all are in ${notice.where}` : 'the rest did not fit here'
  return `_Showing ${formatCount(shown)} of ${formatCount(total)} ${notice.what}; ${rest}._`
}

/** Lines of markdown (a title, a sentence) followed by a table whose rows may be cut. */
export function tableBlock(lead: readonly string[], headers: readonly string[], rows: readonly string[][], notice: CutNotice): CuttableBlock {
  return {
    rowCount: rows.length,
    cutOrder: notice.cutOrder,
    render: shown => {
      if (rows.length === 0) return ''
      const parts = [...lead]
      if (shown > 0) parts.push(table(headers, rows.slice(0, shown)))
      if (shown < rows.length) parts.push(...(shown > 0 ? [''] : []), cutNotice(shown, rows.length, notice))
      return parts.join('\n')
    }
  }
}

/** Lines of markdown followed by a bullet list (items are markdown already) whose items may be cut. */
export function bulletBlock(lead: readonly string[], items: readonly string[], notice: CutNotice): CuttableBlock {
  return {
    rowCount: items.length,
    cutOrder: notice.cutOrder,
    render: shown => {
      if (items.length === 0) return ''
      const parts = [...lead, ...items.slice(0, shown).map(item => `- ${item}`)]
      if (shown < items.length) parts.push(...(shown > 0 ? [''] : []), cutNotice(shown, items.length, notice))
      return parts.join('\n')
    }
  }
}

/**
 * One paragraph naming resources as code spans (`label` then `a`, `b`, `c`): the compact way to name every added or
 * removed resource. Cut, it ends with "… and N more" and where they all are.
 */
export function namesBlock(label: string, names: readonly string[], notice: CutNotice): CuttableBlock {
  return {
    rowCount: names.length,
    cutOrder: notice.cutOrder,
    render: shown => {
      if (names.length === 0) return ''
      if (shown >= names.length) return `${label} ${codeList(names)}`
      const where = notice.where ? `, all in ${notice.where}` : ''
      const listed =
        shown > 0 ? `${codeList(names.slice(0, shown))} … and ${formatCount(names.length - shown)} more` : `${formatCount(names.length)} not listed here`
      return `${label} ${listed} (${formatCount(shown)} of ${formatCount(names.length)} ${notice.what} shown${where}).`
    }
  }
}

/** A folded table: `<details>` (open when asked) with a summary line; cut rows are announced in the summary too. */
export function detailsTableBlock(
  summary: (shown: number) => string,
  open: boolean,
  headers: readonly string[],
  rows: readonly string[][],
  notice: CutNotice
): CuttableBlock {
  return {
    rowCount: rows.length,
    cutOrder: notice.cutOrder,
    render: shown => {
      if (rows.length === 0) return ''
      const parts = [open && shown === rows.length ? '<details open>' : '<details>', `<summary>${summary(shown)}</summary>`, '']
      if (shown > 0) parts.push(table(headers, rows.slice(0, shown)), '')
      if (shown < rows.length) parts.push(cutNotice(shown, rows.length, notice), '')
      parts.push('</details>')
      return parts.join('\n')
    }
  }
}

/** `flow` code span for a table cell: a name that cannot break the table. */
export function nameCell(name: string): string {
  return inlineCode(name, { inTable: true })
}
