/**
 * The manifest's identifiers checked as identifiers (see identifiers.ts): `bundleId`, `environmentId`, the flow and
 * queue names that key `targetConfig.flows` / `.queues`, and the names `dependencyMatrix` lists. Works on the raw
 * document, so that a bad name is reported even where the schema fails; one finding per bad identifier, at its line.
 */
import type { Finding } from './finding.js'
import { identifierProblem, type IdentifierKind } from './identifiers.js'
import { isMapping } from '../mapping.js'
import { RESOURCE_GROUPS } from './manifest.js'
import { positionOf, shownPath, type SourcePositions } from './source-positions.js'

/** Every identifier problem of a manifest document, in document order. */
export function checkIdentifiers(document: unknown, positions: SourcePositions, file: string): Finding[] {
  if (!isMapping(document)) return []
  const findings: Finding[] = []
  const check = (value: unknown, kind: IdentifierKind, path: (string | number)[], what: string): void => {
    if (typeof value !== 'string') return
    const problem = identifierProblem(value, kind)
    if (problem === undefined) return
    findings.push({ severity: 'error', file, ...positionOf(path, positions), path: shownPath(path), message: `${what} ${problem}.` })
  }
  check(document.bundleId, 'id', ['bundleId'], '`bundleId`')
  check(document.environmentId, 'id', ['environmentId'], '`environmentId`')
  const matrix = isMapping(document.dependencyMatrix) ? document.dependencyMatrix : {}
  const target = isMapping(document.targetConfig) ? document.targetConfig : {}
  for (const group of RESOURCE_GROUPS) {
    const listed = matrix[group]
    if (Array.isArray(listed)) {
      listed.forEach((name, index) => check(name, 'name', ['dependencyMatrix', group, index], `\`${shownPath(['dependencyMatrix', group, index])}\``))
    }
    const defined = target[group]
    if (isMapping(defined)) {
      const singular = group === 'flows' ? 'flow' : 'queue'
      for (const name of Object.keys(defined)) {
        const path = ['targetConfig', group, name]
        check(name, 'name', path, `The ${singular} name \`${shownPath([name])}\` (a key of \`targetConfig.${group}\`)`)
      }
    }
  }
  return findings
}
