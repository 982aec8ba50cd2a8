import { chooseApi, isApiChoiceProblem } from '../src/bundle/api-choice.js'

describe('chooseApi', () => {
  it('keeps an explicit choice, whatever the flows are', () => {
    expect(chooseApi('architecture-manager', { a: { file: 'a.yaml' } })).toMatchObject({ api: 'architecture-manager', reason: expect.stringContaining('as set in the workflow') })
    expect(chooseApi('architect', { a: {} })).toMatchObject({ api: 'architect' })
  })

  it('auto: Archy files mean architect, settings only (or no flows) architecture-manager', () => {
    expect(chooseApi('auto', { a: { file: 'a.yaml' }, b: { file: 'b.yaml' } })).toEqual({
      api: 'architect',
      reason: '`api: auto` chose `architect`: the bundle\'s 2 flows are Archy files (`file:`)'
    })
    expect(chooseApi('auto', { a: { version: '1' } } as Record<string, { file?: unknown }>)).toMatchObject({ api: 'architecture-manager', reason: expect.stringContaining('settings only') })
    expect(chooseApi('auto', {})).toMatchObject({ api: 'architecture-manager', reason: expect.stringContaining('no flows') })
  })

  it('auto: a mix is a problem naming the flows of each kind and the fix', () => {
    const chosen = chooseApi('auto', { main: {}, after: { file: 'after.yaml' }, other: {} })
    expect(isApiChoiceProblem(chosen)).toBe(true)
    if (!isApiChoiceProblem(chosen)) return
    expect(chosen.withFile).toEqual(['after'])
    expect(chosen.withoutFile).toEqual(['main', 'other'])
    expect(chosen.message).toContain('flow `after` is an Archy file')
    expect(chosen.message).toContain('flows `main`, `other` are settings only')
    expect(chosen.message).toContain('set the `api` input')
  })

  it('names at most five flows of a kind, then how many more', () => {
    const flows = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`f${i}`, {}]))
    const chosen = chooseApi('auto', { ...flows, x: { file: 'x.yaml' } })
    expect(isApiChoiceProblem(chosen) && chosen.message).toContain('`f0`, `f1`, `f2`, `f3`, `f4` and 3 more')
  })
})
