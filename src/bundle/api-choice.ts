/**
 * Which Genesys Cloud API deploys a bundle when the `api` input is `auto`: decided from the bundle's flows, because
 * a real org has only the public Architect API (flows as Archy files), while a bundle of flow settings needs the
 * bundle endpoints. Pure.
 */
import { Inputs } from '../constants.js'
import type { ApiName } from '../genesys/driver.js'
import type { ApiChoice } from '../settings.js'

/** The API a run uses and why, for the log and the report. */
export interface ChosenApi {
  api: ApiName
  /** One sentence: "`api: architect` (set in the workflow)", "… because its 3 flows are Archy files (`file:`)". */
  reason: string
}

/** A bundle that mixes Archy files and flow settings cannot go through one API: `flows` names each kind. */
export interface ApiChoiceProblem {
  withFile: string[]
  withoutFile: string[]
  message: string
}

/** Flow names shown in a message before "and N more". */
const NAMES_SHOWN = 5

/**
 * The API for `choice` and the bundle's flows (`targetConfig.flows`, by name, with their `file:` when they have one).
 * An explicit choice wins; `auto` means `architect` when every flow is an Archy file, `architecture-manager` when none
 * is (or there are no flows), and a problem naming the flows of each kind when they are mixed.
 */
export function chooseApi(choice: ApiChoice, flows: Readonly<Record<string, { file?: unknown }>>): ChosenApi | ApiChoiceProblem {
  if (choice !== 'auto') return { api: choice, reason: `\`${Inputs.Api}: ${choice}\`, as set in the workflow` }
  const names = Object.keys(flows)
  const withFile = names.filter(name => flows[name]?.file !== undefined)
  const withoutFile = names.filter(name => flows[name]?.file === undefined)
  if (withFile.length > 0 && withoutFile.length > 0) {
    return {
      withFile,
      withoutFile,
      message:
        `\`${Inputs.Api}: auto\` cannot choose an API for this bundle: ${describeNames(withFile)} ${withFile.length === 1 ? 'is an Archy file' : 'are Archy files'} ` +
        `(\`file:\`, deployed by \`api: architect\`) but ${describeNames(withoutFile)} ${withoutFile.length === 1 ? 'is' : 'are'} settings only ` +
        '(deployed by `api: architecture-manager`). Give every flow a `file:` (real orgs deploy Archy files), or set the ' +
        `\`${Inputs.Api}\` input to the API you mean.`
    }
  }
  if (withFile.length > 0) {
    return {
      api: 'architect',
      reason: `\`${Inputs.Api}: auto\` chose \`architect\`: the bundle's ${withFile.length === 1 ? 'flow is an Archy file' : `${withFile.length} flows are Archy files`} (\`file:\`)`
    }
  }
  return {
    api: 'architecture-manager',
    reason:
      names.length === 0
        ? `\`${Inputs.Api}: auto\` chose \`architecture-manager\`: the bundle has no flows to deploy as Archy files`
        : `\`${Inputs.Api}: auto\` chose \`architecture-manager\`: the bundle's flows are settings only (no \`file:\`)`
  }
}

/** True when chooseApi found a mix it cannot deploy. */
export function isApiChoiceProblem(chosen: ChosenApi | ApiChoiceProblem): chosen is ApiChoiceProblem {
  return 'message' in chosen && !('api' in chosen)
}

function describeNames(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).map(name => `\`${name}\``)
  const more = names.length - shown.length
  return `flow${names.length === 1 ? '' : 's'} ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`
}
