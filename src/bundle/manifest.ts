import { z } from 'zod'

/**
 * The bundle manifest: the deployment payload of the bundle API, kept in the repository.
 * Keys are exactly the payload's (see the README's "Bundle manifest"); unknown keys are errors,
 * so that a typo (`qeues`) is caught before anything is sent.
 */

/**
 * The bundle's id: a URL path segment of the bundle API (`/bundles/{bundleId}/deploy`), so no slashes or spaces.
 */
const bundleIdentifier = z
  .string()
  .min(1)
  .regex(/^[^./\s]+$/, 'use a name without dots, slashes or spaces')

/**
 * A flow or queue name. Genesys names often hold spaces ("Sales Inbound"); diff paths bracket names that need it
 * and URLs encode them, so any non-empty text will do.
 */
const resourceName = z.string().min(1)

/** One flow's configuration. `file` points at an Archy flow YAML (architect API). */
export const FlowEntrySchema = z
  .object({
    file: z.string().min(1).optional()
  })
  .catchall(z.unknown())

/** One queue's configuration (free-form settings passed to the platform). */
export const QueueEntrySchema = z.object({}).catchall(z.unknown())

export const CapacityConstraintsSchema = z.strictObject({
  maxFlowCount: z.number().int().nonnegative().optional(),
  maxQueueCount: z.number().int().nonnegative().optional()
})

export const DependencyMatrixSchema = z.strictObject({
  flows: z.array(resourceName).optional(),
  queues: z.array(resourceName).optional(),
  order: z.array(z.string()).optional()
})

export const TargetConfigSchema = z.strictObject({
  flows: z.record(resourceName, FlowEntrySchema).optional(),
  queues: z.record(resourceName, QueueEntrySchema).optional()
})

export const ManifestSchema = z.strictObject({
  bundleId: bundleIdentifier,
  environmentId: z.string().min(1).optional(),
  overrideValidation: z.boolean().optional(),
  rollbackOnFailure: z.boolean().optional(),
  capacityConstraints: CapacityConstraintsSchema.optional(),
  dependencyMatrix: DependencyMatrixSchema.optional(),
  targetConfig: TargetConfigSchema,
  substitutions: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional()
})

export type FlowEntry = z.infer<typeof FlowEntrySchema>
export type QueueEntry = z.infer<typeof QueueEntrySchema>
export type DependencyMatrix = z.infer<typeof DependencyMatrixSchema>
export type TargetConfig = z.infer<typeof TargetConfigSchema>
export type Manifest = z.infer<typeof ManifestSchema>

/** Resource groups a bundle can hold; `dependencyMatrix.order` names these. */
export const RESOURCE_GROUPS = ['flows', 'queues'] as const
export type ResourceGroup = (typeof RESOURCE_GROUPS)[number]
