import { checkCapacity, checkManifest, checkSections, closestName, positionOf, type ManifestSections } from '../src/bundle/checks.js'
import type { Finding } from '../src/bundle/finding.js'
import { parseManifestSource } from '../src/bundle/loader.js'

const FILE = 'bundles/core.yaml'

/** Checks manifest text the way the loader does: parsed with positions, then every rule. */
function checkText(lines: string[]): Finding[] {
  const source = parseManifestSource(lines.join('\n') + '\n', FILE)
  expect(source.findings).toEqual([])
  return checkManifest(source.document, source.positions, FILE).findings
}

function summary(findings: Finding[]): string[] {
  return findings.map(finding => `${finding.severity} ${finding.line}:${finding.column} ${finding.path ?? ''}`.trim())
}

const HEADER = ['bundleId: core', 'environmentId: prod']

describe('dependencyMatrix.order', () => {
  it('accepts an order that names each group of targetConfig once', () => {
    const findings = checkText([
      ...HEADER,
      'dependencyMatrix:',
      '  order: [queues, flows]',
      'targetConfig:',
      '  flows: { main: {} }',
      '  queues: { sales: {} }'
    ])
    expect(findings).toEqual([])
  })

  it('names an unknown group, suggests the closest and lists the groups', () => {
    const findings = checkText([...HEADER, 'dependencyMatrix:', '  order: [qeues, flows, lines]', 'targetConfig:', '  flows: { main: {} }'])
    expect(summary(findings)).toEqual(['error 4:11 dependencyMatrix.order.0', 'error 4:25 dependencyMatrix.order.2'])
    expect(findings[0].message).toBe('`dependencyMatrix.order` names `qeues`, which is not a group of targetConfig (flows, queues); did you mean `queues`?')
    expect(findings[1].message).toContain('names `lines`, which is not a group of targetConfig (flows, queues); use only')
  })

  it('reports a repeated group at the repeat', () => {
    const findings = checkText([
      ...HEADER,
      'dependencyMatrix:',
      '  order:',
      '    - flows',
      '    - queues',
      '    - flows',
      'targetConfig:',
      '  flows: { main: {} }'
    ])
    expect(summary(findings)).toEqual(['error 7:7 dependencyMatrix.order.2'])
    expect(findings[0].message).toBe('`dependencyMatrix.order` names `flows` twice (items 0 and 2); list each group once.')
  })

  it('reports a group of targetConfig that order leaves out, naming its entries', () => {
    const findings = checkText([
      ...HEADER,
      'dependencyMatrix:',
      '  order: [flows]',
      'targetConfig:',
      '  flows: { main: {} }',
      '  queues: { sales: {}, support: {} }'
    ])
    expect(summary(findings)).toEqual(['error 4:3 dependencyMatrix.order'])
    expect(findings[0].message).toContain('leaves out `queues`, which targetConfig defines (sales, support)')
  })

  it('does not ask order to name an empty group', () => {
    const findings = checkText([...HEADER, 'dependencyMatrix:', '  order: [flows]', 'targetConfig:', '  flows: { main: {} }', '  queues: {}'])
    expect(findings).toEqual([])
  })
})

describe('capacityConstraints', () => {
  it('reports counts over the limits with the count, the limit and the fix, at the limit key', () => {
    const findings = checkText([
      ...HEADER,
      'capacityConstraints:',
      '  maxFlowCount: 1',
      '  maxQueueCount: 1',
      'targetConfig:',
      '  flows: { a: {}, b: {}, c: {} }',
      '  queues: { q: {} }'
    ])
    expect(summary(findings)).toEqual(['error 4:3 capacityConstraints.maxFlowCount'])
    expect(findings[0].message).toBe(
      'targetConfig defines 3 flows, more than `capacityConstraints.maxFlowCount` (1); ' + 'remove 2 of them or raise `maxFlowCount` to at least 3.'
    )
  })

  it('reports queues over their limit and accepts counts equal to a limit', () => {
    const sections: ManifestSections = {
      capacityConstraints: { maxFlowCount: 2, maxQueueCount: 0 },
      targetConfig: { flows: { a: {}, b: {} }, queues: { q: {} } }
    }
    const findings = checkCapacity(sections, {}, FILE)
    expect(findings.map(finding => finding.path)).toEqual(['capacityConstraints.maxQueueCount'])
    expect(findings[0].message).toContain('targetConfig defines 1 queues, more than `capacityConstraints.maxQueueCount` (0)')
  })
})

describe('other rules', () => {
  it('warns when targetConfig has nothing to deploy', () => {
    const findings = checkText([...HEADER, 'targetConfig:', '  flows: {}'])
    expect(summary(findings)).toEqual(['warning 3:1 targetConfig'])
    expect(findings[0].message).toContain('defines no flows or queues, so there is nothing to deploy')
  })

  it('warns about a dependency listed twice', () => {
    const findings = checkText([...HEADER, 'dependencyMatrix:', '  queues: [sales, support, sales]', 'targetConfig:', '  queues: { sales: {} }'])
    expect(summary(findings)).toEqual(['warning 4:28 dependencyMatrix.queues.2'])
    expect(findings[0].message).toBe('`dependencyMatrix.queues` lists `sales` twice; list it once.')
  })

  it('warns when two flows deploy the same Archy file, however the path is spelled', () => {
    const findings = checkText([
      ...HEADER,
      'targetConfig:',
      '  flows:',
      '    main: { file: flows/main.yaml }',
      '    copy: { file: ./flows/../flows/main.yaml }',
      '    other: { file: flows/other.yaml }'
    ])
    expect(summary(findings)).toEqual(['warning 6:13 targetConfig.flows.copy.file'])
    expect(findings[0].message).toContain('the same file as flow `main`')
  })
})

describe('schema findings', () => {
  it('reports missing required keys at the top of the file', () => {
    const source = parseManifestSource('environmentId: prod\n', FILE)
    const result = checkManifest(source.document, source.positions, FILE)
    expect(result.manifest).toBeUndefined()
    expect(result.findings.map(finding => [finding.path, finding.line, finding.message])).toEqual([
      ['bundleId', 1, '`bundleId` is missing; add it to the top level of the manifest as text.'],
      ['targetConfig', 1, '`targetConfig` is missing; add it to the top level of the manifest as a mapping of keys.']
    ])
  })

  it('reports wrong types, whole numbers, lists and substitution values', () => {
    const findings = checkText([
      ...HEADER,
      'rollbackOnFailure: true',
      'capacityConstraints: { maxFlowCount: 2.5 }',
      'targetConfig:',
      '  flows: [main]',
      'substitutions:',
      '  company: { name: Acme }',
      '  floor: 3'
    ])
    expect(summary(findings)).toEqual(['error 4:24 capacityConstraints.maxFlowCount', 'error 6:3 targetConfig.flows', 'error 8:3 substitutions.company'])
    expect(findings[0].message).toBe('`capacityConstraints.maxFlowCount` is `2.5` (a number); it must be a whole number.')
    expect(findings[1].message).toBe('`targetConfig.flows` is a list; it must be a mapping of keys.')
    expect(findings[2].message).toBe('`substitutions.company` is a mapping; it must be text, a number or `true`/`false`.')
  })

  it('reports an empty environmentId', () => {
    const findings = checkText(['bundleId: core', 'environmentId: ""', 'targetConfig:', '  queues: { q: {} }'])
    expect(findings.map(finding => finding.message)).toEqual(['`environmentId` is empty; set it to a non-empty value or remove the key.'])
  })

  it('reports unknown keys inside nested objects with the allowed keys', () => {
    const findings = checkText([...HEADER, 'capacityConstraints:', '  maxFlowCnt: 3', '  priority: high', 'targetConfig:', '  queues: { q: {} }'])
    expect(findings.map(finding => finding.message)).toEqual([
      '`capacityConstraints.maxFlowCnt` is not a known key; did you mean `maxFlowCount`? ' + 'Allowed under `capacityConstraints`: maxFlowCount, maxQueueCount',
      '`capacityConstraints.priority` is not a known key; remove it or fix its spelling. ' + 'Allowed under `capacityConstraints`: maxFlowCount, maxQueueCount'
    ])
  })

  it('still runs the rules on valid sections when the schema fails elsewhere, all in source order', () => {
    const findings = checkText([
      'bundleId: core',
      'environmentId: 7',
      'capacityConstraints: { maxQueueCount: 0 }',
      'dependencyMatrix:',
      '  order: [flows, flows]',
      'targetConfig:',
      '  queues: { q: {} }'
    ])
    expect(summary(findings)).toEqual([
      'error 2:1 environmentId',
      'error 3:24 capacityConstraints.maxQueueCount',
      'error 5:3 dependencyMatrix.order',
      'error 5:18 dependencyMatrix.order.1'
    ])
  })

  it('returns the parsed manifest when everything is valid', () => {
    const source = parseManifestSource('bundleId: core\ntargetConfig:\n  queues: { q: { weight: 2 } }\n', FILE)
    const result = checkManifest(source.document, source.positions, FILE)
    expect(result.findings).toEqual([])
    expect(result.manifest).toEqual({ bundleId: 'core', targetConfig: { queues: { q: { weight: 2 } } } })
  })
})

describe('helpers', () => {
  it('suggests only plausible typos', () => {
    expect(closestName('qeues', ['flows', 'queues'])).toBe('queues')
    expect(closestName('bundleid', ['bundleId', 'environmentId'])).toBe('bundleId')
    expect(closestName('flwos', ['flows', 'queues'])).toBe('flows')
    expect(closestName('routes', ['flows', 'queues'])).toBeUndefined()
  })

  it('positions a missing key at its nearest existing parent, else at the top', () => {
    const positions = { targetConfig: { line: 4, column: 1 }, 'targetConfig.flows': { line: 5, column: 3 } }
    expect(positionOf(['targetConfig', 'flows', 'main', 'file'], positions)).toEqual({ line: 5, column: 3 })
    expect(positionOf(['bundleId'], positions)).toEqual({ line: 1, column: 1 })
  })

  it('runs the rules on sections alone, without positions', () => {
    const findings = checkSections({ dependencyMatrix: { order: ['flows'] }, targetConfig: { queues: { q: {} } } }, {}, FILE)
    expect(findings.map(finding => [finding.severity, finding.file, finding.line])).toEqual([['error', FILE, 1]])
  })
})
