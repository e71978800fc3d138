import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isAppError } from '../../../common/errors'
import { bindingFolderName, chooseNativeBinding, nativeLoadError, openSqlite, projectRoot } from '../../../main/store/nativeBinding'

const electron = { electron: '39.2.0', node: '22.20.0', modules: '140' }
const node22 = { node: '22.23.3', modules: '127' }

// The text Node gives when a binary of another ABI is loaded (message and code as thrown by process.dlopen).
function abiMismatch(): Error {
  return Object.assign(
    new Error(
      "The module '/x/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 140. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).",
    ),
    { code: 'ERR_DLOPEN_FAILED' },
  )
}

describe('native binding choice', () => {
  it('keys the folder by runtime and ABI, so Electron and another Node major each get their own', () => {
    expect(bindingFolderName(electron)).toBe('electron-140')
    expect(bindingFolderName(node22)).toBe('node-127')
    expect(bindingFolderName({ node: '20.20.2', modules: '115' })).toBe('node-115')
  })

  it('passes the per-runtime binary when it is there, and leaves npm’s own binary otherwise', () => {
    const there = new Set(['/app/native/electron-140/better_sqlite3.node'])
    expect(chooseNativeBinding(electron, '/app/native', (p) => there.has(p))).toBe('/app/native/electron-140/better_sqlite3.node')
    expect(chooseNativeBinding(node22, '/app/native', (p) => there.has(p))).toBeUndefined()
    expect(chooseNativeBinding({ ...electron, modules: '145' }, '/app/native', (p) => there.has(p))).toBeUndefined()
  })

  it('inside Electron without process.versions.electron (a worker thread) the ABI alone finds the Electron build', () => {
    const there = new Set(['/app/native/electron-140/better_sqlite3.node'])
    expect(chooseNativeBinding({ node: electron.node, modules: '140' }, '/app/native', (p) => there.has(p))).toBe('/app/native/electron-140/better_sqlite3.node')
    // Plain Node of another ABI still gets npm's own binary.
    expect(chooseNativeBinding({ node: '20.20.2', modules: '115' }, '/app/native', (p) => there.has(p))).toBeUndefined()
  })

  it('finds the project root from the source folder and from a bundle chunk folder', () => {
    const has = (p: string) => p === '/proj/package.json'
    expect(projectRoot('/proj/main/store', has)).toBe('/proj')
    expect(projectRoot('/proj/out/main/chunks', has)).toBe('/proj')
  })
})

describe('native load failures', () => {
  it('turn an ABI mismatch into one sentence naming the command, the folder and both ABIs', () => {
    const err = nativeLoadError(abiMismatch(), electron, '/home/me/workbench')
    expect(err?.code).toBe('native_module_mismatch')
    expect(err?.message).toBe(
      'The SQLite driver (better-sqlite3) cannot load because its native part was built for another runtime (NODE_MODULE_VERSION 115; Electron 39.2.0 needs 140): run `npm run rebuild:native` in /home/me/workbench, then start again.',
    )
  })

  it('say the binding was never built when none is found', () => {
    const err = nativeLoadError(new Error('Could not locate the bindings file. Tried:\n → /x/build/better_sqlite3.node'), node22, '/w')
    expect(err?.message).toContain('never built for Node.js 22.23.3')
    expect(err?.message).toContain('`npm run rebuild:native` in /w')
  })

  it('leave other errors alone (a locked or corrupt file is not a driver problem)', () => {
    expect(nativeLoadError(new Error('SQLITE_BUSY: database is locked'), node22, '/w')).toBeNull()
    expect(nativeLoadError(null, node22, '/w')).toBeNull()
  })
})

describe('openSqlite', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
    delete process.env.WORKBENCH_NATIVE_DIR
  })

  it('opens with npm’s binary when no per-runtime binding exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nw-native-'))
    dirs.push(dir)
    process.env.WORKBENCH_NATIVE_DIR = join(dir, 'native')
    const db = openSqlite(join(dir, 'a.db'))
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    db.close()
  })

  it('reports a binding that does not load as the mismatch, not as a database problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nw-native-'))
    dirs.push(dir)
    const { mkdirSync, writeFileSync } = await import('node:fs')
    // A file that is not a shared object where this runtime's binding should be: dlopen refuses it.
    mkdirSync(join(dir, 'native', `node-${process.versions.modules}`), { recursive: true })
    writeFileSync(join(dir, 'native', `node-${process.versions.modules}`, 'better_sqlite3.node'), 'not a binary')
    process.env.WORKBENCH_NATIVE_DIR = join(dir, 'native')
    let thrown: unknown
    try {
      openSqlite(join(dir, 'a.db'))
    } catch (e) {
      thrown = e
    }
    expect(isAppError(thrown) && thrown.code).toBe('native_module_mismatch')
    expect((thrown as Error).message).toContain('npm run rebuild:native')
  })
})
