import { execFileSync } from 'node:child_process'
import { link, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkWorkspaceWritePath, firstInvalidUtf8, readWorkspaceFile } from '../src/workspace-file.js'

let root: string
let workspace: string

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gbd-gate-'))
  workspace = join(root, 'repo')
  await mkdir(join(workspace, '.git'), { recursive: true })
  await writeFile(join(workspace, '.git', 'config'), '[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n')
  await writeFile(join(root, 'outside.yaml'), 'password: hunter2\n')
  await writeFile(join(workspace, 'bundle.yaml'), 'bundleId: core\n')
})

const read = (file: string, maxBytes = 1024) => readWorkspaceFile(file, { workspace, maxBytes, describe: `The file \`${file}\`` })

describe('readWorkspaceFile', () => {
  it('reads a regular file inside the workspace', async () => {
    await expect(read('bundle.yaml')).resolves.toMatchObject({ ok: true, text: 'bundleId: core\n', bytes: 15 })
  })

  it.each([
    ['../outside.yaml', 'outside-workspace'],
    ['/etc/passwd', 'outside-workspace'],
    ['/proc/self/environ', 'outside-workspace'],
    ['.git/config', 'inside-git'],
    ['missing.yaml', 'missing'],
    ['.', 'directory']
  ])('refuses %s (%s) without quoting anything from it', async (file, problem) => {
    const result = await read(file)
    expect(result).toMatchObject({ ok: false, problem })
    expect(JSON.stringify(result)).not.toMatch(/hunter2|extraheader|c2VjcmV0|root:/)
  })

  it('follows links and refuses those that lead out of the workspace or into .git', async () => {
    await symlink(join(root, 'outside.yaml'), join(workspace, 'to-outside.yaml'))
    await symlink(join(workspace, '.git', 'config'), join(workspace, 'flow.yaml'))
    await symlink('/proc/self/environ', join(workspace, 'environ.yaml'))
    await symlink(join(workspace, 'bundle.yaml'), join(workspace, 'alias.yaml'))
    await expect(read('to-outside.yaml')).resolves.toMatchObject({ ok: false, problem: 'outside-workspace' })
    await expect(read('flow.yaml')).resolves.toMatchObject({ ok: false, problem: 'inside-git' })
    await expect(read('environ.yaml')).resolves.toMatchObject({ ok: false, problem: 'outside-workspace' })
    await expect(read('alias.yaml')).resolves.toMatchObject({ ok: true, text: 'bundleId: core\n' })
  })

  it('refuses a hard link, which may be a file outside the workspace under another name', async () => {
    await link(join(root, 'outside.yaml'), join(workspace, 'linked.yaml'))
    const result = await read('linked.yaml')
    expect(result).toMatchObject({ ok: false, problem: 'hard-link' })
    expect(!result.ok && result.message).toContain('is a hard link')
    expect(JSON.stringify(result)).not.toContain('hunter2')
  })

  it('refuses a file above the limit before reading it, naming both sizes', async () => {
    await writeFile(join(workspace, 'big.yaml'), 'x'.repeat(5000))
    const result = await read('big.yaml', 4096)
    expect(result).toMatchObject({ ok: false, problem: 'too-large' })
    expect(!result.ok && result.message).toContain('4.9 KiB, more than the 4.0 KiB')
  })

  it('refuses a FIFO at once instead of waiting on it', async () => {
    execFileSync('mkfifo', [join(workspace, 'pipe.yaml')])
    await expect(read('pipe.yaml')).resolves.toMatchObject({ ok: false, problem: 'not-a-file' })
  })

  it('refuses invalid UTF-8 with the line and column of the first bad byte', async () => {
    await writeFile(join(workspace, 'latin1.yaml'), Buffer.concat([Buffer.from('a: 1\nname: Caf'), Buffer.from([0xe9]), Buffer.from('\n')]))
    await expect(read('latin1.yaml')).resolves.toMatchObject({ ok: false, problem: 'invalid-utf8', line: 2, column: 10 })
  })

  it.each([
    ['NUL', '\u0000', 'U+0000'],
    ['BEL', '\u0007', 'U+0007'],
    ['DEL', '\u007f', 'U+007F'],
    ['a C1 control', '\u0090', 'U+0090']
  ])('refuses a raw %s, which YAML and JSON do not allow in a file, at its line and column', async (_what, character, name) => {
    await writeFile(join(workspace, 'ctl.yaml'), `a: 1\nb: "x${character}"\n`)
    const result = await read('ctl.yaml')
    expect(result).toMatchObject({ ok: false, problem: 'control-character', line: 2, column: 6 })
    expect(!result.ok && result.message).toContain(`the control character ${name} at line 2, column 6`)
  })

  it('reads tabs, line ends and NEL as text', async () => {
    await writeFile(join(workspace, 'fine.yaml'), 'a: "x\ty"\r\nb: "n\u0085l"\n')
    await expect(read('fine.yaml')).resolves.toMatchObject({ ok: true })
  })

  it('drops a byte order mark', async () => {
    await writeFile(join(workspace, 'bom.yaml'), '\ufeffa: 1\n')
    await expect(read('bom.yaml')).resolves.toMatchObject({ ok: true, text: 'a: 1\n' })
  })
})

describe('checkWorkspaceWritePath', () => {
  const check = (file: string) => checkWorkspaceWritePath(file, { workspace, describe: `The audit log \`${file}\`` })

  it('accepts a new file in a new folder inside the workspace', async () => {
    await expect(check('audit/new.jsonl')).resolves.toMatchObject({ ok: true, realPath: join(await realWorkspace(), 'audit', 'new.jsonl') })
  })

  it('refuses paths and links that lead outside, or into .git', async () => {
    await symlink(join(root, 'outside.yaml'), join(workspace, 'audit.jsonl'))
    await expect(check('audit.jsonl')).resolves.toMatchObject({ ok: false, problem: 'outside-workspace' })
    await expect(check('../audit.jsonl')).resolves.toMatchObject({ ok: false, problem: 'outside-workspace' })
    await expect(check('.git/hooks/post-checkout')).resolves.toMatchObject({ ok: false, problem: 'inside-git' })
  })
  it('judges a link to a file that does not exist yet by where it leads', async () => {
    await symlink(join(root, 'not-yet-outside.jsonl'), join(workspace, 'dangling-out.jsonl'))
    await symlink(join(workspace, 'logs', 'not-yet.jsonl'), join(workspace, 'dangling-in.jsonl'))
    await symlink(join(workspace, '.git', 'not-yet'), join(workspace, 'dangling-git.jsonl'))
    await expect(check('dangling-out.jsonl')).resolves.toMatchObject({ ok: false, problem: 'outside-workspace' })
    await expect(check('dangling-git.jsonl')).resolves.toMatchObject({ ok: false, problem: 'inside-git' })
    await expect(check('dangling-in.jsonl')).resolves.toMatchObject({ ok: true, realPath: join(await realWorkspace(), 'logs', 'not-yet.jsonl') })
  })
})

describe('firstInvalidUtf8', () => {
  it.each([
    [[0x61, 0x62], -1],
    [[0xc3, 0xa9], -1],
    [[0xf0, 0x9f, 0x98, 0x80], -1],
    [[0x61, 0xe9, 0x62], 1],
    [[0xc0, 0xaf], 0],
    [[0xed, 0xa0, 0x80], 0],
    [[0xf4, 0x90, 0x80, 0x80], 0],
    [[0x61, 0xe2, 0x82], 1]
  ])('%j → %i', (bytes, expected) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(expected)
  })
})

async function realWorkspace(): Promise<string> {
  const { realpath } = await import('node:fs/promises')
  return realpath(workspace)
}
