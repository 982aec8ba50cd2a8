import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { DEFAULT_CLIENTS } from './oauth.js'
import { parseScenarioPatch, type ScenarioPatch } from './scenario.js'
import { startSimulator } from './server.js'

/**
 * `npm run sim -- --port 8080 [--host 127.0.0.1] [--scenario file.json]`: runs the simulator until SIGINT or
 * SIGTERM. Prints the base URL (use it as both `api-url` and `auth-url`) and the demo client credentials.
 * The scenario file holds a Scenario patch (see simulator/scenario.ts); change it later with
 * `POST /__sim/scenario`.
 */

const USAGE = 'usage: tsx simulator/cli.ts [--port 8080] [--host 127.0.0.1] [--scenario scenario.json]'

/** Command-line settings of the simulator. */
interface CliSettings {
  port: number
  host: string
  scenarioFile?: string
}

/** Reads the command line; throws an instruction on a bad value. */
function parseCliArgs(argv: string[]): CliSettings {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      scenario: { type: 'string' }
    },
    strict: true
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port "${values.port}" is not a port: use a whole number from 0 to 65535 (0 picks a free one).`)
  }
  return { port, host: values.host, scenarioFile: values.scenario }
}

async function readScenarioFile(path: string): Promise<ScenarioPatch> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new Error(`Cannot read --scenario file "${path}": ${(error as Error).message}. Check the path.`, { cause: error })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new Error(`--scenario file "${path}" is not valid JSON: ${(error as Error).message}.`, { cause: error })
  }
  return parseScenarioPatch(json, path)
}

async function main(): Promise<void> {
  const settings = parseCliArgs(process.argv.slice(2))
  const scenario = settings.scenarioFile ? await readScenarioFile(settings.scenarioFile) : {}
  const simulator = await startSimulator({ port: settings.port, host: settings.host, scenario })
  const [clientId, clientSecret] = Object.entries(DEFAULT_CLIENTS)[0]
  // These are the simulator's own demo credentials, not secrets of any organization.
  console.log(`Genesys Cloud simulator listening on ${simulator.url}`)
  console.log(`  api-url and auth-url: ${simulator.url}`)
  console.log(`  client-id: ${clientId}`)
  console.log(`  client-secret: ${clientSecret}`)
  console.log(`  control: POST /__sim/scenario {scenario, bundleId}, POST /__sim/reset, GET /__sim/requests`)
  const stop = (signal: string): void => {
    console.log(`${signal} received, stopping the simulator`)
    void simulator.close().then(() => process.exit(0))
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error))
  console.error(USAGE)
  process.exit(1)
})
