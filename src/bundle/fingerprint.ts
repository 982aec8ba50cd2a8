/**
 * The bundle fingerprint: one sha256 that changes when anything that would be deployed changes, and only then.
 * Assess writes it into the PR comment; deploy compares it with what it is about to deploy.
 */
import { createHash } from 'node:crypto'
import type { Bundle } from './bundle.js'

/**
 * sha256 (hex) of the bundle's canonical form: the manifest payload (overrides applied) as JSON with sorted
 * keys, and each referenced file's flow, path and content (the text as deployed, placeholders filled) with CRLF
 * line endings turned into LF, sorted. Key order and line endings do not change it; any value does.
 */
export function fingerprintBundle(bundle: Pick<Bundle, 'manifest' | 'files'>): string {
  const files = bundle.files
    .map(file => ({ flow: file.flow, path: file.path, content: normalizeLineEndings(file.content) }))
    .sort((a, b) => compareText(a.flow, b.flow) || compareText(a.path, b.path))
  // One JSON document rather than concatenated parts, so no two bundles can run together into the same text: exactly
  // canonicalJson({manifest, files}) ("files" sorts before "manifest"), with the manifest's part computed once.
  return createHash('sha256')
    .update(`{"files":${canonicalJson(files)},"manifest":${canonicalManifestJson(bundle.manifest)}}`)
    .digest('hex')
}

/** Canonical JSON of manifests already written: a run fingerprints its bundle and digests its manifest more than once. */
const manifestJson = new WeakMap<object, string>()

/** canonicalJson of a manifest, computed once per manifest object (the manifest of a loaded bundle never changes). */
export function canonicalManifestJson(manifest: object): string {
  let json = manifestJson.get(manifest)
  if (json === undefined) {
    json = canonicalJson(manifest)
    manifestJson.set(manifest, json)
  }
  return json
}

/**
 * JSON with the keys of every object sorted (by UTF-16 code unit, not locale, so every runner agrees), no
 * whitespace, and undefined members left out, as JSON.stringify does. Arrays keep their order: it is meaningful.
 * The audit log's hash chain relies on this exact form.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(inKeyOrder(value))
}

/**
 * `value` with every object's keys in sorted order, for the native serializer to write. Only an object whose keys
 * are out of order (or whose members changed) is copied; one already in order, and every array of such, is used
 * as it is. Measured on a 10,000-flow manifest: about half the time of copying every object first, and a quarter
 * of writing the JSON piece by piece in JavaScript (bench/bundle-load-speed.ts).
 */
function inKeyOrder(value: unknown): unknown {
  const resolved = serializableForm(value)
  if (resolved === null || typeof resolved !== 'object') return resolved
  if (Array.isArray(resolved)) {
    let copy: unknown[] | undefined
    for (let index = 0; index < resolved.length; index++) {
      const item = inKeyOrder(resolved[index])
      if (item !== resolved[index]) (copy ??= resolved.slice())[index] = item
    }
    return copy ?? resolved
  }
  const record = resolved as Record<string, unknown>
  const keys = Object.keys(record)
  let changed = resolved !== value
  for (let index = 1; index < keys.length && !changed; index++) changed = keys[index - 1] > keys[index]
  const members = keys.map(key => {
    const member = inKeyOrder(record[key])
    if (member !== record[key]) changed = true
    return member
  })
  if (!changed) return record
  const order = keys.map((_, index) => index).sort((a, b) => compareText(keys[a], keys[b]))
  // No prototype: a key `__proto__` (YAML allows it) stays an ordinary member, as in the parsed data.
  const sorted = Object.create(null) as Record<string, unknown>
  for (const index of order) sorted[keys[index]] = members[index]
  return sorted
}

/** As JSON.stringify does: a Date (or anything with toJSON) is serialized as what toJSON returns. */
function serializableForm(value: unknown): unknown {
  let current = value
  while (current !== null && typeof current === 'object' && typeof (current as { toJSON?: unknown }).toJSON === 'function') {
    current = (current as { toJSON: () => unknown }).toJSON()
  }
  return current
}

/** `\r\n` as `\n`: the same file checked out on Windows or Linux is the same text. */
export function normalizeLineEndings(text: string): string {
  return text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
