/**
 * The bundle fingerprint: one sha256 that changes when anything that would be deployed changes, and only then.
 * Assess writes it into the PR comment; deploy compares it with what it is about to deploy.
 */
import { createHash } from 'node:crypto'
import type { Bundle } from './bundle.js'

/**
 * sha256 (hex) of the bundle's canonical form: the manifest payload (overrides applied) as JSON with sorted
 * keys, and each referenced file's flow, path and content with CRLF line endings turned into LF, sorted.
 * Key order and line endings do not change it; any value does.
 */
export function fingerprintBundle(bundle: Pick<Bundle, 'manifest' | 'files'>): string {
  const files = bundle.files
    .map(file => ({ flow: file.flow, path: file.path, content: normalizeLineEndings(file.content) }))
    .sort((a, b) => compareText(a.flow, b.flow) || compareText(a.path, b.path))
  // One JSON document rather than concatenated parts, so no two bundles can run together into the same text.
  return createHash('sha256')
    .update(canonicalJson({ manifest: bundle.manifest, files }))
    .digest('hex')
}

/**
 * JSON with the keys of every object sorted (by UTF-16 code unit, not locale, so every runner agrees), no
 * whitespace, and undefined members left out, as JSON.stringify does. Arrays keep their order: it is meaningful.
 * The audit log's hash chain relies on this exact form.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value))
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep)
  if (value === null || typeof value !== 'object') return value
  // As JSON.stringify does: a Date (or anything with toJSON) is serialized as what toJSON returns.
  const serializable = value as { toJSON?: () => unknown }
  if (typeof serializable.toJSON === 'function') return sortKeysDeep(serializable.toJSON())
  const record = value as Record<string, unknown>
  return Object.fromEntries(
    Object.keys(record)
      .sort(compareText)
      .filter(key => record[key] !== undefined)
      .map(key => [key, sortKeysDeep(record[key])])
  )
}

function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n/g, '\n')
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
