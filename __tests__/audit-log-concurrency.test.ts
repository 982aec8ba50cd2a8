import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { verifyAuditLog } from '../src/record/audit-log.js'
import { lockPathOf, withFileLock } from '../src/record/file-lock.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const APPENDER = join(ROOT, '__fixtures__', 'append-audit-entries.ts')

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-concurrency-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Runs the appender in a separate Node process (TypeScript through tsx); resolves with its stderr. */
function appendInChild(log: string, count: number, label: string, startAtMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', APPENDER, log, String(count), label, String(startAtMs)], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', chunk => (stderr += String(chunk)))
    child.on('error', reject)
    child.on('exit', code => (code === 0 ? resolve(stderr) : reject(new Error(`appender ${label} exited with ${code}: ${stderr}`))))
  })
}

/** The pid of a process that has ended. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' })
    child.on('error', reject)
    child.on('exit', () => resolve(child.pid as number))
  })
}

describe('appendAuditEntry across processes', () => {
  it('keeps one unbroken chain when four processes append to one log at the same moment', async () => {
    const log = join(dir, 'logs', 'audit.jsonl')
    const perProcess = 12
    const labels = ['a', 'b', 'c', 'd']
    // Started together after every child has had time to load: the appends really overlap.
    const startAt = Date.now() + 2500
    const stderrs = await Promise.all(labels.map(label => appendInChild(log, perProcess, label, startAt)))
    expect(stderrs.join('')).toBe('')

    const text = await readFile(log, 'utf8')
    expect(verifyAuditLog(text)).toEqual({ valid: true, entries: labels.length * perProcess })
    const ids = text
      .trim()
      .split('\n')
      .map(line => (JSON.parse(line) as { deploymentId: string }).deploymentId)
    for (const label of labels) {
      expect(ids.filter(id => id.startsWith(`${label}-`))).toEqual(Array.from({ length: perProcess }, (_, index) => `${label}-${index}`))
    }
    // Every lock was released, and no stale one was left aside.
    expect(await readdir(join(dir, 'logs'))).toEqual(['audit.jsonl'])
  }, 60_000)
})

describe('withFileLock', () => {
  const file = (): string => join(dir, 'audit.jsonl')

  it('releases the lock when the work throws', async () => {
    await expect(withFileLock(file(), async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full')
    await expect(stat(lockPathOf(file()))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('lets one holder in at a time within a process too', async () => {
    const events: string[] = []
    const hold = (name: string) =>
      withFileLock(file(), async () => {
        events.push(`${name} in`)
        await new Promise(resolve => setTimeout(resolve, 30))
        events.push(`${name} out`)
      })
    await Promise.all([hold('first'), hold('second'), hold('third')])
    for (let index = 0; index < events.length; index += 2) expect(events[index + 1]).toBe(events[index]?.replace(' in', ' out'))
  })

  it('removes a lock left by a process of this host that has died, at once', async () => {
    await writeFile(lockPathOf(file()), JSON.stringify({ token: 'old', pid: await deadPid(), host: hostname(), since: new Date().toISOString() }))
    const started = Date.now()
    await expect(withFileLock(file(), async () => 'ran')).resolves.toBe('ran')
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('removes a lock not refreshed within the stale bound, whoever left it', async () => {
    await writeFile(lockPathOf(file()), JSON.stringify({ token: 'old', pid: 1, host: 'another-runner', since: '2026-01-01T00:00:00Z' }))
    const longAgo = new Date(Date.now() - 60_000)
    await utimes(lockPathOf(file()), longAgo, longAgo)
    await expect(withFileLock(file(), async () => 'ran', { staleMs: 20_000 })).resolves.toBe('ran')
  })

  it('gives up on a live lock after the timeout, naming its holder and the fix', async () => {
    await writeFile(lockPathOf(file()), JSON.stringify({ token: 'live', pid: process.pid, host: hostname(), since: '2026-11-27T10:00:00.000Z' }))
    await expect(withFileLock(file(), async () => 'ran', { timeoutMs: 300 })).rejects.toThrow(
      new RegExp(`held by process ${process.pid} on .* since 2026-11-27T10:00:00.000Z .* delete the lock file`)
    )
    // Not its lock: left in place.
    expect(JSON.parse(await readFile(lockPathOf(file()), 'utf8'))).toMatchObject({ token: 'live' })
  })
})
