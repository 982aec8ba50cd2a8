/**
 * The Python reference of the diff benchmark (bench/reference_diff.py) must do the same work as computeDiff, or the
 * ratio between them means nothing: on the benchmark's own data and on the constructs whose paths are spelled
 * differently (keys holding dots, items by name, refId or type, moved items, plain lists), both find the same paths.
 * Runs python3 on tiny inputs; nothing is timed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeDiff } from '../src/assess/diff.js'
import { buildDiffCase } from '../bench/diff-case.js'
import { pathDisagreement, startPythonReference, type PythonDiffResult } from '../bench/python-reference.js'

let folder: string

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'bench-python-reference-'))
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

/** Python's result on `before` / `after`, after one timed run. */
async function pythonDiff(name: string, before: unknown, after: unknown): Promise<{ result: PythonDiffResult; ms: number }> {
  const file = join(folder, `${name}.json`)
  await writeFile(file, JSON.stringify({ before, after }))
  const python = await startPythonReference(file)
  try {
    const ms = await python.time()
    return { result: await python.paths(), ms }
  } finally {
    await python.close()
  }
}

describe('reference_diff.py', () => {
  it('finds exactly computeDiff’s paths on the benchmark’s data, and HIGH risk for the removed flows', async () => {
    const testCase = buildDiffCase(600)
    const { result, ms } = await pythonDiff('case', testCase.before, testCase.after)
    const diff = computeDiff(testCase.before, testCase.after)
    expect(pathDisagreement(result, diff)).toBeUndefined()
    expect([result.added.length, result.removed.length, result.modified.length]).toEqual([3, 3, 6])
    expect(result.modified[0]).toBe('flows.flow-000007.inboundCall.tasks[Main].actions[Transfer to sales].preTransferAudio.tts')
    expect(result.risk).toBe('HIGH')
    expect(ms).toBeGreaterThan(0)
  })

  it('spells every kind of path as computeDiff does', async () => {
    const before = {
      flows: {
        'main.entry': { version: '1.0', skills: ['claims', 'policy'], 'rate.limit': 5 },
        menu: {
          menus: [{ menu: { name: 'Main', choices: [{ menuDisconnect: { name: 'Bye', dtmf: 'digit_9' } }] } }],
          actions: [{ playAudio: { name: 'Hello' } }, { disconnect: { name: 'End' } }, { transferToAcd: { name: 'Press [1]', queue: 'a' } }],
          steps: [
            { refId: 7, wait: 1 },
            { refId: 8, wait: 2 }
          ],
          loose: [{ a: 1 }, { a: 2 }]
        }
      },
      queues: { sales: { serviceLevel: '80/20', '': 'empty key' } }
    }
    const after = {
      flows: {
        'main.entry': { version: '1.1', skills: ['claims'], 'rate.limit': 5, added: true },
        menu: {
          menus: [{ menu: { name: 'Main', choices: [{ menuDisconnect: { name: 'Bye', dtmf: 'digit_8' } }, { menuTransferToAcd: { name: 'Sales' } }] } }],
          actions: [{ disconnect: { name: 'End' } }, { playAudioOnSilence: { name: 'Hello' } }, { transferToAcd: { name: 'Press [1]', queue: 'b' } }],
          steps: [
            { refId: 7, wait: 1 },
            { refId: 8, wait: 3 }
          ],
          loose: [{ a: 1 }, { a: 3 }]
        }
      },
      queues: { sales: { serviceLevel: '90/30' } }
    }
    const { result } = await pythonDiff('spelling', before, after)
    const diff = computeDiff(before, after)
    expect(pathDisagreement(result, diff)).toBeUndefined()
    expect(new Set([...result.added, ...result.removed, ...result.modified])).toEqual(new Set([...diff.added, ...diff.removed, ...diff.modified]))
    // Not vacuous: each construct shows up.
    expect(diff.modified).toEqual(
      expect.arrayContaining([
        'flows["main.entry"].version',
        'flows.menu.actions',
        'flows.menu.actions[Hello]',
        'flows.menu.actions[="Press [1]"].queue',
        'flows.menu.steps[8].wait',
        'flows.menu.loose'
      ])
    )
    expect(diff.removed).toEqual(expect.arrayContaining(['queues.sales[""]']))
    expect(diff.added).toEqual(expect.arrayContaining(['flows.menu.menus[Main].choices[Sales]', 'flows["main.entry"].added']))
    expect(result.risk).toBe('MEDIUM')
  })

  it('names the first path one side found and the other did not', () => {
    const diff = computeDiff({ flows: { a: { v: 1 } } }, { flows: { a: { v: 2 } } })
    expect(pathDisagreement({ added: [], removed: [], modified: ['flows.a.v'], risk: 'MEDIUM' }, diff)).toBeUndefined()
    expect(pathDisagreement({ added: [], removed: [], modified: ['flows.a'], risk: 'MEDIUM' }, diff)).toBe(
      'modified "flows.a.v" is in computeDiff\'s result but not in Python\'s'
    )
    expect(pathDisagreement({ added: ['flows.b'], removed: [], modified: ['flows.a.v'], risk: 'MEDIUM' }, diff)).toBe(
      'added "flows.b" is in Python\'s result but not in computeDiff\'s'
    )
  })

  it('says how to get Python when it cannot start', async () => {
    await expect(startPythonReference(join(folder, 'case.json'), 'python3-that-is-not-installed')).rejects.toThrow(/install Python 3 or put python3 on PATH/)
  })
})
