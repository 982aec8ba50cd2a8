/**
 * The picture of the impact: the changed flows and queues and what uses them, capped to a size a person can read.
 * Pure: it only decides what to draw (see mermaid.ts for how).
 */
import type { ResourceChange } from '../assess/diff.js'
import type { Consumer } from '../assess/impact.js'
import type { Bundle } from '../bundle/bundle.js'
import { formatCount } from './markdown.js'
import type { Graph, GraphEdge, GraphNode } from './mermaid.js'
import { resourceKey, resourceNoun } from './resource-names.js'

/** Most changed resources drawn; the rest are counted in one "and N more" node. */
export const GRAPH_MAX_RESOURCES = 15

/** Most users drawn for one changed resource; the rest are counted in a "+N more" node beside it. */
export const GRAPH_MAX_USERS_PER_RESOURCE = 3

/** Most boxes in all: a graph GitHub draws at a readable size in a comment. */
export const GRAPH_MAX_NODES = 40

/** What uses a changed resource: a consumer the platform reported, or a flow of the bundle that names a queue. */
interface User {
  key: string
  label: string
}

/** What the graph is drawn from. */
export interface ImpactGraphInput {
  resources: readonly ResourceChange[]
  /** `impact.consumers`: the resources that use each changed flow, by flow name. */
  consumers?: Record<string, Consumer[]>
  /** The bundle's flow files, whose `references` of kind `queue` say which flows transfer to which queue. */
  bundle?: Bundle
}

/**
 * The changed resources, most telling first (removed, then those something uses, then modified, then added), each
 * with arrows to what uses it: for a flow, the consumers the platform reported (IVRs, other flows); for a queue, the
 * bundle's flows that transfer to it. A user of several changed resources is one node with several arrows. Capped at
 * GRAPH_MAX_RESOURCES resources, GRAPH_MAX_USERS_PER_RESOURCE users each and GRAPH_MAX_NODES boxes in all, with boxes
 * counting what was left out.
 * Empty when nothing changed.
 */
export function buildImpactGraph(input: ImpactGraphInput): Graph {
  const usersOf = usersByResource(input)
  const ranked = [...input.resources].sort((a, b) => rank(a, usersOf) - rank(b, usersOf))
  const shown = ranked.slice(0, GRAPH_MAX_RESOURCES)
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  const userNodes = new Map<string, string>()
  const resourceNodes = new Map<string, string>()
  const nextId = (): string => `n${nodes.length}`

  for (const resource of shown) {
    const id = nextId()
    resourceNodes.set(resourceKey(resource.group, resource.name), id)
    nodes.push({ id, label: `${resourceNoun(resource.group)} ${resource.name}`, kind: resource.kind })
  }
  // Users are drawn while there is room, keeping one box for the count of resources left out.
  const room = (): number => GRAPH_MAX_NODES - 1 - nodes.length
  for (const resource of shown) {
    const key = resourceKey(resource.group, resource.name)
    const from = resourceNodes.get(key) as string
    const users = usersOf.get(key) ?? []
    let drawn = 0
    for (const user of users) {
      // A user drawn already (a bundle flow that is itself changed, an IVR of two flows) costs an arrow, not a box.
      const existing = resourceNodes.get(user.key) ?? userNodes.get(user.key)
      if (drawn >= GRAPH_MAX_USERS_PER_RESOURCE || (existing === undefined && room() < 2)) break
      let to = existing
      if (to === undefined) {
        to = nextId()
        userNodes.set(user.key, to)
        nodes.push({ id: to, label: user.label, kind: 'consumer' })
      }
      if (to !== from) edges.push({ from, to })
      drawn++
    }
    if (drawn < users.length && room() >= 1) {
      const more = nextId()
      nodes.push({ id: more, label: `+${formatCount(users.length - drawn)} more`, kind: 'more' })
      edges.push({ from, to: more })
    }
  }
  const left = input.resources.length - shown.length
  if (left > 0) nodes.push({ id: nextId(), label: `… and ${formatCount(left)} more changed resource${left === 1 ? '' : 's'}`, kind: 'more' })
  return { nodes, edges }
}

/** Removed first, then resources something uses, then modified, then added. */
function rank(resource: ResourceChange, usersOf: Map<string, User[]>): number {
  if (resource.kind === 'removed') return 0
  if ((usersOf.get(resourceKey(resource.group, resource.name))?.length ?? 0) > 0) return 1
  return resource.kind === 'modified' ? 2 : 3
}

/** The users of each changed resource, by `resourceKey`. */
function usersByResource(input: ImpactGraphInput): Map<string, User[]> {
  const users = new Map<string, User[]>()
  const queueUsers = queueUsersByName(input.bundle)
  for (const resource of input.resources) {
    if (resource.group === 'flows') {
      const consumers = input.consumers && Object.hasOwn(input.consumers, resource.name) ? input.consumers[resource.name] : []
      users.set(
        resourceKey(resource.group, resource.name),
        consumers.map(consumer => ({ key: `consumer:${consumer.id}`, label: `${consumer.name} (${consumer.type})` }))
      )
    } else if (resource.group === 'queues') {
      users.set(resourceKey(resource.group, resource.name), queueUsers.get(resource.name.toLowerCase()) ?? [])
    }
  }
  return users
}

/**
 * The bundle's flows that name each queue (Archy `references` of kind `queue`), by the queue's name in lower case:
 * Genesys Cloud queue names are unique without regard to case. A flow naming a queue twice counts once.
 */
function queueUsersByName(bundle: Bundle | undefined): Map<string, User[]> {
  const byQueue = new Map<string, User[]>()
  for (const file of bundle?.files ?? []) {
    for (const reference of file.references ?? []) {
      if (reference.kind !== 'queue') continue
      const queue = reference.name.toLowerCase()
      const list = byQueue.get(queue) ?? []
      // Keyed like a changed resource, so a flow that is itself changed is drawn once.
      const key = resourceKey('flows', file.flow)
      if (!list.some(user => user.key === key)) list.push({ key, label: `flow ${file.flow}` })
      byQueue.set(queue, list)
    }
  }
  return byQueue
}
