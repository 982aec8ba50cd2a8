/**
 * A corpus of malformed and hostile inputs, as a pull request (or a careless workflow) can deliver them: manifests,
 * flow files, inputs, names, paths, encodings and sizes. Each case says how to lay out the workspace and what the run
 * must say. Used by __tests__/hostile-corpus.test.ts.
 */

/** A file of the workspace: text, bytes, a symbolic link, a FIFO, a folder, or a sparse file of a given size. */
export type CaseFile = string | Buffer | { symlink: string } | { fifo: true } | { folder: true } | { sparseBytes: number }

/** Secrets the corpus plants: none may appear anywhere the run writes. */
export const CORPUS_SECRETS = {
  clientSecret: 'corpus-client-secret-5Kd9',
  githubToken: 'ghs_corpusTokenAAAAAAAAAAAAAAAAAAAAAAAA',
  webhookSecret: 'corpus-hook-key-71Qe'
} as const

export interface HostileCase {
  name: string
  /** Workspace files by relative path; `bundle.yaml` defaults to a valid manifest when not given. */
  files?: Record<string, CaseFile>
  /** Inputs over the corpus defaults. */
  inputs?: Record<string, string>
  /** The status the run must end with. */
  status: string
  /** Each must match the failure message or one annotation (what names the input or file:line). */
  mentions: RegExp[]
  /** The platform must not be asked anything (an invalid bundle or invalid inputs). Default true. */
  noRequests?: boolean
}

/** A valid manifest (architecture-manager: flows are settings) that cases vary. */
export function manifest(extra: { bundleId?: string; environmentId?: string; flows?: string; queues?: string; more?: string } = {}): string {
  return [
    `bundleId: ${extra.bundleId ?? 'core'}`,
    `environmentId: ${extra.environmentId ?? 'prod-1'}`,
    'targetConfig:',
    '  flows:',
    extra.flows ?? '    main-entry: { version: 2.1.0 }',
    '  queues:',
    extra.queues ?? '    sales: { serviceLevel: "80/20" }',
    extra.more ?? ''
  ].join('\n')
}

/** A manifest whose one flow is an Archy file (architect API). */
export function archyManifest(file = 'flows/main.yaml', more = ''): string {
  return ['bundleId: core', 'environmentId: prod-1', 'targetConfig:', '  flows:', `    main: { file: ${file} }`, more].join('\n')
}

const ARCHY =
  'inboundCall:\n  name: Main\n  startUpRef: ./tasks/task[Main]\n  tasks:\n    - task:\n        name: Main\n        refId: Main\n        actions:\n          - disconnect:\n              name: Bye\n'

const deep = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`
const deepBlock = (depth: number): string => Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n'
const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
  .join('\n')
const INVALID = Buffer.concat([Buffer.from('bundleId: caf'), Buffer.from([0xe9]), Buffer.from('\nenvironmentId: prod-1\ntargetConfig: {}\n')])

/** The cases. Every one must fail with a clear message and leak nothing. */
export const HOSTILE_CASES: HostileCase[] = [
  // ---- the `bundle` input: paths and files
  { name: 'bundle outside the workspace (../)', inputs: { bundle: '../outside.yaml' }, status: 'VALIDATION_FAILED', mentions: [/outside the workspace/] },
  { name: 'bundle as an absolute path outside', inputs: { bundle: '/etc/passwd' }, status: 'VALIDATION_FAILED', mentions: [/outside the workspace/] },
  {
    name: 'bundle linked to /proc/self/environ',
    files: { 'bundle.yaml': { symlink: '/proc/self/environ' } },
    status: 'VALIDATION_FAILED',
    mentions: [/outside the workspace/]
  },
  { name: 'bundle linked to .git/config', files: { 'bundle.yaml': { symlink: '.git/config' } }, status: 'VALIDATION_FAILED', mentions: [/\.git/] },
  { name: 'bundle inside .git', inputs: { bundle: '.git/config' }, status: 'VALIDATION_FAILED', mentions: [/\.git/] },
  { name: 'bundle is a folder', files: { 'bundle.yaml': { folder: true } }, status: 'VALIDATION_FAILED', mentions: [/folder/] },
  { name: 'bundle is a FIFO', files: { 'bundle.yaml': { fifo: true } }, status: 'VALIDATION_FAILED', mentions: [/not a regular file/] },
  { name: 'bundle does not exist', inputs: { bundle: 'nope.yaml' }, status: 'VALIDATION_FAILED', mentions: [/nope\.yaml/] },
  { name: 'bundle of 70 MB', files: { 'bundle.yaml': { sparseBytes: 70 * 1024 * 1024 } }, status: 'VALIDATION_FAILED', mentions: [/MiB/] },
  { name: 'bundle linked to /dev/zero', files: { 'bundle.yaml': { symlink: '/dev/zero' } }, status: 'VALIDATION_FAILED', mentions: [/outside the workspace/] },
  // ---- flow files
  {
    name: 'flow file linked to .git/config',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest(), 'flows/main.yaml': { symlink: '../.git/config' } },
    status: 'VALIDATION_FAILED',
    mentions: [/\.git/]
  },
  {
    name: 'flow file linked to /proc/self/environ',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest(), 'flows/main.yaml': { symlink: '/proc/self/environ' } },
    status: 'VALIDATION_FAILED',
    mentions: [/outside the workspace/]
  },
  {
    name: 'flow file ../../ outside',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest('../../outside.yaml') },
    status: 'VALIDATION_FAILED',
    mentions: [/bundle\.yaml/]
  },
  {
    name: 'flow file absolute',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest('/etc/hostname') },
    status: 'VALIDATION_FAILED',
    mentions: [/bundle\.yaml/]
  },
  {
    name: 'flow file is a folder',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest(), 'flows/main.yaml': { folder: true } },
    status: 'VALIDATION_FAILED',
    mentions: [/folder/]
  },
  {
    name: 'flow file missing',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest() },
    status: 'VALIDATION_FAILED',
    mentions: [/does not exist/]
  },
  {
    name: 'flow file of 9 MB',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest(), 'flows/main.yaml': { sparseBytes: 9 * 1024 * 1024 } },
    status: 'VALIDATION_FAILED',
    mentions: [/MiB/]
  },
  {
    name: 'flow file not UTF-8',
    inputs: { api: 'architect' },
    files: {
      'bundle.yaml': archyManifest(),
      'flows/main.yaml': Buffer.concat([Buffer.from('inboundCall:\n  name: Caf'), Buffer.from([0xe9]), Buffer.from('\n')])
    },
    status: 'VALIDATION_FAILED',
    mentions: [/UTF-8/]
  },
  {
    name: 'flow file empty',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest(), 'flows/main.yaml': '' },
    status: 'VALIDATION_FAILED',
    mentions: [/empty/]
  },
  {
    name: 'flow file is a secret-looking text',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest(), 'flows/main.yaml': 'password=hunter2-flow\n' },
    status: 'VALIDATION_FAILED',
    mentions: [/flows\/main\.yaml/]
  },
  {
    name: 'flow file nested 10,000 deep (flow)',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest(), 'flows/main.yaml': `inboundCall:\n  name: Main\n  x: ${deep(10_000)}\n` },
    status: 'VALIDATION_FAILED',
    mentions: [/flows\/main\.yaml/]
  },
  {
    name: 'flow file naming a queue with a control character',
    inputs: { api: 'architect' },
    files: {
      'bundle.yaml': archyManifest(),
      'flows/main.yaml': ARCHY.replace(
        '- disconnect:\n              name: Bye',
        '- transferToAcd:\n              name: Sales\n              targetQueue:\n                lit:\n                  name: "Sales\\a"'
      )
    },
    status: 'VALIDATION_FAILED',
    mentions: [/control character U\+0007/, /flows\/main\.yaml/]
  },
  {
    name: 'flow file naming a flow with a bidi override',
    inputs: { api: 'architect' },
    files: {
      'bundle.yaml': archyManifest(),
      'flows/main.yaml': ARCHY.replace(
        '- disconnect:\n              name: Bye',
        '- transferToFlow:\n              name: Next\n              targetFlow:\n                name: "Other\\u202Eflow"'
      )
    },
    status: 'VALIDATION_FAILED',
    mentions: [/bidirectional control U\+202E/]
  },
  {
    name: 'flow file amplified by a substitution past the flow file limit',
    inputs: { api: 'architect' },
    files: {
      'bundle.yaml': archyManifest('flows/main.yaml', `substitutions:\n  big: "${'x'.repeat(100_000)}"`),
      'flows/main.yaml': ARCHY.replace('name: Main\n  startUpRef', `name: Main\n  description: "${'{{big}}'.repeat(100)}"\n  startUpRef`)
    },
    status: 'VALIDATION_FAILED',
    mentions: [/would hold 9\.5 MiB of text \(`big` adds the most\)/, /flows\/main\.yaml/]
  },
  {
    name: 'substitutions that make a new placeholder when filled',
    inputs: { api: 'architect' },
    files: {
      'bundle.yaml': archyManifest('flows/main.yaml', 'substitutions:\n  open: "{{"\n  close: "x}}"'),
      'flows/main.yaml': ARCHY.replace('name: Main\n  startUpRef', 'name: Main\n  description: "{{open}}b{{close}}"\n  startUpRef')
    },
    status: 'VALIDATION_FAILED',
    mentions: [/holds `\{\{bx\}\}`, a placeholder the values made/]
  },
  {
    name: 'two flow files publishing the same flow',
    inputs: { api: 'architect' },
    files: {
      'bundle.yaml': [
        'bundleId: core',
        'environmentId: prod-1',
        'targetConfig:',
        '  flows:',
        '    a: { file: flows/a.yaml }',
        '    b: { file: flows/b.yaml }'
      ].join('\n'),
      'flows/a.yaml': ARCHY,
      'flows/b.yaml': ARCHY.replace('name: Main\n  startUpRef', 'name: MAIN\n  startUpRef')
    },
    status: 'VALIDATION_FAILED',
    mentions: [/Flows `a` \(flows\/a\.yaml\) and `b` \(flows\/b\.yaml\) both publish the inbound call flow named `MAIN`/, /bundle\.yaml/]
  },
  {
    name: 'flow file billion laughs',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest(), 'flows/main.yaml': `${laughs}\ninboundCall:\n  name: Main\n  x: *i\n` },
    status: 'VALIDATION_FAILED',
    mentions: [/flows\/main\.yaml/]
  },
  {
    name: 'flow file with two flows',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest(), 'flows/main.yaml': `${ARCHY}inboundChat:\n  name: Chat\n` },
    status: 'VALIDATION_FAILED',
    mentions: [/flows\/main\.yaml/]
  },
  {
    name: 'undefined placeholder',
    inputs: { api: 'architect' },
    files: { 'bundle.yaml': archyManifest(), 'flows/main.yaml': ARCHY.replace('name: Main\n  start', 'name: {{flow_name}}\n  start') },
    status: 'VALIDATION_FAILED',
    mentions: [/flow_name/]
  },
  {
    name: 'substitution that breaks the YAML',
    inputs: { api: 'architect' },
    files: {
      'bundle.yaml': archyManifest('flows/main.yaml', 'substitutions:\n  flow_name: "Main: evil"'),
      'flows/main.yaml': ARCHY.replace('name: Main\n  start', 'name: {{flow_name}}\n  start')
    },
    status: 'VALIDATION_FAILED',
    mentions: [/flow_name/]
  },
  {
    name: 'substitution with a line break',
    inputs: { api: 'architect' },
    files: {
      'bundle.yaml': archyManifest('flows/main.yaml', 'substitutions:\n  flow_name: "Main\\n  evil: true"'),
      'flows/main.yaml': ARCHY.replace('name: Main\n  start', 'name: {{flow_name}}\n  start')
    },
    status: 'VALIDATION_FAILED',
    mentions: [/flow_name/]
  },
  {
    name: 'Archy file under auto with settings flows (mix)',
    files: { 'bundle.yaml': manifest({ flows: '    a: { version: 1 }\n    b: { file: flows/main.yaml }' }), 'flows/main.yaml': ARCHY },
    status: 'VALIDATION_FAILED',
    mentions: [/api/]
  },
  // ---- manifest content
  { name: 'empty manifest', files: { 'bundle.yaml': '' }, status: 'VALIDATION_FAILED', mentions: [/empty/] },
  {
    name: 'manifest is a secret-looking text',
    files: { 'bundle.yaml': 'password=hunter2-manifest\n' },
    status: 'VALIDATION_FAILED',
    mentions: [/bundle\.yaml/]
  },
  { name: 'manifest is a list', files: { 'bundle.yaml': '- a\n- b\n' }, status: 'VALIDATION_FAILED', mentions: [/list/] },
  {
    name: 'manifest with an unclosed bracket',
    files: { 'bundle.yaml': 'bundleId: [core\nenvironmentId: prod\n' },
    status: 'VALIDATION_FAILED',
    mentions: [/bundle\.yaml/]
  },
  {
    name: 'manifest indented with tabs',
    files: { 'bundle.yaml': 'bundleId: core\ntargetConfig:\n\tflows: {}\n' },
    status: 'VALIDATION_FAILED',
    mentions: [/bundle\.yaml/]
  },
  { name: 'manifest with a duplicate key', files: { 'bundle.yaml': manifest({ more: 'bundleId: other' }) }, status: 'VALIDATION_FAILED', mentions: [/twice/] },
  {
    name: 'manifest with an unknown key',
    files: { 'bundle.yaml': manifest({ more: 'targetConfg: {}' }) },
    status: 'VALIDATION_FAILED',
    mentions: [/targetConfg/]
  },
  { name: 'bundleId is a number', files: { 'bundle.yaml': manifest({ bundleId: '42' }) }, status: 'VALIDATION_FAILED', mentions: [/bundleId/] },
  { name: 'bundleId holds NUL', files: { 'bundle.yaml': manifest({ bundleId: '"cc\\0core"' }) }, status: 'VALIDATION_FAILED', mentions: [/bundleId/] },
  { name: 'bundleId holds BEL', files: { 'bundle.yaml': manifest({ bundleId: '"cc\\acore"' }) }, status: 'VALIDATION_FAILED', mentions: [/bundleId/] },
  {
    name: 'bundleId injects a workflow command',
    files: { 'bundle.yaml': manifest({ bundleId: '"core\\n::warning::injected"' }) },
    status: 'VALIDATION_FAILED',
    mentions: [/bundleId/]
  },
  {
    name: 'bundleId of 1,000 characters',
    files: { 'bundle.yaml': manifest({ bundleId: 'c'.repeat(1000) }) },
    status: 'VALIDATION_FAILED',
    mentions: [/bundleId/]
  },
  {
    name: 'environmentId holds ESC',
    files: { 'bundle.yaml': manifest({ environmentId: '"prod\\e[31m"' }) },
    status: 'VALIDATION_FAILED',
    mentions: [/environmentId/]
  },
  {
    name: 'flow name injects ::add-mask::',
    files: { 'bundle.yaml': manifest({ flows: '    "main\\n::add-mask::x": { version: 1 }' }) },
    status: 'VALIDATION_FAILED',
    mentions: [/targetConfig\.flows/]
  },
  {
    name: 'flow name injects ::stop-commands::',
    files: { 'bundle.yaml': manifest({ flows: '    "a\\r::stop-commands::tok": { version: 1 }' }) },
    status: 'VALIDATION_FAILED',
    mentions: [/targetConfig\.flows/]
  },
  {
    name: 'queue name with a bidi override',
    files: { 'bundle.yaml': manifest({ queues: '    "sales\\u202Eevil": { serviceLevel: "80/20" }' }) },
    status: 'VALIDATION_FAILED',
    mentions: [/targetConfig\.queues/]
  },
  {
    name: 'dependency name with a control character',
    files: { 'bundle.yaml': manifest({ more: 'dependencyMatrix:\n  flows: ["base\\u0007"]' }) },
    status: 'VALIDATION_FAILED',
    mentions: [/dependencyMatrix/]
  },
  ...(
    [
      ['a zero-width space', '\\u200B', /invisible character U\+200B/],
      ['a soft hyphen', '\\u00AD', /invisible character U\+00AD/],
      ['a tag character', '\\U000E0041', /invisible character U\+E0041/],
      ['a line separator', '\\u2028', /invisible character U\+2028/],
      ['a lone surrogate', '\\uD800', /lone surrogate \(not valid UTF-8\) U\+D800/]
    ] as const
  ).map(([what, escape, mention]): HostileCase => ({
    name: `flow name with ${what}`,
    files: { 'bundle.yaml': manifest({ flows: `    "main${escape}entry": { version: 2.1.0 }` }) },
    status: 'VALIDATION_FAILED',
    mentions: [mention, /targetConfig\.flows/]
  })),
  {
    name: 'environmentId with a zero-width joiner',
    files: { 'bundle.yaml': manifest({ environmentId: '"prod\\u200D1"' }) },
    status: 'VALIDATION_FAILED',
    mentions: [/invisible character U\+200D/]
  },
  { name: 'manifest not UTF-8', files: { 'bundle.yaml': INVALID }, status: 'VALIDATION_FAILED', mentions: [/UTF-8/] },
  {
    name: 'manifest nested 10,000 deep (flow style)',
    files: { 'bundle.yaml': `${manifest()}\nx: ${deep(10_000)}\n` },
    status: 'VALIDATION_FAILED',
    mentions: [/bundle\.yaml/]
  },
  { name: 'manifest nested 2,000 deep (block style)', files: { 'bundle.yaml': deepBlock(2000) }, status: 'VALIDATION_FAILED', mentions: [/bundle\.yaml/] },
  { name: 'manifest billion laughs', files: { 'bundle.yaml': `${laughs}\n${manifest()}\nx: *i\n` }, status: 'VALIDATION_FAILED', mentions: [/bundle\.yaml/] },
  {
    name: 'manifest with two documents',
    files: { 'bundle.yaml': `${manifest()}\n---\nbundleId: other\n` },
    status: 'VALIDATION_FAILED',
    mentions: [/bundle\.yaml/]
  },
  {
    name: 'order names an unknown group',
    files: { 'bundle.yaml': manifest({ more: 'dependencyMatrix:\n  order: [queues, qeues, flows]' }) },
    status: 'VALIDATION_FAILED',
    mentions: [/qeues/]
  },
  {
    name: 'capacity exceeded',
    files: { 'bundle.yaml': manifest({ more: 'capacityConstraints: { maxFlowCount: 0 }' }) },
    status: 'VALIDATION_FAILED',
    mentions: [/maxFlowCount/]
  },
  {
    name: '__proto__ as a flow name',
    files: { 'bundle.yaml': manifest({ flows: '    __proto__: { version: 1 }' }) },
    status: 'VALIDATION_FAILED',
    mentions: [/__proto__/]
  },
  {
    name: 'a thousand unknown keys',
    files: { 'bundle.yaml': `${manifest()}\n${Array.from({ length: 1000 }, (_, i) => `junk${i}: 1`).join('\n')}` },
    status: 'VALIDATION_FAILED',
    mentions: [/junk0/]
  },
  // ---- inputs
  { name: 'region unknown', inputs: { region: 'mars-1' }, status: 'VALIDATION_FAILED', mentions: [/`region`/] },
  { name: 'api-url with file:', inputs: { 'api-url': 'file:///etc/passwd' }, status: 'VALIDATION_FAILED', mentions: [/`api-url`/] },
  { name: 'auth-url with javascript:', inputs: { 'auth-url': 'javascript:alert(1)' }, status: 'VALIDATION_FAILED', mentions: [/`auth-url`/] },
  { name: 'timeout-seconds negative', inputs: { 'timeout-seconds': '-1' }, status: 'VALIDATION_FAILED', mentions: [/`timeout-seconds`/] },
  { name: 'timeout-seconds infinite', inputs: { 'timeout-seconds': '1e309' }, status: 'VALIDATION_FAILED', mentions: [/`timeout-seconds`/] },
  { name: 'poll-interval-seconds NaN', inputs: { 'poll-interval-seconds': 'NaN' }, status: 'VALIDATION_FAILED', mentions: [/`poll-interval-seconds`/] },
  { name: 'max-parallel-jobs 1000', inputs: { 'max-parallel-jobs': '1000' }, status: 'VALIDATION_FAILED', mentions: [/`max-parallel-jobs`/] },
  { name: 'mode with a shell payload', inputs: { mode: 'deploy; rm -rf /' }, status: 'VALIDATION_FAILED', mentions: [/`mode`/] },
  { name: 'api unknown', inputs: { api: 'flows' }, status: 'VALIDATION_FAILED', mentions: [/`api`/] },
  {
    name: 'environment-id input injects a command',
    inputs: { 'environment-id': 'prod\n::warning::x' },
    status: 'VALIDATION_FAILED',
    mentions: [/environment/i]
  },
  { name: 'baseline outside the workspace', inputs: { baseline: '../outside.yaml' }, status: 'VALIDATION_FAILED', mentions: [/`baseline`/] },
  {
    name: 'baseline linked to .git/config',
    inputs: { baseline: 'base.yaml' },
    files: { 'base.yaml': { symlink: '.git/config' } },
    status: 'VALIDATION_FAILED',
    mentions: [/`baseline`/]
  },
  {
    name: 'webhook-url with credentials and a bad scheme',
    inputs: { 'webhook-url': 'ftp://user:pw-9931@example.com/hook' },
    status: 'VALIDATION_FAILED',
    mentions: [/`webhook-url`/]
  },
  { name: 'history-branch with a ref trick', inputs: { 'history-branch': 'main..HEAD' }, status: 'VALIDATION_FAILED', mentions: [/`history-branch`/] },
  { name: 'credentials by halves', inputs: { 'client-secret': '' }, status: 'VALIDATION_FAILED', mentions: [/client-secret/] }
]
