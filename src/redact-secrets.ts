/** What every redacted secret becomes. */
export const REDACTED = '***'

/**
 * Tokens minted during the run that the caller cannot list as known secrets (an OAuth access token echoed
 * in an error, a GitHub token pasted into a manifest). Replaced wherever they appear.
 */
const TOKEN_PATTERNS: readonly { pattern: RegExp; replacement: string }[] = [
  { pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]+=*/g, replacement: `$1 ${REDACTED}` },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, replacement: REDACTED },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g, replacement: REDACTED }
]

/**
 * Returns a deep copy of `value` in which every string (object keys included) has each known secret value
 * replaced by `***`, and bearer/basic credentials and GitHub tokens masked.
 *
 * The safety net of the records: run over every record before it is written, so that a secret that slipped
 * into an error message never lands in a file or a request. Each secret is also masked in its URL-encoded
 * form, the form it takes inside a URL. Longer secrets are replaced first so that a secret containing another
 * one leaves no tail behind. Empty strings are ignored: they would match everywhere.
 */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  return redactDeep(value, secretVariants(secrets)) as T
}

/** Masks the secrets and token patterns in one string. */
export function redactSecretsInText(text: string, secrets: readonly string[]): string {
  return redactText(text, secretVariants(secrets))
}

function secretVariants(secrets: readonly string[]): string[] {
  const variants = new Set<string>()
  for (const secret of secrets) {
    if (!secret) continue
    variants.add(secret)
    variants.add(encodeURIComponent(secret))
  }
  return [...variants].sort((a, b) => b.length - a.length)
}

function redactDeep(value: unknown, variants: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, variants)
  if (Array.isArray(value)) return value.map(item => redactDeep(item, variants))
  if (value === null || typeof value !== 'object') return value
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    copy[redactText(key, variants)] = redactDeep(item, variants)
  }
  return copy
}

function redactText(text: string, variants: readonly string[]): string {
  let redacted = text
  for (const variant of variants) redacted = redacted.split(variant).join(REDACTED)
  for (const { pattern, replacement } of TOKEN_PATTERNS) redacted = redacted.replace(pattern, replacement)
  return redacted
}
