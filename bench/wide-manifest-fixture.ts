/**
 * A manifest with very many flows of about twenty leaves each (nested mappings, short lists, numbers, booleans,
 * quoted and plain strings): the data the plain YAML reader's speed goal and size test are stated for, and the
 * same manifest as YAML text written without an emitter (the `yaml` library takes seconds to write 10,000 flows).
 */

/** The number of flows the speed goal is stated for. */
export const WIDE_MANIFEST_FLOWS = 10_000

const STRATEGIES = ['longest-idle', 'round-robin', 'best-skill'] as const

const flowName = (index: number): string => `flow-${String(index).padStart(5, '0')}`
const queueName = (index: number): string => `queue-${String(index % 100).padStart(3, '0')}`

/** One flow entry: about twenty leaves. Pure. */
function flowEntry(index: number): Record<string, unknown> {
  const name = flowName(index)
  return {
    version: `2.${index % 7}.0`,
    file: `flows/${name}.yaml`,
    type: index % 3 === 0 ? 'inboundCall' : 'inQueueCall',
    enabled: index % 5 !== 0,
    priority: index % 10,
    timeoutSeconds: 30.5,
    description: `Routes calls for line ${index}: main menu`,
    routing: {
      strategy: STRATEGIES[index % STRATEGIES.length],
      skills: ['claims', 'policy'],
      fallback: { queue: queueName(index), afterSeconds: 120 }
    },
    schedule: { timezone: 'Europe/Berlin', open: '08:00', close: '18:00', holidays: false },
    tags: ['billing', 'tier 1'],
    owner: null,
    retries: 3,
    threshold: 0.75
  }
}

/** The manifest as data. Pure. */
export function wideManifest(flows: number = WIDE_MANIFEST_FLOWS): Record<string, unknown> {
  const entries: Record<string, unknown> = {}
  for (let index = 0; index < flows; index++) entries[flowName(index)] = flowEntry(index)
  return {
    bundleId: 'contact-center-wide',
    environmentId: 'env-0001',
    targetConfig: { flows: entries },
    dependencyMatrix: { order: ['queues', 'flows'] }
  }
}

/** The manifest as YAML text, exactly as `yaml`'s `stringify` writes `wideManifest(flows)`, only faster. Pure. */
export function wideManifestYaml(flows: number = WIDE_MANIFEST_FLOWS): string {
  const parts = ['bundleId: contact-center-wide\nenvironmentId: env-0001\ntargetConfig:\n  flows:\n']
  for (let index = 0; index < flows; index++) {
    const name = flowName(index)
    parts.push(
      `    ${name}:
      version: 2.${index % 7}.0
      file: flows/${name}.yaml
      type: ${index % 3 === 0 ? 'inboundCall' : 'inQueueCall'}
      enabled: ${index % 5 !== 0}
      priority: ${index % 10}
      timeoutSeconds: 30.5
      description: "Routes calls for line ${index}: main menu"
      routing:
        strategy: ${STRATEGIES[index % STRATEGIES.length]}
        skills:
          - claims
          - policy
        fallback:
          queue: ${queueName(index)}
          afterSeconds: 120
      schedule:
        timezone: Europe/Berlin
        open: 08:00
        close: 18:00
        holidays: false
      tags:
        - billing
        - tier 1
      owner: null
      retries: 3
      threshold: 0.75
`
    )
  }
  parts.push('dependencyMatrix:\n  order:\n    - queues\n    - flows\n')
  return parts.join('')
}
