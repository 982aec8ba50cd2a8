/**
 * Reads rendered report markdown the way GitHub's renderer sees its structure (fenced code blocks, code spans,
 * `<details>` folds, tables), so tests can check that untrusted names never change that structure. No renderer is a
 * dependency of the project, so this follows the CommonMark / GFM rules the report relies on, and no more.
 */

/** The markdown with every code span replaced by `<code/>` (a run of n backticks closes at the next run of n). */
export function withoutCodeSpans(markdown: string): string {
  let out = ''
  let i = 0
  while (i < markdown.length) {
    const run = /^`+/.exec(markdown.slice(i, i + 100))
    if (!run) {
      out += markdown[i]
      i += 1
      continue
    }
    const fence = run[0]
    let close = -1
    const runs = /`+/g
    runs.lastIndex = i + fence.length
    for (let next = runs.exec(markdown); next; next = runs.exec(markdown)) {
      if (next[0].length === fence.length) {
        close = next.index
        break
      }
    }
    if (close === -1) {
      out += fence
      i += fence.length
    } else {
      out += '<code/>'
      i = close + fence.length
    }
  }
  return out
}

/** A fenced code block: its info string and content lines. */
export interface FencedBlock {
  info: string
  lines: string[]
}

/** The fenced code blocks (backtick fences at the start of a line), and the markdown with each replaced by `<fence/>`. */
export function splitFencedBlocks(markdown: string): { blocks: FencedBlock[]; rest: string; unclosed: boolean } {
  const blocks: FencedBlock[] = []
  const rest: string[] = []
  let open: { fence: string; block: FencedBlock } | undefined
  for (const line of markdown.split('\n')) {
    if (open) {
      if (new RegExp(`^ {0,3}${open.fence}\`*\\s*$`).test(line)) {
        blocks.push(open.block)
        open = undefined
        rest.push('<fence/>')
      } else {
        open.block.lines.push(line)
      }
      continue
    }
    const start = /^ {0,3}(`{3,})([^`]*)$/.exec(line)
    if (start) open = { fence: start[1], block: { info: start[2].trim(), lines: [] } }
    else rest.push(line)
  }
  return { blocks, rest: rest.join('\n'), unclosed: open !== undefined }
}

/** Every HTML tag or comment that GitHub would read, outside code blocks and code spans. */
export function htmlOutsideCode(markdown: string): string[] {
  const { rest } = splitFencedBlocks(markdown)
  return (
    withoutCodeSpans(rest)
      .match(/<!--|-->|<\/?[a-z][^>]*>/gi)
      ?.filter(tag => tag !== '<code/>' && tag !== '<fence/>') ?? []
  )
}

/** The cells of a table row, split on pipes that are not escaped. */
export function cellsOf(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map(cell => cell.trim())
}

/**
 * Structural problems GitHub would render differently from what the report means: an unclosed code fence, `<details>`
 * that do not pair up (outside code), a table row with a different number of cells than its header. Empty when fine.
 */
export function structureProblems(markdown: string): string[] {
  const problems: string[] = []
  const { rest, unclosed } = splitFencedBlocks(markdown)
  if (unclosed) problems.push('a code fence is never closed')
  const tags = htmlOutsideCode(markdown)
  let depth = 0
  for (const tag of tags) {
    if (/^<details[\s>]/i.test(tag)) depth++
    if (/^<\/details>/i.test(tag)) depth--
    if (depth < 0) problems.push('</details> without <details>')
  }
  if (depth !== 0) problems.push(`${depth} <details> left open`)
  for (const block of rest.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter(line => line.startsWith('|'))
    if (lines.length < 2 || !/^\| ---/.test(lines[1])) continue
    const width = cellsOf(lines[0]).length
    lines.forEach((line, index) => {
      if (cellsOf(line).length !== width) problems.push(`table row ${index} has ${cellsOf(line).length} cells, its header ${width}: ${line.slice(0, 120)}`)
    })
  }
  return problems
}

/** What a reader sees first: everything before the first fold, and at most `lines` lines. */
export function firstScreen(markdown: string, lines = 40): string {
  const beforeFold = markdown.split('<details')[0]
  return beforeFold.split('\n').slice(0, lines).join('\n')
}
