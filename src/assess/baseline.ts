import { dirname, relative, resolve } from 'node:path'
import { readYamlSource } from '../bundle/yaml-source.js'
import { RESOURCE_TEXT_DEPTH } from '../bundle/manifest-source.js'
import { shownText } from '../bundle/shown-text.js'
import { Inputs } from '../constants.js'
import { MAX_FLOW_FILE_BYTES, MAX_MANIFEST_BYTES, readWorkspaceFile } from '../workspace-file.js'
import { readBaselineFlowFiles } from './baseline-from-git.js'
import type { Baseline } from './plan.js'
import { isMapping } from '../mapping.js'
import { digestBaselineTexts } from './plan-digest.js'

/** Most bytes of flow files one baseline may hold, as for the bundle itself. */
const MAX_TOTAL_BASELINE_FLOW_BYTES = 256 * 1024 * 1024

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
  const shown = JSON.stringify(shownText(path))
  const read = await readWorkspaceFile(path, { workspace, maxBytes: MAX_MANIFEST_BYTES, describe: `The \`${Inputs.Baseline}\` input ${shown}` })
  if (!read.ok) {
    if (read.problem === 'missing') {
      throw new Error(
        `\`${Inputs.Baseline}\` names ${shown}, which cannot be read (ENOENT); set it to the path of a manifest (YAML or JSON) in the workspace, or leave it empty`
      )
    }
    throw new Error(read.message)
  }
  const source = readYamlSource(read.text, path, { format: /\.json$/i.test(path) ? 'JSON' : 'YAML', mappingTextDepth: RESOURCE_TEXT_DEPTH })
  const error = source.findings.find(finding => finding.severity === 'error')
  if (error !== undefined) {
    throw new Error(`\`${Inputs.Baseline}\` file ${shown} is not valid YAML or JSON: line ${error.line ?? 1}: ${error.message}`)
  }
  const document = source.data
  const config = baselineConfigOf(document)
  if (config === undefined) {
    throw new Error(`\`${Inputs.Baseline}\` file ${shown} holds neither a \`targetConfig\` mapping nor \`flows\` / \`queues\`; point it at a bundle manifest`)
  }
  // The flow files it references, so that the architect API's diff compares flow documents on both sides. They go
  // through the same gate as the bundle's: a file outside the workspace, or too large, counts as not there.
  const substitutions = isMapping(document) && isMapping(document.substitutions) ? document.substitutions : {}
  const folder = dirname(relative(workspace, resolve(workspace, path)))
  let budget = MAX_TOTAL_BASELINE_FLOW_BYTES
  const flowFiles = await readBaselineFlowFiles(config, substitutions, folder, async file => {
    if (budget <= 0) return undefined
    const flowFile = await readWorkspaceFile(file, { workspace, maxBytes: MAX_FLOW_FILE_BYTES, describe: `The baseline's flow file \`${shownText(file)}\`` })
    if (!flowFile.ok) return undefined
    budget -= flowFile.bytes
    return budget >= 0 ? flowFile.text : undefined
  })
  return {
    source: 'input',
    description: `Baseline from the \`${Inputs.Baseline}\` file \`${shownText(path)}\`${flowFiles.note}.`,
    config,
    files: flowFiles.files,
    sourceDigest: digestBaselineTexts(read.text, flowFiles.files)
  }
}

/** The targetConfig of a baseline document: a manifest's `targetConfig`, or the document itself when it is one. */
export function baselineConfigOf(document: unknown): Record<string, unknown> | undefined {
  if (!isMapping(document)) return undefined
  if (isMapping(document.targetConfig)) return document.targetConfig
  if (isMapping(document.flows) || isMapping(document.queues)) return document
  return undefined
}
