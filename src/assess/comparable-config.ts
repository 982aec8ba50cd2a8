import type { Bundle } from '../bundle/bundle.js'
import { readYamlSource } from '../bundle/yaml-source.js'
import { readArchyFlow } from '../genesys/architect-flows.js'
import type { ApiName } from '../genesys/driver.js'
import type { Baseline } from './plan.js'
import { readFromText } from '../bundle/source-text.js'
import { isMapping } from '../mapping.js'

/** Both sides read flow documents with `readYamlSource(text, …, { format: 'YAML' })`: equal texts give equal documents. */
const ARCHY_READER = 'readYamlSource YAML'

/**
 * The bundle's configuration in the shape the diff compares it in, for the API that deploys it. With
 * `architecture-manager` the platform takes `targetConfig` itself, so that is what is compared. With
 * `architect` a flow is what its Archy file says: each flow with a `file:` becomes its document with the
 * manifest's `substitutions` filled in (the text that is uploaded), so diff paths read
 * `flows.after-hours.inboundCall.initialGreeting.tts` and line up with the published YAML the architect
 * driver reads as the live baseline. Flows without a file and queues stay as `targetConfig` has them. Pure.
 */
export function comparableConfig(bundle: Bundle, api: ApiName): Record<string, unknown> {
  const targetConfig = bundle.manifest.targetConfig
  if (api === 'architecture-manager' || targetConfig.flows === undefined) return targetConfig
  const files = new Map(bundle.files.map(file => [file.flow, file]))
  const flows = Object.fromEntries(
    Object.entries(targetConfig.flows).map(([name, entry]) => {
      const file = files.get(name)
      return [name, file === undefined ? entry : readFromText(readArchyFlow(file).document, ARCHY_READER, file.content)]
    })
  )
  return { ...targetConfig, flows }
}

/**
 * The baseline in the same shape: a manifest read from git keeps its flow files' text in `files` (placeholders
 * already filled with that commit's substitutions), which becomes each flow's document for `architect`. A file that
 * does not parse any more leaves its manifest entry, so the diff still shows the flow. Pure.
 */
export function comparableBaseline(baseline: Baseline, api: ApiName): Record<string, unknown> {
  const flows = baseline.config.flows
  if (api === 'architecture-manager' || !baseline.files || !isMapping(flows)) return baseline.config
  const files = baseline.files
  const documents = Object.fromEntries(
    Object.entries(flows).map(([name, entry]) => {
      const text = files[name]
      if (text === undefined) return [name, entry]
      // Read as the bundle's flow files are (linear, bounded); a file that does not parse keeps its manifest entry.
      const read = readYamlSource(text, `baseline flow ${name}`, { format: 'YAML' })
      const broken = read.findings.some(finding => finding.severity === 'error')
      return [name, !broken && isMapping(read.data) ? readFromText(read.data, ARCHY_READER, text) : entry]
    })
  )
  return { ...baseline.config, flows: documents }
}
