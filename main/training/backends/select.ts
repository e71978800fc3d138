// Picks the training backend at run time, walking the ladder tfjs-node-gpu > tfjs-node > wasm > cpu
// and keeping every load error verbatim (a missing package, or CUDA/cuDNN libraries that failed
// to load) so the UI can say why a faster backend was not used. Runs in the training worker.
import { createRequire } from 'node:module'
import * as tf from '@tensorflow/tfjs'
import { useWasmBackend } from './loadWasm'

/** A backend the user can ask for; 'auto' takes the best one that loads. */
export type BackendPreference = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'

/** The backends of the ladder, best first. */
export type BackendName = Exclude<BackendPreference, 'auto'>

/** One rung that failed to load, with the loader's own message. */
export interface BackendAttempt {
  name: BackendName
  error: string
}

/** The backend now active in this thread's tfjs, and why. */
export interface BackendChoice {
  name: BackendName
  reason: string
  /** What the computation runs on, in words. */
  device?: string
  /** Faster rungs that were tried first and failed. */
  tried: BackendAttempt[]
}

/** How rungs are loaded; injectable so tests can describe other machines. */
export interface BackendLoader {
  /** Loads a package by name (throws the loader's error when it cannot). */
  require(specifier: string): unknown
  /** Finds a package without loading it (throws "Cannot find module ..." when it is absent). */
  resolve(specifier: string): string
  /** Activates a registered tfjs backend; resolves false when it failed to initialise. */
  setBackend(name: string): Promise<boolean>
  /** Makes the wasm backend (with our training kernels) active; throws on failure. */
  useWasm(): Promise<void>
  /** Whether an NVIDIA kernel driver is loaded (Linux: /proc/driver/nvidia/version). */
  hasNvidiaDriver(): boolean
}

const LADDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']

const nodeRequire = createRequire(__filename)

/** The real machine. */
export const systemLoader: BackendLoader = {
  require: (specifier) => nodeRequire(specifier),
  resolve: (specifier) => nodeRequire.resolve(specifier),
  setBackend: (name) => tf.setBackend(name),
  useWasm: useWasmBackend,
  hasNvidiaDriver() {
    if (process.platform !== 'linux') return true
    try {
      return nodeRequire('node:fs').existsSync('/proc/driver/nvidia/version') as boolean
    } catch {
      return false
    }
  },
}

/** The message of anything thrown, whole (CUDA loader errors are multi-line and all of it matters). */
function errorText(e: unknown): string {
  if (e instanceof Error) return e.message
  return typeof e === 'string' ? e : JSON.stringify(e)
}

async function loadNative(pkg: string, loader: BackendLoader): Promise<void> {
  // Importing the package registers its 'tensorflow' backend with this tfjs (it binds libtensorflow).
  loader.require(pkg)
  if (!(await loader.setBackend('tensorflow'))) throw new Error(`${pkg} loaded but its 'tensorflow' backend failed to initialise`)
}

async function tryRung(name: BackendName, loader: BackendLoader): Promise<Omit<BackendChoice, 'tried'>> {
  switch (name) {
    case 'tensorflow-gpu':
      loader.resolve('@tensorflow/tfjs-node-gpu')
      // Without the kernel driver libtensorflow would quietly run on the CPU; say so instead.
      if (!loader.hasNvidiaDriver()) throw new Error('no NVIDIA driver is loaded (/proc/driver/nvidia/version is missing)')
      await loadNative('@tensorflow/tfjs-node-gpu', loader)
      return { name, reason: 'native TensorFlow with CUDA (@tensorflow/tfjs-node-gpu)', device: 'NVIDIA GPU (CUDA)' }
    case 'tensorflow':
      await loadNative('@tensorflow/tfjs-node', loader)
      return { name, reason: 'native TensorFlow on the CPU (@tensorflow/tfjs-node)', device: 'CPU (libtensorflow)' }
    case 'wasm':
      await loader.useWasm()
      return { name, reason: 'WebAssembly SIMD with the workbench training kernels', device: 'CPU (WebAssembly SIMD, one thread per worker)' }
    case 'cpu':
      if (!(await loader.setBackend('cpu'))) throw new Error('the cpu backend failed to initialise')
      return { name, reason: 'pure JavaScript (slowest, always available)', device: 'CPU (JavaScript)' }
  }
}

/**
 * Activates the best backend at or below `preferred` that loads ('auto' starts at the top), and
 * reports the rungs above it that failed with their errors verbatim.
 */
export async function selectBackend(preferred: BackendPreference = 'auto', loader: BackendLoader = systemLoader): Promise<BackendChoice> {
  const start = preferred === 'auto' ? 0 : LADDER.indexOf(preferred)
  const tried: BackendAttempt[] = []
  for (const name of LADDER.slice(start < 0 ? 0 : start)) {
    try {
      const choice = await tryRung(name, loader)
      const reason = tried.length === 0 ? choice.reason : `${choice.reason}; ${tried.map((t) => `${t.name} unavailable: ${firstLine(t.error)}`).join('; ')}`
      return { ...choice, reason, tried }
    } catch (e) {
      tried.push({ name, error: errorText(e) })
    }
  }
  throw new Error(`no training backend could be loaded: ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`)
}

/** The first line of a message, for one-line summaries (the full text stays in `tried`). */
function firstLine(s: string): string {
  return s.split('\n')[0] ?? s
}
