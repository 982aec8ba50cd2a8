/**
 * One run of the action, in process, on a repository checkout against the Genesys simulator and the GitHub API
 * stand-in, with an event payload written as the runner writes it: what the pull-request tests share.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { InputName } from '../src/constants.js'
import { run } from '../src/main.js'
import type { GitHubApiStandIn } from '../simulator/github-api.js'
import type { Simulator } from '../simulator/server.js'
import { RecordingIO, type VirtualClock } from './recording-io.js'

/** Where a repository run happens. */
export interface RepositoryRunWorld {
  workspace: string
  simulator: Simulator
  github: GitHubApiStandIn
  clock: VirtualClock
  repository: string
  token: string
}

/** Runs the action once (`api: architecture-manager` on `bundle.yaml` unless the inputs say otherwise). */
export async function runOnRepository(
  world: RepositoryRunWorld,
  options: { inputs?: Partial<Record<InputName, string>>; eventName: string; event: unknown; sha: string }
): Promise<RecordingIO> {
  const eventPath = join(world.workspace, `event-${Math.random().toString(36).slice(2)}.json`)
  await writeFile(eventPath, JSON.stringify(options.event))
  const io = new RecordingIO({
    api: 'architecture-manager',
    bundle: 'bundle.yaml',
    'api-url': world.simulator.url,
    'auth-url': world.simulator.url,
    'client-id': 'sim-client',
    'client-secret': 'sim-secret',
    'github-token': world.token,
    'poll-interval-seconds': '1',
    ...options.inputs
  })
  await run({
    io,
    env: {
      GITHUB_WORKSPACE: world.workspace,
      GITHUB_EVENT_NAME: options.eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: world.repository,
      GITHUB_SHA: options.sha,
      GITHUB_RUN_ID: '99',
      GITHUB_API_URL: world.github.url,
      RUNNER_TEMP: world.workspace
    },
    now: world.clock.now,
    sleep: world.clock.sleep,
    random: () => 0.5
  })
  return io
}
