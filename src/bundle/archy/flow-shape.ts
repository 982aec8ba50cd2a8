/**
 * The shape Archy requires of a flow file: one top-level key, a flow kind Archy knows spelled as Archy spells it,
 * and under it a mapping with the flow's `name`. Works on the parsed data and positions; pure.
 */
import type { SourcePosition } from '../bundle.js'
import { closestName } from '../closest-name.js'
import type { Finding } from '../finding.js'
import { identifierProblem } from '../identifiers.js'
import { isMapping } from '../../mapping.js'
import { shownText } from '../shown-text.js'
import { ARCHY_FLOW_KEYS, archyFlowKind, archyFlowKindIgnoringCase, type ArchyFlowKind } from './flow-kinds.js'

/** What a flow file's shape tells. */
export interface FlowShape {
  /** The flow's kind, when its key is one Archy knows (exactly). */
  kind?: ArchyFlowKind
  /** The top-level key as written, when there is exactly one. */
  key?: string
  /** The flow's platform name (the `name` under the kind, trimmed), when present. */
  name?: string
  /** Shape problems, as errors (the caller lowers them to warnings when Archy files are not required). */
  findings: Finding[]
}

/** Where the shape check looks things up. */
export interface ShapeSource {
  data: unknown
  file: string
  /** Position of a key by dotted path, in the file on disk. */
  positionAt(dottedPath: string): SourcePosition | undefined
  /** Where the top-level value starts, in the file on disk. */
  rootPosition(): SourcePosition
}

const EXAMPLE = 'e.g. `inboundCall:` with `name: …` under it'

/** Checks that `source` holds one Archy flow. */
export function checkFlowShape(source: ShapeSource): FlowShape {
  const { data, file } = source
  const error = (message: string, position: SourcePosition): Finding => ({ severity: 'error', file, line: position.line, column: position.column, message })
  if (data === null || data === undefined) {
    return { findings: [error(`The flow file is empty; it must hold one Archy flow (${EXAMPLE}).`, { line: 1, column: 1 })] }
  }
  if (!isMapping(data)) {
    return { findings: [error(`The flow file's top level is ${describeShape(data)}; it must be one flow-type key (${EXAMPLE}).`, source.rootPosition())] }
  }
  const keys = Object.keys(data)
  if (keys.length !== 1) {
    const where = keys.length > 1 ? (source.positionAt(keys[1]) ?? source.rootPosition()) : source.rootPosition()
    const listed =
      keys
        .slice(0, 5)
        .map(key => shownText(key, 40))
        .join(', ') + (keys.length > 5 ? ', …' : '')
    return {
      findings: [
        error(
          `The flow file has ${keys.length} top-level keys (${listed}); an Archy flow file holds exactly one, ` +
            `the flow type (${EXAMPLE}): move each flow to its own file.`,
          where
        )
      ]
    }
  }
  const [key] = keys
  const keyPosition = source.positionAt(key) ?? source.rootPosition()
  const findings: Finding[] = []
  const exact = archyFlowKind(key)
  const miscased = exact === undefined ? archyFlowKindIgnoringCase(key) : undefined
  const kind = exact ?? (miscased?.key.toLowerCase() === key.toLowerCase() ? miscased : undefined)
  if (kind === undefined) findings.push(error(unknownKindMessage(key), keyPosition))
  else if (exact === undefined) findings.push({ ...error(miscasedKindMessage(key, kind), keyPosition), severity: 'warning' })
  const settings = data[key]
  if (!isMapping(settings)) {
    findings.push(error(`\`${shownText(key)}\` must hold the flow's settings as a mapping (with \`name: …\`), not ${describeShape(settings)}.`, keyPosition))
    return { kind, key, findings }
  }
  const name = settings.name
  const namePosition = source.positionAt(`${key}.name`) ?? keyPosition
  if ((typeof name !== 'string' && typeof name !== 'number') || String(name).trim() === '') {
    findings.push(error(`The \`${shownText(key)}\` flow has no \`name\`; add \`name: <flow name>\` under \`${shownText(key)}:\`.`, namePosition))
    return { kind, key, findings }
  }
  const problem = identifierProblem(String(name), 'name')
  if (problem !== undefined) findings.push(error(`The flow's \`name\` (\`${key}.name\`) ${problem}.`, namePosition))
  return { kind, key, name: String(name).trim(), findings }
}

function unknownKindMessage(key: string): string {
  const suggestion = closestName(key, ARCHY_FLOW_KEYS)
  return (
    `\`${shownText(key)}\` is not a flow type Archy is known to accept` +
    (suggestion ? `; did you mean \`${suggestion}\`?` : '.') +
    ` Archy's flow types: ${ARCHY_FLOW_KEYS.join(', ')}.`
  )
}

/**
 * The same letters as a known kind in another case. Genesys' own Archy files always write the exact spelling and
 * whether Archy forgives another case is not documented: a warning, so the file is fixed before the platform
 * decides, without blocking a flow Archy may accept.
 */
function miscasedKindMessage(key: string, kind: ArchyFlowKind): string {
  return (
    `\`${shownText(key)}\` is spelled \`${kind.key}\` in Archy flow files (a ${kind.label}); write it that way: ` +
    'Archy matches its keys as written, and may reject this one.'
  )
}

/** A value's shape in words, never the value itself (it may be anything, including a secret). */
export function describeShape(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (isMapping(value)) return 'a mapping'
  if (value === null || value === undefined) return 'empty'
  if (typeof value === 'string') return 'a text value'
  if (typeof value === 'number') return 'a number'
  if (typeof value === 'boolean') return 'a `true`/`false` value'
  return 'a value'
}
