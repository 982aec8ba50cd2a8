/**
 * The runner's IO (`coreIO`, @actions/core underneath), as the runner reads its output: no text the action logs can
 * start a workflow command, and no registered secret reaches the raw output (the runner masks what it shows, but the
 * output itself stays clean), whatever the text came from.
 */
import { jest } from '@jest/globals'
import { coreIO } from '../src/main.js'

/** What `coreIO` writes to stdout while `act` runs. */
function stdoutOf(act: () => void): string[] {
  const written: string[] = []
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk))
    return true
  })
  try {
    act()
  } finally {
    spy.mockRestore()
  }
  return written.join('').split(/\r\n|\r|\n/)
}

/** A line actions/runner would act on (see __tests__/log-line.test.ts), but not the mask command the action sends itself. */
const isInjectedCommand = (line: string): boolean =>
  (/^[\s\u0085]*::/.test(line) || /##\[[^\]]*\]/.test(line)) && !/^::(add-mask|error|warning|group|endgroup)( [^:]*)?::/.test(line)

describe('coreIO', () => {
  it('clears registered secrets from every text it writes, and lets no data start a command', () => {
    const secret = 'hunter2-client-secret'
    const lines = stdoutOf(() => {
      const io = coreIO()
      io.setSecret(secret)
      const echoed = `platform said: bad credentials ${secret}\n\u0085::add-mask::PWN ##[warning]PWN`
      io.info(echoed)
      io.warning(echoed, { title: 'Genesys bundle: ##[warning]title', file: 'flows/##[error]x.yaml' })
      io.error(echoed)
      io.startGroup(echoed)
      io.endGroup()
    })
    const maskLine = `::add-mask::${secret}`
    expect(lines.filter(line => line.includes(secret) && line !== maskLine)).toEqual([])
    expect(lines.filter(line => line.includes('***')).length).toBeGreaterThanOrEqual(4)
    expect(lines.filter(isInjectedCommand)).toEqual([])
    // Not even inside the action's own `::` commands (annotations, groups) is a `##[` left whole.
    expect(lines.filter(line => /##\[[^\]]*\]/.test(line))).toEqual([])
  })
})
