/**
 * The manifest of the loading and assess benchmarks: many flows of settings (about 20 leaves each) and a tenth as
 * many queues, and a baseline that differs from it by the change mix of change-mix.ts. Written with the `yaml`
 * library's `stringify`, as the goals are stated for.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { fateOf } from './change-mix.js'

/** Key of the flow at `index` under `targetConfig.flows`. */
export function loadFlowName(index: number): string {
  return `flow-${String(index).padStart(5, '0')}`
}

/** A manifest of `flows` flows (settings only) and a tenth as many queues, about 20 leaves per flow. Pure. */
export function generateManifest(flows: number): Record<string, unknown> {
  const flowEntries: Record<string, unknown> = {}
  for (let index = 0; index < flows; index++) {
    flowEntries[loadFlowName(index)] = {
      version: `2.${index % 7}.0`,
      routingStrategy: index % 2 === 0 ? 'longest-idle' : 'round-robin',
      description: `Routes calls for line ${index}: sales, support and billing # not a comment`,
      enabled: index % 5 !== 0,
      priority: index % 10,
      timeouts: { answerSeconds: 30, holdSeconds: 600, wrapUpSeconds: 45.5 },
      languages: ['en-us', 'es-us'],
      skills: ['claims', `tier-${index % 3}`],
      schedule: { open: '08:00', close: '18:00', timeZone: 'America/Chicago', holidays: null },
      labels: { team: `team-${index % 40}`, cost: "center 'A'" }
    }
  }
  const queues: Record<string, unknown> = {}
  for (let index = 0; index < Math.max(1, flows / 10); index++) queues[`queue-${index}`] = { serviceLevel: '80/20', skills: ['claims'] }
  return {
    bundleId: 'contact-center-large',
    environmentId: 'prod-7f3a',
    overrideValidation: false,
    rollbackOnFailure: true,
    capacityConstraints: { maxFlowCount: flows * 2, maxQueueCount: flows },
    dependencyMatrix: { flows: ['base-routing', 'flow-00001'], queues: ['queue-0'], order: ['queues', 'flows'] },
    targetConfig: { flows: flowEntries, queues },
    substitutions: { company: 'Acme Insurance' }
  }
}

/**
 * The baseline of `generateManifest(flows)` under the change mix: a modified flow had the previous minor version,
 * an added flow is not in it, and for each removed index it holds a retired flow the bundle no longer has. Pure.
 */
export function changedBaseline(flows: number): Record<string, unknown> {
  const manifest = generateManifest(flows)
  const targetConfig = manifest.targetConfig as { flows: Record<string, Record<string, unknown>>; queues: unknown }
  const baselineFlows: Record<string, unknown> = {}
  for (let index = 0; index < flows; index++) {
    const name = loadFlowName(index)
    const flow = targetConfig.flows[name]
    const fate = fateOf(index)
    if (fate === 'same') baselineFlows[name] = flow
    // Copies, not shared objects: `stringify` writes a value met twice as an anchor and an alias.
    else if (fate === 'modified') baselineFlows[name] = { ...structuredClone(flow), version: `1.${index % 7}.0` }
    else if (fate === 'removed') {
      baselineFlows[name] = flow
      baselineFlows[`retired-${name}`] = { ...structuredClone(flow), description: `Retired line ${index}` }
    }
  }
  return { ...manifest, targetConfig: { flows: baselineFlows, queues: targetConfig.queues } }
}

/** The files a workspace of the loading benchmarks holds. */
export interface LoadWorkspaceFiles {
  /** `bundle.yaml`, `baseline.yaml` (the same text) and `bundle.json` (the same data): goal 1. */
  sameBaseline?: boolean
  /** `changed-baseline.yaml`: the baseline under the change mix, for a whole assess run. */
  changedBaseline?: boolean
}

/** Writes `generateManifest(flows)` as `bundle.yaml` and the files asked for into a new temp workspace. */
export async function writeLoadWorkspace(flows: number, files: LoadWorkspaceFiles): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'gbd-bench-load-'))
  const manifest = generateManifest(flows)
  const yamlText = stringify(manifest)
  await writeFile(join(workspace, 'bundle.yaml'), yamlText)
  if (files.sameBaseline) {
    await writeFile(join(workspace, 'baseline.yaml'), yamlText)
    await writeFile(join(workspace, 'bundle.json'), JSON.stringify(manifest))
  }
  if (files.changedBaseline) await writeFile(join(workspace, 'changed-baseline.yaml'), stringify(changedBaseline(flows)))
  return workspace
}
