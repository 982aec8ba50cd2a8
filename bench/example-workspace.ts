/** Fresh copies of the example bundle (`examples/`), one per run, as a checkout would give each job. */
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const EXAMPLES = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', 'examples')

/** A temp folder that hands out workspaces and removes them all at the end. */
export interface WorkspacePool {
  /** A new workspace holding a copy of `examples/` (bundle.yaml, baseline.yaml, flows/). */
  next(): Promise<string>
  /** Removes every workspace handed out. */
  dispose(): Promise<void>
}

/** Creates a pool under the system temp folder; `label` names it (`gbd-bench-cold-start-…`). */
export async function exampleWorkspaces(label: string): Promise<WorkspacePool> {
  const root = await mkdtemp(join(tmpdir(), `gbd-bench-${label}-`))
  let count = 0
  return {
    async next() {
      const workspace = join(root, `run-${++count}`)
      await cp(EXAMPLES, workspace, { recursive: true })
      return workspace
    },
    dispose: () => rm(root, { recursive: true, force: true })
  }
}
