/** Reading requests, shared by the Genesys simulator and the GitHub API stand-in. */
import type { IncomingMessage } from 'node:http'

/** The body as text, or undefined when the client aborted before sending all of it. */
export async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = []
  try {
    for await (const chunk of request) chunks.push(chunk as Buffer)
  } catch {
    return undefined
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Headers by lower-case name, repeated ones joined as HTTP joins them. */
export function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}
