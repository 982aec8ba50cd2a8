import { escapeLogText } from '../src/log-line.js'

/** A line the runner would act on: a workflow command at its start, after blanks. */
const isCommandLine = (line: string): boolean => /^\s*(::|##\[)/.test(line)

describe('escapeLogText', () => {
  it.each([
    'flow\n::warning::injected',
    'name\r::add-mask::secret',
    'x\r\n::stop-commands::token',
    '::error file=a.yaml::boom',
    '   ::set-output name=status::COMPLETED',
    'queue\n##[error]old-style command',
    '\t::group::fake'
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
