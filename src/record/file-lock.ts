/**
 * An exclusive lock for one file shared by several processes (runs on one self-hosted runner, matrix jobs on a shared
 * disk): a lock file beside it, created with O_EXCL so that exactly one creator wins. Used around every audit log
 * append, which must read the last line and write the next one with nothing in between.
 */
import { randomUUID } from 'node:crypto'
import { constants, promises as fs } from 'node:fs'
import { hostname } from 'node:os'
import { backoffDelayMs, realSleep } from '../retry-helper.js'

/**
 * Options of withFileLock. There is no injected clock or sleep: the lock is shared with other processes, so its times
 * (file modification times, waits) are the real ones.
 */
export interface FileLockOptions {
  /** Longest wait for the lock, in ms, before giving up with an error. Default 30 s. */
  timeoutMs?: number
  /**
   * A lock not refreshed for this long, in ms, was left by a process that died: it is removed. Default 20 s. A holder
   * refreshes its lock every quarter of this, so a slow but live holder is never taken for a dead one.
   */
  staleMs?: number
}

/** What a lock file holds: who took it, so that a stuck lock can be traced and a dead holder recognised. */
interface LockOwner {
  token: string
  pid: number
  host: string
  /** ISO 8601 time the lock was taken. */
  since: string
}

const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_STALE_MS = 20_000
const FIRST_WAIT_MS = 10
const LONGEST_WAIT_MS = 500

/** The lock file of `path`. */
export function lockPathOf(path: string): string {
  return `${path}.lock`
}

/**
 * Runs `work` while holding the lock of `path` (the file `<path>.lock`), and always releases it. Waits with jittered
 * backoff while another process holds it; removes a lock whose holder died (same host and its process is gone, or
 * not refreshed within `staleMs`). Throws, with the lock's holder and the fix, when the lock cannot be had in time.
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const lockPath = lockPathOf(path)
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS
  const owner = await acquire(lockPath, staleMs, options)
  // Refreshing the lock's time tells waiting processes that its holder is alive.
  const heartbeat = setInterval(
    () => {
      const at = new Date()
      fs.utimes(lockPath, at, at).catch(() => undefined)
    },
    Math.max(1, Math.floor(staleMs / 4))
  )
  heartbeat.unref()
  try {
    return await work()
  } finally {
    clearInterval(heartbeat)
    await release(lockPath, owner.token)
  }
}

async function acquire(lockPath: string, staleMs: number, options: FileLockOptions): Promise<LockOwner> {
  const now = Date.now
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const giveUpAt = now() + timeoutMs
  const owner: LockOwner = { token: randomUUID(), pid: process.pid, host: hostname(), since: new Date(now()).toISOString() }
  for (let attempt = 1; ; attempt++) {
    if (await tryCreate(lockPath, owner)) return owner
    const held = await inspect(lockPath)
    if (held === undefined) continue
    if (isStale(held, staleMs, now())) {
      await removeStale(lockPath, held.ino)
      continue
    }
    if (now() >= giveUpAt) throw new Error(stuckLockMessage(lockPath, held.owner, timeoutMs))
    await realSleep(backoffDelayMs(attempt, FIRST_WAIT_MS, LONGEST_WAIT_MS, Math.random))
  }
}

/** Creates the lock file if no one holds it; false when it exists. */
async function tryCreate(lockPath: string, owner: LockOwner): Promise<boolean> {
  let handle: fs.FileHandle
  try {
    handle = await fs.open(lockPath, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new Error(`Could not create the lock file ${lockPath} (${(error as Error).message}); check that its folder is writable.`, { cause: error })
  }
  try {
    await handle.writeFile(JSON.stringify(owner), 'utf8')
  } finally {
    await handle.close()
  }
  return true
}

/** The lock as it stands: its holder (when readable yet), its age and its inode; undefined when it is gone. */
async function inspect(lockPath: string): Promise<{ owner?: LockOwner; mtimeMs: number; ino: number } | undefined> {
  try {
    const stat = await fs.stat(lockPath)
    const text = await fs.readFile(lockPath, 'utf8')
    return { owner: parseOwner(text), mtimeMs: stat.mtimeMs, ino: stat.ino }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>
    return typeof parsed.token === 'string' && typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? (parsed as LockOwner) : undefined
  } catch {
    // Created but not written yet, or damaged: only its age can tell whether it is stale.
    return undefined
  }
}

function isStale(held: { owner?: LockOwner; mtimeMs: number }, staleMs: number, nowMs: number): boolean {
  if (nowMs - held.mtimeMs > staleMs) return true
  return held.owner !== undefined && held.owner.host === hostname() && !processIsAlive(held.owner.pid)
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes a stale lock without removing a fresh one taken meanwhile: the lock is first moved aside (an atomic rename,
 * which only one process can do to a given file), then the moved file's inode is compared with the stale one's. A fresh
 * lock moved by mistake is linked back at once (link fails rather than overwrite a lock a third process took since).
 */
async function removeStale(lockPath: string, staleIno: number): Promise<void> {
  const aside = `${lockPath}.${randomUUID()}.stale`
  try {
    await fs.rename(lockPath, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  try {
    const moved = await fs.stat(aside)
    if (moved.ino !== staleIno) await fs.link(aside, lockPath).catch(() => undefined)
  } finally {
    await fs.unlink(aside).catch(() => undefined)
  }
}

/** Removes the lock if it is still this holder's (it may have been taken for stale and broken). */
async function release(lockPath: string, token: string): Promise<void> {
  const held = await inspect(lockPath).catch(() => undefined)
  if (held?.owner?.token === token) await fs.unlink(lockPath).catch(() => undefined)
}

function stuckLockMessage(lockPath: string, owner: LockOwner | undefined, timeoutMs: number): string {
  const holder = owner ? `process ${owner.pid} on ${owner.host} since ${owner.since}` : 'a process that has not said who it is'
  return (
    `The lock ${lockPath} was held by ${holder} for all of the ${timeoutMs / 1000} s this run waited. ` +
    'Another run is writing the same audit log; if none is, delete the lock file and run the job again.'
  )
}
