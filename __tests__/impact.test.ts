import { computeDiff, type Diff } from '../src/assess/diff.js'
import { assessImpact, riskAtLeast, type ImpactInput, type RiskThreshold } from '../src/assess/impact.js'
import type { RemoteValidationOutcome } from '../src/assess/plan.js'
import type { Manifest } from '../src/bundle/manifest.js'
import type { RiskLevel } from '../src/constants.js'

const notRun: RemoteValidationOutcome = { ran: false, reason: 'no credentials' }

function validation(overrides: Partial<Extract<RemoteValidationOutcome, { ran: true }>> = {}): RemoteValidationOutcome {
  return { ran: true, valid: true, warnings: [], errors: [], ...overrides }
}

function warnings(count: number): RemoteValidationOutcome {
  return validation({ warnings: Array.from({ length: count }, (_, i) => `warning ${i + 1}`) })
}

/** A manifest whose targetConfig holds `flowCount` flows and `queueCount` queues. */
function manifest(flowCount: number, queueCount: number, limits: Manifest['capacityConstraints']): Manifest {
  const named = (prefix: string, count: number): Record<string, Record<string, unknown>> =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}-${i}`, {}]))
  return { bundleId: 'b', capacityConstraints: limits, targetConfig: { flows: named('flow', flowCount), queues: named('queue', queueCount) } }
}

function assess(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  rest: Omit<ImpactInput, 'diff' | 'remoteValidation'> & { remoteValidation?: RemoteValidationOutcome } = {}
) {
  return assessImpact({ diff: computeDiff(before, after), remoteValidation: rest.remoteValidation ?? notRun, ...rest })
}

const base = { flows: { 'main-entry': { version: '1' }, 'after-hours': { file: 'a.yaml' } }, queues: { sales: { sl: '80/20' } } }

describe('assessImpact: HIGH', () => {
  it('is HIGH when a flow is removed, naming it', () => {
    const impact = assess(base, { ...base, flows: { 'main-entry': { version: '1' } } })
    expect(impact.riskLevel).toBe('HIGH')
    expect(impact.criticalRemovals).toEqual(['flows.after-hours'])
    expect(impact.reasons[0]).toBe('removes flow `after-hours`')
  })

  it('is HIGH when a queue is removed', () => {
    const impact = assess(base, { flows: base.flows, queues: {} })
    expect(impact.riskLevel).toBe('HIGH')
    expect(impact.criticalRemovals).toEqual(['queues.sales'])
    expect(impact.reasons).toContain('removes queue `sales`')
  })

  it('counts every flow of a group that disappears as removed', () => {
    const impact = assess(base, { queues: base.queues })
    expect(impact.riskLevel).toBe('HIGH')
    expect(impact.criticalRemovals).toEqual(['flows.after-hours', 'flows.main-entry'])
  })

  it('is not HIGH for exactly five platform warnings, and HIGH for six', () => {
    const five = assess(base, base, { remoteValidation: warnings(5) })
    expect(five.riskLevel).toBe('LOW')
    expect(five.warningCount).toBe(5)
    expect(five.reasons).toEqual(['5 platform warnings (5 or fewer)'])

    const six = assess(base, base, { remoteValidation: warnings(6) })
    expect(six.riskLevel).toBe('HIGH')
    expect(six.warningCount).toBe(6)
    expect(six.reasons).toEqual(['6 platform warnings (more than 5)'])
  })

  it('lists the most serious causes first: removals and warnings before modifications and additions', () => {
    const after = { flows: { 'main-entry': { version: '2' }, holiday: {} }, queues: base.queues }
    const impact = assess(base, after, { remoteValidation: warnings(7) })
    expect(impact.reasons).toEqual([
      'removes flow `after-hours`',
      '7 platform warnings (more than 5)',
      'modifies flow `main-entry` (`version`)',
      'adds flow `holiday`'
    ])
  })
})

describe('assessImpact: MEDIUM', () => {
  it('is MEDIUM when a setting inside a flow changes', () => {
    const impact = assess(base, { ...base, flows: { ...base.flows, 'main-entry': { version: '2' } } })
    expect(impact.riskLevel).toBe('MEDIUM')
    expect(impact.criticalRemovals).toEqual([])
    expect(impact.reasons).toEqual(['modifies flow `main-entry` (`version`)'])
  })

  it('is MEDIUM when a setting inside a queue is removed (the queue itself stays)', () => {
    const impact = assess(base, { ...base, queues: { sales: {} } })
    expect(impact.riskLevel).toBe('MEDIUM')
    expect(impact.reasons).toEqual(['modifies queue `sales` (`sl`)'])
  })

  it('is MEDIUM when a resource is replaced as a whole (type change at resource level)', () => {
    const impact = assess(base, { ...base, queues: { sales: 'default' } })
    expect(impact.riskLevel).toBe('MEDIUM')
    expect(impact.reasons).toEqual(['modifies queue `sales` (replaced as a whole)'])
  })

  it('names at most three changed settings of a resource', () => {
    const impact = assess({ flows: { f: { a: 1, b: 1, c: 1, d: 1, e: 1 } } }, { flows: { f: { a: 2, b: 2, c: 2, d: 2, e: 2 } } })
    expect(impact.reasons).toEqual(['modifies flow `f` (`a`, `b`, `c` and 2 more)'])
  })

  it('is LOW at exactly 80 % capacity and MEDIUM above it', () => {
    const at80 = assess({}, {}, { manifest: manifest(400, 0, { maxFlowCount: 500 }) })
    expect(at80.riskLevel).toBe('LOW')
    expect(at80.capacity).toEqual([{ resource: 'flows', used: 400, limit: 500, percent: 80 }])
    expect(at80.capacityUtilization).toBe(80)

    const at801 = assess({}, {}, { manifest: manifest(801, 0, { maxFlowCount: 1000 }) })
    expect(at801.riskLevel).toBe('MEDIUM')
    expect(at801.capacityUtilization).toBe(80.1)
    expect(at801.reasons).toEqual(['flow capacity 801/1000 = 80.1 % (above 80 %)'])
  })

  it('compares capacity on exact counts, not the rounded percent', () => {
    const impact = assess({}, {}, { manifest: manifest(0, 2001, { maxQueueCount: 2500 }) })
    expect(impact.capacity[0].percent).toBe(80)
    expect(impact.riskLevel).toBe('MEDIUM')
  })

  it('reports the platform flow slots and takes the highest use', () => {
    const impact = assess(
      {},
      {},
      {
        manifest: manifest(10, 5, { maxFlowCount: 500, maxQueueCount: 100 }),
        remoteValidation: validation({ environmentCapacity: { availableFlowSlots: 50, requiredFlowSlots: 45 } })
      }
    )
    expect(impact.capacity).toEqual([
      { resource: 'flows', used: 10, limit: 500, percent: 2 },
      { resource: 'queues', used: 5, limit: 100, percent: 5 },
      { resource: 'environment flow slots', used: 45, limit: 50, percent: 90 }
    ])
    expect(impact.capacityUtilization).toBe(90)
    expect(impact.riskLevel).toBe('MEDIUM')
    expect(impact.reasons).toEqual(['environment flow slots 45/50 = 90 % (above 80 %)'])
  })

  it('keeps the percent finite when a limit is zero', () => {
    const impact = assess({}, {}, { manifest: manifest(3, 0, { maxFlowCount: 0 }) })
    expect(impact.capacity[0].percent).toBe(300)
    expect(impact.riskLevel).toBe('MEDIUM')
    expect(JSON.parse(JSON.stringify(impact)).capacityUtilization).toBe(300)
  })

  it('names the consumers of a changed flow and keeps the risk at least MEDIUM', () => {
    const consumers = {
      'main-entry': [
        { id: 'c1', name: 'Main IVR', type: 'IVRCONFIGURATION' },
        { id: 'c2', name: 'Sales', type: 'QUEUE' },
        { id: 'c3', name: 'Support', type: 'QUEUE' },
        { id: 'c4', name: 'Billing', type: 'QUEUE' }
      ],
      holiday: [{ id: 'c5', name: 'Holiday IVR', type: 'IVRCONFIGURATION' }],
      unchanged: [{ id: 'c6', name: 'Other', type: 'QUEUE' }]
    }
    const after = { ...base, flows: { ...base.flows, 'main-entry': { version: '2' }, holiday: {} } }
    const impact = assess(base, after, { consumers })
    expect(impact.riskLevel).toBe('MEDIUM')
    expect(impact.consumers).toEqual({ 'main-entry': consumers['main-entry'] })
    expect(impact.reasons).toContain('flow `main-entry` is modified and used by 4 resources (`Main IVR`, `Sales`, `Support` and 1 more): risk at least MEDIUM')
  })

  it('names the consumers of a removed flow', () => {
    const impact = assess(
      base,
      { ...base, flows: { 'main-entry': { version: '1' } } },
      {
        consumers: { 'after-hours': [{ id: 'c1', name: 'Night IVR', type: 'IVRCONFIGURATION' }] }
      }
    )
    expect(impact.riskLevel).toBe('HIGH')
    expect(impact.consumers).toEqual({ 'after-hours': [{ id: 'c1', name: 'Night IVR', type: 'IVRCONFIGURATION' }] })
    expect(impact.reasons[1]).toBe('flow `after-hours` is removed and used by 1 resource (`Night IVR`): risk at least MEDIUM')
  })
})

describe('assessImpact: LOW and the other fields', () => {
  it('is LOW when resources are only added', () => {
    const impact = assess(base, { ...base, flows: { ...base.flows, holiday: { file: 'h.yaml' } }, queues: { ...base.queues, support: {} } })
    expect(impact.riskLevel).toBe('LOW')
    expect(impact.reasons).toEqual(['adds flow `holiday`', 'adds queue `support`'])
    expect(impact.criticalRemovals).toEqual([])
  })

  it('is LOW for a first deployment against an empty baseline', () => {
    const impact = assess({}, base)
    expect(impact.riskLevel).toBe('LOW')
    expect(impact.reasons).toEqual(['adds flow `after-hours`', 'adds flow `main-entry`', 'adds queue `sales`'])
  })

  it('says so when nothing changed', () => {
    const impact = assess(base, base)
    expect(impact).toEqual({
      riskLevel: 'LOW',
      reasons: ['no flow or queue changes'],
      riskDrivers: ['no flow or queue changes'],
      criticalRemovals: [],
      warningCount: 0,
      compatibilityPassed: null,
      capacityUtilization: null,
      capacity: []
    })
  })

  it('reports the platform verdict as compatibilityPassed', () => {
    expect(assess(base, base, { remoteValidation: validation({ valid: false, errors: ['bad'] }) }).compatibilityPassed).toBe(false)
    expect(assess(base, base, { remoteValidation: validation() }).compatibilityPassed).toBe(true)
    expect(assess(base, base).compatibilityPassed).toBeNull()
  })

  it('quotes names that hold backticks so they cannot end the code span early', () => {
    const impact = assess({ flows: { 'a`b': {} } }, { flows: {} })
    expect(impact.reasons).toEqual(['removes flow ``a`b``'])
  })
})

describe('riskAtLeast', () => {
  const cases: [RiskLevel, RiskThreshold, boolean][] = [
    ['LOW', 'low', true],
    ['LOW', 'medium', false],
    ['MEDIUM', 'medium', true],
    ['MEDIUM', 'high', false],
    ['HIGH', 'high', true],
    ['HIGH', 'low', true],
    ['HIGH', 'never', false],
    ['LOW', 'never', false]
  ]
  it.each(cases)('%s reaches %s: %s', (level, threshold, expected) => {
    expect(riskAtLeast(level, threshold)).toBe(expected)
  })
})

describe('riskDrivers', () => {
  it('names only the reasons that set the risk level, for the gate', () => {
    const impact = assessImpact({
      diff: computeDiff({ flows: { a: { v: 1 }, b: { v: 1 } } }, { flows: { b: { v: 2 }, c: { v: 1 } } }),
      remoteValidation: { ran: false, reason: 'no credentials' }
    })
    expect(impact.riskLevel).toBe('HIGH')
    expect(impact.riskDrivers).toEqual(['removes flow `a`'])
    expect(impact.reasons).toEqual(expect.arrayContaining(['removes flow `a`', 'adds flow `c`']))
    expect(impact.reasons[0]).toBe('removes flow `a`')
  })
})

describe('assessImpact on changes inside Archy lists', () => {
  const flow = (tts: string, actions: unknown[] = []) => ({
    inboundCall: {
      name: 'Main Menu',
      tasks: [
        {
          task: {
            name: 'Main',
            refId: 'Main_12',
            actions: [
              { playAudio: { name: 'Greeting', audio: { tts: 'Hello' } } },
              { transferToAcd: { name: 'Transfer to sales', preTransferAudio: { tts } } },
              ...actions
            ]
          }
        }
      ]
    }
  })

  it('names the prompt that changed and keeps a modified flow MEDIUM', () => {
    const impact = assess({ flows: { 'main-entry': flow('Transferring you now') } }, { flows: { 'main-entry': flow('Please hold') } })
    expect(impact.riskLevel).toBe('MEDIUM')
    expect(impact.reasons).toEqual(['modifies flow `main-entry` (`inboundCall.tasks[Main].actions[Transfer to sales].preTransferAudio.tts`)'])
  })

  it('treats an action removed inside a flow as a modified flow (MEDIUM), not a removed resource', () => {
    const impact = assess({ flows: { 'main-entry': flow('x', [{ disconnect: { name: 'Disconnect' } }]) } }, { flows: { 'main-entry': flow('x') } })
    expect(impact.riskLevel).toBe('MEDIUM')
    expect(impact.criticalRemovals).toEqual([])
    expect(impact.reasons).toEqual(['modifies flow `main-entry` (`inboundCall.tasks[Main].actions[Disconnect]`)'])
  })
})

describe('assessImpact on large diffs', () => {
  it('lists every removal, then every modification, then every addition, each by name, with the removals as drivers', () => {
    const count = 3000
    const before: Record<string, unknown> = {}
    const after: Record<string, unknown> = {}
    for (let index = 0; index < count; index++) {
      const name = `flow-${String(index).padStart(5, '0')}`
      const fate = index % 3
      if (fate !== 2) before[name] = { v: 1 }
      if (fate !== 0) after[name] = { v: fate === 1 ? 2 : 1 }
    }
    const impact = assess({ flows: before }, { flows: after }, { remoteValidation: warnings(2) })
    const names = (fate: number) =>
      Array.from({ length: count }, (_, index) => index)
        .filter(index => index % 3 === fate)
        .map(index => `flow-${String(index).padStart(5, '0')}`)
    const removals = names(0).map(name => `removes flow \`${name}\``)
    expect(impact.riskLevel).toBe('HIGH')
    expect(impact.reasons).toEqual([
      ...removals,
      ...names(1).map(name => `modifies flow \`${name}\` (\`v\`)`),
      '2 platform warnings (5 or fewer)',
      ...names(2).map(name => `adds flow \`${name}\``)
    ])
    expect(impact.riskDrivers).toEqual(removals)
    expect(impact.criticalRemovals).toEqual(names(0).map(name => `flows.${name}`))
  })

  it('assesses a Diff written by hand (without its resource grouping) as the computed one', () => {
    const computed = computeDiff({ flows: { a: { v: 1 }, b: { v: 1 } } }, { flows: { b: { v: 2 }, c: {} } })
    const handWritten: Diff = { added: computed.added, removed: computed.removed, modified: computed.modified, changes: computed.changes }
    expect(assessImpact({ diff: handWritten, remoteValidation: notRun })).toEqual(assessImpact({ diff: computed, remoteValidation: notRun }))
  })
})
