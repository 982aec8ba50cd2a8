import { parse } from 'yaml'
import type { SimulatedFlowSeed } from './scenario.js'

/**
 * What the simulated platform reads of an Archy flow file: the flow types it knows, the flow's name and type, and the
 * queues it names literally (a publish refuses a queue the org does not have). The platform's own reading, kept
 * small and apart from the action's Archy knowledge, so that the simulator checks the action rather than echoes it.
 */

/**
 * The flow types Archy and the platform know, by `Flow.type` (upper case): Archy's spelling of the type key and
 * the dependency-tracking object type (the SDK's `Dependency.type`).
 */
const FLOW_TYPES: Readonly<Record<string, { archy: string; dependency: string }>> = {
  BOT: { archy: 'botFlow', dependency: 'BOTFLOW' },
  COMMONMODULE: { archy: 'commonModule', dependency: 'COMMONMODULEFLOW' },
  DIGITALBOT: { archy: 'digitalBotFlow', dependency: 'DIGITALBOTFLOW' },
  INBOUNDCALL: { archy: 'inboundCall', dependency: 'INBOUNDCALLFLOW' },
  INBOUNDCHAT: { archy: 'inboundChat', dependency: 'INBOUNDCHATFLOW' },
  INBOUNDEMAIL: { archy: 'inboundEmail', dependency: 'INBOUNDEMAILFLOW' },
  INBOUNDSHORTMESSAGE: { archy: 'inboundShortMessage', dependency: 'INBOUNDSHORTMESSAGEFLOW' },
  INQUEUECALL: { archy: 'inqueueCall', dependency: 'INQUEUECALLFLOW' },
  INQUEUEEMAIL: { archy: 'inqueueEmail', dependency: 'INQUEUEEMAILFLOW' },
  INQUEUESHORTMESSAGE: { archy: 'inqueueShortMessage', dependency: 'INQUEUESHORTMESSAGEFLOW' },
  OUTBOUNDCALL: { archy: 'outboundCall', dependency: 'OUTBOUNDCALLFLOW' },
  SECURECALL: { archy: 'secureCall', dependency: 'SECURECALLFLOW' },
  SURVEYINVITE: { archy: 'surveyInvite', dependency: 'SURVEYINVITEFLOW' },
  VOICE: { archy: 'voice', dependency: 'VOICEFLOW' },
  VOICEMAIL: { archy: 'voicemail', dependency: 'VOICEMAILFLOW' },
  VOICESURVEY: { archy: 'voiceSurvey', dependency: 'VOICESURVEYFLOW' },
  WORKFLOW: { archy: 'workflow', dependency: 'WORKFLOW' },
  WORKITEM: { archy: 'workitem', dependency: 'WORKITEMFLOW' }
}

/** The dependency-tracking object type of a flow type (`INBOUNDCALL` → `INBOUNDCALLFLOW`), if the type is known. */
export function dependencyTypeOf(flowType: string): string | undefined {
  return FLOW_TYPES[flowType.toUpperCase()]?.dependency
}

/** What the simulated publish reads of an uploaded flow file. */
export interface ReadFlowFile {
  name: string
  /** Upper case, as `Flow.type`. */
  type: string
  /** Queues the flow names literally, which must exist for it to publish. */
  queues: string[]
}

/** The flow an uploaded file describes, or what Archy would say is wrong with it. */
export function readFlowFile(yaml: string): ReadFlowFile | { problem: string } {
  let document: unknown
  try {
    document = parse(yaml)
  } catch (error) {
    return { problem: `Archy could not read the flow file: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}` }
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document) || Object.keys(document).length !== 1) {
    return { problem: 'Archy expects one flow in the file: a single top-level flow type key such as inboundCall.' }
  }
  const [type] = Object.keys(document)
  const platformType = platformTypeOfArchyKey(type)
  if (platformType === undefined) return { problem: `Archy does not know the flow type '${type}'.` }
  const settings = (document as Record<string, unknown>)[type]
  const name = typeof settings === 'object' && settings !== null ? (settings as Record<string, unknown>).name : undefined
  if (typeof name !== 'string' || name.trim() === '') return { problem: `The ${type} flow in the file has no name.` }
  return { name: name.trim(), type: platformType, queues: [...new Set(literalQueueNames(settings))] }
}

/** `Flow.type` of an Archy type key (`botFlow` → `BOT`), compared without case. */
function platformTypeOfArchyKey(key: string): string | undefined {
  return Object.entries(FLOW_TYPES).find(([, kind]) => kind.archy.toLowerCase() === key.toLowerCase())?.[0]
}

/**
 * The queue names a flow document gives literally: `targetQueue` / `queue` (any key ending in `Queue`) holding
 * `{lit: {name: …}}`, as Archy writes a transfer to ACD. The simulated platform's own reading, kept small: enough to
 * refuse a flow that names a queue the org does not have.
 */
function literalQueueNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(literalQueueNames)
  if (typeof node !== 'object' || node === null) return []
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => {
    const literal = /(^q|Q)ueue$/.test(key) && typeof value === 'object' && value !== null ? (value as Record<string, unknown>).lit : undefined
    const name = typeof literal === 'object' && literal !== null ? (literal as Record<string, unknown>).name : undefined
    return typeof name === 'string' && name.trim() !== '' ? [name.trim()] : literalQueueNames(value)
  })
}

/** The Archy YAML of a seeded flow that gives none: a minimal document of its type and name. */
export function minimalFlowYaml(seed: SimulatedFlowSeed): string {
  const type = FLOW_TYPES[seed.type.toUpperCase()]?.archy ?? seed.type
  return `${type}:\n  name: ${JSON.stringify(seed.name)}\n  division: Home\n  defaultLanguage: en-us\n`
}
