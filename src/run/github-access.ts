/**
 * The run's use of the GitHub API: the helper made on first use, the merged pull request of a push, and the sticky
 * comment. GitHub is never essential: every failure here is a warning, never a failed run.
 */
import { describeError } from '../error-message.js'
import { createGitHubHelper, type GitHubHelper } from '../github/github-helper.js'
import { redactSecrets } from '../redact-secrets.js'
import { upsertStickyComment } from '../report/sticky-comment.js'
import type { RunContext } from '../run-context.js'
import type { Settings } from '../settings.js'
import type { ActionIO, RunDependencies } from './action-io.js'
import type { RunState } from './run-state.js'

/** Memoizes the GitHub helper; a helper that cannot be made is a warning and no helper. */
export function lazyGitHub(settings: Settings, context: RunContext, deps: RunDependencies): () => Promise<GitHubHelper | undefined> {
  let helper: Promise<GitHubHelper | undefined> | undefined
  return () =>
    (helper ??= createGitHubHelper({
      token: settings.githubToken,
      apiUrl: deps.env.GITHUB_API_URL,
      repository: context.repository,
      log: message => deps.io.info(message),
      sleep: deps.sleep,
      random: deps.random
    }).catch(error => {
      deps.io.warning(`The GitHub API cannot be used (${describeError(error)}); no pull request comment or baseline from git.`)
      return undefined
    }))
}

/** The merged pull request that brought this push's commit, whose sticky comment follows the deployment. */
export async function findMergedPullRequest(state: RunState, context: RunContext, io: ActionIO): Promise<number | undefined> {
  const github = context.sha ? await state.github?.() : undefined
  if (!github) return undefined
  try {
    const pulls = await github.findPullRequestsForCommit(context.sha)
    return pulls.find(pull => pull.merged)?.number
  } catch (error) {
    io.warning(`Could not find the pull request of commit ${context.sha.slice(0, 7)} to report the deployment on: ${describeError(error)}`)
    return undefined
  }
}

/** Creates or updates the sticky comment; a token that cannot comment is a warning with the fix, never a failure. */
export async function publishComment(state: RunState, body: string, io: ActionIO): Promise<void> {
  const prNumber = state.commentPullRequest
  const plan = state.plan
  const github = prNumber !== undefined && plan ? await state.github?.() : undefined
  if (prNumber === undefined || !plan || !github) return
  try {
    const outcome = await upsertStickyComment(github, {
      prNumber,
      bundleId: plan.bundleId,
      environmentId: plan.environmentId,
      body: redactSecrets(body, state.secrets)
    })
    io.info(`Pull request #${prNumber}: comment ${outcome.action}${outcome.htmlUrl ? ` (${outcome.htmlUrl})` : ''}`)
  } catch (error) {
    io.warning(redactSecrets(`Could not comment on pull request #${prNumber}: ${describeError(error)}`, state.secrets))
  }
}
