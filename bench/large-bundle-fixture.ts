/**
 * A large generated bundle and a baseline that differs from it in about a fifth of its resources: the size a
 * big contact center reaches (the manifest's capacity limits are 500 flows and 100 queues).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { stringify } from 'yaml'

/** The shape of the generated bundle. */
export interface LargeBundleSpec {
  flows: number
  queues: number
  /** Every n-th flow has an Archy flow file (2 = half of them). */
  flowFileEvery: number
}

/** The size the speed goals are stated for. */
export const LARGE_BUNDLE: LargeBundleSpec = { flows: 500, queues: 100, flowFileEvery: 2 }

/**
 * How a resource of the bundle relates to the baseline, by its index: of every 20, two are modified and one is
 * added (absent from the baseline); the baseline also holds one retired resource per 20 that the bundle removes.
 * That is 4 in 20 = 20 % of the resources differing.
 */
export type ResourceChangeKind = 'unchanged' | 'modified' | 'added'

/** The change kind of the resource at `index` (see ResourceChangeKind). */
export function changeKindOf(index: number): ResourceChangeKind {
  const slot = index % 20
  if (slot === 0 || slot === 1) return 'modified'
  if (slot === 2) return 'added'
  return 'unchanged'
}

/** Number of retired resources the baseline holds for a group of `count`: one per 20. */
export function retiredCount(count: number): number {
  return Math.floor(count / 20)
}

/** The files of the generated bundle, by path relative to the workspace. */
export interface LargeBundleFiles {
  manifest: Record<string, unknown>
  baseline: Record<string, unknown>
  /** Archy flow YAML by relative path (`flows/flow-0000.yaml`). */
  flowFiles: Record<string, string>
}

const flowName = (index: number): string => `flow-${String(index).padStart(4, '0')}`
const queueName = (index: number): string => `queue-${String(index).padStart(3, '0')}`

/** Generates the manifest, baseline and flow files. Pure. */
export function generateLargeBundle(spec: LargeBundleSpec): LargeBundleFiles {
  const flows: Record<string, unknown> = {}
  const baselineFlows: Record<string, unknown> = {}
  const flowFiles: Record<string, string> = {}
  for (let index = 0; index < spec.flows; index++) {
    const name = flowName(index)
    const file = index % spec.flowFileEvery === 0 ? `flows/${name}.yaml` : undefined
    if (file) flowFiles[file] = archyFlow(index)
    flows[name] = { version: '2.0.0', routingStrategy: 'longest-idle', ...(file ? { file } : {}) }
    const kind = changeKindOf(index)
    if (kind === 'modified') baselineFlows[name] = { version: '1.9.0', routingStrategy: 'round-robin', ...(file ? { file } : {}) }
    if (kind === 'unchanged') baselineFlows[name] = flows[name]
  }
  for (let index = 0; index < retiredCount(spec.flows); index++) baselineFlows[`retired-flow-${index}`] = { version: '1.0.0' }

  const queues: Record<string, unknown> = {}
  const baselineQueues: Record<string, unknown> = {}
  for (let index = 0; index < spec.queues; index++) {
    const name = queueName(index)
    queues[name] = { serviceLevel: '80/20', skills: ['claims', 'policy'] }
    const kind = changeKindOf(index)
    if (kind === 'modified') baselineQueues[name] = { serviceLevel: '90/30', skills: ['claims'] }
    if (kind === 'unchanged') baselineQueues[name] = queues[name]
  }
  for (let index = 0; index < retiredCount(spec.queues); index++) baselineQueues[`retired-queue-${index}`] = { serviceLevel: '80/20' }

  const manifest = {
    bundleId: 'contact-center-large',
    environmentId: 'prod-7f3a',
    overrideValidation: false,
    rollbackOnFailure: true,
    capacityConstraints: { maxFlowCount: spec.flows * 2, maxQueueCount: spec.queues * 2 },
    dependencyMatrix: {
      flows: ['base-routing', ...Array.from({ length: Math.min(10, spec.flows) }, (_, index) => flowName(index))],
      queues: Array.from({ length: Math.min(10, spec.queues) }, (_, index) => queueName(index)),
      order: ['queues', 'flows']
    },
    targetConfig: { flows, queues },
    substitutions: { company: 'Acme Insurance' }
  }
  const baseline = { bundleId: manifest.bundleId, environmentId: manifest.environmentId, targetConfig: { flows: baselineFlows, queues: baselineQueues } }
  return { manifest, baseline, flowFiles }
}

/** An Archy inbound call flow like examples/flows/after-hours.yaml, with a `{{company}}` placeholder. */
function archyFlow(index: number): string {
  return stringify({
    inboundCall: {
      name: `Generated Flow ${index}`,
      description: 'Generated for the benchmark: {{company}}',
      division: 'Home',
      startUpRef: `/inboundCall/menus/menu[Main Menu_${index}]`,
      defaultLanguage: 'en-us',
      supportedLanguages: { 'en-us': { defaultLanguageSkill: { noValue: true } } },
      initialGreeting: { tts: 'Thank you for calling {{company}}.' },
      menus: [
        {
          menu: {
            name: 'Main Menu',
            refId: `Main Menu_${index}`,
            audio: { tts: 'Press 1 for sales, 2 for support.' },
            settingsMenu: { extensions: 'disabled', menuMaxRetries: 2 },
            choices: [{ menuDisconnect: { name: 'Disconnect', dtmf: 'digit_9' } }]
          }
        }
      ]
    }
  })
}

/** Writes the generated bundle (bundle.yaml, baseline.yaml, flows/) into a new temp workspace; returns its path. */
export async function writeLargeBundle(spec: LargeBundleSpec): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'gbd-bench-large-'))
  const files = generateLargeBundle(spec)
  const texts: Record<string, string> = {
    'bundle.yaml': stringify(files.manifest),
    'baseline.yaml': stringify(files.baseline),
    ...files.flowFiles
  }
  for (const [relative, text] of Object.entries(texts)) {
    await mkdir(dirname(join(workspace, relative)), { recursive: true })
    await writeFile(join(workspace, relative), text, 'utf8')
  }
  return workspace
}
