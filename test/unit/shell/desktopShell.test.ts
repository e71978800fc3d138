/**
 * The desktop shell where Electron is absent: the BUILT main and preload bundles (out/, made by
 * `npm run build`, which `npm test` runs before the unit tests) are loaded under Node with a fake
 * `electron` module, and a request goes from the preload's API through IPC to the real core.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DATA_DIR_ENV } from '../../../main/core/paths'
import { METHOD_NAMES } from '../../../common/contract'
import { fakeElectron, type FakeElectron } from './fakeElectron'

const root = resolve(__dirname, '../../..')
const mainBundle = join(root, 'out/main/index.js')
const preloadBundle = join(root, 'out/preload/index.js')
const nodeRequire = createRequire(import.meta.url)
const FAKE_PATH = join(root, 'test/unit/shell/__fake_electron__.js')

type ModuleInternals = typeof Module & {
  _resolveFilename: (request: string, ...rest: unknown[]) => string
  _cache: Record<string, NodeJS.Module>
}
const M = Module as ModuleInternals
const realResolve = M._resolveFilename

/** Makes require('electron') return `fake` for the bundles loaded after this call. */
function installFake(fake: FakeElectron): void {
  const m = new Module(FAKE_PATH) as NodeJS.Module
  m.exports = fake.module
  m.loaded = true
  M._cache[FAKE_PATH] = m
}

/** Loads (or reloads) a built bundle with the current fake. */
function load(bundle: string): void {
  delete M._cache[bundle]
  nodeRequire(bundle)
}

const work = mkdtempSync(join(tmpdir(), 'nw-shell-'))
const userData = join(work, 'userData')
const nativeDir = join(work, 'native')
const electronBinding = join(nativeDir, `electron-${process.versions.modules}`, 'better_sqlite3.node')
const dlopened: string[] = []
const realDlopen = process.dlopen
let first: FakeElectron

beforeAll(async () => {
  for (const bundle of [mainBundle, preloadBundle]) {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first (npm test builds before the unit tests).`)
  }
  M._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'electron' ? FAKE_PATH : realResolve.call(this, request, ...rest)
  }
  // Inside Electron process.versions.electron is set; the ABI number stays this Node's, so a copy of
  // npm's binary in native/electron-<abi>/ loads, and we can see which file was chosen.
  Object.defineProperty(process.versions, 'electron', { value: '39.0.0', configurable: true, enumerable: true })
  mkdirSync(dirname(electronBinding), { recursive: true })
  const npmBinary = join(dirname(nodeRequire.resolve('better-sqlite3/package.json')), 'build/Release/better_sqlite3.node')
  copyFileSync(npmBinary, electronBinding)
  process.env.WORKBENCH_NATIVE_DIR = nativeDir
  delete process.env[DATA_DIR_ENV]
  process.dlopen = ((module: unknown, filename: string, ...rest: unknown[]) => {
    dlopened.push(filename)
    return (realDlopen as (...a: unknown[]) => unknown)(module, filename, ...rest)
  }) as typeof process.dlopen

  first = fakeElectron({ userData, lock: true })
  installFake(first)
  load(mainBundle)
  first.ready()
  await vi.waitFor(() => expect(first.handled.length).toBeGreaterThan(0), { timeout: 20_000 })
  load(preloadBundle)
}, 60_000)

afterAll(async () => {
  first?.app.emit('window-all-closed')
  await vi.waitFor(() => expect(first.calls).toContain('app.quit'), { timeout: 20_000 }).catch(() => undefined)
  M._resolveFilename = realResolve
  delete M._cache[FAKE_PATH]
  process.dlopen = realDlopen
  delete (process.versions as Record<string, string | undefined>).electron
  delete process.env.WORKBENCH_NATIVE_DIR
  rmSync(work, { recursive: true, force: true })
})

type Api = Record<string, Record<string, (input?: unknown) => Promise<{ ok: boolean; value?: unknown; code?: string }>>> & {
  on(event: string, listener: (payload: unknown) => void): () => void
}

describe('desktop shell (built bundles, fake electron)', () => {
  it('registers exactly one IPC handler per contract method', () => {
    expect([...first.handled].sort()).toEqual(METHOD_NAMES.map((m) => `wb:${m}`).sort())
  })

  it('the preload exposes exactly the contract as window.workbench, and nothing else', () => {
    expect(Object.keys(first.exposed)).toEqual(['workbench'])
    const api = first.exposed.workbench as Api
    const exposed = Object.entries(api).flatMap(([ns, group]) => (typeof group === 'function' ? [ns] : Object.keys(group).map((verb) => `${ns}.${verb}`)))
    expect(exposed.sort()).toEqual([...METHOD_NAMES, 'on'].sort())
  })

  it('a request round-trips through preload and IPC to the real core, and its event comes back', async () => {
    const api = first.exposed.workbench as Api
    const status = await api.system.status()
    expect(status.ok).toBe(true)
    expect(status.value).toMatchObject({ transport: 'electron', dataDir: userData })
    const seen: unknown[] = []
    const off = api.on('settings.changed', (payload) => seen.push(payload))
    const updated = await api.settings.update({ theme: 'dark' })
    expect(updated).toMatchObject({ ok: true, value: { theme: 'dark' } })
    expect(await api.settings.get()).toMatchObject({ ok: true, value: { theme: 'dark' } })
    await vi.waitFor(() => expect(seen).toEqual([expect.objectContaining({ theme: 'dark' })]))
    off()
    const bad = await api.settings.update({ theme: 'purple' })
    expect(bad).toMatchObject({ ok: false, code: 'invalid_input' })
  })

  it('refuses requests from a foreign page and from a subframe of ours', async () => {
    const handler = first.handlers.get('wb:settings.get')!
    const appUrl = first.windows[0]!.loaded!
    expect(appUrl).toBe(new URL(`file://${join(root, 'out/renderer/index.html')}`).href)
    const foreign = (await handler({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})) as { ok: boolean; code?: string }
    expect(foreign).toMatchObject({ ok: false, code: 'unknown_method' })
    const sub = (await handler({ senderFrame: { url: appUrl, parent: { url: appUrl, parent: null } } }, {})) as { ok: boolean }
    expect(sub.ok).toBe(false)
    expect(((await handler({ senderFrame: null }, {})) as { ok: boolean }).ok).toBe(false)
    expect(((await handler({ senderFrame: { url: appUrl, parent: null } }, {})) as { ok: boolean }).ok).toBe(true)
  })

  it('opens the database with the Electron-ABI binding when process.versions.electron is set', () => {
    expect(dlopened).toContain(electronBinding)
    expect(dlopened.filter((f) => f.endsWith('better_sqlite3.node'))).toEqual([electronBinding])
  })

  it('takes the single-instance lock: a second launch quits without touching data, the first window comes forward', async () => {
    expect(first.calls).toContain('app.requestSingleInstanceLock')
    const secondData = join(work, 'second')
    const second = fakeElectron({ userData: secondData, lock: false })
    installFake(second)
    load(mainBundle)
    second.ready()
    await new Promise((r) => setTimeout(r, 200))
    expect(second.calls).toContain('app.requestSingleInstanceLock')
    expect(second.calls).toContain('app.quit')
    expect(second.windows).toHaveLength(0)
    expect(second.handled).toHaveLength(0)
    expect(existsSync(secondData)).toBe(false)

    first.app.emit('second-instance', {}, ['electron', '.'], work)
    expect(first.calls).toEqual(expect.arrayContaining(['win.restore', 'win.focus']))
  })

  it('a binding that does not load shows a dialog naming the command to run, without a stack, and exits', async () => {
    // Where Electron's binding should be lies a file that is no shared object: dlopen fails as it does for a wrong ABI.
    const broken = join(work, 'broken-native')
    mkdirSync(join(broken, `electron-${process.versions.modules}`), { recursive: true })
    writeFileSync(join(broken, `electron-${process.versions.modules}`, 'better_sqlite3.node'), 'not a shared object')
    process.env.WORKBENCH_NATIVE_DIR = broken
    const third = fakeElectron({ userData: join(work, 'third'), lock: true })
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    let printed: unknown[][] = []
    try {
      installFake(third)
      load(mainBundle)
      third.ready()
      await vi.waitFor(() => expect(third.calls).toContain('app.exit(3)'))
      printed = errors.mock.calls.map((c) => [...c])
    } finally {
      process.env.WORKBENCH_NATIVE_DIR = nativeDir
      errors.mockRestore()
    }
    expect(third.errorBoxes).toHaveLength(1)
    expect(third.errorBoxes[0]!.content).toContain('run `npm run rebuild:native` in ')
    expect(third.errorBoxes[0]!.content).not.toMatch(/\n\s+at /)
    // The same sentence on stderr, which is what `npm start` shows in the terminal.
    expect(printed).toEqual([[`neural-workbench: ${third.errorBoxes[0]!.content}`]])
    expect(third.windows).toHaveLength(0)
  })
})
