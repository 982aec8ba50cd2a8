/**
 * A generated `api: architect` bundle whose flows form dependency levels: each flow of level n > 0 transfers to one
 * flow of level n - 1, so it can deploy only once that one is published. Used by the concurrency benchmark and its
 * tests. Every flow transfers callers to one queue, so the queue must exist in the org.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'

/** The shape of the generated bundle. */
export interface LeveledBundleSpec {
  /** Dependency levels. */
  levels: number
  /** Flows per level. */
  perLevel: number
  /** The queue every flow transfers to. Default `leveled-queue`. */
  queue?: string
}

/** The size the concurrency goals are stated for: 24 flows in 3 levels. */
export const CONCURRENCY_BUNDLE: LeveledBundleSpec = { levels: 3, perLevel: 8 }

/** Key of the flow at `index` of `level` under `targetConfig.flows`. */
export function leveledFlowKey(level: number, index: number): string {
  return `level${level}-flow${String(index).padStart(2, '0')}`
}

/** Platform name (Archy `name`) of the flow at `index` of `level`. */
export function leveledFlowName(level: number, index: number): string {
  return `Leveled L${level} F${String(index).padStart(2, '0')}`
}

/** Writes the manifest (`bundle.yaml`) and flow files into a new temporary folder and returns its path. */
export async function writeLeveledBundle(spec: LeveledBundleSpec): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'leveled-bundle-'))
  await mkdir(join(workspace, 'flows'))
  const flows: Record<string, { file: string }> = {}
  for (let level = 0; level < spec.levels; level++) {
    for (let index = 0; index < spec.perLevel; index++) {
      const key = leveledFlowKey(level, index)
      flows[key] = { file: `flows/${key}.yaml` }
      const target = level > 0 ? leveledFlowName(level - 1, index) : undefined
      await writeFile(join(workspace, 'flows', `${key}.yaml`), leveledFlowYaml(leveledFlowName(level, index), spec.queue ?? 'leveled-queue', target))
    }
  }
  const manifest = {
    bundleId: 'leveled',
    environmentId: 'bench-env',
    rollbackOnFailure: true,
    capacityConstraints: { maxFlowCount: 500, maxQueueCount: 10 },
    targetConfig: { flows }
  }
  await writeFile(join(workspace, 'bundle.yaml'), stringify(manifest))
  return workspace
}

/** One Archy inbound call flow: a menu that transfers to the queue, and to `targetFlow` when given. */
function leveledFlowYaml(name: string, queue: string, targetFlow: string | undefined): string {
  const transferToFlow = targetFlow
    ? `          - menuTransferToFlow:\n              name: Next\n              dtmf: digit_2\n              targetFlow:\n                name: ${targetFlow}\n`
    : ''
  return (
    `inboundCall:\n  name: ${name}\n  division: Home\n  startUpRef: "/inboundCall/menus/menu[Main_10]"\n  defaultLanguage: en-us\n` +
    `  supportedLanguages:\n    en-us:\n      defaultLanguageSkill:\n        noValue: true\n` +
    `  menus:\n    - menu:\n        name: Main\n        refId: Main_10\n        audio:\n          tts: Press 1 for an agent.\n` +
    `        choices:\n          - menuTransferToAcd:\n              name: Agent\n              dtmf: digit_1\n              targetQueue:\n                lit:\n                  name: ${queue}\n` +
    transferToFlow
  )
}
