/**
 * The log sink: text that reaches the job log through `core.info` is written as it is, so a line of data that starts
 * with `::` (or the older `##[`) would be read by the runner as a workflow command (`::warning::`, `::add-mask::`,
 * `::stop-commands::`, ...). Everything the action logs goes through `escapeLogText`. Annotation messages and
 * properties need no more than @actions/core does for them (it percent-encodes line breaks, `:` and `,`).
 * Markdown has its own sink (report/markdown.ts).
 */

const ZERO_WIDTH_SPACE = '\u200b'

/** A line the runner would take as a command: `::name ...::` or `##[name]`, after optional leading blanks. */
const COMMAND_START = /^(\s*)(:)(:)|^(\s*)(#)(#\[)/

/**
 * Log text that cannot start a workflow command: every line (split at `\n`, `\r\n` and a lone `\r`, which some log
 * viewers also break at) that would begin with `::` or `##[` gets a zero-width space between its first two
 * characters, so it reads the same to a person and is plain text to the runner. Other lines are unchanged.
 */
export function escapeLogText(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(line =>
      line.replace(COMMAND_START, (_match, blanksA, colonA, colonB, blanksB, hashA, rest) =>
        blanksA !== undefined ? `${blanksA}${colonA}${ZERO_WIDTH_SPACE}${colonB}` : `${blanksB}${hashA}${ZERO_WIDTH_SPACE}${rest}`
      )
    )
    .join('\n')
}
