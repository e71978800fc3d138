import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { BackendCandidate, BackendReport } from '../../common/contract'

/** What backend detection may look at; injectable so tests can describe any machine. */
export interface BackendProbe {
  /** Resolves a module specifier to a file path, or null when it is not installed. */
  resolve(specifier: string): string | null
  /** Whether a file exists (driver and library checks). */
  exists(path: string): boolean
}

const nodeRequire = createRequire(__filename)

/** The real machine. */
export const systemProbe: BackendProbe = {
  resolve(specifier) {
    try {
      return nodeRequire.resolve(specifier)
    } catch {
      return null
    }
  },
  exists: existsSync,
}

const NVIDIA_DRIVER = '/proc/driver/nvidia/version'

function gpuCandidate(probe: BackendProbe): BackendCandidate {
  const base = { name: 'tensorflow-gpu', packageName: '@tensorflow/tfjs-node-gpu' } as const
  if (!probe.resolve('@tensorflow/tfjs-node-gpu/package.json')) {
    return {
      ...base,
      available: false,
      reason:
        'package @tensorflow/tfjs-node-gpu is not installed (optional; it needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1, then `npm install @tensorflow/tfjs-node-gpu`)',
    }
  }
  if (process.platform === 'linux' && !probe.exists(NVIDIA_DRIVER)) {
    return { ...base, available: false, reason: `no NVIDIA driver found (${NVIDIA_DRIVER} is missing)` }
  }
  return { ...base, available: true, reason: 'installed and an NVIDIA driver is present; CUDA libraries are checked when a run starts' }
}

function nativeCandidate(probe: BackendProbe): BackendCandidate {
  const base = { name: 'tensorflow', packageName: '@tensorflow/tfjs-node' } as const
  if (!probe.resolve('@tensorflow/tfjs-node/package.json')) {
    return {
      ...base,
      available: false,
      reason: 'package @tensorflow/tfjs-node is not installed (optional; its install downloads libtensorflow)',
    }
  }
  return { ...base, available: true, reason: 'native TensorFlow (CPU) is installed' }
}

function wasmCandidate(probe: BackendProbe): BackendCandidate {
  const base = { name: 'wasm', packageName: '@tensorflow/tfjs-backend-wasm' } as const
  const wasm = probe.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-simd.wasm')
  if (!wasm) return { ...base, available: false, reason: 'package @tensorflow/tfjs-backend-wasm or its SIMD binary is missing' }
  return { ...base, available: true, reason: 'WebAssembly SIMD backend (single-threaded under Node)' }
}

/** Walks the ladder tfjs-node-gpu > tfjs-node > wasm > cpu and says which one training would use, and why. */
export function detectBackends(probe: BackendProbe = systemProbe): BackendReport {
  const candidates: BackendCandidate[] = [
    gpuCandidate(probe),
    nativeCandidate(probe),
    wasmCandidate(probe),
    { name: 'cpu', packageName: '@tensorflow/tfjs-backend-cpu', available: true, reason: 'pure JavaScript, always available (slowest)' },
  ]
  const chosen = candidates.find((c) => c.available) ?? candidates[candidates.length - 1]
  const skipped = candidates.slice(0, candidates.indexOf(chosen))
  const summary =
    skipped.length === 0
      ? `${chosen.name}: ${chosen.reason}`
      : `${chosen.name} (${skipped.map((c) => `${c.name}: ${c.reason}`).join('; ')})`
  return { chosen: chosen.name, summary, candidates }
}
