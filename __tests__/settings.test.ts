import { Inputs, type InputName } from '../src/constants.js'
import { MIN_POLL_INTERVAL_MS, readSecretInputs, readSettings, resolveMode, SettingsError } from '../src/settings.js'

const reader = (values: Partial<Record<InputName, string>>) => (name: InputName) => values[name] ?? ''

const base = { [Inputs.Bundle]: 'bundle.yaml', [Inputs.ClientId]: 'id', [Inputs.ClientSecret]: 'shh' }

function problemsOf(values: Partial<Record<InputName, string>>, eventName = 'push'): string[] {
  try {
    readSettings(reader(values), eventName)
  } catch (error) {
    if (error instanceof SettingsError) return error.problems
    throw error
  }
  throw new Error('expected a SettingsError')
}

describe('readSettings', () => {
  it('applies the action.yml defaults when inputs are not set at all', () => {
    const settings = readSettings(reader(base), 'push')
    expect(settings).toMatchObject({
      mode: 'deploy',
      bundle: 'bundle.yaml',
      api: 'auto',
      region: 'mypurecloud.com',
      apiUrl: 'https://api.mypurecloud.com',
      authUrl: 'https://login.mypurecloud.com',
      comment: true,
      failOnRisk: 'high',
      riskAcceptedLabel: 'genesys-risk-accepted',
      timeoutMs: 600_000,
      pollIntervalMs: 2000,
      maxPollIntervalMs: 15_000,
      auditLog: 'genesys-deploy-audit.jsonl',
      credentials: { clientId: 'id', clientSecret: 'shh' }
    })
    expect(settings.overrideValidation).toBeUndefined()
    expect(settings.rollbackOnFailure).toBeUndefined()
  })

  it('resolves auto mode from the event', () => {
    expect(resolveMode('auto', 'pull_request')).toBe('assess')
    expect(resolveMode('auto', 'pull_request_target')).toBe('assess')
    expect(resolveMode('auto', 'push')).toBe('deploy')
    expect(resolveMode('auto', 'workflow_dispatch')).toBe('deploy')
    expect(resolveMode('deploy', 'pull_request')).toBe('deploy')
  })

  it('accepts AWS-style region names and derives both URLs', () => {
    const settings = readSettings(reader({ ...base, [Inputs.Region]: 'us-west-2' }), 'push')
    expect(settings.region).toBe('usw2.pure.cloud')
    expect(settings.apiUrl).toBe('https://api.usw2.pure.cloud')
    expect(settings.authUrl).toBe('https://login.usw2.pure.cloud')
  })

  it('lets api-url and auth-url override the region, without trailing slashes', () => {
    const settings = readSettings(reader({ ...base, [Inputs.ApiUrl]: 'http://127.0.0.1:8080/', [Inputs.AuthUrl]: 'http://127.0.0.1:9090' }), 'push')
    expect(settings.apiUrl).toBe('http://127.0.0.1:8080')
    expect(settings.authUrl).toBe('http://127.0.0.1:9090')
  })

  it('accepts decimal seconds', () => {
    const settings = readSettings(
      reader({ ...base, [Inputs.PollIntervalSeconds]: '0.25', [Inputs.MaxPollIntervalSeconds]: '1.5', [Inputs.TimeoutSeconds]: '2.5' }),
      'push'
    )
    expect(settings.pollIntervalMs).toBe(250)
    expect(settings.maxPollIntervalMs).toBe(1500)
    expect(settings.adjustments).toEqual([])
    expect(settings.timeoutMs).toBe(2500)
  })

  it('parses optional booleans: empty keeps the manifest, true/false override it', () => {
    const settings = readSettings(
      reader({ ...base, [Inputs.OverrideValidation]: 'TRUE', [Inputs.RollbackOnFailure]: 'false', [Inputs.Comment]: 'False' }),
      'push'
    )
    expect(settings.overrideValidation).toBe(true)
    expect(settings.rollbackOnFailure).toBe(false)
    expect(settings.comment).toBe(false)
  })

  it('reports every problem at once, naming the input, the value and the fix', () => {
    const problems = problemsOf({
      [Inputs.Mode]: 'ship-it',
      [Inputs.Api]: 'flows',
      [Inputs.Region]: 'mars-1',
      [Inputs.FailOnRisk]: 'extreme',
      [Inputs.TimeoutSeconds]: '-3',
      [Inputs.PollIntervalSeconds]: 'soon',
      [Inputs.Comment]: 'maybe',
      [Inputs.WebhookUrl]: 'ftp://example.com/hook'
    })
    expect(problems).toHaveLength(10)
    expect(problems.join('\n')).toContain('mode is deploy (event "push") but `client-id` and `client-secret` are empty')
    expect(problems.join('\n')).toContain('`mode` is "ship-it"; set it to one of: auto, assess, deploy')
    expect(problems.join('\n')).toContain('`api` is "flows"; set it to one of: auto, architect, architecture-manager')
    expect(problems.join('\n')).toMatch(/`region` is "mars-1".*usw2\.pure\.cloud/)
    expect(problems.join('\n')).toContain('`fail-on-risk` is "extreme"')
    expect(problems.join('\n')).toContain('`timeout-seconds` is "-3"')
    expect(problems.join('\n')).toContain('`poll-interval-seconds` is "soon"')
    expect(problems.join('\n')).toContain('`comment` is "maybe"; set it to true or false')
    expect(problems.join('\n')).toContain('`webhook-url` uses the scheme "ftp:"')
    expect(problems.join('\n')).toContain('`bundle` is required')
  })

  it('requires both credentials or neither, and credentials to deploy', () => {
    expect(problemsOf({ [Inputs.Bundle]: 'b.yaml', [Inputs.ClientId]: 'id' }, 'pull_request')).toEqual([
      expect.stringContaining('`client-secret` is empty while its pair is set')
    ])
    expect(problemsOf({ [Inputs.Bundle]: 'b.yaml' }, 'push')).toEqual([
      expect.stringContaining('mode is deploy (event "push") but `client-id` and `client-secret` are empty')
    ])
    expect(readSettings(reader({ [Inputs.Bundle]: 'b.yaml' }), 'pull_request').credentials).toBeUndefined()
  })

  it('polls at the first interval when it is above the largest one', () => {
    const settings = readSettings(reader({ ...base, [Inputs.PollIntervalSeconds]: '20', [Inputs.MaxPollIntervalSeconds]: '15' }), 'push')
    expect(settings.pollIntervalMs).toBe(20_000)
    expect(settings.maxPollIntervalMs).toBe(20_000)
  })

  it('raises a poll interval below 0.2 s to the floor, with a warning naming the input', () => {
    const settings = readSettings(reader({ ...base, [Inputs.PollIntervalSeconds]: '0.001', [Inputs.MaxPollIntervalSeconds]: '0.05' }), 'push')
    expect(settings.pollIntervalMs).toBe(MIN_POLL_INTERVAL_MS)
    expect(settings.maxPollIntervalMs).toBe(MIN_POLL_INTERVAL_MS)
    expect(settings.adjustments).toHaveLength(2)
    expect(settings.adjustments[0]).toMatch(/`poll-interval-seconds` is 0\.001 s, below the floor of 0\.2 s/)
    expect(readSettings(reader(base), 'push').adjustments).toEqual([])
  })

  it('reads the safety inputs with their defaults, and checks each', () => {
    expect(readSettings(reader(base), 'push')).toMatchObject({
      maxParallelJobs: 4,
      onCancel: 'rollback',
      onPlanChange: 'fail',
      requireAssessedPlan: false,
      historyBranch: undefined
    })
    const set = readSettings(
      reader({
        ...base,
        [Inputs.MaxParallelJobs]: '8',
        [Inputs.OnCancel]: 'leave',
        [Inputs.OnPlanChange]: 'warn',
        [Inputs.RequireAssessedPlan]: 'true',
        [Inputs.HistoryBranch]: 'refs/heads/genesys-history'
      }),
      'push'
    )
    expect(set).toMatchObject({ maxParallelJobs: 8, onCancel: 'leave', onPlanChange: 'warn', requireAssessedPlan: true, historyBranch: 'genesys-history' })
    const problems = problemsOf({
      ...base,
      [Inputs.MaxParallelJobs]: '0',
      [Inputs.OnCancel]: 'panic',
      [Inputs.OnPlanChange]: 'ignore',
      [Inputs.RequireAssessedPlan]: 'yes',
      [Inputs.HistoryBranch]: 'bad branch..name'
    })
    expect(problems).toEqual([
      '`max-parallel-jobs` is "0"; set it to a whole number from 1 to 32',
      '`on-cancel` is "panic"; set it to one of: rollback, leave',
      '`on-plan-change` is "ignore"; set it to one of: fail, warn',
      '`require-assessed-plan` is "yes"; set it to true or false',
      expect.stringMatching(/^`history-branch` is "bad branch\.\.name", which is not a valid branch name/)
    ])
  })

  it('reports problems between inputs together with the others', () => {
    const problems = problemsOf({ [Inputs.Bundle]: 'b.yaml', [Inputs.FailOnRisk]: 'bogus', [Inputs.ClientId]: 'id' }, 'pull_request')
    expect(problems).toEqual([expect.stringContaining('`fail-on-risk` is "bogus"'), expect.stringContaining('`client-secret` is empty while its pair is set')])
  })

  it('accepts a webhook secret without a URL (an organization secret set for every job): no webhook is sent', () => {
    const settings = readSettings(reader({ ...base, [Inputs.WebhookSecret]: 'k' }), 'push')
    expect(settings.webhookUrl).toBeUndefined()
    expect(settings.webhookSecret).toBe('k')
  })

  it('never quotes a secret in its messages', () => {
    const values = { [Inputs.Bundle]: 'b.yaml', [Inputs.ClientSecret]: 'TOP-SECRET-VALUE', [Inputs.WebhookUrl]: 'not a url TOP-SECRET-VALUE' }
    const message = problemsOf(values).join('\n')
    expect(message).not.toContain('TOP-SECRET-VALUE')
  })

  it('lists the secret inputs to mask even when the rest is invalid', () => {
    const secrets = readSecretInputs(reader({ [Inputs.ClientSecret]: 's1', [Inputs.WebhookSecret]: 's2', [Inputs.GithubToken]: 'ghs_x', [Inputs.Mode]: 'bad' }))
    expect(secrets).toEqual(expect.arrayContaining(['s1', 's2', 'ghs_x']))
    expect(readSecretInputs(reader({ [Inputs.ClientId]: 'core' }))).toEqual([])
  })
})
