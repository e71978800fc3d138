import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { acquireDataDirLock, LOCK_FILE_NAME, lockHolderAlive, processStartTime, type LockInfo } from '../../../main/core/dataDirLock'
import { AppError } from '../../../common/errors'
import { tempDir } from '../../helpers/tmp'

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
})

/** A live process that is not this one (a sleeping child), as another app instance would be. */
function otherProcess(): ChildProcess {
  const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
  children.push(c)
  return c
}

function writeLock(dir: string, info: Partial<LockInfo>): void {
  writeFileSync(join(dir, LOCK_FILE_NAME), JSON.stringify({ kind: 'browser', url: null, startedAt: Date.now(), processStart: null, ...info }))
}

function refusal(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    return e as AppError
  }
  throw new Error('expected a refusal')
}

describe('data-folder lock', () => {
  it('is held in a file with our pid, start time and URL, readable by its owner only, and removed on release', () => {
    const dir = tempDir()
    const lock = acquireDataDirLock(dir, 'browser')
    const path = join(dir, LOCK_FILE_NAME)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, kind: 'browser', url: null })
    lock.setUrl('http://127.0.0.1:4321/?token=abc')
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, url: 'http://127.0.0.1:4321/?token=abc' })
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o077).toBe(0)
    lock.release()
    lock.release()
    expect(existsSync(path)).toBe(false)
  })

  it('refuses a second start while the holder lives, naming its pid and URL, and leaves the folder as it was', async () => {
    const dir = tempDir()
    const other = otherProcess()
    await new Promise((r) => setTimeout(r, 50))
    const holder = { pid: other.pid!, processStart: processStartTime(other.pid!), url: 'http://127.0.0.1:5555/?token=t' }
    writeLock(dir, holder)
    const before = readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')
    const e = refusal(() => acquireDataDirLock(dir, 'desktop'))
    expect(e).toBeInstanceOf(AppError)
    expect(e.code).toBe('locked')
    expect(e.message).toContain(`pid ${other.pid}`)
    expect(e.message).toContain('http://127.0.0.1:5555/?token=t')
    expect(e.message).toContain(dir)
    expect(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')).toBe(before)
  })

  it('takes over a lock whose process is gone (a kill -9), at once', async () => {
    const dir = tempDir()
    const other = otherProcess()
    const pid = other.pid!
    const start = processStartTime(pid)
    other.kill('SIGKILL')
    await new Promise((r) => other.once('exit', r))
    writeLock(dir, { pid, processStart: start })
    expect(lockHolderAlive({ pid, processStart: start })).toBe(false)
    const lock = acquireDataDirLock(dir, 'browser')
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid)
    lock.release()
  })

  it.skipIf(process.platform !== 'linux')('takes over a lock whose pid now belongs to another process (pid reuse)', () => {
    const dir = tempDir()
    const other = otherProcess()
    writeLock(dir, { pid: other.pid!, processStart: '1' })
    const lock = acquireDataDirLock(dir, 'browser')
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid)
    lock.release()
  })

  it('takes over an unreadable lock file once it is more than a moment old', () => {
    const dir = tempDir()
    const path = join(dir, LOCK_FILE_NAME)
    writeFileSync(path, '')
    expect(refusal(() => acquireDataDirLock(dir, 'browser')).code).toBe('locked')
    const old = new Date(Date.now() - 10_000)
    utimesSync(path, old, old)
    acquireDataDirLock(dir, 'browser').release()
  })
})
