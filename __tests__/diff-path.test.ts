import { comparePaths, formatPath, isItemSegment, itemSegment, parsePath, type PathSegment } from '../src/assess/diff-path.js'
import { SeededRandom } from './helpers/seeded-random.js'

describe('formatPath / parsePath with list items', () => {
  it.each<[PathSegment[], string]>([
    [
      ['flows', 'main-entry', 'inboundCall', 'tasks', itemSegment('Main'), 'actions', itemSegment('Transfer to sales'), 'preTransferAudio', 'tts'],
      'flows.main-entry.inboundCall.tasks[Main].actions[Transfer to sales].preTransferAudio.tts'
    ],
    [['actions', itemSegment('disconnect')], 'actions[disconnect]'],
    [['a', itemSegment('x'), itemSegment('y'), 'b'], 'a[x][y].b'],
    [[itemSegment('first')], '[first]'],
    [['a', itemSegment('dots.are fine'), 'b'], 'a[dots.are fine].b'],
    [['a', itemSegment('=x')], 'a[=x]'],
    [['a', itemSegment('')], 'a[=""]'],
    [['a', itemSegment('Press [1]')], 'a[="Press [1]"]'],
    [['a', itemSegment('say "hi"\\now')], 'a[="say \\"hi\\"\\\\now"]'],
    [['a', itemSegment('="x"')], 'a[="=\\"x\\""]'],
    [['a', 'b.c', itemSegment('b.c')], 'a["b.c"][b.c]']
  ])('round-trips %j as %s', (segments, path) => {
    expect(formatPath(segments)).toBe(path)
    expect(parsePath(path)).toEqual(segments)
  })

  it('tells a key in brackets from an item: ["x"] is the key x, [x] and [="x"…] are items', () => {
    expect(parsePath('a["b.c"]')).toEqual(['a', 'b.c'])
    expect(parsePath('a[b]')).toEqual(['a', itemSegment('b')])
    expect(isItemSegment(parsePath('a[b]')[1])).toBe(true)
    expect(isItemSegment(parsePath('a.b')[1])).toBe(false)
  })

  it.each([
    ['a[]', /empty or holds/],
    ['a[b', /not closed/],
    ['a[b]c', /expected "\." or "\["/],
    ['a[x"y]', /empty or holds/],
    ['a["b"]', /written bare/],
    ['a[="b"]', /written bare: \[b\]/],
    ['a["\\u0062.c"]', /write "\\u0062\.c" as "b\.c"/],
    ['a["b.c"', /expected "\]"/],
    ['a["b.c]', /not closed/],
    ['a["\\x"]', /not a JSON string/],
    ['a]b', /written in brackets/],
    ['a.b"c', /written in brackets/]
  ])('rejects %s, a path formatPath never writes', (path, problem) => {
    expect(() => parsePath(path)).toThrow(/diff path/)
    expect(() => parsePath(path)).toThrow(problem)
  })

  it('round-trips random segments of both kinds, awkward characters included (500 seeded cases)', () => {
    const alphabet = ['a', 'B', '7', ' ', '.', '[', ']', '"', '\\', '=', '-', '_', 'é', '日', '\n', '\u0000', '\ud83d\ude00', '\ud800']
    for (let seed = 1; seed <= 500; seed++) {
      const random = new SeededRandom(seed)
      const segments: PathSegment[] = Array.from({ length: 1 + random.int(6) }, () => {
        const text = random.text(alphabet, 6)
        return random.chance(0.4) ? itemSegment(text) : text
      })
      const path = formatPath(segments)
      expect({ seed, segments: parsePath(path) }).toEqual({ seed, segments })
      expect(formatPath(parsePath(path))).toBe(path)
    }
  })
})

describe('comparePaths', () => {
  it('orders segment by segment: a path before the paths inside it, keys by code unit, a key before an item', () => {
    const paths: PathSegment[][] = [['a', itemSegment('b')], ['a', 'b'], ['a'], ['a-b'], ['a', itemSegment('B')], ['a', 'b', 'c']]
    const sorted = [...paths].sort(comparePaths).map(formatPath)
    expect(sorted).toEqual(['a', 'a.b', 'a.b.c', 'a[B]', 'a[b]', 'a-b'])
  })
})
