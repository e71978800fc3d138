/**
 * Which better-sqlite3 binary the running runtime loads, and what to tell a person when it cannot.
 * The binary in node_modules is built for the Node.js that ran `npm ci`; Electron (and another Node
 * major) speak another ABI, so their builds live in native/<runtime>-<abi>/ beside the project
 * (written by scripts/native-binding.mjs, `npm run rebuild:native`) and are passed as nativeBinding.
 */
import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { AppError } from '../../common/errors'

/** Overrides the folder that holds the per-runtime bindings (default: native/ in the project root). */
export const NATIVE_DIR_ENV = 'WORKBENCH_NATIVE_DIR'
/** The command that builds the binding for the runtime that needs it. */
export const REBUILD_COMMAND = 'npm run rebuild:native'
/** The binding's file name, in node_modules and in each native/<runtime>-<abi>/ folder. */
export const BINDING_FILE = 'better_sqlite3.node'

/** The facts about a runtime that decide which binary it can load. */
export interface RuntimeAbi {
  /** Electron's version when running inside Electron (main process or its worker threads). */
  electron?: string
  /** Node's version (Electron's bundled Node inside Electron). */
  node: string
  /** NODE_MODULE_VERSION: native modules load only into a runtime with the same number. */
  modules: string
}

/** The running runtime, from process.versions. */
export function currentRuntime(): RuntimeAbi {
  const v = process.versions as NodeJS.ProcessVersions & { electron?: string }
  return { electron: v.electron, node: v.node, modules: v.modules }
}

/** The folder name for one runtime's binding, e.g. "electron-140" or "node-127" (scripts/native-binding.mjs writes the same). */
export function bindingFolderName(runtime: RuntimeAbi): string {
  return `${runtime.electron ? 'electron' : 'node'}-${runtime.modules}`
}

/**
 * The binding file to pass as nativeBinding, or undefined to let better-sqlite3 load the one in
 * node_modules (the right one for the Node that installed the project).
 */
export function chooseNativeBinding(runtime: RuntimeAbi, nativeDir: string, exists: (p: string) => boolean = existsSync): string | undefined {
  const file = join(nativeDir, bindingFolderName(runtime), BINDING_FILE)
  if (exists(file)) return file
  // Why: a worker thread inside Electron may not see process.versions.electron (unverified here:
  // no Electron runtime can be downloaded). Electron's NODE_MODULE_VERSION numbers are its own,
  // never a Node release's, so an electron-<abi> build for this very ABI is the one to load.
  if (!runtime.electron) {
    const electronBuild = join(nativeDir, bindingFolderName({ ...runtime, electron: 'unknown' }), BINDING_FILE)
    if (exists(electronBuild)) return electronBuild
  }
  return undefined
}

/** The project root: the nearest folder above `from` holding a package.json (out/main/, out/main/chunks/ and main/store/ alike). */
export function projectRoot(from: string = __dirname, exists: (p: string) => boolean = existsSync): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (exists(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) return from
  }
}

/** The folder holding native/<runtime>-<abi>/ bindings for this process. */
export function nativeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[NATIVE_DIR_ENV] || join(projectRoot(), 'native')
}

/**
 * Turns a failure to load the native module into the sentence a person needs (what to run, where),
 * or returns null when the error is something else (a corrupt file, a full disk...).
 */
export function nativeLoadError(e: unknown, runtime: RuntimeAbi = currentRuntime(), root: string = projectRoot()): AppError | null {
  const err = e as { code?: unknown; message?: unknown } | null
  const message = typeof err?.message === 'string' ? err.message : ''
  const dlopen = err?.code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION/.test(message)
  const missing = /Could not locate the bindings file/.test(message)
  if (!dlopen && !missing) return null
  const here = runtime.electron ? `Electron ${runtime.electron}` : `Node.js ${runtime.node}`
  const built = /NODE_MODULE_VERSION (\d+)\./.exec(message)?.[1]
  const why = missing
    ? `its native part was never built for ${here}`
    : built && built !== runtime.modules
      ? `its native part was built for another runtime (NODE_MODULE_VERSION ${built}; ${here} needs ${runtime.modules})`
      : `its native part does not load in ${here}`
  return new AppError(
    'native_module_mismatch',
    `The SQLite driver (better-sqlite3) cannot load because ${why}: run \`${REBUILD_COMMAND}\` in ${root}, then start again.`,
    { cause: message.split('\n')[0] },
  )
}

/**
 * Opens a SQLite connection with the binding built for this runtime. Every connection in main and
 * in its worker threads goes through here, so Electron never loads Node's binary.
 */
export function openSqlite(path: string, options: Database.Options = {}): Database.Database {
  const binding = chooseNativeBinding(currentRuntime(), nativeDir())
  try {
    return new Database(path, binding ? { ...options, nativeBinding: binding } : options)
  } catch (e) {
    throw nativeLoadError(e) ?? e
  }
}
