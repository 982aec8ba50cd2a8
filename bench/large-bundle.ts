/**
 * Planning and reporting a large bundle in this process: what the action does between its start and its first
 * request (load, baseline, diff, impact) and after it (job summary, PR comment), on 500 flows and 100 queues. The
 * reference is `node -e 0` of the same run (see cold-start.ts): the earlier absolute goals over its idle figure.
 */
import { rm } from 'node:fs/promises'
import { assemblePlan } from '../src/assess/assemble-plan.js'
import { readBaselineFile } from '../src/assess/baseline.js'
import { decideGate } from '../src/assess/gate.js'
import type { Plan, RemoteValidationOutcome } from '../src/assess/plan.js'
import { loadBundle } from '../src/bundle/loader.js'
import { FinalStatus } from '../src/constants.js'
import { COMMENT_MAX_BYTES, renderComment } from '../src/report/comment.js'
import { renderJobSummary } from '../src/report/render-report.js'
import type { RunContext } from '../src/run-context.js'
import { overIdleNodeStart } from './cold-start.js'
import { changeKindOf, LARGE_BUNDLE, retiredCount, writeLargeBundle, type LargeBundleSpec } from './large-bundle-fixture.js'
import { measureRuns } from './measure.js'
import { summarize, type TimingSummary } from './stats.js'
import { row, timedFigure, type BenchRow, type Goal, type Reference } from './verdict.js'

/** Load + plan is on the path of every run, before the first request to the platform: 500 ms when idle. */
export const PLAN_GOAL = overIdleNodeStart(500)

/** Rendering is pure string work; it should never be what a run waits for: 100 ms when idle. */
export const RENDER_GOAL = overIdleNodeStart(100)

const PLAN_RUNS = { warmupRuns: 3, runs: 15, budgetMs: 15_000 }
const RENDER_RUNS = { warmupRuns: 5, runs: 30, budgetMs: 10_000 }

/** Platform validation as a deploy with credentials sees it, so that the report shows every section. */
const PASSED_VALIDATION: RemoteValidationOutcome = {
  ran: true,
  valid: true,
  warnings: ['Flow flow-0004 has no outbound route configured'],
  errors: [],
  schemaVersion: '1.0',
  environmentCapacity: { availableFlowSlots: 1000, requiredFlowSlots: LARGE_BUNDLE.flows }
}

const CONTEXT: RunContext = {
  repository: 'acme/contact-center',
  sha: '0123456789abcdef0123456789abcdef01234567',
  ref: 'refs/pull/12/merge',
  actor: 'octocat',
  eventName: 'pull_request',
  runUrl: 'https://github.com/acme/contact-center/actions/runs/4242',
  pullRequestNumber: 12,
  pullRequestLabels: []
}

/**
 * Load + plan, its two parts (as shares of it), then the job summary and the PR comment, against `nodeStart`
 * (`node -e 0` of the same run; without it the judged rows are ERROR, as their goals are ratios to it).
 */
export async function benchmarkLargeBundle(nodeStart: Reference | undefined, spec: LargeBundleSpec = LARGE_BUNDLE): Promise<BenchRow[]> {
  const workspace = await writeLargeBundle(spec)
  try {
    const size = `${spec.flows} flows (${Math.ceil(spec.flows / spec.flowFileEvery)} with flow files), ${spec.queues} queues`
    const loadOnly = (): ReturnType<typeof loadBundle> => loadBundle('bundle.yaml', { workspace })
    const planOnce = async (): Promise<Plan> => {
      const [loaded, baseline] = await Promise.all([loadOnly(), readBaselineFile('baseline.yaml', workspace)])
      return assemblePlan({ api: 'architecture-manager', loaded, baseline, remoteValidation: PASSED_VALIDATION })
    }

    const plan = await planOnce()
    expectPlanOfSpec(plan, spec)
    const loaded = await loadOnly()
    const baseline = await readBaselineFile('baseline.yaml', workspace)

    const planSummary = summarize(await measureRuns(planOnce, PLAN_RUNS))
    const loadSummary = summarize(await measureRuns(loadOnly, PLAN_RUNS))
    const assembleSummary = summarize(
      await measureRuns(async () => assemblePlan({ api: 'architecture-manager', loaded, baseline, remoteValidation: PASSED_VALIDATION }), PLAN_RUNS)
    )

    const options = { status: FinalStatus.Assessed, gate: decideGate(plan.impact, 'high', CONTEXT.pullRequestLabels, 'genesys-risk-accepted') }
    let summaryBytes = 0
    let commentBytes = 0
    const summarySummary = summarize(
      await measureRuns(async () => (summaryBytes = Buffer.byteLength(renderJobSummary(plan, undefined, CONTEXT, options))), RENDER_RUNS)
    )
    const commentSummary = summarize(
      await measureRuns(async () => (commentBytes = Buffer.byteLength(renderComment(plan, undefined, CONTEXT, options))), RENDER_RUNS)
    )
    const diffText = `diff ${plan.diff.added.length} added, ${plan.diff.removed.length} removed, ${plan.diff.modified.length} modified paths`

    const whole: Reference = { ...timedFigure(planSummary), name: 'load + plan' }
    const judged = (name: string, summary: TimingSummary, goal: Goal, note: string): BenchRow =>
      row({ group: 'earlier', name, measured: timedFigure(summary), ...(nodeStart ? { reference: nodeStart } : {}), goal, note })
    const part = (name: string, summary: TimingSummary, note: string): BenchRow =>
      row({ group: 'earlier', name, measured: timedFigure(summary), reference: whole, note })
    return [
      judged('large bundle: load + plan', planSummary, PLAN_GOAL, `${size}; loadBundle + readBaselineFile + assemblePlan; ${diffText}`),
      part('large bundle: loadBundle only', loadSummary, 'part of load + plan: manifest parsed with positions, schema checks, flow files read and checked'),
      part('large bundle: assemblePlan only', assembleSummary, 'part of load + plan: diff, impact, fingerprint'),
      judged('large bundle: renderJobSummary', summarySummary, RENDER_GOAL, `${kib(summaryBytes)} of markdown`),
      judged(
        'large bundle: renderComment',
        commentSummary,
        RENDER_GOAL,
        `${kib(commentBytes)} of markdown (a PR comment is capped at ${COMMENT_MAX_BYTES} bytes)`
      )
    ]
  } finally {
    await rm(workspace, { recursive: true, force: true })
  }
}

/**
 * Throws when the generated bundle did not load or its diff is not the one generated: then the loader stopped
 * early or the fixture drifted, and the timing would flatter it.
 */
function expectPlanOfSpec(plan: Plan, spec: LargeBundleSpec): void {
  if (plan.bundle === undefined) {
    const errors = plan.localFindings.filter(finding => finding.severity === 'error').slice(0, 3)
    throw new Error(
      `The generated bundle did not load: ${errors.map(finding => `${finding.file}:${finding.line ?? 1} ${finding.message}`).join(' / ')}. ` +
        'Update bench/large-bundle-fixture.ts to the manifest schema.'
    )
  }
  const added = countAdded(spec.flows) + countAdded(spec.queues)
  const removed = retiredCount(spec.flows) + retiredCount(spec.queues)
  if (plan.diff.added.length !== added || plan.diff.removed.length !== removed || plan.diff.modified.length === 0) {
    throw new Error(
      `The plan of the generated bundle has ${plan.diff.added.length} added / ${plan.diff.removed.length} removed / ` +
        `${plan.diff.modified.length} modified paths; the fixture makes ${added} added, ${removed} removed and some modified. ` +
        'Check computeDiff or bench/large-bundle-fixture.ts.'
    )
  }
}

function countAdded(count: number): number {
  let added = 0
  for (let index = 0; index < count; index++) if (changeKindOf(index) === 'added') added++
  return added
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`
}
