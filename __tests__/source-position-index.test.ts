/**
 * The position index: a lookup walks the recorded tree of segments and must give what writing every dotted
 * path out (first occurrence wins) gives, also when keys contain dots or are empty.
 */
import { SourcePositionIndex } from '../src/bundle/source-position-index.js'

/** An index of `entries` ([parent entry, segment]), each at line = its number (1-based), column 1. */
function indexOf(entries: [number, string | number][]): SourcePositionIndex {
  const index = new SourcePositionIndex()
  entries.forEach(([parent, segment], entry) => expect(index.add(parent, segment, entry + 1, 1)).toBe(entry))
  return index
}

describe('SourcePositionIndex', () => {
  it('finds keys and items by dotted path', () => {
    // a: {b: [x, {c: 1}]}, d: 2
    const index = indexOf([
      [-1, 'a'],
      [0, 'b'],
      [1, 0],
      [1, 1],
      [3, 'c'],
      [-1, 'd']
    ])
    expect(index.get('a')).toEqual({ line: 1, column: 1 })
    expect(index.get('a.b.1.c')).toEqual({ line: 5, column: 1 })
    expect(index.get('d')).toEqual({ line: 6, column: 1 })
    expect(index.has('a.b.0')).toBe(true)
    expect(index.get('a.b.2')).toBeUndefined()
    expect(index.get('a.c')).toBeUndefined()
    expect(index.get('')).toBeUndefined()
    expect(index.toMap()).toEqual(
      new Map([
        ['a', { line: 1, column: 1 }],
        ['a.b', { line: 2, column: 1 }],
        ['a.b.0', { line: 3, column: 1 }],
        ['a.b.1', { line: 4, column: 1 }],
        ['a.b.1.c', { line: 5, column: 1 }],
        ['d', { line: 6, column: 1 }]
      ])
    )
  })

  it('gives the first occurrence of a path that keys with dots spell twice', () => {
    // a.b: 1 (line 1), then a: {b: 2} (lines 2-3): "a.b" is the key on line 1.
    const first = indexOf([
      [-1, 'a.b'],
      [-1, 'a'],
      [1, 'b']
    ])
    expect(first.get('a.b')).toEqual({ line: 1, column: 1 })
    // The other order: a: {b: 2} first.
    const second = indexOf([
      [-1, 'a'],
      [0, 'b'],
      [-1, 'a.b']
    ])
    expect(second.get('a.b')).toEqual({ line: 2, column: 1 })
    for (const index of [first, second]) expect(index.get('a.b')).toEqual(index.toMap().get('a.b'))
  })

  it('handles empty keys, whose paths have leading, trailing or doubled dots', () => {
    // "": {x: 1, "": {"": 2}}, a: {"": 3}
    const index = indexOf([
      [-1, ''],
      [0, 'x'],
      [0, ''],
      [2, ''],
      [-1, 'a'],
      [4, '']
    ])
    const all = index.toMap()
    expect([...all.keys()]).toEqual(['', '.x', '.', '..', 'a', 'a.'])
    for (const [path, position] of all) expect(index.get(path)).toEqual(position)
  })

  it('lists a copy: changing it does not change the index', () => {
    const index = indexOf([[-1, 'a']])
    index.toMap().delete('a')
    expect(index.toMap().get('a')).toEqual({ line: 1, column: 1 })
    expect(index.toRecord()).toEqual({ a: { line: 1, column: 1 } })
  })
})
