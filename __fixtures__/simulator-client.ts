/** The Genesys HTTP client pointed at a running simulator, on a virtual clock, as the driver tests use it. */
import { GenesysHttpClient } from '../src/genesys/http-client.js'
import type { VirtualClock } from './recording-io.js'

/** A client of `url` (the simulator's, for API and auth) with OAuth client `credentials`, timed by `clock`. */
export function simulatorClient(url: string, credentials: { id: string; secret: string }, clock: VirtualClock): GenesysHttpClient {
  return new GenesysHttpClient({
    apiUrl: url,
    authUrl: url,
    clientId: credentials.id,
    clientSecret: credentials.secret,
    sleep: clock.sleep,
    random: () => 0.5,
    now: clock.now
  })
}
