import { escapeLogText } from '../src/log-line.js'

/**
 * A line the runner would act on, as actions/runner's ActionCommand parses one: `::` at the start after .NET's
 * white space (TrimStart, which counts NEL), or `##[` with a later `]` anywhere in the line.
 */
const isCommandLine = (line: string): boolean => /^[\s\u0085]*::/.test(line) || /##\[[^\]]*\]/.test(line)

describe('escapeLogText', () => {
  it.each([
    'flow\n::warning::injected',
    'name\r::add-mask::secret',
    'x\r\n::stop-commands::token',
    '::error file=a.yaml::boom',
    '   ::set-output name=status::COMPLETED',
    'queue\n##[error]old-style command',
    '\t::group::fake',
    'Flow `main` ("Main ##[warning]injected"): flow job registered',
    'failed: x\n\u0085::add-mask::PWN',
    '\u2028\u00a0::warning::after Unicode blanks',
    'two ##[error]a and ##[add-mask]b in one line'
  ])('leaves no line that starts a workflow command: %j', text => {
    const escaped = escapeLogText(text)
    expect(escaped.split('\n').filter(isCommandLine)).toEqual([])
    // The text still reads the same to a person: only zero-width spaces were added, line breaks normalised.
    expect(escaped.replace(/\u200b/g, '')).toBe(text.replace(/\r\n|\r/g, '\n'))
  })

  it('leaves ordinary lines alone, `::` inside a line included', () => {
    expect(escapeLogText('Deployment 7: IN_PROGRESS -> COMPLETED\nurl http://x::y')).toBe('Deployment 7: IN_PROGRESS -> COMPLETED\nurl http://x::y')
  })
})
