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
}
