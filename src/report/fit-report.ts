/**
 * Fits a report into a byte budget by cutting what matters least first: the report is a list of blocks, some fixed
 * (headline, alert, risk drivers, footer) and some made of rows that may be dropped from the end (field changes,
 * lists of names, tables). Each block that loses rows says so itself ("Showing 412 of 907 field changes"), so every
 * cut is visible where it happened, with true counts.
 */
import { capMarkdown } from './cap-markdown.js'
import { utf8Bytes } from './markdown.js'

/** A block whose rows may be cut from the end. */
export interface CuttableBlock {
  /** How many rows the block has in all. */
  rowCount: number
  /** Blocks with a lower order are cut first; a block is cut only when every lower one is down to no rows. */
  cutOrder: number
  /** The block's markdown with only its first `shown` rows, and a notice of the rest when `shown < rowCount`. */
  render(shown: number): string
}

/** A fixed piece of markdown, or a block that may lose rows. An empty string is left out. */
export type ReportBlock = string | CuttableBlock

/** The fitted markdown, and whether anything had to be cut. */
export interface FittedReport {
  markdown: string
  cut: boolean
}

/** Between two blocks. */
const BLOCK_SEPARATOR = '\n\n'

/**
 * Joins the blocks, separated by blank lines and ending with a line break, in at most `maxBytes` UTF-8 bytes. When the
 * whole does not fit, cuttable blocks lose rows in `cutOrder` (the largest count of rows that still fits is kept, so
 * a block is never cut further than needed). If the fixed blocks alone are too big, the result is cut on a line
 * boundary as a last resort, ending with `lastResortNotice`.
 */
export function fitReport(blocks: readonly ReportBlock[], maxBytes: number, lastResortNotice: string): FittedReport {
  const shown = blocks.map(block => (typeof block === 'string' ? 0 : block.rowCount))
  const sizes = blocks.map((block, index) => blockBytes(block, shown[index]))
  let total = totalBytes(sizes)
  if (total <= maxBytes) return { markdown: join(blocks, shown), cut: false }

  const cutOrder = blocks
    .map((block, index) => ({ block, index }))
    .filter((entry): entry is { block: CuttableBlock; index: number } => typeof entry.block !== 'string' && entry.block.rowCount > 0)
    .sort((a, b) => a.block.cutOrder - b.block.cutOrder || a.index - b.index)
  for (const { block, index } of cutOrder) {
    if (total <= maxBytes) break
    const others = total - sizes[index]
    const rows = largestFitting(block, maxBytes - others)
    shown[index] = rows
    sizes[index] = blockBytes(block, rows)
    total = others + sizes[index]
  }
  const markdown = join(blocks, shown)
  if (utf8Bytes(markdown) <= maxBytes) return { markdown, cut: true }
  return { markdown: capMarkdown({ body: markdown.trimEnd(), footer: '', notice: lastResortNotice }, maxBytes), cut: true }
}

/** The size the blocks would have with every row shown: tells whether a rendering will be complete. */
export function uncutBytes(blocks: readonly ReportBlock[]): number {
  return totalBytes(blocks.map(block => blockBytes(block, typeof block === 'string' ? 0 : block.rowCount)))
}

/** The most rows of the block that fit in `room` bytes (0 when even none fit: the block is then as small as it gets). */
function largestFitting(block: CuttableBlock, room: number): number {
  let low = 0
  let high = block.rowCount
  // Fewer rows never make a block bigger but for the notice, which is there for every count below rowCount.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (blockBytes(block, middle) <= room) low = middle
    else high = middle - 1
  }
  return low
}

function blockBytes(block: ReportBlock, shown: number): number {
  const markdown = typeof block === 'string' ? block : block.render(shown)
  return markdown === '' ? 0 : utf8Bytes(markdown) + BLOCK_SEPARATOR.length
}

// Each non-empty block counts one separator; the last one's stands for the closing line break (and one byte spare).
function totalBytes(sizes: readonly number[]): number {
  return sizes.reduce((sum, size) => sum + size, 0)
}

function join(blocks: readonly ReportBlock[], shown: readonly number[]): string {
  const parts = blocks.map((block, index) => (typeof block === 'string' ? block : block.render(shown[index]))).filter(part => part !== '')
  return `${parts.join(BLOCK_SEPARATOR)}\n`
}
