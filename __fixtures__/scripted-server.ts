/**
 * A real local HTTP server that answers what each test scripts: the token endpoint, status codes, headers, broken
 * connections and silence are all real network behaviour. For the HTTP client's tests.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
}

/** What the server does with one request. */
export type Reply =
  { status: number; body?: unknown; raw?: string; headers?: Record<string, string> } | { reset: true } | { hang: true } | { partialBodyThenHang: true }

export class ScriptedServer {
  readonly requests: RecordedRequest[] = []
  /** Tokens the server issued, to check none leaks. */
  readonly issuedTokens: string[] = []
  private readonly scripts = new Map<string, Reply[]>()
  private readonly sockets = new Set<Socket>()
  private tokenLifetimeSeconds = 86_400

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ScriptedServer> {
    const server = createServer()
    const scripted = new ScriptedServer(server)
    server.on('connection', socket => {
      scripted.sockets.add(socket)
      socket.on('close', () => scripted.sockets.delete(socket))
    })
    server.on('request', (request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const recorded = {
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8')
        }
        scripted.requests.push(recorded)
        scripted.answer(recorded, response)
      })
    })
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    return scripted
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  /** Replies for `METHOD /path` (query included), in order; the last one repeats. */
  script(route: string, ...replies: Reply[]): void {
    this.scripts.set(route, replies)
  }

  setTokenLifetime(seconds: number): void {
    this.tokenLifetimeSeconds = seconds
  }

  requestsTo(route: string): RecordedRequest[] {
    return this.requests.filter(request => `${request.method} ${request.path}` === route)
  }

  get tokenRequests(): RecordedRequest[] {
    return this.requestsTo('POST /oauth/token')
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  private nextReply(route: string): Reply | undefined {
    const replies = this.scripts.get(route)
    if (!replies) return undefined
    return replies.length > 1 ? replies.shift() : replies[0]
  }

  private answer(request: RecordedRequest, response: ServerResponse): void {
    const route = `${request.method} ${request.path}`
    const reply = this.nextReply(route) ?? (route === 'POST /oauth/token' ? this.issueToken() : undefined)
    if (!reply) return send(response, { status: 404, body: { message: `unscripted ${route}` } })
    if ('reset' in reply) return void response.socket?.destroy()
    if ('hang' in reply) return
    if ('partialBodyThenHang' in reply) {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.write('{"id": "dep-')
      return
    }
    send(response, reply)
  }

  private issueToken(): Reply {
    const token = `tok-${this.issuedTokens.length + 1}-abcdef`
    this.issuedTokens.push(token)
    return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: this.tokenLifetimeSeconds } }
  }
}

function send(response: ServerResponse, reply: { status: number; body?: unknown; raw?: string; headers?: Record<string, string> }): void {
  const text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body))
  response.writeHead(reply.status, {
    ...(reply.raw === undefined && reply.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...reply.headers
  })
  response.end(text)
}
