/**
 * Look-ups by name of the objects an Archy flow names besides flows: queues, data actions, schedules, schedule groups,
 * prompts and skills, each through its listing as the official SDK calls it (RoutingApi `getRoutingQueues`,
 * IntegrationsApi `getIntegrationsActions`, ArchitectApi `getArchitectSchedules` / `getArchitectSchedulegroups` /
 * `getArchitectPrompts`, RoutingApi `getRoutingSkills`, each with its `name` query parameter). The platform's name
 * filters are not exact (queues allow `*` wildcards, skills match a prefix, data actions part of a name, the others
 * say nothing), so every page is read (up to MAX_PAGES) and only whole names, compared as the platform compares them,
 * come back.
 */
import type { ArchyReferenceKind } from '../bundle/bundle.js'
import { REFERENCE_NOUNS } from '../bundle/archy.js'
import type { GenesysRequester } from './http-client.js'
import { NamedEntitySchema, readPages, sameName, type ListingPages } from './platform-listing.js'

/** The kinds of objects a flow names that are not flows. */
export type OrgObjectKind = Exclude<ArchyReferenceKind, 'flow'>

/** An object found by name. */
export interface PlatformObject {
  id: string
  name: string
}

/** How to list one kind of object, and what to tell an admin about it. */
export interface ObjectKindFacts {
  /** The listing's path; it takes `name`, `pageNumber` and `pageSize`. */
  path: string
  /** The permission the OAuth client needs to list it. */
  permission: string
  /** What messages call one (`queue`, `data action`). */
  noun: string
  /** Where in Genesys Cloud an admin creates one. */
  createdIn: string
}

/** Every kind a flow can name, the flows included, with its listing and permission. */
export const OBJECT_KINDS: Readonly<Record<ArchyReferenceKind, ObjectKindFacts>> = {
  flow: { path: '/api/v2/flows', permission: 'architect:flow:view', noun: REFERENCE_NOUNS.flow, createdIn: 'Architect' },
  queue: { path: '/api/v2/routing/queues', permission: 'routing:queue:view', noun: REFERENCE_NOUNS.queue, createdIn: 'Admin > Contact Center > Queues' },
  dataAction: {
    path: '/api/v2/integrations/actions',
    permission: 'integrations:action:view',
    noun: REFERENCE_NOUNS.dataAction,
    createdIn: 'Admin > Integrations > Actions'
  },
  schedule: {
    path: '/api/v2/architect/schedules',
    permission: 'architect:schedule:view',
    noun: REFERENCE_NOUNS.schedule,
    createdIn: 'Architect > Scheduling > Schedules'
  },
  scheduleGroup: {
    path: '/api/v2/architect/schedulegroups',
    permission: 'architect:scheduleGroup:view',
    noun: REFERENCE_NOUNS.scheduleGroup,
    createdIn: 'Architect > Scheduling > Schedule Groups'
  },
  prompt: {
    path: '/api/v2/architect/prompts',
    permission: 'architect:userPrompt:view',
    noun: REFERENCE_NOUNS.prompt,
    createdIn: 'Architect > Prompts > User Prompts'
  },
  skill: { path: '/api/v2/routing/skills', permission: 'routing:skill:view', noun: REFERENCE_NOUNS.skill, createdIn: 'Admin > Routing > Skills' }
}

/** The look-ups over one Genesys client. */
export class OrgObjectLookups {
  constructor(private readonly client: GenesysRequester) {}

  /** The objects of `kind` named exactly `name` (ignoring case, as the platform does), and whether every page was read. */
  async find(kind: OrgObjectKind, name: string): Promise<ListingPages<PlatformObject>> {
    const facts = OBJECT_KINDS[kind]
    const listing = await readPages(this.client, facts.path, { name }, NamedEntitySchema, `${facts.noun} listing`)
    return { entities: listing.entities.filter(entity => sameName(entity.name, name)), complete: listing.complete }
  }
}
