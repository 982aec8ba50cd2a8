import { computeDiff, diffOutput, formatPath, parsePath, resourceChanges, valuesEqual } from '../src/assess/diff.js'

describe('computeDiff', () => {
  it('lists a nested change as one dotted path with both values', () => {
    const diff = computeDiff(
      { flows: { 'main-entry': { version: '2.0.0', routingStrategy: 'longest-idle' } } },
      { flows: { 'main-entry': { version: '2.0.0', routingStrategy: 'skills' } } }
    )
    expect(diff.modified).toEqual(['flows.main-entry.routingStrategy'])
    expect(diff.added).toEqual([])
    expect(diff.removed).toEqual([])
    expect(diff.changes).toEqual([{ path: 'flows.main-entry.routingStrategy', kind: 'modified', before: 'longest-idle', after: 'skills' }])
  })

  it('compares arrays as whole values: a changed array is one modified path, an equal one no change', () => {
    const diff = computeDiff(
      { queues: { sales: { skills: ['en', 'fr'], members: [{ id: 1 }] } } },
      { queues: { sales: { skills: ['fr', 'en'], members: [{ id: 1 }] } } }
    )
    expect(diff.modified).toEqual(['queues.sales.skills'])
    expect(diff.changes[0]).toEqual({ path: 'queues.sales.skills', kind: 'modified', before: ['en', 'fr'], after: ['fr', 'en'] })
  })

  it('treats a change between object and non-object as modified, without recursing', () => {
    const diff = computeDiff(
      { flows: { a: { x: 1 }, b: 'plain', c: [1], d: { y: 2 } } },
      { flows: { a: 'now a string', b: { z: 3 }, c: { 0: 1 }, d: null } }
    )
    expect(diff.modified).toEqual(['flows.a', 'flows.b', 'flows.c', 'flows.d'])
    expect(diff.added).toEqual([])
    expect(diff.removed).toEqual([])
  })

  it('lists an added or removed resource as one path, not each of its settings', () => {
    const diff = computeDiff(
      { flows: { 'after-hours': { file: 'flows/after-hours.yaml', nested: { deep: 1 } }, 'main-entry': { version: '1' } } },
      { flows: { 'main-entry': { version: '1' }, holiday: { file: 'flows/holiday.yaml', nested: { deep: 2 } } } }
    )
    expect(diff.removed).toEqual(['flows.after-hours'])
    expect(diff.added).toEqual(['flows.holiday'])
    expect(diff.changes.find(change => change.path === 'flows.holiday')?.after).toEqual({ file: 'flows/holiday.yaml', nested: { deep: 2 } })
    expect(diff.changes.find(change => change.path === 'flows.after-hours')).not.toHaveProperty('after')
  })

  it('shows every resource as added when there is no baseline', () => {
    const diff = computeDiff({}, { flows: { a: { v: 1 } }, queues: { q: {} } })
    expect(diffOutput(diff)).toEqual({ added: ['flows.a', 'queues.q'], removed: [], modified: [] })
  })

  it('finds nothing between equal configurations, whatever their key order', () => {
    const diff = computeDiff({ flows: { b: { y: 1, x: [1, { k: 'v' }] }, a: {} } }, { flows: { a: {}, b: { x: [1, { k: 'v' }], y: 1 } } })
    expect(diff).toEqual({
      added: [],
      removed: [],
      modified: [],
      changes: [],
      byResource: { resources: [], other: [] },
      resourceCounts: { total: { added: 0, removed: 0, modified: 0 }, byGroup: {} }
    })
  })

  it('sorts changes by path segment, independent of the input key order', () => {
    const before = { queues: { z: { a: 1 } }, flows: { 'b-x': { v: 1 }, b: { v: 1 } } }
    const after = { flows: { b: { v: 2 }, 'b-x': { v: 2 } }, queues: { z: { a: 2 } } }
    const paths = computeDiff(before, after).changes.map(change => change.path)
    expect(paths).toEqual(['flows.b.v', 'flows.b-x.v', 'queues.z.a'])
    expect(computeDiff(reverseKeys(before), reverseKeys(after)).changes.map(change => change.path)).toEqual(paths)
  })

  it('brackets keys that hold dots so the path stays unambiguous', () => {
    const diff = computeDiff({ queues: { sales: { '80.20': 'x' } } }, { queues: { sales: { '80.20': 'y', 'a.b': { c: 1 } } } })
    expect(diff.modified).toEqual(['queues.sales["80.20"]'])
    expect(diff.added).toEqual(['queues.sales["a.b"]'])
    expect(parsePath(diff.added[0])).toEqual(['queues', 'sales', 'a.b'])
  })

  it('treats keys set to undefined as absent and NaN as equal to NaN', () => {
    const diff = computeDiff({ flows: { a: { v: Number.NaN, gone: undefined } } }, { flows: { a: { v: Number.NaN }, b: undefined } })
    expect(diff.changes).toEqual([])
  })

  it('keeps the output diff a copy of the paths, without values', () => {
    const diff = computeDiff({ flows: { a: { v: 1 } } }, { flows: { a: { v: 2 } } })
    const output = diffOutput(diff)
    expect(output).toEqual({ added: [], removed: [], modified: ['flows.a.v'] })
    output.modified.push('mutated')
    expect(diff.modified).toEqual(['flows.a.v'])
  })
})

describe('formatPath / parsePath', () => {
  it.each([
    [['flows', 'main-entry', 'routingStrategy'], 'flows.main-entry.routingStrategy'],
    [['queues', 'a.b'], 'queues["a.b"]'],
    [['a.b', 'c'], '["a.b"].c'],
    [['x', ''], 'x[""]'],
    [['x', 'quote"and\\slash', 'y'], 'x["quote\\"and\\\\slash"].y'],
    [['x', '[0]', 'y.z'], 'x["[0]"]["y.z"]'],
    [['x', 'with space', 'é日本'], 'x.with space.é日本']
  ])('round-trips %j as %s', (segments, path) => {
    expect(formatPath(segments)).toBe(path)
    expect(parsePath(path)).toEqual(segments)
  })

  it.each(['flows..a', 'flows["a"]x', '.flows', 'flows.'])('rejects the malformed path %s', path => {
    expect(() => parsePath(path)).toThrow(/diff path/)
  })
})

describe('valuesEqual', () => {
  it('compares data deeply and strictly', () => {
    expect(valuesEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true)
    expect(valuesEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false)
    expect(valuesEqual('1', 1)).toBe(false)
    expect(valuesEqual([], {})).toBe(false)
    expect(valuesEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(valuesEqual(null, {})).toBe(false)
  })
})

describe('resourceChanges', () => {
  it('groups inner changes under their resource, with paths relative to it', () => {
    const diff = computeDiff(
      { flows: { main: { v: 1, w: 1 }, gone: { v: 1 } } },
      { flows: { main: { v: 2, x: 1 }, fresh: { v: 1 } } }
    )
    const { resources, other } = resourceChanges(diff)
    expect(other).toEqual([])
    expect(resources.map(r => [r.path, r.kind])).toEqual([
      ['flows.gone', 'removed'],
      ['flows.main', 'modified'],
      ['flows.fresh', 'added']
    ])
    expect(resources[1].inner.map(change => [change.path, change.kind])).toEqual([
      ['v', 'modified'],
      ['w', 'removed'],
      ['x', 'added']
    ])
  })

  it('expands a whole group that disappears into the removal of each of its resources', () => {
    const diff = computeDiff({ flows: { a: { v: 1 }, b: { v: 2 } }, queues: { q: {} } }, { queues: { q: {} } })
    expect(diff.removed).toEqual(['flows.a', 'flows.b'])
    expect(resourceChanges(diff).resources.map(r => [r.path, r.kind, r.before])).toEqual([
      ['flows.a', 'removed', { v: 1 }],
      ['flows.b', 'removed', { v: 2 }]
    ])
  })

  it('keeps changes outside any resource group apart', () => {
    const diff = computeDiff({ version: 1 }, { version: 2 })
    expect(resourceChanges(diff)).toEqual({ resources: [], other: [{ path: 'version', kind: 'modified', before: 1, after: 2 }] })
  })
})

function reverseKeys<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reverseKeys(inner)])) as T
}
