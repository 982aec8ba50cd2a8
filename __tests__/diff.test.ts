import { computeDiff, countResources, diffOutput, formatPath, itemSegment, parsePath, resourceChanges, valuesEqual, type Diff } from '../src/assess/diff.js'

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
    const diff = computeDiff({ flows: { a: { x: 1 }, b: 'plain', c: [1], d: { y: 2 } } }, { flows: { a: 'now a string', b: { z: 3 }, c: { 0: 1 }, d: null } })
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
    const diff = computeDiff({ flows: { main: { v: 1, w: 1 }, gone: { v: 1 } } }, { flows: { main: { v: 2, x: 1 }, fresh: { v: 1 } } })
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

/** The inbound call flow of the Archy example: a menu of two choices and a task of three actions. */
function inboundFlow() {
  return {
    inboundCall: {
      name: 'Main Menu',
      startUpRef: '/inboundCall/menus/menu[Main Menu_10]',
      initialGreeting: { tts: 'Welcome to Acme' },
      menus: [
        {
          menu: {
            name: 'Main Menu',
            refId: 'Main Menu_10',
            audio: { tts: 'Press 1 for sales' },
            choices: [
              { menuTransferToAcd: { name: 'Sales', dtmf: 'digit_1', targetQueue: { lit: { name: 'Sales' } } } },
              { menuDisconnect: { name: 'Disconnect', dtmf: 'digit_9' } }
            ]
          }
        }
      ],
      tasks: [
        {
          task: {
            name: 'Main',
            refId: 'Main_12',
            actions: [
              { playAudio: { name: 'Greeting', audio: { tts: 'Hello' } } },
              { transferToAcd: { name: 'Transfer to sales', targetQueue: { lit: { name: 'Sales' } }, preTransferAudio: { tts: 'Transferring you now' } } },
              { disconnect: { name: 'Disconnect' } }
            ]
          }
        }
      ]
    }
  }
}

type InboundFlow = ReturnType<typeof inboundFlow>
type Action = InboundFlow['inboundCall']['tasks'][number]['task']['actions'][number]

/** The diff of the example flow (as `flows.main-entry`) against the same flow after `edit`. */
function diffAfterEdit(edit: (flow: InboundFlow) => void): Diff {
  const after = inboundFlow()
  edit(after)
  return computeDiff({ flows: { 'main-entry': inboundFlow() } }, { flows: { 'main-entry': after } })
}

function actionsOf(flow: InboundFlow): Action[] {
  return flow.inboundCall.tasks[0].task.actions
}

const ACTIONS = 'flows.main-entry.inboundCall.tasks[Main].actions'

describe('computeDiff on Archy lists, item by item', () => {
  it('shows a prompt change as the one path of the prompt, with the old and new text', () => {
    const diff = diffAfterEdit(flow => {
      flow.inboundCall.tasks[0].task.actions[1] = {
        transferToAcd: { name: 'Transfer to sales', targetQueue: { lit: { name: 'Sales' } }, preTransferAudio: { tts: 'Please hold' } }
      }
    })
    expect(diff.changes).toEqual([
      { path: `${ACTIONS}[Transfer to sales].preTransferAudio.tts`, kind: 'modified', before: 'Transferring you now', after: 'Please hold' }
    ])
    expect(parsePath(diff.modified[0])).toEqual([
      'flows',
      'main-entry',
      'inboundCall',
      'tasks',
      itemSegment('Main'),
      'actions',
      itemSegment('Transfer to sales'),
      'preTransferAudio',
      'tts'
    ])
    expect(resourceChanges(diff).resources[0].inner.map(change => change.path)).toEqual([
      'inboundCall.tasks[Main].actions[Transfer to sales].preTransferAudio.tts'
    ])
  })

  it('shows an added action as one added path holding the item, and a removed one as one removed path', () => {
    const goodbye = { playAudio: { name: 'Goodbye', audio: { tts: 'Goodbye' } } }
    const added = diffAfterEdit(flow => actionsOf(flow).splice(2, 0, goodbye))
    expect(added.changes).toEqual([{ path: `${ACTIONS}[Goodbye]`, kind: 'added', after: goodbye }])

    const removed = diffAfterEdit(flow => actionsOf(flow).splice(0, 1))
    expect(removed.changes).toEqual([{ path: `${ACTIONS}[Greeting]`, kind: 'removed', before: { playAudio: { name: 'Greeting', audio: { tts: 'Hello' } } } }])
  })

  it('shows a renamed action as the old name removed and the new one added', () => {
    const diff = diffAfterEdit(flow => {
      actionsOf(flow)[0] = { playAudio: { name: 'Welcome', audio: { tts: 'Hello' } } }
    })
    expect(diffOutput(diff)).toEqual({ added: [`${ACTIONS}[Welcome]`], removed: [`${ACTIONS}[Greeting]`], modified: [] })
  })

  it('shows an action whose type changed under the same name as that action modified as a whole', () => {
    const diff = diffAfterEdit(flow => {
      actionsOf(flow)[0] = { playAudioOnSilence: { name: 'Greeting', audio: { tts: 'Hello' } } } as unknown as Action
    })
    expect(diff.changes).toEqual([
      {
        path: `${ACTIONS}[Greeting]`,
        kind: 'modified',
        before: { playAudio: { name: 'Greeting', audio: { tts: 'Hello' } } },
        after: { playAudioOnSilence: { name: 'Greeting', audio: { tts: 'Hello' } } }
      }
    ])
  })

  it('identifies an item without name or refId by its single key', () => {
    const diff = computeDiff(
      { flows: { f: { actions: [{ disconnect: {} }, { playAudio: { audio: { tts: 'a' } } }] } } },
      { flows: { f: { actions: [{ disconnect: { reason: 'done' } }, { playAudio: { audio: { tts: 'a' } } }] } } }
    )
    expect(diff.changes).toEqual([{ path: 'flows.f.actions[disconnect].reason', kind: 'added', after: 'done' }])
  })

  it('takes refIds when names repeat on a side, and compares the list as a value when refIds repeat too', () => {
    const task = (name: string, refId: string, tts: string) => ({ task: { name, refId, actions: [{ playAudio: { name: 'Say', audio: { tts } } }] } })
    const byRefId = computeDiff(
      { flows: { f: { tasks: [task('Main', 'Main_1', 'a'), task('Main', 'Main_2', 'b')] } } },
      { flows: { f: { tasks: [task('Main', 'Main_1', 'a'), task('Main', 'Main_2', 'c')] } } }
    )
    expect(byRefId.changes).toEqual([{ path: 'flows.f.tasks[Main_2].actions[Say].audio.tts', kind: 'modified', before: 'b', after: 'c' }])

    const before = [task('Main', 'Same', 'a'), task('Main', 'Same', 'b')]
    const after = [task('Main', 'Same', 'a'), task('Main', 'Same', 'c')]
    expect(computeDiff({ flows: { f: { tasks: before } } }, { flows: { f: { tasks: after } } }).changes).toEqual([
      { path: 'flows.f.tasks', kind: 'modified', before, after }
    ])
  })

  it('uses names when they are unique on each side even if only one side repeats refIds', () => {
    const item = (name: string, refId: string, v: number) => ({ name, refId, v })
    const diff = computeDiff({ g: { r: { list: [item('a', 'r', 1), item('b', 'r', 1)] } } }, { g: { r: { list: [item('a', 'r', 1), item('b', 'r', 2)] } } })
    expect(diff.modified).toEqual(['g.r.list[b].v'])
  })

  it('compares lists without a usable identity as whole values', () => {
    const cases: [unknown[], unknown[]][] = [
      [
        ['en', 'fr'],
        ['en', 'de']
      ],
      [
        [
          { id: 1, level: 2 },
          { id: 2, level: 3 }
        ],
        [
          { id: 1, level: 2 },
          { id: 2, level: 4 }
        ]
      ],
      // One item lacks an identity: the list as a whole.
      [
        [
          { name: 'a', v: 1 },
          { v: 2, w: 3 }
        ],
        [
          { name: 'a', v: 2 },
          { v: 2, w: 3 }
        ]
      ],
      // A one-key item whose value is not a mapping has no identity.
      [
        [{ digit: 1 }, { digit: 2 }],
        [{ digit: 1 }, { digit: 3 }]
      ]
    ]
    for (const [before, after] of cases) {
      expect(computeDiff({ q: { s: { list: before } } }, { q: { s: { list: after } } }).changes).toEqual([
        { path: 'q.s.list', kind: 'modified', before, after }
      ])
    }
  })

  it('compares nested lists of lists as values, inside identified items too', () => {
    const grid = computeDiff({ q: { s: { grid: [[1, 2], [3]] } } }, { q: { s: { grid: [[1, 2], [4]] } } })
    expect(grid.changes).toEqual([{ path: 'q.s.grid', kind: 'modified', before: [[1, 2], [3]], after: [[1, 2], [4]] }])

    const rows = (last: number) => [{ row: { name: 'A', cells: [[1], [2]] } }, { row: { name: 'B', cells: [[3], [last]] } }]
    const nested = computeDiff({ q: { s: { rows: rows(4) } } }, { q: { s: { rows: rows(5) } } })
    expect(nested.changes).toEqual([{ path: 'q.s.rows[B].cells', kind: 'modified', before: [[3], [4]], after: [[3], [5]] }])
  })

  it('reports moved items as one change of the list order, with the identities in order, not as changed items', () => {
    const moved = diffAfterEdit(flow => actionsOf(flow).reverse())
    expect(moved.changes).toEqual([
      {
        path: ACTIONS,
        kind: 'modified',
        before: ['Greeting', 'Transfer to sales', 'Disconnect'],
        after: ['Disconnect', 'Transfer to sales', 'Greeting']
      }
    ])

    // Adding or removing items does not move the others.
    const inserted = diffAfterEdit(flow => actionsOf(flow).unshift({ disconnect: { name: 'Early exit' } }))
    expect(inserted.changes.map(change => change.path)).toEqual([`${ACTIONS}[Early exit]`])
  })

  it('reports a moved and changed item as the order change and the change inside it', () => {
    const diff = diffAfterEdit(flow => {
      const actions = actionsOf(flow)
      actions.reverse()
      actions[0] = { disconnect: { name: 'Disconnect', reason: 'x' } } as unknown as Action
    })
    expect(diff.changes.map(change => [change.path, change.kind])).toEqual([
      [ACTIONS, 'modified'],
      [`${ACTIONS}[Disconnect].reason`, 'added']
    ])
  })

  it('writes awkward and numeric identities so that they read back', () => {
    const diff = computeDiff(
      {
        q: {
          s: {
            menu: [
              { name: 'Press [1]', v: 1 },
              { name: 2024, v: 1 },
              { name: '', v: 1 }
            ]
          }
        }
      },
      {
        q: {
          s: {
            menu: [
              { name: 'Press [1]', v: 2 },
              { name: 2024, v: 2 },
              { name: '', v: 2 }
            ]
          }
        }
      }
    )
    // Sorted by identity, in code-unit order: the empty one first.
    expect(diff.modified).toEqual(['q.s.menu[=""].v', 'q.s.menu[2024].v', 'q.s.menu[="Press [1]"].v'])
    expect(parsePath(diff.modified[2])).toEqual(['q', 's', 'menu', itemSegment('Press [1]'), 'v'])
  })

  it('adds each item of a list that was empty', () => {
    const diff = computeDiff({ q: { s: { actions: [] } } }, { q: { s: { actions: [{ disconnect: { name: 'End' } }] } } })
    expect(diff.changes).toEqual([{ path: 'q.s.actions[End]', kind: 'added', after: { disconnect: { name: 'End' } } }])
  })

  it('gives the same item paths whatever the key order of the inputs', () => {
    const after = inboundFlow()
    actionsOf(after)[0] = { playAudio: { name: 'Greeting', audio: { tts: 'Hi' } } }
    actionsOf(after).push({ disconnect: { name: 'Late exit' } })
    const paths = computeDiff({ flows: { f: inboundFlow() } }, { flows: { f: after } }).changes
    expect(computeDiff(reverseKeys({ flows: { f: inboundFlow() } }), reverseKeys({ flows: { f: after } })).changes).toEqual(paths)
    expect(paths.map(change => change.path)).toEqual([
      'flows.f.inboundCall.tasks[Main].actions[Greeting].audio.tts',
      'flows.f.inboundCall.tasks[Main].actions[Late exit]'
    ])
  })
})

describe('countResources', () => {
  it('counts resources, not paths: three changes inside one flow are one modified flow', () => {
    const diff = computeDiff(
      { flows: { a: { x: 1, y: 1, z: 1 }, gone: {} }, queues: { q: { sl: 1 } } },
      { flows: { a: { x: 2, y: 2, z: 2 }, fresh: {} }, queues: { q: { sl: 1 }, r: {} } }
    )
    expect(diff.modified).toHaveLength(3)
    expect(countResources(diff)).toEqual({
      total: { added: 2, removed: 1, modified: 1 },
      byGroup: { flows: { added: 1, removed: 1, modified: 1 }, queues: { added: 1, removed: 0, modified: 0 } }
    })
    expect(diff.resourceCounts).toEqual(countResources(diff))
  })

  it('counts a Diff written by hand from its paths', () => {
    const handWritten: Diff = {
      added: ['flows.new'],
      removed: [],
      modified: ['flows.main.v', 'flows.main.w'],
      changes: [
        { path: 'flows.main.v', kind: 'modified', before: 1, after: 2 },
        { path: 'flows.main.w', kind: 'modified', before: 1, after: 2 },
        { path: 'flows.new', kind: 'added', after: {} }
      ]
    }
    expect(countResources(handWritten).byGroup).toEqual({ flows: { added: 1, removed: 0, modified: 1 } })
  })
})

function reverseKeys<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, inner]) => [key, reverseKeys(inner)])
  ) as T
}
