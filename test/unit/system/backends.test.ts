import { describe, expect, it } from 'vitest'
import { detectBackends, systemProbe, type BackendProbe } from '../../../main/system/backends'

function probe(installed: string[], files: string[] = []): BackendProbe {
  return {
    resolve: (spec) => (installed.some((p) => spec.startsWith(p)) ? `/fake/${spec}` : null),
    exists: (path) => files.includes(path),
  }
}

describe('detectBackends', () => {
  it('falls back to cpu and explains every missing rung', () => {
    const report = detectBackends(probe([]))
    expect(report.chosen).toBe('cpu')
    expect(report.candidates.map((c) => c.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'])
    expect(report.candidates[0].reason).toContain('@tensorflow/tfjs-node-gpu is not installed')
    expect(report.summary).toContain('wasm:')
  })

  it('picks wasm when only the wasm package is present', () => {
    const report = detectBackends(probe(['@tensorflow/tfjs-backend-wasm']))
    expect(report.chosen).toBe('wasm')
    expect(report.candidates.find((c) => c.name === 'wasm')?.available).toBe(true)
  })

  it('says a GPU package without an NVIDIA driver cannot be used, and takes the next rung', () => {
    const report = detectBackends(probe(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']))
    const gpu = report.candidates[0]
    if (process.platform === 'linux') {
      expect(gpu.available).toBe(false)
      expect(gpu.reason).toContain('no NVIDIA driver')
      expect(report.chosen).toBe('tensorflow')
    }
    const withDriver = detectBackends(probe(['@tensorflow/tfjs-node-gpu'], ['/proc/driver/nvidia/version']))
    expect(withDriver.chosen).toBe('tensorflow-gpu')
  })

  it('finds the installed wasm backend on this machine', () => {
    const wasm = detectBackends(systemProbe).candidates.find((c) => c.name === 'wasm')
    expect(wasm?.available).toBe(true)
  })
})
