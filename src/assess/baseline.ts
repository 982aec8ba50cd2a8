import { readFile } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import { parse } from 'yaml'
import { Inputs } from '../constants.js'
import { readBaselineFlowFiles } from './baseline-from-git.js'
import type { Baseline } from './plan.js'
import { isMapping } from '../mapping.js'

/** No baseline at all: everything in the bundle shows as added. */
export function emptyBaseline(): Baseline {
  return {
    source: 'empty',
    description: 'No baseline was found, so every resource in the bundle shows as added.',
    config: {}
  }
}

/**
 * Reads the `baseline` input: a manifest (its `targetConfig` is compared) or a bare `{flows, queues}` document,
 * in YAML or JSON. Throws an instruction when the file cannot be used.
 */
export async function readBaselineFile(path: string, workspace: string): Promise<Baseline> {
  const absolute = resolve(workspace, path)
  let text: string
  try {
    text = await readFile(absolute, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new Error(`\`${Inputs.Baseline}\` names ${JSON.stringify(path)}, which cannot be read (${code ?? 'error'}); set it to the path of a manifest (YAML or JSON) in the workspace, or leave it empty`)
  }
  let document: unknown
  try {
    document = parse(text)
  } catch (error) {
    throw new Error(`\`${Inputs.Baseline}\` file ${JSON.stringify(path)} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`)
  }
  const config = baselineConfigOf(document)
  if (config === undefined) {
    throw new Error(`\`${Inputs.Baseline}\` file ${JSON.stringify(path)} holds neither a \`targetConfig\` mapping nor \`flows\` / \`queues\`; point it at a bundle manifest`)
  }
  // The flow files it references, so that the architect API's diff compares flow documents on both sides.
  const substitutions = isMapping(document) && isMapping(document.substitutions) ? document.substitutions : {}
  const folder = dirname(relative(workspace, absolute))
  const flowFiles = await readBaselineFlowFiles(config, substitutions, folder, file =>
    readFile(resolve(workspace, file), 'utf8').catch(() => undefined)
  )
  return { source: 'input', description: `Baseline from the \`${Inputs.Baseline}\` file \`${path}\`${flowFiles.note}.`, config, files: flowFiles.files }
}

/** The targetConfig of a baseline document: a manifest's `targetConfig`, or the document itself when it is one. */
export function baselineConfigOf(document: unknown): Record<string, unknown> | undefined {
  if (!isMapping(document)) return undefined
  if (isMapping(document.targetConfig)) return document.targetConfig
  if (isMapping(document.flows) || isMapping(document.queues)) return document
  return undefined
}
