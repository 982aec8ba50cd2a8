/**
 * The bundle's Archy flow files as the architect API deploys them: the substituted text that is uploaded (the
 * loader filled the placeholders and checked exactly that text), the parsed document the diff compares, the flow's
 * type and platform name, which other bundle flows it references, and the order the flows deploy in. Pure: works
 * on the loaded bundle only. What Archy itself is (flow kinds, their platform types) lives in `bundle/archy.ts`.
 */
import type { Bundle, BundleFile } from '../bundle/bundle.js'
import { readYamlSource } from '../bundle/yaml-source.js'
import { isMapping } from '../mapping.js'

export { dependencyObjectType, platformFlowType } from '../bundle/archy.js'

/** One `targetConfig.flows` entry with a `file:`, ready to deploy. */
export interface ArchyFlow {
  /** Key under `targetConfig.flows` (`after-hours`). */
  key: string
  /** The file as the manifest names it (`flows/after-hours.yaml`). */
  file: string
  /** The document's top-level key, as Archy spells it (`inboundCall`). */
  archyType: string
  /** The flow's name on the platform (the `name` under the type key). */
  name: string
  /** The text uploaded to the flow job: the file with its `{{placeholders}}` filled (as the loader checked it). */
  yaml: string
  /** The filled text parsed. */
  document: Record<string, unknown>
}

/** A `targetConfig.flows` entry without `file:`: the architect API cannot deploy it. */
export interface FlowWithoutFile {
  key: string
}

/** The deploy order of the bundle's Archy flows and what each waits for. */
export interface FlowDeploymentOrder {
  /** Flow keys, dependencies first; ties keep the manifest's order. */
  order: string[]
  /** For each flow key, the bundle flows that must be published before it starts. */
  waitsFor: Record<string, string[]>
  /** Groups of flows that reference each other; they deploy one after the other in `order`. */
  cycles: string[][]
}

/** Every flow of the bundle with a `file:`, in manifest order, parsed. */
export function archyFlowsOf(bundle: Bundle): ArchyFlow[] {
  return bundle.files.map(file => readArchyFlow(file))
}

/** The `targetConfig.flows` entries that name no file, in manifest order. */
export function flowsWithoutFile(bundle: Bundle): FlowWithoutFile[] {
  return Object.entries(bundle.manifest.targetConfig.flows ?? {})
    .filter(([, entry]) => entry.file === undefined)
    .map(([key]) => ({ key }))
}

/**
 * One flow file as it will be deployed: its content is already the substituted text the loader checked (the same
 * text is uploaded), parsed here. Throws an instruction naming the file when it is not one Archy flow; the loader
 * reports that before any request, so this only happens for a bundle built by hand.
 */
export function readArchyFlow(file: BundleFile): ArchyFlow {
  const shapeProblem =
    `Flow file ${file.path} (flow \`${file.flow}\`) must hold one Archy flow: a single flow-type key with ` + '`name: …` under it (e.g. `inboundCall:`).'
  const read = readYamlSource(file.content, file.path, { format: 'YAML' })
  const error = read.findings.find(finding => finding.severity === 'error')
  if (error !== undefined) {
    throw new Error(`Flow file ${file.path} (flow \`${file.flow}\`) is not valid YAML: line ${error.line ?? 1}: ${error.message} Fix the file.`)
  }
  const document = read.data
  if (!isMapping(document)) throw new Error(shapeProblem)
  const keys = Object.keys(document)
  const settings = keys.length === 1 ? document[keys[0]] : undefined
  const name = isMapping(settings) ? settings.name : undefined
  if (typeof name !== 'string' && typeof name !== 'number') throw new Error(shapeProblem)
  return { key: file.flow, file: file.path, archyType: keys[0], name: String(name).trim(), yaml: file.content, document }
}

/**
 * The other bundle flows `flow` references: a bundle flow's platform name appearing as a key or a text value
 * anywhere in the document (Archy names a target flow by its name: `targetFlow: {name: …}`, common modules as
 * keys). The flow's own `name` does not count. Such a flow must be published first.
 */
function referencedFlows(flow: ArchyFlow, others: readonly ArchyFlow[]): string[] {
  const mentioned = new Set<string>()
  collectTexts(flow.document[flow.archyType], mentioned, true)
  return others.filter(other => other.key !== flow.key && mentioned.has(other.name)).map(other => other.key)
}

/**
 * The deploy order: a flow after the bundle flows it references; among flows free to go, those listed in
 * `dependencyMatrix.flows` first in that order, then the others in manifest order. Flows that reference each
 * other (a main menu and an after-hours flow that transfer to one another) cannot both go first: they go one
 * after the other in that same order, and the loop is reported.
 */
export function flowDeploymentOrder(flows: readonly ArchyFlow[], listedOrder: readonly string[] = []): FlowDeploymentOrder {
  const rank = (flow: ArchyFlow): number => {
    const listed = listedOrder.indexOf(flow.key)
    return listed === -1 ? listedOrder.length + flows.indexOf(flow) : listed
  }
  const byPreference = [...flows].sort((a, b) => rank(a) - rank(b))
  const references = new Map(flows.map(flow => [flow.key, referencedFlows(flow, flows)]))
  const placed = new Set<string>()
  const order: string[] = []
  const forcedOut: string[] = []
  while (order.length < flows.length) {
    const remaining = byPreference.filter(flow => !placed.has(flow.key))
    const ready = remaining.find(flow => (references.get(flow.key) ?? []).every(key => placed.has(key)))
    // Only a loop leaves no flow ready: break it at the most preferred flow.
    const next = ready ?? remaining[0]
    if (!ready) forcedOut.push(next.key)
    placed.add(next.key)
    order.push(next.key)
  }
  const position = new Map(order.map((key, index) => [key, index]))
  const waitsFor = Object.fromEntries(order.map(key => [key, (references.get(key) ?? []).filter(dependency => position.get(dependency)! < position.get(key)!)]))
  return { order, waitsFor, cycles: forcedOut.map(key => loopThrough(key, references)) }
}

/** The flows on a reference loop through `start`, `start` first. */
function loopThrough(start: string, references: ReadonlyMap<string, string[]>): string[] {
  const visit = (key: string, trail: string[]): string[] | undefined => {
    for (const next of references.get(key) ?? []) {
      if (next === start) return [...trail, key]
      if (trail.includes(next) || next === key) continue
      const found = visit(next, [...trail, key])
      if (found) return found
    }
    return undefined
  }
  return visit(start, []) ?? [start]
}

/** Every key and text value under `node`; the `name` right under the flow type is the flow's own name, not a reference. */
function collectTexts(node: unknown, into: Set<string>, isFlowSettings = false): void {
  if (typeof node === 'string') {
    into.add(node.trim())
  } else if (Array.isArray(node)) {
    for (const item of node) collectTexts(item, into)
  } else if (isMapping(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (isFlowSettings && key === 'name') continue
      into.add(key.trim())
      collectTexts(value, into)
    }
  }
}
