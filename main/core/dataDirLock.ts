import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../common/errors'

/** The lock file's name inside the data folder. */
export const LOCK_FILE_NAME = 'workbench.lock'

/** What the lock file holds: who uses the data folder and where to reach it. */
export interface LockInfo {
  pid: number
  /** The process's start time as the OS counts it (Linux: /proc/PID/stat field 22), so a reused pid is not taken for us. */
  processStart: string | null
  kind: 'desktop' | 'browser'
  /** The browser host's URL (with its token: the file is readable by its owner only), or null for the desktop app. */
  url: string | null
  startedAt: number
}

/** A held data-folder lock. */
export interface DataDirLock {
  readonly path: string
  /** Records the URL the app can be reached at (the browser host knows it only once it listens). */
  setUrl(url: string): void
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void
}

/** The start time of a process as the OS records it, where it can be read (Linux); null elsewhere. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces and parentheses) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields[0] is field 3 (state); starttime is field 22.
    if (fields[0] === 'Z' || fields[0] === 'X') return 'dead'
    return fields[19] ?? null
  } catch {
    return null
  }
}

/** Whether the process that wrote a lock is still that process and alive. */
export function lockHolderAlive(info: Pick<LockInfo, 'pid' | 'processStart'>): boolean {
  if (!Number.isInteger(info.pid) || info.pid <= 0) return false
  try {
    process.kill(info.pid, 0)
  } catch (e) {
    // EPERM: it exists but belongs to someone else; ESRCH: gone.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  const now = processStartTime(info.pid)
  if (now === 'dead') return false
  // Where the OS tells start times, a different one means the pid was reused by another process.
  return !(now !== null && info.processStart !== null && now !== info.processStart)
}

function readLock(path: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>
    if (typeof v.pid !== 'number') return null
    return { pid: v.pid, processStart: v.processStart ?? null, kind: v.kind === 'desktop' ? 'desktop' : 'browser', url: v.url ?? null, startedAt: v.startedAt ?? 0 }
  } catch {
    return null
  }
}

/** The message a second start on a locked folder gets: who holds it, and where to find it. */
export function lockedMessage(dataDir: string, holder: LockInfo): string {
  const what = holder.kind === 'desktop' ? 'the desktop app' : 'a browser host'
  const since = holder.startedAt ? ` since ${new Date(holder.startedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC` : ''
  const where = holder.url ? ` Open it at ${holder.url}` : ' Switch to its window'
  return `Neural Workbench is already running on the data folder ${dataDir} (${what}, pid ${holder.pid}${since}).${where}, or stop it first, or start this one with another data folder (--data-dir). Nothing was changed.`
}

/**
 * Takes the data folder for this process: one app (desktop or browser host) per folder, so that at
 * start-up "a run not owned by me" means "its process is dead". The lock file (pid, start time,
 * URL) is honoured only while that process lives, so a crash or kill -9 never locks a person out.
 * Throws AppError 'locked' naming the running instance; touches nothing else in the folder.
 */
export function acquireDataDirLock(dataDir: string, kind: LockInfo['kind']): DataDirLock {
  mkdirSync(dataDir, { recursive: true })
  const path = join(dataDir, LOCK_FILE_NAME)
  const mine: LockInfo = { pid: process.pid, processStart: processStartTime(process.pid), kind, url: null, startedAt: Date.now() }
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number
    try {
      // O_EXCL: of two processes starting at once exactly one creates the file.
      fd = openSync(path, 'wx', 0o600)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new AppError('unavailable', `Cannot create the lock file ${path}: ${(e as Error).message}`)
      const holder = readLock(path)
      if (holder && holder.pid !== process.pid && lockHolderAlive(holder)) throw new AppError('locked', lockedMessage(dataDir, holder), { holder })
      // A stale lock (its process is gone) or a half-written one: take it over. Renaming first
      // means a racing process that also saw it stale cannot delete the lock we are about to create.
      if (!holder && Date.now() - modifiedAt(path) < 2000) {
        throw new AppError('locked', `Another Neural Workbench is starting on the data folder ${dataDir} right now (${path}). Nothing was changed.`)
      }
      try {
        const aside = `${path}.stale-${process.pid}`
        renameSync(path, aside)
        unlinkSync(aside)
      } catch {
        // Another starter moved it first; try again.
      }
      continue
    }
    try {
      writeSync(fd, JSON.stringify(mine))
    } finally {
      closeSync(fd)
    }
    let released = false
    return {
      path,
      setUrl(url) {
        if (released) return
        mine.url = url
        // Write-then-rename keeps the file whole for a reader at any moment.
        const tmp = `${path}.${process.pid}.tmp`
        writeFileSync(tmp, JSON.stringify(mine), { mode: 0o600 })
        renameSync(tmp, path)
      },
      release() {
        if (released) return
        released = true
        const now = readLock(path)
        if (now?.pid === process.pid) {
          try {
            unlinkSync(path)
          } catch {
            // Already gone.
          }
        }
      },
    }
  }
  throw new AppError('locked', `Could not take the lock file ${path}: other processes keep changing it.`)
}

/** When a file last changed (ms since epoch), or 0: a lock just created may not be written yet. */
function modifiedAt(path: string): number {
  try {
    return statSync(path).mtimeMs
  } catch {
    return 0
  }
}
