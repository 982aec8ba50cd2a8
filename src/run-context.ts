import { readFileSync } from 'node:fs'
import { baselineRefFromEvent, type BaselineRef } from './assess/baseline-from-git.js'

/** The GitHub facts about this run that records and reports carry. Pure data, read once in main. */
export interface RunContext {
  /** `owner/name`. */
  repository: string
  sha: string
  ref: string
  actor: string
  eventName: string
  /** Link to the workflow run (`{server}/{repo}/actions/runs/{id}`). */
  runUrl: string
  /** Pull request number on pull_request events. */
  pullRequestNumber?: number
  /** Labels of the pull request, as the event payload lists them. */
  pullRequestLabels: string[]
  /** The pull request's head commit, what an assessment assesses. */
  pullRequestHeadSha?: string
  /** The commit whose manifest is the baseline: the pull request's base, or the push's `before`. */
  baselineRef?: BaselineRef
  /**
   * Branches that hold the repository's code as far as this run knows: the default branch, the pushed or checked-out
   * branch, the pull request's base and head. No history may be written to them.
   */
  codeBranches?: string[]
}

interface EventPayload {
  pull_request?: { number?: number; labels?: { name?: string }[]; head?: { sha?: unknown; ref?: unknown }; base?: { ref?: unknown } }
  repository?: { default_branch?: unknown }
  number?: number
}

/**
 * Reads the run's facts from the runner's environment variables and event payload. Reading them directly (not
 * through the GitHub client) keeps the action's start fast; a missing or broken payload only loses the PR facts.
 */
export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? ''
  const server = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, '')
  const runUrl = repository && env.GITHUB_RUN_ID ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : ''
  const payload = readEventPayload(env.GITHUB_EVENT_PATH)
  const pullRequest = payload.pull_request
  const labels = (pullRequest?.labels ?? []).map(label => label?.name).filter((name): name is string => typeof name === 'string')
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const baselineRef = baselineRefFromEvent(eventName, payload)
  return {
    repository,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    eventName,
    runUrl,
    ...(typeof pullRequest?.number === 'number' ? { pullRequestNumber: pullRequest.number } : {}),
    pullRequestLabels: labels,
    ...(typeof pullRequest?.head?.sha === 'string' && /^[0-9a-f]{7,64}$/i.test(pullRequest.head.sha) ? { pullRequestHeadSha: pullRequest.head.sha } : {}),
    ...(baselineRef ? { baselineRef } : {}),
    codeBranches: codeBranchesOf(env, payload)
  }
}

function codeBranchesOf(env: NodeJS.ProcessEnv, payload: EventPayload): string[] {
  const named = [
    payload.repository?.default_branch,
    payload.pull_request?.base?.ref,
    payload.pull_request?.head?.ref,
    env.GITHUB_BASE_REF,
    env.GITHUB_HEAD_REF,
    env.GITHUB_REF?.startsWith('refs/heads/') ? env.GITHUB_REF.slice('refs/heads/'.length) : undefined
  ]
  return [...new Set(named.filter((name): name is string => typeof name === 'string' && name !== ''))]
}

function readEventPayload(path: string | undefined): EventPayload {
  if (!path) return {}
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'))
    return parsed && typeof parsed === 'object' ? (parsed as EventPayload) : {}
  } catch {
    return {}
  }
}
