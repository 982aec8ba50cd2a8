/**
 * The Archy flow kinds: the top-level key an Archy flow file starts with, and what the Platform API calls the same
 * kind. One table, so that the listing `type` (`GET /api/v2/flows?type=`), the flow's `Flow.type` in answers and the
 * dependency-tracking `objectType` never drift from the key Archy reads.
 *
 * Sources: the keys as Genesys' own public Archy files write them (the CX-as-Code and Terraform provider examples:
 * `inboundCall`, `inboundEmail`, `inboundShortMessage`, `inqueueCall` with a lower-case q, `outboundCall`,
 * `workflow`, `workitem`, `botFlow`, `commonModule`); the platform values from the official SDK's documentation of
 * `getFlows` (`type`) and `getArchitectDependencytrackingConsumingresources` (`objectType`), which a test checks
 * every row against.
 */

/** One kind of Archy flow. */
export interface ArchyFlowKind {
  /** The flow file's top-level key, exactly as Archy spells it (`inqueueCall`). */
  key: string
  /** `GET /api/v2/flows?type=` value (`inqueuecall`); `Flow.type` in answers is the same in upper case. */
  platformType: string
  /** Dependency tracking object type (`INQUEUECALLFLOW`): `consumingresources?objectType=`. */
  objectType: string
  /** What people call it, for messages (`in-queue call flow`). */
  label: string
}

/** Every flow kind Archy deploys, by its key. */
export const ARCHY_FLOW_KINDS: readonly ArchyFlowKind[] = [
  { key: 'inboundCall', platformType: 'inboundcall', objectType: 'INBOUNDCALLFLOW', label: 'inbound call flow' },
  { key: 'inboundChat', platformType: 'inboundchat', objectType: 'INBOUNDCHATFLOW', label: 'inbound chat flow' },
  { key: 'inboundEmail', platformType: 'inboundemail', objectType: 'INBOUNDEMAILFLOW', label: 'inbound email flow' },
  { key: 'inboundShortMessage', platformType: 'inboundshortmessage', objectType: 'INBOUNDSHORTMESSAGEFLOW', label: 'inbound message flow' },
  { key: 'inqueueCall', platformType: 'inqueuecall', objectType: 'INQUEUECALLFLOW', label: 'in-queue call flow' },
  { key: 'inqueueEmail', platformType: 'inqueueemail', objectType: 'INQUEUEEMAILFLOW', label: 'in-queue email flow' },
  { key: 'inqueueShortMessage', platformType: 'inqueueshortmessage', objectType: 'INQUEUESHORTMESSAGEFLOW', label: 'in-queue message flow' },
  { key: 'outboundCall', platformType: 'outboundcall', objectType: 'OUTBOUNDCALLFLOW', label: 'outbound call flow' },
  { key: 'secureCall', platformType: 'securecall', objectType: 'SECURECALLFLOW', label: 'secure call flow' },
  { key: 'surveyInvite', platformType: 'surveyinvite', objectType: 'SURVEYINVITEFLOW', label: 'survey invite flow' },
  { key: 'voiceSurvey', platformType: 'voicesurvey', objectType: 'VOICESURVEYFLOW', label: 'voice survey flow' },
  { key: 'voicemail', platformType: 'voicemail', objectType: 'VOICEMAILFLOW', label: 'voicemail flow' },
  { key: 'workflow', platformType: 'workflow', objectType: 'WORKFLOW', label: 'workflow' },
  { key: 'workitem', platformType: 'workitem', objectType: 'WORKITEMFLOW', label: 'workitem flow' },
  // Archy's key says "flow"; the platform's type does not (`bot`, `BOTFLOW`).
  { key: 'botFlow', platformType: 'bot', objectType: 'BOTFLOW', label: 'bot flow' },
  { key: 'digitalBotFlow', platformType: 'digitalbot', objectType: 'DIGITALBOTFLOW', label: 'digital bot flow' },
  { key: 'commonModule', platformType: 'commonmodule', objectType: 'COMMONMODULEFLOW', label: 'common module' }
]

const BY_KEY = new Map(ARCHY_FLOW_KINDS.map(kind => [kind.key, kind]))
/** Case-blind index: for platform answers (`INQUEUECALL`) and names written with another case. */
const BY_FOLDED_NAME = new Map<string, ArchyFlowKind>(
  ARCHY_FLOW_KINDS.flatMap(kind => [
    [kind.key.toLowerCase(), kind],
    [kind.platformType, kind]
  ])
)

/** The Archy keys, for messages ("one of inboundCall, ..."). */
export const ARCHY_FLOW_KEYS: readonly string[] = ARCHY_FLOW_KINDS.map(kind => kind.key)

/**
 * The kind whose Archy key is exactly `key`. Archy reads its keys as written, so `inQueueCall` is not `inqueueCall`:
 * see {@link archyFlowKindIgnoringCase} for the kind a miscased key meant.
 */
export function archyFlowKind(key: string): ArchyFlowKind | undefined {
  return BY_KEY.get(key)
}

/**
 * The kind `name` names whatever its case: an Archy key (`inQueueCall`), a listing type (`inqueuecall`) or a
 * `Flow.type` from an answer (`INQUEUECALL`).
 */
export function archyFlowKindIgnoringCase(name: string): ArchyFlowKind | undefined {
  return BY_FOLDED_NAME.get(name.toLowerCase())
}

/**
 * The flow type as `GET /api/v2/flows?type=` takes it (`botFlow` → `bot`). The loader has already required a known
 * key, so an unknown one here is a mistake of the caller: it throws rather than guess a type the platform would
 * answer with an empty listing.
 */
export function platformFlowType(archyType: string): string {
  return requireKind(archyType).platformType
}

/** The dependency-tracking object type of a flow kind (`botFlow` → `BOTFLOW`, `workflow` → `WORKFLOW`). */
export function dependencyObjectType(archyType: string): string {
  return requireKind(archyType).objectType
}

function requireKind(archyType: string): ArchyFlowKind {
  const kind = archyFlowKindIgnoringCase(archyType)
  if (kind === undefined) {
    throw new Error(`\`${archyType.slice(0, 60)}\` is not an Archy flow kind; use one of ${ARCHY_FLOW_KEYS.join(', ')} as the flow file's top-level key.`)
  }
  return kind
}
