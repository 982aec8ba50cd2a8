import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import {
  ARCHY_FLOW_KEYS,
  ARCHY_FLOW_KINDS,
  archyFlowKind,
  archyFlowKindIgnoringCase,
  archyReferences,
  dependencyObjectType,
  findPlaceholders,
  platformFlowType,
  replacePlaceholders
} from '../src/bundle/archy.js'
import { checkFlowFileText } from '../src/bundle/flow-file-check.js'
import { readYamlSource } from '../src/bundle/yaml-source.js'
import { DEPENDENCY_OBJECT_TYPES, FLOW_LISTING_TYPES, SDK_DOCS_VERSION } from './fixtures/sdk-flow-enums.js'

describe('the table of Archy flow kinds', () => {
  it('gives every kind a listing type and a dependency object type the official SDK knows', () => {
    const listing: readonly string[] = FLOW_LISTING_TYPES
    const objects: readonly string[] = DEPENDENCY_OBJECT_TYPES
    for (const kind of ARCHY_FLOW_KINDS) {
      expect([kind.key, listing.includes(kind.platformType)]).toEqual([kind.key, true])
      expect([kind.key, objects.includes(kind.objectType)]).toEqual([kind.key, true])
    }
  })

  it('checks against the SDK that is installed: the same two calls, with the parameters the lists are for', async () => {
    const sdkEntry = createRequire(import.meta.url).resolve('purecloud-platform-client-v2')
    const packageFolder = join(dirname(sdkEntry), '..', '..')
    const types = await readFile(join(packageFolder, 'index.d.ts'), 'utf8')
    expect(types).toMatch(/getFlows\(opts\?: ArchitectApi\.getFlowsOptions\)/)
    expect(types).toMatch(/interface getFlowsOptions \{\s*"type"\?: Array<string>;/)
    expect(types).toMatch(/getArchitectDependencytrackingConsumingresources\(id: string, objectType: string/)
    const installed = JSON.parse(await readFile(join(packageFolder, 'package.json'), 'utf8')) as { version: string }
    expect(Number(installed.version.split('.')[0])).toBeGreaterThanOrEqual(Number(SDK_DOCS_VERSION.split('.')[0]))
  })

  it('maps the kinds the platform names differently from Archy: bot flows, digital bot flows, common modules', () => {
    expect([platformFlowType('botFlow'), dependencyObjectType('botFlow')]).toEqual(['bot', 'BOTFLOW'])
    expect([platformFlowType('digitalBotFlow'), dependencyObjectType('digitalBotFlow')]).toEqual(['digitalbot', 'DIGITALBOTFLOW'])
    expect([platformFlowType('commonModule'), dependencyObjectType('commonModule')]).toEqual(['commonmodule', 'COMMONMODULEFLOW'])
    expect([platformFlowType('inqueueCall'), dependencyObjectType('inqueueCall')]).toEqual(['inqueuecall', 'INQUEUECALLFLOW'])
    expect(dependencyObjectType('workflow')).toBe('WORKFLOW')
  })

  it('spells keys as Archy files do, and finds a kind from a platform answer whatever its case', () => {
    expect(archyFlowKind('inqueueCall')?.platformType).toBe('inqueuecall')
    expect(archyFlowKind('inQueueCall')).toBeUndefined()
    expect(archyFlowKindIgnoringCase('INQUEUECALL')?.key).toBe('inqueueCall')
    expect(archyFlowKindIgnoringCase('BOT')?.key).toBe('botFlow')
    expect(new Set(ARCHY_FLOW_KEYS).size).toBe(ARCHY_FLOW_KINDS.length)
    expect(() => platformFlowType('mysteryFlow')).toThrow(/not an Archy flow kind; use one of inboundCall/)
  })
})

describe('flow shape', () => {
  const check = (text: string, requireArchyFlow = true) =>
    checkFlowFileText(text, { file: 'f.yaml', manifestKeyPath: 'targetConfig.flows.f.file', substitutions: {}, requireArchyFlow })

  it('knows botFlow and the other kinds Archy accepts, without a warning', () => {
    for (const key of ARCHY_FLOW_KEYS) {
      const checked = check(`${key}:\n  name: Some flow\n`)
      expect([key, checked.findings]).toEqual([key, []])
      expect(checked.kind?.key).toBe(key)
      expect(checked.name).toBe('Some flow')
    }
  })

  it('warns about a known kind in another case and names the spelling', () => {
    const checked = check('inQueueCall:\n  name: Hold\n')
    expect(checked.findings).toEqual([expect.objectContaining({ severity: 'warning', line: 1, column: 1 })])
    expect(checked.findings[0].message).toContain('`inQueueCall` is spelled `inqueueCall` in Archy flow files')
    expect(checked.kind?.key).toBe('inqueueCall')
  })

  it('reports an unknown kind as an error with the closest kind', () => {
    const checked = check('botflo:\n  name: Bot\n')
    expect(checked.findings.map(finding => [finding.severity, finding.line])).toEqual([['error', 1]])
    expect(checked.findings[0].message).toContain('did you mean `botFlow`?')
  })

  it('checks the flow name as an identifier and never shows a raw control character', () => {
    const checked = check('inboundCall:\n  name: "Main\\u0007Menu"\n')
    expect(checked.findings).toEqual([expect.objectContaining({ severity: 'error', line: 2, column: 3 })])
    expect(checked.findings[0].message).toContain('control character U+0007')
    expect(checked.findings[0].message).not.toContain('\u0007')
    const bidi = check('inboundCall:\n  name: "Sales\\u202Eevil"\n')
    expect(bidi.findings[0].message).toContain('invisible bidirectional control U+202E')
  })

  it('describes a top level that is not a mapping without quoting it', () => {
    const checked = check('password=hunter2\n')
    expect(checked.findings[0].message).toContain("The flow file's top level is a text value")
    expect(checked.findings[0].message).not.toContain('hunter2')
  })
})

describe('placeholders', () => {
  const substitutions = { flow_name: 'Main IVR', company: 'Acme', note: 'Tier 1: sales', comment: 'Press #1 now', list: '[a, b]' }
  const check = (text: string) => checkFlowFileText(text, { file: 'f.yaml', manifestKeyPath: 'k', substitutions, requireArchyFlow: true })

  it('fills them as text before parsing, so an unquoted placeholder is a plain name', () => {
    const checked = check('inboundCall:\n  name: {{flow_name}}\n  description: "{{company}} main line"\n')
    expect(checked.findings).toEqual([])
    expect(checked.name).toBe('Main IVR')
    expect(checked.text).toBe('inboundCall:\n  name: Main IVR\n  description: "Acme main line"\n')
  })

  it('accepts a value with YAML syntax inside a quoted or block scalar', () => {
    const checked = check('inboundCall:\n  name: "{{note}}"\n  description: |\n    {{comment}} and {{note}}\n  tts: \'{{list}}\'\n')
    expect(checked.findings).toEqual([])
  })

  it('reports a value that breaks or changes the YAML where the placeholder is unquoted, naming the substitution', () => {
    const broken = check('inboundCall:\n  name: Main\n  description: {{note}}\n')
    expect(broken.findings).toEqual([expect.objectContaining({ severity: 'error', file: 'f.yaml', line: 3, column: 16 })])
    expect(broken.findings[0].message).toContain('the substitution `note` (`Tier 1: sales`)')
    expect(broken.findings[0].message).toContain('`"{{note}}"`')

    const comment = check('inboundCall:\n  name: Main\n  tts: Hello {{comment}}\n')
    expect(comment.findings).toEqual([expect.objectContaining({ severity: 'error', line: 3, column: 14 })])
    expect(comment.findings[0].message).toMatch(/substitution `comment`.*changes the structure.*at `inboundCall\.tts`.*` #`/)

    const list = check('inboundCall:\n  name: Main\n  tts: {{list}}\n')
    expect(list.findings[0].message).toMatch(/substitution `list`.*changes the structure/)
  })

  it("reports the file's own syntax errors at their lines, whether the values are plain words or not", () => {
    for (const name of ['{{flow_name}}', '"{{note}}"']) {
      const checked = check(`inboundCall:\n  name: ${name}\n  tasks: [unclosed\n`)
      expect(checked.findings.map(finding => [finding.severity, finding.line])).toEqual([['error', 4]])
      expect(checked.findings[0].message).toMatch(/^YAML syntax: /)
    }
  })

  it('maps positions after a longer value back to the file', () => {
    const checked = check('inboundCall:\n  name: {{company}}\n  description: {{flow_name}} {{company}}  \n  x: {{missing}}\n')
    expect(checked.findings).toEqual([expect.objectContaining({ line: 4, column: 6 })])
    const replaced = replacePlaceholders('a: {{company}} b: {{x}}\nc: 1\n', findPlaceholders('a: {{company}} b: {{x}}\nc: 1\n'), p =>
      p.key === 'company' ? 'A much longer value' : 'y'
    )
    expect(replaced.toOriginal({ line: 1, column: 4 })).toEqual({ line: 1, column: 4 })
    expect(replaced.toOriginal({ line: 1, column: 10 })).toEqual({ line: 1, column: 4 })
    expect(replaced.toOriginal({ line: 1, column: 26 })).toEqual({ line: 1, column: 18 })
    expect(replaced.toOriginal({ line: 1, column: 27 })).toEqual({ line: 1, column: 19 })
    expect(replaced.toOriginal({ line: 2, column: 1 })).toEqual({ line: 2, column: 1 })
  })
})

describe('references', () => {
  const referencesOf = (text: string, flowKind = 'inboundCall') => {
    const source = readYamlSource(text, 'f.yaml', { format: 'YAML', recordPositions: true })
    return archyReferences({ data: source.data, file: 'f.yaml', flowKind, positionAt: path => source.positionAt(path) }).map(
      reference => `${reference.kind}${reference.flowType ? `(${reference.flowType})` : ''} ${reference.name} @${reference.line}:${reference.column}`
    )
  }

  it('collects literals only, never expressions or variables', () => {
    const text = [
      'inboundCall:',
      '  name: Main',
      '  tasks:',
      '    - task:',
      '        actions:',
      '          - transferToAcd:',
      '              targetQueue:',
      '                exp: Task.Queue',
      '          - transferToAcd:',
      '              targetQueue:',
      '                lit:',
      '                  name: Sales',
      '          - transferToFlowSecure:',
      '              targetFlow:',
      '                name: Card Payments',
      '          - findQueue:',
      '              findName:',
      '                lit: Support',
      '          - playAudio:',
      '              audio:',
      '                prompt: PromptSystem.beep',
      ''
    ].join('\n')
    expect(referencesOf(text)).toEqual(['queue Sales @12:19', 'flow(secureCall) Card Payments @15:17'])
  })

  it('names the in-queue flow kind of an override from the flow that transfers', () => {
    const text = 'inboundEmail:\n  name: Mail\n  x:\n    - transferToAcd:\n        overrideInQueueFlow:\n          name: Mail Hold\n'
    expect(referencesOf(text, 'inboundEmail')).toEqual(['flow(inqueueEmail) Mail Hold @6:11'])
  })

  it('does not take the flows described under referencedObjects for references', () => {
    const text =
      'inboundCall:\n  name: Main\n  referencedObjects:\n    flows:\n      - flow:\n          name: Other\n          targetFlow:\n            name: Other\n'
    expect(referencesOf(text)).toEqual([])
  })
})
