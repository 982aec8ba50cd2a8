import type { GitHubHelper, IssueComment } from '../github/github-helper.js'
import { isCommentFor } from './comment.js'

/** Which pull request, bundle and environment a sticky comment is about. */
export interface StickyCommentKey {
  prNumber: number
  bundleId: string
  environmentId: string
}

/** The comment to write: its body must carry the marker of its bundle and environment (see `renderComment`). */
export interface StickyCommentTarget extends StickyCommentKey {
  body: string
}

/** What the upsert did. */
export interface StickyCommentOutcome {
  action: 'created' | 'updated' | 'unchanged'
  commentId: number
  htmlUrl: string
  /** Older comments with the same marker (an earlier bug or two jobs racing), left as they are. */
  duplicateIds: number[]
}

/** The calls the sticky comment needs, so a caller can pass the helper or anything that speaks for it. */
export type CommentApi = Pick<GitHubHelper, 'listIssueComments' | 'createComment' | 'updateComment'>

/**
 * Among a pull request's comments, this action's comment for the bundle and environment: the newest when there
 * are several (an earlier bug, two jobs that raced), with the others as duplicates. Comments of other tools,
 * people, bundles or environments never match. Pure.
 */
export function pickStickyComment(
  comments: readonly IssueComment[],
  bundleId: string,
  environmentId: string
): { comment?: IssueComment; duplicates: IssueComment[] } {
  const matching = comments.filter(comment => isBotAuthor(comment.author) && isCommentFor(comment.body, bundleId, environmentId)).sort(newestFirst)
  const [comment, ...duplicates] = matching
  return comment ? { comment, duplicates } : { duplicates: [] }
}

/** This action's comment for the bundle and environment on the pull request, if there is one. */
export async function findStickyComment(api: Pick<GitHubHelper, 'listIssueComments'>, key: StickyCommentKey): Promise<IssueComment | undefined> {
  return pickStickyComment(await api.listIssueComments(key.prNumber), key.bundleId, key.environmentId).comment
}

/**
 * Keeps one comment per pull request, bundle and environment: updates the newest matching comment in place
 * (leaving it alone when the body is the same), or creates one. Throws a `GitHubApiError` the caller turns into
 * a warning: a missing comment never fails a run.
 */
export async function upsertStickyComment(api: CommentApi, target: StickyCommentTarget): Promise<StickyCommentOutcome> {
  const { prNumber, bundleId, environmentId, body } = target
  if (!isCommentFor(body, bundleId, environmentId)) {
    // Without its marker the next run could not find this comment and would post another one.
    throw new Error(
      `The comment for bundle ${JSON.stringify(bundleId)} on environment ${JSON.stringify(environmentId)} carries no marker for them; ` +
        'render it with renderComment so that later runs find and update it.'
    )
  }
  const { comment, duplicates } = pickStickyComment(await api.listIssueComments(prNumber), bundleId, environmentId)
  const duplicateIds = duplicates.map(duplicate => duplicate.id)
  if (comment === undefined) {
    const created = await api.createComment(prNumber, body)
    return { action: 'created', commentId: created.id, htmlUrl: created.htmlUrl, duplicateIds }
  }
  if (comment.body === body) return { action: 'unchanged', commentId: comment.id, htmlUrl: comment.htmlUrl, duplicateIds }
  const updated = await api.updateComment(comment.id, body)
  return { action: 'updated', commentId: updated.id, htmlUrl: updated.htmlUrl, duplicateIds }
}

/**
 * Only comments written by a bot (`github-actions[bot]` for the job token, `<app>[bot]` for a GitHub App token) count:
 * anyone can post a comment that spells the marker, and a deploy trusts the marker's assessed plan.
 */
export function isBotAuthor(login: string): boolean {
  return login.endsWith('[bot]')
}

/** Newest first by creation time; ids grow with time, so they settle comments created in the same second. */
function newestFirst(a: IssueComment, b: IssueComment): number {
  return (Date.parse(b.createdAt) || 0) - (Date.parse(a.createdAt) || 0) || b.id - a.id
}
