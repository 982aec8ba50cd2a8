/**
 * The log sink: text that reaches the job log through `core.info` is written as it is, so a line of data that starts
 * with `::` (or holds the older `##[` anywhere) would be read by the runner as a workflow command (`::warning::`, `::add-mask::`,
 * `::stop-commands::`, ...). Everything the action logs goes through `escapeLogText`. Annotation messages and
 * properties need no more than @actions/core does for them (it percent-encodes line breaks, `:` and `,`).
 * Markdown has its own sink (report/markdown.ts).
 */

const ZERO_WIDTH_SPACE = '\u200b'

/**
 * The runner reads a line as a command in two ways (actions/runner, ActionCommand): `::name ...::` when the line
 * starts with it after leading white space (.NET's, which counts NEL, U+0085, as white space, unlike JavaScript's
 * `\s`), and the older `##[name ...]` anywhere in the line.
 */
const COMMAND_START = /^([\s\u0085]*):(:)/
const OLD_COMMAND = /#(#\[)/g

/**
 * Log text that cannot start a workflow command: every line (split at `\n`, `\r\n` and a lone `\r`, which some log
 * viewers also break at) that would begin with `::` gets a zero-width space between the two colons, and every `##[`
 * one between the two hashes, so it reads the same to a person and is plain text to the runner. Other lines are
 * unchanged.
 */
export function escapeLogText(text: string): string {
  const lines = text.split(/\r\n|\r|\n/).map(line => line.replace(COMMAND_START, `$1:${ZERO_WIDTH_SPACE}$2`))
  return breakOldCommands(lines.join('\n'))
}

/**
 * `text` with every `##[` broken by a zero-width space, for what @actions/core writes as a command of its own
 * (annotations, group titles, the failure): the runner reads those lines as `::` commands, but nothing is lost by
 * making sure it could never read a `##[` in them either.
 */
export function breakOldCommands(text: string): string {
  return text.replace(OLD_COMMAND, `#${ZERO_WIDTH_SPACE}$1`)
}
