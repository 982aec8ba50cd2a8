/**
 * `npm run dry-run -- --workspace ../my-repo --bundle genesys/bundle.yaml [--mode deploy] [--api architect]
 * [--scenario my-org.json] [--input name=value ...]`: runs the built action (dist/index.js) on your repository the way
 * the runner would, against the simulator (started here, or the one `--api-url` points at), and prints the job
 * summary, the annotations and the outputs. Nothing reaches a real org or GitHub.
 */
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_CLIENTS } from './oauth.js'
import { runAction } from './run-action.js'
import { parseScenarioPatch } from './scenario.js'
import { startSimulator } from './server.js'

const USAGE =
  'usage: npm run dry-run -- --bundle <manifest> [--workspace <repo>] [--mode assess|deploy] [--api auto|architect|architecture-manager] ' +
  '[--scenario <scenario.json>] [--api-url <running simulator>] [--input name=value ...]'

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      workspace: { type: 'string', default: '.' },
      bundle: { type: 'string' },
      mode: { type: 'string', default: 'assess' },
      api: { type: 'string', default: 'auto' },
      scenario: { type: 'string' },
      'api-url': { type: 'string' },
      input: { type: 'string', multiple: true, default: [] }
    },
    strict: true
  })
  if (!values.bundle) throw new Error('--bundle is required: the manifest path, relative to --workspace.')
  const extra = Object.fromEntries(
    values.input.map(pair => {
      const at = pair.indexOf('=')
      if (at <= 0) throw new Error(`--input "${pair}" is not name=value.`)
      return [pair.slice(0, at), pair.slice(at + 1)]
    })
  )
  const scenario = values.scenario ? parseScenarioPatch(JSON.parse(await readFile(values.scenario, 'utf8')), values.scenario) : {}
  const simulator = values['api-url'] ? undefined : await startSimulator({ scenario })
  const url = values['api-url'] ?? simulator!.url
  const [clientId, clientSecret] = Object.entries(DEFAULT_CLIENTS)[0]
  try {
    const result = await runAction({
      workspace: resolve(values.workspace),
      // The report, diff and impact files the outputs name stay for you to read.
      keepRunnerTemp: true,
      eventName: values.mode === 'deploy' ? 'push' : 'pull_request',
      inputs: {
        mode: values.mode,
        api: values.api,
        bundle: values.bundle,
        'api-url': url,
        'auth-url': url,
        'client-id': clientId,
        'client-secret': clientSecret,
        comment: 'false',
        'poll-interval-seconds': '0.5',
        'max-poll-interval-seconds': '2',
        'audit-log': '.genesys-dry-run/audit.jsonl',
        ...extra
      }
    })
    console.log(result.summary)
    console.log('\nAnnotations:')
    for (const annotation of result.annotations) console.log(`  ${annotation}`)
    console.log('\nOutputs:')
    for (const [name, value] of Object.entries(result.outputs)) console.log(`  ${name}: ${value.length > 200 ? `${value.slice(0, 200)}…` : value}`)
    console.log(`\nStep ${result.exitCode === 0 ? 'passed' : 'failed'} (status ${result.outputs.status ?? 'none'}).`)
    return result.exitCode ?? 1
  } finally {
    await simulator?.close()
  }
}

main()
  .then(code => process.exit(code))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error))
    console.error(USAGE)
    process.exit(2)
  })
