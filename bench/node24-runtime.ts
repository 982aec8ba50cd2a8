/**
 * The Node.js the action runs on (`using: node24`), and the environment a runner gives a fresh process.
 * Timing a process start needs both: another Node version or an extra environment variable changes the figure.
 */
import { execFileSync, spawn } from 'node:child_process'

/** A Node.js binary and its version. */
export interface NodeRuntime {
  execPath: string
  version: string
}

/** True when this process runs on Node 24, the action's runtime. */
export function isNode24(version = process.version): boolean {
  return /^v24\./.test(version)
}

/**
 * This process when it is Node 24; else resolves Node 24 from the npm registry once (`npx -y -p node@24`: the
 * package ships the binary) and returns its path, so that every timed start runs the binary directly instead of
 * through npx.
 */
export function resolveNode24(): NodeRuntime {
  if (isNode24()) return { execPath: process.execPath, version: process.version }
  const execPath = execFileSync('npx', ['-y', '-p', 'node@24', 'node', '-p', 'process.execPath'], { encoding: 'utf8' }).trim()
  const version = execFileSync(execPath, ['--version'], { encoding: 'utf8' }).trim()
  if (!isNode24(version)) {
    throw new Error(
      `\`npx -y -p node@24\` gave ${JSON.stringify(execPath)} at version ${version}, not 24.x; clear the npx cache (~/.npm/_npx) and run the bench again.`
    )
  }
  return { execPath, version }
}

/**
 * Runs this script again under `node` with the same loader flags (tsx's) and arguments, output passed through;
 * resolves to its exit code. The in-process benchmarks then measure the runtime the action runs on.
 */
export function rerunUnder(node: NodeRuntime, script: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(node.execPath, [...process.execArgv, script, ...args], { stdio: 'inherit' })
    child.once('error', error =>
      reject(new Error(`Could not start ${node.execPath} (${error.message}); clear the npx cache (~/.npm/_npx) and run the bench again.`))
    )
    child.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

/**
 * The environment of a bare process start: PATH and HOME only. In particular without NODE_EXTRA_CA_CERTS (this
 * machine sets it and it costs ~80 ms per start; GitHub's runners do not set it) and without NODE_OPTIONS.
 * `runAction` builds the action's environment the same way, from scratch.
 */
export function bareEnvironment(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }
}
