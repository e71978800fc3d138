// The wasm backend's own kernels, captured before we override any, so our fast paths can call them.
import { getKernel, type KernelConfig } from '@tensorflow/tfjs'

const captured = new Map<string, KernelConfig>()

/** Remembers the stock wasm kernels we may override or call; call before registering ours. */
export function captureStockKernels(names: readonly string[]): void {
  for (const name of names) {
    if (captured.has(name)) continue
    const config = getKernel(name, 'wasm')
    if (config) captured.set(name, config)
  }
}

/** The stock wasm kernel config for `name` (throws when the wasm backend lacks it). */
export function stock(name: string): KernelConfig {
  const config = captured.get(name) ?? getKernel(name, 'wasm')
  if (!config) throw new Error(`the wasm backend has no stock ${name} kernel`)
  return config
}

/** The stock wasm kernel config for `name`, or null when the stock backend has none. */
export function stockOrNull(name: string): KernelConfig | null {
  return captured.get(name) ?? null
}
