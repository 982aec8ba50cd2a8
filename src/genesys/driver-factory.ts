import type { Settings } from '../settings.js'
import type { Sleep } from '../retry-helper.js'
import { ArchitectDriver } from './architect-driver.js'
import { ArchitectureManagerDriver } from './architecture-manager-driver.js'
import type { ApiName, DeployDriver } from './driver.js'
import { GenesysHttpClient } from './http-client.js'

/**
 * Builds the driver of the chosen API over one authenticated HTTP client, whose rate budget every request of the run
 * shares. The architect driver runs up to `maxParallelJobs` flow jobs of a level at once, each on its own poll schedule
 * within `pollIntervalMs` / `maxPollIntervalMs`.
 */
export function createDriver(
  settings: Pick<Settings, 'apiUrl' | 'authUrl' | 'credentials' | 'maxParallelJobs' | 'pollIntervalMs' | 'maxPollIntervalMs'> & { api: ApiName },
  deps: {
    sleep: Sleep
    random: () => number
    now: () => number
    io: { info(message: string): void }
    /** The current phase's deadline, which every request's timeout and retries respect (see GenesysHttpClient). */
    requestDeadline?: () => number | undefined
    /** Receives each credential the client learns, to mask it (see GenesysHttpClient). */
    onSecret?: (value: string) => void
  }
): DeployDriver {
  if (!settings.credentials) throw new Error('A driver needs `client-id` and `client-secret`.')
  const client = new GenesysHttpClient({
    apiUrl: settings.apiUrl,
    authUrl: settings.authUrl,
    clientId: settings.credentials.clientId,
    clientSecret: settings.credentials.clientSecret,
    sleep: deps.sleep,
    random: deps.random,
    now: deps.now,
    log: message => deps.io.info(message),
    deadline: deps.requestDeadline,
    onSecret: deps.onSecret
  })
  switch (settings.api) {
    case 'architecture-manager':
      return new ArchitectureManagerDriver(client)
    case 'architect':
      return new ArchitectDriver(client, {
        now: deps.now,
        sleep: deps.sleep,
        random: deps.random,
        log: message => deps.io.info(message),
        maxParallelJobs: settings.maxParallelJobs,
        pollIntervalMs: settings.pollIntervalMs,
        maxPollIntervalMs: settings.maxPollIntervalMs
      })
  }
}
