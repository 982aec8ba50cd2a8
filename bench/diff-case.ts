/**
 * The data of the diff benchmark: a baseline and a bundle configuration of Archy inbound call flows (21 leaves
 * each) that differ by the change mix of change-mix.ts. Pure.
 */
import { countFates, fateOf } from './change-mix.js'

/** A configuration in the `targetConfig` shape. */
export type Config = Record<string, unknown>

/** Both sides of the diff, and the change the mix makes. */
export interface DiffCase {
  flowCount: number
  before: Config
  after: Config
  /** Flows added, removed and modified by the mix. */
  expected: { added: number; removed: number; modified: number }
}

/** The prompt a modified flow's transfer plays instead of the usual one: one changed leaf per modified flow. */
export const MODIFIED_PROMPT = 'Please hold while we transfer you'

/** Key of the flow at `index` under `flows`. */
export function diffFlowName(index: number): string {
  return `flow-${String(index).padStart(6, '0')}`
}

/**
 * One inbound call flow as Archy writes it: a menu with two choices and a task of three actions. Each call builds
 * new objects, as two separately parsed documents are: no value is shared between the two sides.
 */
export function archyFlow(index: number, transferPrompt: string): Config {
  return {
    inboundCall: {
      name: `Flow ${index}`,
      division: 'Home',
      defaultLanguage: 'en-us',
      startUpRef: '/inboundCall/menus/menu[Main Menu_10]',
      initialGreeting: { tts: `Welcome to line ${index}` },
      menus: [
        {
          menu: {
            name: 'Main Menu',
            refId: 'Main Menu_10',
            audio: { tts: 'Press 1 for sales' },
            choices: [
              { menuTransferToAcd: { name: 'Sales', dtmf: 'digit_1', targetQueue: { lit: { name: `Sales ${index % 40}` } } } },
              { menuDisconnect: { name: 'Disconnect', dtmf: 'digit_9' } }
            ]
          }
        }
      ],
      tasks: [
        {
          task: {
            name: 'Main',
            refId: 'Main_12',
            actions: [
              { playAudio: { name: 'Greeting', audio: { tts: 'Hello' } } },
              { transferToAcd: { name: 'Transfer to sales', targetQueue: { lit: { name: 'Sales' } }, preTransferAudio: { tts: transferPrompt } } },
              { disconnect: { name: 'Disconnect' } }
            ]
          }
        }
      ]
    }
  }
}

/** The baseline (`before`) and the bundle (`after`) of `flowCount` flow indexes, with the mix applied. */
export function buildDiffCase(flowCount: number): DiffCase {
  const beforeFlows: Config = {}
  const afterFlows: Config = {}
  for (let index = 0; index < flowCount; index++) {
    const fate = fateOf(index)
    const name = diffFlowName(index)
    if (fate !== 'added') beforeFlows[name] = archyFlow(index, 'Transferring you now')
    if (fate !== 'removed') afterFlows[name] = archyFlow(index, fate === 'modified' ? MODIFIED_PROMPT : 'Transferring you now')
  }
  return { flowCount, before: { flows: beforeFlows }, after: { flows: afterFlows }, expected: countFates(flowCount) }
}
