/**
 * Realistic Archy flows of every common kind (__tests__/fixtures/archy, shaped like Genesys' public blueprints,
 * some templated with `{{}}`), loaded by the real loader: no false warning, the right platform type and dependency
 * type for each, the objects each names at their lines, and no placeholder left in what would be uploaded.
 */
import { fileURLToPath } from 'node:url'
import type { Bundle } from '../src/bundle/bundle.js'
import { loadBundle } from '../src/bundle/loader.js'
import { archyFlowsOf, dependencyObjectType, platformFlowType } from '../src/genesys/architect-flows.js'

const workspace = fileURLToPath(new URL('./fixtures/archy', import.meta.url))

let bundle: Bundle
beforeAll(async () => {
  const loaded = await loadBundle('bundle.yaml', { workspace, api: 'architect' })
  expect(loaded.findings).toEqual([])
  expect(loaded.api?.api).toBe('architect')
  bundle = loaded.bundle!
})

/** `kind name @line` (with the flow type of a flow reference) for each reference of the flow `key`. */
function referencesOf(key: string): string[] {
  const file = bundle.files.find(candidate => candidate.flow === key)!
  return (file.references ?? []).map(
    reference => `${reference.kind}${reference.flowType ? `(${reference.flowType})` : ''} ${reference.name} @${reference.line}:${reference.column}`
  )
}

describe('realistic Archy flows', () => {
  it('reads each flow kind with the platform type and dependency type the API uses', () => {
    const flows = archyFlowsOf(bundle).map(flow => [
      flow.key,
      flow.archyType,
      flow.name,
      platformFlowType(flow.archyType),
      dependencyObjectType(flow.archyType)
    ])
    expect(flows).toEqual([
      ['greeting-module', 'commonModule', 'Acme Greeting Module', 'commonmodule', 'COMMONMODULEFLOW'],
      ['support-bot', 'botFlow', 'Acme Support Bot', 'bot', 'BOTFLOW'],
      ['chat-bot', 'digitalBotFlow', 'Acme Chat Assistant', 'digitalbot', 'DIGITALBOTFLOW'],
      ['main-ivr', 'inboundCall', 'Acme Main IVR', 'inboundcall', 'INBOUNDCALLFLOW'],
      ['hold', 'inqueueCall', 'Acme Hold', 'inqueuecall', 'INQUEUECALLFLOW'],
      ['callbacks', 'outboundCall', 'Acme Renewal Reminders', 'outboundcall', 'OUTBOUNDCALLFLOW'],
      ['sms', 'inboundShortMessage', 'Acme Insurance SMS', 'inboundshortmessage', 'INBOUNDSHORTMESSAGEFLOW'],
      ['chat', 'inboundChat', 'Acme Web Chat', 'inboundchat', 'INBOUNDCHATFLOW'],
      ['email', 'inboundEmail', 'Acme Claims Email', 'inboundemail', 'INBOUNDEMAILFLOW'],
      ['case-sync', 'workflow', 'Acme Case Sync', 'workflow', 'WORKFLOW']
    ])
  })

  it('uploads the substituted text: no placeholder is left in any file', () => {
    for (const file of bundle.files) expect([file.flow, file.content.includes('{{')]).toEqual([file.flow, false])
    const mainIvr = bundle.files.find(file => file.flow === 'main-ivr')!.content
    expect(mainIvr).toContain('tts: "Welcome to Acme Insurance: your calls are recorded"')
    expect(mainIvr).toContain('lit: 3')
  })

  it('lists the objects the inbound call flow names, at their lines in the file on disk', () => {
    expect(referencesOf('main-ivr')).toEqual([
      'queue Acme Overflow @24:13',
      'flow(commonModule) Acme Greeting Module @33:17',
      'schedule Acme Office Hours @44:23',
      'flow Acme After Hours @59:27',
      'scheduleGroup Acme UK Sites @66:19',
      // Substituted names keep the position of their placeholder.
      'queue Acme Sales @84:19',
      // `languageSkill: {lit: {name: English}}` at 87 names a routing language, not a skill: not a skill look-up.
      'dataAction Look up policy holder @101:29',
      'queue Acme Support @118:33',
      'skill Claims @126:31',
      'prompt AcmeTransfer @128:25'
    ])
  })

  it('lists the objects the other kinds name, and nothing for a runtime look-up or a system prompt', () => {
    expect(referencesOf('greeting-module')).toEqual(['prompt AcmeWelcome @26:17'])
    expect(referencesOf('support-bot')).toEqual([])
    expect(referencesOf('chat-bot')).toEqual([])
    expect(referencesOf('hold')).toEqual(['prompt AcmeHoldMusic @13:9', 'queue Acme Voicemail @36:17'])
    expect(referencesOf('callbacks')).toEqual(['queue Acme Renewals @28:19'])
    expect(referencesOf('sms')).toEqual(['flow(botFlow) Acme Support Bot @33:17', 'queue Acme Messaging @48:19'])
    expect(referencesOf('chat')).toEqual(['flow(digitalBotFlow) Acme Chat Assistant @18:17', 'queue Acme Chat @25:19'])
    expect(referencesOf('email')).toEqual(['dataAction Classify claim email @29:21', 'queue Acme Claims Email @44:19'])
    expect(referencesOf('case-sync')).toEqual(['dataAction Update case @34:21'])
  })

  it('points every reference at the workspace-relative flow file', () => {
    for (const file of bundle.files) {
      for (const reference of file.references ?? []) expect(reference.file).toBe(file.path)
    }
  })
})
