/**
 * Everything the action knows about Archy, the YAML format of Genesys Cloud Architect flows, in one place: the flow
 * kinds and their platform names (`archy/flow-kinds.ts`), the shape of a flow file (`archy/flow-shape.ts`),
 * `{{placeholders}}` (`archy/placeholders.ts`, `archy/substitution-check.ts`) and the objects a flow names
 * (`archy/references.ts`).
 */
export {
  ARCHY_FLOW_KEYS,
  ARCHY_FLOW_KINDS,
  archyFlowKind,
  archyFlowKindIgnoringCase,
  dependencyObjectType,
  platformFlowType,
  type ArchyFlowKind
} from './archy/flow-kinds.js'
export { checkFlowShape, describeShape, type FlowShape, type ShapeSource } from './archy/flow-shape.js'
export {
  PlaceholderTokens,
  ReplacedText,
  fillPlaceholders,
  findPlaceholders,
  replacePlaceholders,
  type FilledText,
  type Placeholder
} from './archy/placeholders.js'
export { REFERENCE_NOUNS, archyReferences, type ReferenceSource } from './archy/references.js'
export { findStructureChange, type StructureChange } from './archy/substitution-check.js'
