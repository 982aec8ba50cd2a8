/** The answer pieces both drivers read with: text is kept as the platform sends it, ids only when they can be followed. */
import { optionalId, optionalText } from '../src/genesys/lenient-answer.js'

describe('optionalText and optionalId', () => {
  it('keep text of any length and lines (a failure message), but only ids that can be followed', () => {
    const message = `Publish failed:\n${'x'.repeat(5000)}`
    expect(optionalText.parse(message)).toBe(message)
    expect(optionalText.parse(42)).toBe('42')
    expect(optionalText.parse('')).toBeUndefined()
    expect(optionalId.parse('dep-1')).toBe('dep-1')
    expect(optionalId.parse(42)).toBe('42')
    for (const unusable of ['', 'd'.repeat(1025), 'dep\n1', 'dep\u00071', { id: 1 }]) expect(optionalId.parse(unusable)).toBeUndefined()
  })
})
