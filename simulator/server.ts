import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { architectRoutes } from './architect-api.js'
import { ArchitectOrg, type SimulatedFlowSnapshot } from './architect-org.js'
import { bundleRoutes } from './bundle-api.js'
import { DeploymentStore, type SimulatedDeployment } from './bundle-deployments.js'
import { CONTROL_PREFIX, controlRoutes, type ControlRoute } from './control.js'
import { FaultInjector, faultResponse, type InjectedFault } from './faults.js'
import { DEFAULT_CLIENTS, oauthRoutes, TokenStore } from './oauth.js'
import { flattenHeaders, readBody } from './http-request.js'
import { genesysError, isJsonContentType } from './responses.js'
import { matchRoute, type Route, type RouteMatch, type RouteRequest, type RouteResponse } from './router.js'
import { ScenarioStore, type Scenario, type ScenarioPatch } from './scenario.js'

export type { SimulatedDeployment } from './bundle-deployments.js'
export type { SimulatedFlowSnapshot } from './architect-org.js'
export type { Scenario, ScenarioPatch } from './scenario.js'

/**
 * A local stand-in for Genesys Cloud: the OAuth token endpoint, the Architecture Manager bundle API and the
 * public Architect API (with its presigned upload and download URLs) on one port (so its URL serves as both
 * `api-url` and `auth-url`), with scripted outcomes and injected faults. Every answer carries an
 * `inin-correlation-id` header; API answers are JSON, presigned URLs answer as storage does.
 */

export interface SimulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number
  /** Address to listen on. Default 127.0.0.1. */
  host?: string
  /** Default scenario at start, and again after reset(). */
  scenario?: ScenarioPatch
  /** OAuth clients accepted, clientId -> secret. Default `{'sim-client': 'sim-secret'}`. */
  clients?: Record<string, string>
  /** Clock for token expiry and deployment progress, in ms since the epoch. Default Date.now. */
  now?: () => number
}

/** One request the simulator received (control endpoints excepted). */
export interface RecordedRequest {
  method: string
  /** URL path without the query. */
  path: string
  /** Query parameters (the last value of a repeated name). */
  query: Record<string, string>
  /** Headers by lower-case name; repeated headers joined with `, `. */
  headers: Record<string, string>
  /** Raw body text. */
  body: string
  /** The body parsed as JSON when its content type is JSON and it parses. */
  json?: unknown
  /** Status answered; null while the answer is delayed, and for a dropped connection. */
  status: number | null
  /** The fault the request met, if any. */
  fault?: InjectedFault['kind']
  /** `inin-correlation-id` of the answer. */
  correlationId: string
  /** Injected clock at arrival, in ms. */
  receivedAt: number
}

/** A running simulator. */
export interface Simulator {
  /** `http://host:port`, both the API and the auth base URL. */
  readonly url: string
  readonly port: number
  /** Patches the default scenario, or the override of one bundle (by the `bundleId` path parameter). */
  setScenario(patch: ScenarioPatch, bundleId?: string): void
  /** The scenario requests for `bundleId` (or requests without a bundle) see now. */
  scenario(bundleId?: string): Scenario
  /**
   * Clears deployments, recorded requests, fault counts and per-bundle overrides, and restores the start
   * scenario (re-arming its faults). Issued tokens stay valid, so clients need not log in again.
   */
  reset(): void
  /** Every request received so far, oldest first (control endpoints excepted). */
  readonly requests: readonly RecordedRequest[]
  /** Every deployment accepted so far, oldest first. */
  readonly deployments: readonly SimulatedDeployment[]
  /** The Architect API's flows as they stand now on the injected clock (published version, versions). */
  architectFlows(): SimulatedFlowSnapshot[]
  /** Someone publishes a new version of a flow in Architect, outside the action; returns the version id. */
  publishFlowOutOfBand(name: string, by?: string): string | undefined
  /** Stops listening, drops open connections and pending delayed answers. */
  close(): Promise<void>
}

/** Starts a simulator; resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = new GenesysSimulator(options)
  await simulator.listen(options.port ?? 0, options.host ?? '127.0.0.1')
  return simulator
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

class GenesysSimulator implements Simulator {
  private readonly now: () => number
  private readonly startScenario: ScenarioPatch
  private readonly scenarios = new ScenarioStore()
  private readonly faults = new FaultInjector()
  private readonly tokens = new TokenStore()
  private readonly deploymentStore = new DeploymentStore()
  private readonly architectOrg = new ArchitectOrg()
  private readonly recorded: RecordedRequest[] = []
  private readonly routes: Route[]
  private readonly control: ControlRoute[]
  /** Timers of answers held back by slowResponseMs; cleared on close so that close never waits for them. */
  private readonly delayedAnswers = new Set<NodeJS.Timeout>()
  private readonly server: Server
  private address: { url: string; port: number } | undefined

  constructor(options: SimulatorOptions) {
    this.now = options.now ?? Date.now
    this.startScenario = options.scenario ?? {}
    this.routes = [
      ...oauthRoutes(options.clients ?? DEFAULT_CLIENTS, this.tokens),
      ...bundleRoutes(this.deploymentStore),
      ...architectRoutes(this.architectOrg)
    ]
    this.control = controlRoutes(this)
    this.server = createServer((request, response) => void this.handle(request, response))
    this.reset()
  }

  get url(): string {
    return this.listening().url
  }

  get port(): number {
    return this.listening().port
  }

  get requests(): readonly RecordedRequest[] {
    return this.recorded
  }

  get deployments(): readonly SimulatedDeployment[] {
    return this.deploymentStore.list()
  }

  architectFlows(): SimulatedFlowSnapshot[] {
    this.architectOrg.sync(this.scenarios.resolve(), this.now())
    return this.architectOrg.snapshot()
  }

  publishFlowOutOfBand(name: string, by = 'Dana Reyes'): string | undefined {
    this.architectOrg.sync(this.scenarios.resolve(), this.now())
    return this.architectOrg.publishOutOfBand(name, by, this.now())
  }

  setScenario(patch: ScenarioPatch, bundleId?: string): void {
    this.scenarios.apply(patch, bundleId)
    this.faults.arm(patch, bundleId)
  }

  scenario(bundleId?: string): Scenario {
    return this.scenarios.resolve(bundleId)
  }

  reset(): void {
    this.deploymentStore.clear()
    this.architectOrg.clear()
    // In place, so that a reference a test holds to `requests` sees the reset.
    this.recorded.length = 0
    this.faults.clear()
    this.scenarios.reset(this.startScenario)
    this.faults.arm(this.startScenario)
  }

  async listen(port: number, host: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        reject(new Error(`The simulator could not listen on ${host}:${port}: ${error.message}. Pick another port (0 picks a free one).`))
      }
      this.server.once('error', onError)
      this.server.listen(port, host, () => {
        this.server.off('error', onError)
        resolve()
      })
    })
    const address = this.server.address() as AddressInfo
    const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
    this.address = { url: `http://${urlHost}:${address.port}`, port: address.port }
  }

  async close(): Promise<void> {
    for (const timer of this.delayedAnswers) clearTimeout(timer)
    this.delayedAnswers.clear()
    await new Promise<void>(resolve => {
      // Resolves on a second close too: closing is idempotent for callers.
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  private listening(): { url: string; port: number } {
    if (!this.address) throw new Error('The simulator is not listening yet: await startSimulator().')
    return this.address
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const correlationId = randomUUID()
    const body = await readBody(request)
    if (body === undefined) return // the client went away mid-request
    const url = new URL(request.url ?? '/', 'http://simulator.invalid')
    const method = request.method ?? 'GET'
    if (url.pathname.startsWith(CONTROL_PREFIX)) {
      sendJson(response, correlationId, this.answerControl(method, url.pathname, body, correlationId))
      return
    }
    const record = this.record(request, url, body, correlationId)
    const match = matchRoute(this.routes, method, url.pathname)
    const answer =
      match.kind === 'found'
        ? this.answerMatched(match.route, match.params, record, url.searchParams)
        : unmatchedAnswer(match, method, url.pathname, correlationId)
    if (answer === DROP_CONNECTION) {
      request.socket.destroy()
      return
    }
    const bundleId = match.kind === 'found' ? match.params.bundleId : undefined
    await this.delay(this.scenarios.resolve(bundleId).slowResponseMs)
    record.status = answer.status
    sendJson(response, correlationId, answer)
  }

  private record(request: IncomingMessage, url: URL, body: string, correlationId: string): RecordedRequest {
    const headers = flattenHeaders(request)
    const json = parseJsonBody(body, headers['content-type'])
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      ...(json === undefined ? {} : { json }),
      status: null,
      correlationId,
      receivedAt: this.now()
    }
    this.recorded.push(record)
    return record
  }

  /** The answer of a request to a known route: an injected fault, a 401, or the handler's. */
  private answerMatched(route: Route, params: Record<string, string>, record: RecordedRequest, query: URLSearchParams): RouteResponse | typeof DROP_CONNECTION {
    // Faults strike before authentication, as a gateway's would.
    const fault = this.faults.take(this.scenarios, route.operation, params.bundleId)
    if (fault) {
      record.fault = fault.kind
      return fault.kind === 'connection-reset' ? DROP_CONNECTION : faultResponse(fault, record.correlationId)
    }
    if (route.auth === 'bearer') {
      const problem = this.tokens.bearerProblem(record.headers.authorization, record.receivedAt)
      if (problem) return genesysError(401, 'authentication.required', problem, record.correlationId)
    }
    const request: RouteRequest = {
      method: route.method,
      params,
      query,
      headers: record.headers,
      body: record.body,
      json: record.json,
      now: record.receivedAt,
      correlationId: record.correlationId,
      scenario: this.scenarios.resolve(params.bundleId)
    }
    try {
      return route.handle(request)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      return genesysError(500, 'internal.server.error', `The simulator failed on ${route.method} ${route.pattern}: ${reason}`, record.correlationId)
    }
  }

  private answerControl(method: string, path: string, body: string, correlationId: string): RouteResponse {
    const match = matchRoute(this.control, method, path)
    if (match.kind === 'found') return match.route.handle(parseJsonBody(body, 'application/json'), correlationId)
    if (match.kind === 'method-not-allowed') {
      const allowed = match.allowed.join(', ')
      return genesysError(405, 'method.not.allowed', `${path} accepts ${allowed} only.`, correlationId, {
        headers: { allow: allowed }
      })
    }
    const known = this.control.map(route => `${route.method} ${route.pattern}`).join(', ')
    return genesysError(404, 'not.found', `No control endpoint ${path}: use one of ${known}.`, correlationId)
  }

  private async delay(ms: number): Promise<void> {
    if (ms <= 0) return
    await new Promise<void>(resolve => {
      const timer = setTimeout(() => {
        this.delayedAnswers.delete(timer)
        resolve()
      }, ms)
      this.delayedAnswers.add(timer)
    })
  }
}

/** Marks an answer that is no answer: the connection is destroyed instead (connection-reset fault). */
const DROP_CONNECTION = Symbol('drop connection')

/** 404 for a path no route knows, 405 (with Allow) for a known path asked with another method. */
function unmatchedAnswer(match: Exclude<RouteMatch<Route>, { kind: 'found' }>, method: string, path: string, correlationId: string): RouteResponse {
  if (match.kind === 'not-found') {
    return genesysError(404, 'not.found', `No resource at ${method} ${path}: check the path against the Genesys Cloud API reference.`, correlationId)
  }
  const allowed = match.allowed.join(', ')
  return genesysError(405, 'method.not.allowed', `${path} does not accept ${method}: use ${allowed}.`, correlationId, {
    headers: { allow: allowed }
  })
}

function parseJsonBody(body: string, contentType: string | undefined): unknown {
  if (body === '' || !isJsonContentType(contentType)) return undefined
  try {
    return JSON.parse(body) as unknown
  } catch {
    return undefined
  }
}

function sendJson(response: ServerResponse, correlationId: string, answer: RouteResponse): void {
  // A client that timed out may have closed the connection while the answer was delayed.
  if (response.destroyed || response.writableEnded) return
  response.writeHead(answer.status, {
    'content-type': JSON_CONTENT_TYPE,
    'inin-correlation-id': correlationId,
    ...answer.headers
  })
  response.end(answer.text ?? JSON.stringify(answer.body))
}
