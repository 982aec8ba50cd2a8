import { z } from 'zod'
import { isMapping } from '../mapping.js'

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

/** One flow's configuration: a mapping of settings; `file`, when there, points at an Archy flow YAML (architect API). */
export interface FlowEntry {
  file?: string
  [setting: string]: unknown
}

/** One queue's configuration (free-form settings passed to the platform). */
export type QueueEntry = Record<string, unknown>

/**
 * A resource entry: a mapping, checked where it is instead of copied as `z.object` would copy it, so that the
 * manifest keeps the very objects that were read (and, with them, the text each was read from, which lets the diff
 * compare unchanged resources by text: source-text.ts). The issues are those `z.object` gives, at the same paths.
 */
function resourceEntry<T extends Record<string, unknown>>(checkSettings: (entry: Record<string, unknown>, context: z.RefinementCtx) => void) {
  return z
    .custom<T>(() => true)
    .superRefine((entry, context) => {
      if (!isMapping(entry)) context.addIssue({ code: 'invalid_type', expected: 'object', input: entry, message: 'expected a mapping' })
      else checkSettings(entry, context)
    })
}

/** A flow's `file`, when it has one. */
const FlowFileSchema = z.string().min(1).optional()

export const FlowEntrySchema = resourceEntry<FlowEntry>((entry, context) => {
  const file = FlowFileSchema.safeParse(entry.file)
  if (!file.success) for (const issue of file.error.issues) context.addIssue({ ...issue, path: ['file', ...issue.path] })
})

export const QueueEntrySchema = resourceEntry<QueueEntry>(() => undefined)

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

export type DependencyMatrix = z.infer<typeof DependencyMatrixSchema>
export type TargetConfig = z.infer<typeof TargetConfigSchema>
export type Manifest = z.infer<typeof ManifestSchema>

/** Resource groups a bundle can hold; `dependencyMatrix.order` names these. */
export const RESOURCE_GROUPS = ['flows', 'queues'] as const
export type ResourceGroup = (typeof RESOURCE_GROUPS)[number]
