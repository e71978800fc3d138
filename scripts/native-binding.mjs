// Builds (or fetches) better-sqlite3's native binding for the runtimes that cannot load the one npm
// installed: Electron (another ABI) and a Node.js of another major than the one that ran `npm ci`.
// Each goes to native/<runtime>-<abi>/better_sqlite3.node (WORKBENCH_NATIVE_DIR overrides native/),
// the folder main/store/nativeBinding.ts looks in; the naming rule is bindingFolderName() there.
//
//   node scripts/native-binding.mjs               `npm run rebuild:native`: this Node (when its binary
//                                                 does not load) and Electron (when installed)
//   node scripts/native-binding.mjs --postinstall the install step: Electron only, never fails
//   --force rebuilds even when a matching binding is there; --nodedir=DIR builds against headers in DIR.
//
// Order: prebuild-install (downloads a prebuilt binary) then node-gyp (compiles; for Node against
// the headers shipped beside its binary, for Electron against Electron's headers).
import { spawnSync } from 'node:child_process'
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import info from './electron-info.cjs'

const { electronRuntime, root } = info
const BINDING_FILE = 'better_sqlite3.node'
const REBUILD_COMMAND = 'npm run rebuild:native'

const argv = process.argv.slice(2)
const postinstall = argv.includes('--postinstall')
const force = argv.includes('--force')
const nodedirArg = argv.find((a) => a.startsWith('--nodedir='))?.slice('--nodedir='.length)

const log = (line) => console.log(`native-binding: ${line}`)
const nativeDir = process.env.WORKBENCH_NATIVE_DIR || join(root, 'native')

/** better-sqlite3's package folder and version. */
function driver() {
  const pkgJson = createRequire(join(root, 'package.json')).resolve('better-sqlite3/package.json')
  return { dir: dirname(pkgJson), version: JSON.parse(readFileSync(pkgJson, 'utf8')).version }
}

/** True when `file` loads into this very process (same ABI). */
function loadsHere(file) {
  if (!existsSync(file)) return false
  try {
    process.dlopen({ exports: {} }, file)
    return true
  } catch {
    return false
  }
}

/** True when `file` loads into the Electron runtime at `binary`. */
function loadsInElectron(binary, file) {
  const r = spawnSync(binary, ['-e', `process.dlopen({ exports: {} }, ${JSON.stringify(file)})`], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return r.status === 0
}

/** Electron's version and ABI, asked from its own binary (run as plain Node, no window). */
function electronVersions(binary) {
  const r = spawnSync(binary, ['-p', 'JSON.stringify({ electron: process.versions.electron, modules: process.versions.modules })'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  })
  if (r.status !== 0) throw new Error(`could not run Electron (${binary}) to read its version: ${(r.stderr || r.error?.message || '').trim()}`)
  return JSON.parse(r.stdout.trim().split('\n').pop())
}

/** node-gyp: the one npm ships (npm sets npm_config_node_gyp under `npm run`), else a local or npm-bundled copy. */
function nodeGypPath() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp
  const candidates = [join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')]
  const npmCli = spawnSync(process.platform === 'win32' ? 'where' : 'which', ['npm'], { encoding: 'utf8' }).stdout?.split('\n')[0]?.trim()
  if (npmCli) candidates.push(join(dirname(realpathSync(npmCli)), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'))
  candidates.push(join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'))
  return candidates.find((p) => existsSync(p))
}

/** Node's headers beside its binary (the Node.js tarball layout, Debian's /usr/include/node, the npm `node` package). */
function headersBesideNode(execPath) {
  const dir = resolve(dirname(execPath), '..')
  return existsSync(join(dir, 'include', 'node', 'node.h')) ? dir : undefined
}

/**
 * The environment for the build tools, less npm's settings that would retarget them: under `npm run`
 * or npx, npm exports its config (Debian's npm sets nodedir=/usr), and node-gyp prefers it to our flags.
 */
function buildEnv() {
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|target|runtime|arch|target_arch|disturl|dist_url|build_from_source)$/i.test(key)) delete env[key]
  }
  return env
}

function run(cmd, args, cwd, logFile, timeoutMs) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: buildEnv() })
  writeFileSync(logFile, `$ ${cmd} ${args.join(' ')}\n${r.stdout ?? ''}\n${r.stderr ?? ''}\n${r.error ? String(r.error) : ''}\n`, { flag: 'a' })
  return r.status === 0
}

/**
 * Builds the binding for one runtime into native/<folder>/ and returns how ('prebuild-install' or
 * 'node-gyp'); throws with the build log's path when both fail.
 */
function buildBinding({ runtime, version, folder, nodedir }) {
  const { dir: src, version: driverVersion } = driver()
  const outDir = join(nativeDir, folder)
  mkdirSync(outDir, { recursive: true })
  const logFile = join(outDir, 'build.log')
  writeFileSync(logFile, '')
  // A private copy of the sources: building in node_modules would replace the binary Node's tests load.
  const work = mkdtempSync(join(tmpdir(), 'nw-better-sqlite3-'))
  try {
    for (const part of ['package.json', 'binding.gyp', 'src', 'deps']) cpSync(join(src, part), join(work, part), { recursive: true })
    const built = join(work, 'build', 'Release', BINDING_FILE)
    let via
    const prebuild = createRequire(join(src, 'package.json')).resolve('prebuild-install/bin.js')
    if (run(process.execPath, [prebuild, '--runtime', runtime, '--target', version, '--arch', process.arch, '--platform', process.platform, '--verbose'], work, logFile, 120_000) && existsSync(built)) {
      via = 'prebuild-install'
    } else {
      const gyp = nodeGypPath()
      if (!gyp) throw new Error(`node-gyp was not found (npm ships it); install it with \`npm i -g node-gyp\` and run \`${REBUILD_COMMAND}\` again`)
      const headers = nodedir ? [`--nodedir=${nodedir}`] : runtime === 'electron' ? ['--dist-url=https://electronjs.org/headers'] : []
      log(`compiling for ${runtime} ${version} with node-gyp (a few minutes)...`)
      if (!run(process.execPath, [gyp, 'rebuild', '--release', `--target=${version}`, `--arch=${process.arch}`, '--jobs=max', ...headers], work, logFile, 20 * 60_000) || !existsSync(built)) {
        throw new Error(`building better-sqlite3 for ${runtime} ${version} failed; the log is ${logFile}`)
      }
      via = 'node-gyp'
    }
    copyFileSync(built, join(outDir, BINDING_FILE))
    writeFileSync(join(outDir, 'binding.json'), JSON.stringify({ betterSqlite3: driverVersion, runtime, version, via }, null, 2) + '\n')
    return via
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** True when native/<folder>/ holds a binding made from this better-sqlite3 for this runtime version. */
function upToDate(folder, runtime, version) {
  const stamp = join(nativeDir, folder, 'binding.json')
  if (force || !existsSync(stamp) || !existsSync(join(nativeDir, folder, BINDING_FILE))) return false
  try {
    const s = JSON.parse(readFileSync(stamp, 'utf8'))
    return s.betterSqlite3 === driver().version && s.runtime === runtime && s.version === version
  } catch {
    return false
  }
}

/** The running Node: nothing to do when npm's binary loads; otherwise native/node-<abi>/. */
function ensureForThisNode() {
  const { node: version, modules } = process.versions
  const folder = `node-${modules}`
  const own = join(driver().dir, 'build', 'Release', BINDING_FILE)
  if (loadsHere(own)) {
    log(`Node.js ${version}: the binary in node_modules loads; nothing to build.`)
    return
  }
  const target = join(nativeDir, folder, BINDING_FILE)
  if (upToDate(folder, 'node', version) && loadsHere(target)) {
    log(`Node.js ${version}: ${target} is already built.`)
    return
  }
  const nodedir = nodedirArg ?? headersBesideNode(process.execPath)
  const via = buildBinding({ runtime: 'node', version, folder, nodedir })
  if (!loadsHere(target)) throw new Error(`the binding built for Node.js ${version} does not load (${target})`)
  log(`Node.js ${version}: built ${target} (${via}).`)
}

/** Electron, where its runtime is installed: native/electron-<abi>/. */
function ensureForElectron() {
  const runtime = electronRuntime()
  if (!runtime.binary) {
    log(`no Electron runtime (${runtime.why}); nothing to build for it.`)
    return
  }
  const { electron, modules } = electronVersions(runtime.binary)
  const folder = `electron-${modules}`
  const target = join(nativeDir, folder, BINDING_FILE)
  if (upToDate(folder, 'electron', electron) && loadsInElectron(runtime.binary, target)) {
    log(`Electron ${electron}: ${target} is already built.`)
    return
  }
  const via = buildBinding({ runtime: 'electron', version: electron, folder, nodedir: nodedirArg })
  if (!loadsInElectron(runtime.binary, target)) throw new Error(`the binding built for Electron ${electron} does not load in it (${target})`)
  log(`Electron ${electron}: built ${target} (${via}).`)
}

try {
  if (!postinstall) ensureForThisNode()
  ensureForElectron()
} catch (e) {
  const why = e instanceof Error ? e.message : String(e)
  if (postinstall) {
    // The install must never fail for this: the browser host and the tests do not need it.
    log(`could not prepare the Electron binding (${why}). The desktop app will say so at start; fix the cause and run \`${REBUILD_COMMAND}\`.`)
    process.exit(0)
  }
  console.error(`native-binding: ${why}`)
  process.exit(1)
}
