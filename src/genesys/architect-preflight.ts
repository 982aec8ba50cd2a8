/**
 * The architect preflight of everything the bundle names: the queues and flows its manifest lists, and every object
 * its flow files name (`BundleFile.references`: queues, flows, data actions, schedules, schedule groups, prompts,
 * skills). A flow job that names a missing object fails on the platform and is rolled back; the preflight finds them
 * all before any job, in one pass: each distinct name looked up once, all side by side (the HTTP client's rate budget
 * paces them). Flows the bundle itself deploys are not looked up. A kind the OAuth client may not list (403) is a
 * warning naming the permission, not a failed run.
 */
import type { ArchyReference, ArchyReferenceKind, Bundle } from '../bundle/bundle.js'
import { flowsWithoutFile, platformFlowType, type ArchyFlow } from './architect-flows.js'
import { isGenesysStatus, missingPermissions } from './genesys-api-error.js'
import { OBJECT_KINDS, type OrgObjectKind } from './org-object-lookups.js'
import { MAX_PAGES, PAGE_SIZE, sameName, type ListingPages } from './platform-listing.js'

/** How the preflight looks objects up (the driver shares its flow look-ups with the rest of the assessment). */
export interface PreflightLookups {
  /** Flows named exactly `name`, of the platform type `type` when given. */
  flows(name: string, type?: string): Promise<ListingPages<unknown>>
  /** Objects of `kind` named exactly `name`. */
  objects(kind: OrgObjectKind, name: string): Promise<ListingPages<unknown>>
}

/** What the preflight found. */
export interface PreflightResult {
  /** One per missing object, naming it, its kind and where the bundle names it. */
  errors: string[]
  /** Kinds that could not be listed (403), and names too common to confirm. */
  warnings: string[]
  /** Names the platform confirmed, flows first, then queues, then the other kinds. */
  confirmed: string[]
}

/** One object the bundle needs to exist. */
interface Need {
  kind: ArchyReferenceKind
  /** The name as first written. */
  name: string
  /** Archy flow type, for a flow reference that says it. */
  flowType?: string
  /** Where flow files name it. */
  references: ArchyReference[]
  /** Manifest keys that name it (`dependencyMatrix.queues.1`). */
  manifestKeys: string[]
}

type Looked = { need: Need; outcome: 'found' | 'missing' | 'unconfirmed' } | { need: Need; outcome: 'forbidden'; permission: string; endpoint: string }

/** Kinds in the order their findings are reported. */
const KIND_ORDER: readonly ArchyReferenceKind[] = ['flow', 'queue', 'dataAction', 'schedule', 'scheduleGroup', 'prompt', 'skill']

/** Places quoted per object at most; the rest are counted. */
const MAX_PLACES = 5

/** Looks up every object the bundle names and reports the missing ones all at once. Throws only transport / auth failures. */
export async function checkNamedObjects(bundle: Bundle, flows: readonly ArchyFlow[], lookups: PreflightLookups): Promise<PreflightResult> {
  const needs = namedObjects(bundle, flows)
  const settled = await Promise.allSettled(needs.map(need => lookUp(need, lookups)))
  const failure = settled.find(outcome => outcome.status === 'rejected')
  if (failure) throw failure.reason
  const looked = settled.flatMap(outcome => (outcome.status === 'fulfilled' ? [outcome.value] : []))
  return {
    errors: looked.flatMap(result => (result.outcome === 'missing' ? [missingMessage(bundle, result.need)] : [])),
    warnings: [
      ...forbiddenWarnings(bundle, looked),
      ...looked.flatMap(result => (result.outcome === 'unconfirmed' ? [unconfirmedMessage(bundle, result.need)] : []))
    ],
    confirmed: looked.flatMap(result => (result.outcome === 'found' ? [result.need.name] : []))
  }
}

/**
 * The objects to look up, each distinct name once per kind (a flow also per type), in report order: the manifest's
 * external flows and its queues (flow jobs cannot create queues), then what the flow files name, less the flows the
 * bundle deploys itself.
 */
function namedObjects(bundle: Bundle, flows: readonly ArchyFlow[]): Need[] {
  const needs = new Map<string, Need>()
  const need = (kind: ArchyReferenceKind, name: string, flowType?: string): Need => {
    const key = [kind, name.trim().toLowerCase(), kind === 'flow' ? (flowType?.toLowerCase() ?? '') : ''].join('\u0000')
    let found = needs.get(key)
    if (found === undefined) {
      found = { kind, name: name.trim(), ...(kind === 'flow' && flowType !== undefined ? { flowType } : {}), references: [], manifestKeys: [] }
      needs.set(key, found)
    }
    return found
  }
  const matrix = bundle.manifest.dependencyMatrix
  for (const name of flowsThatMustExist(bundle)) need('flow', name).manifestKeys.push(`dependencyMatrix.flows.${matrix?.flows?.indexOf(name) ?? -1}`)
  for (const name of Object.keys(bundle.manifest.targetConfig.queues ?? {})) need('queue', name).manifestKeys.push(`targetConfig.queues.${name}`)
  ;(matrix?.queues ?? []).forEach((name, index) => need('queue', name).manifestKeys.push(`dependencyMatrix.queues.${index}`))
  for (const file of bundle.files) {
    for (const reference of file.references ?? []) {
      if (reference.kind === 'flow' && deployedByBundle(reference, flows)) continue
      need(reference.kind, reference.name, reference.flowType).references.push(reference)
    }
  }
  return [...needs.values()].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
}

/** External flow dependencies, and flows without a file that dependencyMatrix lists: this API cannot create them. */
function flowsThatMustExist(bundle: Bundle): string[] {
  const external = bundle.externalDependencies.filter(dependency => dependency.group === 'flows').map(dependency => dependency.name)
  const listed = bundle.manifest.dependencyMatrix?.flows ?? []
  const listedWithoutFile = flowsWithoutFile(bundle)
    .map(({ key }) => key)
    .filter(key => listed.includes(key))
  return [...new Set([...external, ...listedWithoutFile])]
}

/** A flow the bundle deploys itself, by its Archy name (and type, when the reference says it). */
function deployedByBundle(reference: ArchyReference, flows: readonly ArchyFlow[]): boolean {
  return flows.some(flow => sameName(flow.name, reference.name) && (reference.flowType === undefined || sameName(flow.archyType, reference.flowType)))
}

async function lookUp(need: Need, lookups: PreflightLookups): Promise<Looked> {
  try {
    const listing =
      need.kind === 'flow'
        ? await lookups.flows(need.name, need.flowType === undefined ? undefined : platformFlowType(need.flowType))
        : await lookups.objects(need.kind, need.name)
    if (listing.entities.length > 0) return { need, outcome: 'found' }
    return { need, outcome: listing.complete ? 'missing' : 'unconfirmed' }
  } catch (error) {
    if (!isGenesysStatus(error, 403)) throw error
    const permission = missingPermissions(error.body)[0] ?? OBJECT_KINDS[need.kind].permission
    return { need, outcome: 'forbidden', permission, endpoint: `${error.method} ${error.endpoint}` }
  }
}

function missingMessage(bundle: Bundle, need: Need): string {
  const where = places(bundle, need)
  if (need.kind === 'flow') {
    const type = need.flowType === undefined ? '' : ` of type ${need.flowType}`
    return (
      `Flow \`${need.name}\`${type}${where} does not exist in Genesys Cloud, and the bundle depends on it: publish it first, give it a ` +
      '`file:` under targetConfig.flows so this bundle deploys it, or correct the name.'
    )
  }
  const { noun, createdIn } = OBJECT_KINDS[need.kind]
  return (
    `${capitalized(noun)} \`${need.name}\`${where} does not exist in Genesys Cloud: the architect API deploys flows only, so create the ` +
    `${noun} first (${createdIn}) or correct its name.`
  )
}

function unconfirmedMessage(bundle: Bundle, need: Need): string {
  const { noun } = OBJECT_KINDS[need.kind]
  return (
    `Could not confirm that ${noun} \`${need.name}\`${places(bundle, need)} exists: its name matches more than ${MAX_PAGES * PAGE_SIZE} ` +
    `${noun}s in Genesys Cloud, more than one look-up reads. Check it by hand; a flow job that names a missing ${noun} fails and is rolled back.`
  )
}

/** One warning per kind the OAuth client may not list, naming the permission and the objects left unchecked. */
function forbiddenWarnings(bundle: Bundle, looked: Looked[]): string[] {
  const byKind = new Map<ArchyReferenceKind, Extract<Looked, { outcome: 'forbidden' }>[]>()
  for (const result of looked) {
    if (result.outcome !== 'forbidden') continue
    byKind.set(result.need.kind, [...(byKind.get(result.need.kind) ?? []), result])
  }
  return [...byKind.values()].map(results => {
    const { noun } = OBJECT_KINDS[results[0].need.kind]
    const objects = results.map(({ need }) => `\`${need.name}\`${places(bundle, need)}`).join(', ')
    const { permission, endpoint } = results[0]
    return (
      `Could not check the ${noun}(s) the bundle names (${objects}): the OAuth client lacks \`${permission}\` (${endpoint} answered HTTP 403). ` +
      `Add a role with \`${permission}\` to the OAuth client (Admin > Integrations > OAuth > Roles) to have them checked; until then a ` +
      `missing ${noun} fails its flow job, which is then rolled back.`
    )
  })
}

/** " (bundle.yaml line 9; flows/main.yaml:42, flows/other.yaml:7)": where the manifest and the flow files name it. */
function places(bundle: Bundle, need: Need): string {
  const manifest = need.manifestKeys.flatMap(key => {
    const position = bundle.positions[key]
    return position ? [`${bundle.manifestPath} line ${position.line}`] : []
  })
  const files = [...new Set(need.references.map(reference => `${reference.file}:${reference.line}`))]
  const quoted = files.length > MAX_PLACES ? [...files.slice(0, MAX_PLACES), `${files.length - MAX_PLACES} more`] : files
  const parts = [...new Set(manifest), ...(quoted.length > 0 ? [quoted.join(', ')] : [])]
  return parts.length > 0 ? ` (${parts.join('; ')})` : ''
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
