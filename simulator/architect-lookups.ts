import { stableId } from './architect-org.js'
import { missingPermission, paged } from './architect-paging.js'
import type { Route, RouteRequest, RouteResponse } from './router.js'
import type { SimulatedOperation } from './scenario.js'

/**
 * The listings of the objects Archy flows name, which the architect preflight looks up by name: queues
 * (`QueueEntityListing`), data actions (`ActionEntityListing`), schedules (`ScheduleEntityListing`), schedule groups
 * (`ScheduleGroupEntityListing`), prompts (`PromptEntityListing`) and skills (`SkillEntityListing`), seeded from the
 * scenario's `existingResources` (`queues`, `dataActions`, `schedules`, `scheduleGroups`, `prompts`, `skills`). Each
 * `name` filter matches as the platform documents it (the SDK's parameter descriptions): queues a whole name with `*`
 * wildcards, skills a prefix, data actions part of a name; for schedules, schedule groups and prompts, which document
 * no exactness, part of a name, so that a client must compare whole names itself. A kind whose permission the
 * scenario's `missingPermissions` lists answers 403 `missing.permissions`.
 */

/** How one listing finds its objects and shows them. */
interface Listing {
  path: string
  operation: SimulatedOperation
  /** `existingResources` group its objects come from. */
  group: string
  /** What its ids are derived from, with the name (ids stay the same for a name across requests). */
  idKind: string
  /** The permission the platform requires for the listing. */
  permission: string
  match: (name: string, filter: string) => boolean
  view: (name: string, id: string) => Record<string, unknown>
}

const HOME_DIVISION = { id: 'home-division', name: 'Home', selfUri: '/api/v2/authorization/divisions/home-division' }

const LISTINGS: readonly Listing[] = [
  {
    path: '/api/v2/routing/queues',
    operation: 'queues',
    group: 'queues',
    idKind: 'queue',
    permission: 'routing:queue:view',
    match: wholeNameWithWildcards,
    view: (name, id) => ({ id, name, division: HOME_DIVISION, memberCount: 0, selfUri: `/api/v2/routing/queues/${id}` })
  },
  {
    path: '/api/v2/integrations/actions',
    operation: 'dataActions',
    group: 'dataActions',
    idKind: 'dataAction',
    permission: 'integrations:action:view',
    match: partOfName,
    view: (name, id) => ({
      id,
      name,
      category: 'Web Services Data Actions',
      integrationId: stableId('integration:web-services'),
      secure: false,
      version: 1,
      selfUri: `/api/v2/integrations/actions/${id}`
    })
  },
  {
    path: '/api/v2/architect/schedules',
    operation: 'schedules',
    group: 'schedules',
    idKind: 'schedule',
    permission: 'architect:schedule:view',
    match: partOfName,
    view: (name, id) => ({
      id,
      name,
      division: HOME_DIVISION,
      start: '2026-01-05T08:00:00.000',
      end: '2026-01-05T18:00:00.000',
      rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
      state: 'active',
      version: 1,
      selfUri: `/api/v2/architect/schedules/${id}`
    })
  },
  {
    path: '/api/v2/architect/schedulegroups',
    operation: 'scheduleGroups',
    group: 'scheduleGroups',
    idKind: 'scheduleGroup',
    permission: 'architect:scheduleGroup:view',
    match: partOfName,
    view: (name, id) => ({
      id,
      name,
      division: HOME_DIVISION,
      timeZone: 'America/New_York',
      openSchedules: [],
      closedSchedules: [],
      holidaySchedules: [],
      state: 'active',
      version: 1,
      selfUri: `/api/v2/architect/schedulegroups/${id}`
    })
  },
  {
    path: '/api/v2/architect/prompts',
    operation: 'prompts',
    group: 'prompts',
    idKind: 'prompt',
    permission: 'architect:userPrompt:view',
    match: partOfName,
    view: (name, id) => ({ id, name, description: '', resources: [], selfUri: `/api/v2/architect/prompts/${id}` })
  },
  {
    path: '/api/v2/routing/skills',
    operation: 'skills',
    group: 'skills',
    idKind: 'skill',
    permission: 'routing:skill:view',
    match: prefixOfName,
    view: (name, id) => ({ id, name, state: 'active', version: 1, dateModified: '2026-01-05T08:00:00.000Z', selfUri: `/api/v2/routing/skills/${id}` })
  }
]

/** The lookup listings as routes (they read the scenario only, so the org need not be synced). */
export function lookupRoutes(): Route[] {
  return LISTINGS.map(listing => ({
    method: 'GET',
    pattern: listing.path,
    operation: listing.operation,
    auth: 'bearer',
    handle: request => list(listing, request)
  }))
}

function list(listing: Listing, request: RouteRequest): RouteResponse {
  const refused = missingPermission(request, listing.permission)
  if (refused) return refused
  // Prompts take `name` repeated (the SDK sends an array); any of them matches.
  const filters = request.query.getAll('name')
  const objects = (request.scenario.existingResources[listing.group] ?? [])
    .filter(name => filters.length === 0 || filters.some(filter => listing.match(name, filter)))
    .map(name => listing.view(name, stableId(`${listing.idKind}:${name}`)))
  return paged(objects, request, listing.path)
}

/** A whole name, ignoring case, with a leading or trailing `*` as a wildcard (the queue listing's filter). */
function wholeNameWithWildcards(name: string, filter: string): boolean {
  const pattern = filter.trim().toLowerCase()
  const value = name.toLowerCase()
  const core = pattern.replace(/^\*/, '').replace(/\*$/, '')
  if (pattern.startsWith('*') && pattern.endsWith('*') && pattern.length > 1) return value.includes(core)
  if (pattern.startsWith('*')) return value.endsWith(core)
  if (pattern.endsWith('*')) return value.startsWith(core)
  return value === pattern
}

function partOfName(name: string, filter: string): boolean {
  return name.toLowerCase().includes(filter.trim().toLowerCase())
}

function prefixOfName(name: string, filter: string): boolean {
  return name.toLowerCase().startsWith(filter.trim().toLowerCase())
}
