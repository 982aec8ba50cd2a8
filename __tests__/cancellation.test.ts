/** The main step's signal handler: it exits at once, except while the run's records are written (they finish first). */
import { RecordingIO } from '../__fixtures__/recording-io.js'
import { RunPhase, StateKeys } from '../src/constants.js'
import { handleCancellation, savePhase, type CancellationHooks } from '../src/run/cancellation.js'

/** Hooks whose signals the test sends, counting exits. */
function hooks(): CancellationHooks & { send(signal: NodeJS.Signals): void; exits: number[] } {
  let handler: ((signal: NodeJS.Signals) => void) | undefined
  const exits: number[] = []
  return {
    exits,
    onSignal: registered => (handler = registered),
    exit: code => exits.push(code),
    send: signal => handler?.(signal)
  }
}

describe('handleCancellation', () => {
  it('saves the signal and exits at once while deploying', () => {
    const io = new RecordingIO({})
    const signals = hooks()
    handleCancellation(signals, io, () => 'rolling back in the post step')
    savePhase(io, RunPhase.Deploying)
    signals.send('SIGINT')
    expect(signals.exits).toEqual([1])
    expect(io.state[StateKeys.CancelledBy]).toBe('SIGINT')
  })

  it('lets the records finish on the first signal while they are written, and exits on the next', () => {
    const io = new RecordingIO({})
    const signals = hooks()
    handleCancellation(signals, io, () => 'nothing to do')
    savePhase(io, RunPhase.Recording)
    signals.send('SIGINT')
    expect(signals.exits).toEqual([])
    expect(io.state[StateKeys.CancelledBy]).toBeUndefined()
    expect(io.warnings.map(warning => warning.message).join('\n')).toMatch(/while the records of the run were written: finishing them/)
    signals.send('SIGTERM')
    expect(signals.exits).toEqual([1])
    expect(io.warnings.at(-1)?.message).toMatch(/cancelled again \(SIGTERM\) while the records were written: stopping; nothing is rolled back/)
  })
})
