/**
 * The platform objects an Archy flow names literally, which the architect API's preflight looks up by name before
 * any flow job: queues, other flows, data actions, schedules, schedule groups, user prompts and skills. Only
 * literals count (`lit: {name: …}` and the shorthands Archy accepts); an expression (`exp: …`) or a variable is
 * known only when the flow runs.
 *
 * Shapes, as Genesys' public Archy files write them:
 * - queues: `targetQueue: {lit: {name}}` in `transferToAcd`, `menuTransferToAcd`, a voicemail or error-handling
 *   `queue:`; `updateData` statements `queue: {value: {lit: {name}}}`; `queueVariable` initial values.
 * - flows: `transferToFlow` / `transferToFlowSecure` `targetFlow: {name}` (or `{lit: {name}}`); calls name the flow
 *   as a key: `callBotFlow: {botFlow: {<name>: {ver_latestPublished: …}}}`, likewise `callDigitalBotFlow`
 *   (`digitalBotFlow`) and `callCommonModule` (`commonModule`); an in-queue flow override on a transfer.
 * - data actions: `callData: {category: {<integration>: {dataAction: {<action name>: {inputs…}}}}}`.
 * - schedules: `evaluateSchedule` … `selectedSchedule: {lit: {name}}`; schedule groups `scheduleGroup: {lit: {name}}`.
 * - prompts: a user prompt by name, `Prompt.<name>` (`prompt: Prompt.Welcome`, `holdMusic: {lit: {name: Prompt.Hold}}`);
 *   system prompts (`PromptSystem.…`) always exist and are not listed.
 * - skills: `acdSkills` / `skills` items `{lit: {name}}`. Not `languageSkill`: it names a routing language
 *   (`/api/v2/routing/languages`), not a skill, so a skills look-up would call it missing.
 */
import type { ArchyReference, ArchyReferenceKind, SourcePosition } from '../bundle.js'
import { isMapping } from '../../mapping.js'

/** What each kind of reference is called in messages. */
export const REFERENCE_NOUNS: Readonly<Record<ArchyReferenceKind, string>> = {
  flow: 'flow',
  queue: 'queue',
  dataAction: 'data action',
  schedule: 'schedule',
  scheduleGroup: 'schedule group',
  prompt: 'prompt',
  skill: 'skill'
}

/** The kind a literal `{lit: {name}}` names, by the key it stands under (after `value` / `initialValue`). */
const LITERAL_KIND_BY_KEY: Readonly<Record<string, ArchyReferenceKind>> = {
  targetQueue: 'queue',
  queue: 'queue',
  queueVariable: 'queue',
  targetFlow: 'flow',
  selectedSchedule: 'schedule',
  schedule: 'schedule',
  scheduleVariable: 'schedule',
  selectedScheduleGroup: 'scheduleGroup',
  scheduleGroup: 'scheduleGroup',
  scheduleGroupVariable: 'scheduleGroup',
  acdSkill: 'skill',
  acdSkills: 'skill',
  skill: 'skill',
  skills: 'skill',
  skillVariable: 'skill'
}

/** Keys a literal looks through to find the key that says its kind. */
const WRAPPER_KEYS = new Set(['value', 'initialValue'])

/** Calls that name the called flow as a key of their `<flow kind>` mapping, with the kind. */
const FLOW_CALLS: Readonly<Record<string, { mapping: string; flowType: string }>> = {
  callBotFlow: { mapping: 'botFlow', flowType: 'botFlow' },
  callDigitalBotFlow: { mapping: 'digitalBotFlow', flowType: 'digitalBotFlow' },
  callCommonModule: { mapping: 'commonModule', flowType: 'commonModule' }
}

/** Keys under a call's flow mapping that are Archy syntax, not a flow's name. */
const SYNTAX_KEYS = new Set(['lit', 'exp', 'var', 'noValue'])

/** The in-queue flow kind that serves each inbound kind, for an in-queue flow override on a transfer. */
const IN_QUEUE_KIND_OF: Readonly<Record<string, string>> = {
  inboundCall: 'inqueueCall',
  inqueueCall: 'inqueueCall',
  inboundEmail: 'inqueueEmail',
  inqueueEmail: 'inqueueEmail',
  inboundShortMessage: 'inqueueShortMessage',
  inqueueShortMessage: 'inqueueShortMessage'
}

/** A user prompt named in a literal: `Prompt.Welcome` (system prompts are `PromptSystem.…`). */
const USER_PROMPT = /^Prompt\.(.+)$/

/** What reference extraction needs of a read flow file. */
export interface ReferenceSource {
  /** The flow file's data (after substitution). */
  data: unknown
  /** Its Archy flow kind key (`inboundCall`), when known. */
  flowKind?: string
  /** The workspace-relative file, for the references. */
  file: string
  /** Position of a key by dotted path, in the file on disk. */
  positionAt(dottedPath: string): SourcePosition | undefined
}

/** Every literal reference of the flow, in document order. Walks without recursion; never throws. */
export function archyReferences(flow: ReferenceSource): ArchyReference[] {
  const found: ArchyReference[] = []
  const add = (kind: ArchyReferenceKind, name: unknown, path: readonly (string | number)[], flowType?: string): void => {
    if (typeof name !== 'string' || name.trim() === '') return
    const position = flow.positionAt(path.join('.')) ?? { line: 1, column: 1 }
    found.push({ kind, name, ...(flowType === undefined ? {} : { flowType }), file: flow.file, line: position.line, column: position.column })
  }
  // Depth-first in document order: children pushed in reverse.
  const pending: { node: unknown; path: (string | number)[] }[] = [{ node: flow.data, path: [] }]
  while (pending.length > 0) {
    const { node, path } = pending.pop()!
    if (Array.isArray(node)) {
      for (let index = node.length - 1; index >= 0; index--) pending.push({ node: node[index], path: [...path, index] })
      continue
    }
    if (!isMapping(node)) continue
    const key = path.at(-1)
    if (key === 'referencedObjects' || key === 'exp' || key === 'var') continue
    if (typeof key === 'string' && referencesAt(key, node, path, flow.flowKind, add)) continue
    const entries = Object.entries(node)
    for (let index = entries.length - 1; index >= 0; index--) {
      const [childKey, value] = entries[index]
      if (typeof value === 'string') literalString(childKey, value, [...path, childKey], add)
      else pending.push({ node: value, path: [...path, childKey] })
    }
  }
  return found
}

type Add = (kind: ArchyReferenceKind, name: unknown, path: readonly (string | number)[], flowType?: string) => void

/**
 * References made by the mapping `node` under `key` itself. True when the node is fully handled (a literal), false
 * when its children still need a look.
 */
function referencesAt(key: string, node: Record<string, unknown>, path: (string | number)[], flowKind: string | undefined, add: Add): boolean {
  if (key === 'lit') {
    if (isMapping(node) && typeof node.name === 'string') literalName(node.name, path, add)
    return true
  }
  const call = FLOW_CALLS[key]
  if (call !== undefined && isMapping(node[call.mapping])) {
    for (const name of Object.keys(node[call.mapping] as Record<string, unknown>)) {
      if (!SYNTAX_KEYS.has(name)) add('flow', name, [...path, call.mapping, name], call.flowType)
    }
  }
  if (key === 'callData' && isMapping(node.category)) {
    for (const [integration, settings] of Object.entries(node.category)) {
      if (!isMapping(settings) || !isMapping(settings.dataAction)) continue
      for (const action of Object.keys(settings.dataAction)) {
        if (!SYNTAX_KEYS.has(action)) add('dataAction', action, [...path, 'category', integration, 'dataAction', action])
      }
    }
  }
  if (key === 'targetFlow' && typeof node.name === 'string') {
    // The shorthand `targetFlow: {name: …}`; a secure transfer can only reach a secure call flow.
    add('flow', node.name, [...path, 'name'], path.at(-2) === 'transferToFlowSecure' ? 'secureCall' : undefined)
  }
  if ((key === 'inQueueFlow' || key === 'overrideInQueueFlow') && typeof node.name === 'string') {
    add('flow', node.name, [...path, 'name'], flowKind === undefined ? undefined : IN_QUEUE_KIND_OF[flowKind])
  }
  return false
}

/** `{lit: {name}}` at `path` (ending in `lit`): its kind from the key it stands under. */
function literalName(name: string, path: readonly (string | number)[], add: Add): void {
  const namePath = [...path, 'name']
  const prompt = USER_PROMPT.exec(name)
  if (prompt !== null) {
    add('prompt', prompt[1], namePath)
    return
  }
  let index = path.length - 2
  while (index >= 0 && (typeof path[index] === 'number' || WRAPPER_KEYS.has(String(path[index])))) index--
  const owner = index >= 0 ? String(path[index]) : ''
  const kind = LITERAL_KIND_BY_KEY[owner]
  if (kind === undefined) return
  const flowType = kind === 'flow' && path[index - 1] === 'transferToFlowSecure' ? 'secureCall' : undefined
  add(kind, name, namePath, flowType)
}

/** A string value that is itself a literal reference: `prompt: Prompt.Welcome`. */
function literalString(key: string, value: string, path: readonly (string | number)[], add: Add): void {
  if (key !== 'prompt') return
  const prompt = USER_PROMPT.exec(value)
  if (prompt !== null) add('prompt', prompt[1], path)
}
