import { REDACTED } from '../redact-secrets.js'

/**
 * A path segment at least this long that contains a digit is treated as a token: chat and CI webhook URLs
 * carry their secret in the path (`/services/T0001/B0002/aZ3x…`, `/webhooks/{id}/{token}`).
 */
const TOKEN_SEGMENT_MIN_LENGTH = 16

/**
 * The URL as it may appear in a log or an error: scheme, host and path only. User name, password, query and
 * fragment are dropped, and path segments that look like tokens (16+ characters with a digit) become `***`.
 * A value that is not a URL is described as such, never repeated.
 */
export function describeUrlSafely(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return '(not a valid URL)'
  }
  const path = parsed.pathname
    .split('/')
    .map(segment => (looksLikeToken(segment) ? REDACTED : segment))
    .join('/')
  return `${parsed.protocol}//${parsed.host}${path}`
}

/**
 * Every part of a URL that may be a credential, in the forms it can take in a message: user name and password,
 * query and fragment, query values, token-like path segments (raw and percent-decoded). For redactSecrets.
 * A value that is not a URL is masked whole: nothing tells which part of it is secret.
 */
export function credentialPartsOfUrl(url: string): string[] {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return [url]
  }
  const parts = [parsed.username, parsed.password, parsed.search.slice(1), parsed.hash.slice(1)]
  for (const value of parsed.searchParams.values()) parts.push(value)
  for (const segment of parsed.pathname.split('/')) if (looksLikeToken(segment)) parts.push(segment)
  const decoded = parts.flatMap(part => [part, safeDecode(part)])
  // A one-character query value ("?v=1") would mask every "1" in a message without protecting anything.
  return [...new Set(decoded)].filter(part => part.length >= 3)
}

function looksLikeToken(segment: string): boolean {
  return segment.length >= TOKEN_SEGMENT_MIN_LENGTH && /\d/.test(segment)
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
