// Shared helpers for the wasm-vs-cpu tests: backend setup, seeded data, and the error metric.
import * as tf from '@tensorflow/tfjs'
import { useWasmBackend } from '../../../main/training/backends/loadWasm'
import { seededRandom } from '../../../common/datasets/prng'

/**
 * The comparison metric: max |a - b| over all elements divided by max |b| (b = the cpu result),
 * floored at 1e-6 so an all-zero reference does not divide by zero. Scale-free, and strict where
 * it matters: an element-wise relative error would blow up on values that cancel to near zero.
 */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY
  let diff = 0
  let scale = 0
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number))
    if (!(d <= diff)) diff = d // also catches NaN
    scale = Math.max(scale, Math.abs(b[i] as number))
  }
  return diff / Math.max(scale, 1e-6)
}

/** A deterministic uniform generator in [0, 1) (the datasets module's mulberry32). */
export const rng = seededRandom

/** `size` uniform values in [-1, 1) from a seeded generator. */
export function randomData(size: number, seed: number): Float32Array {
  const r = rng(seed)
  return Float32Array.from({ length: size }, () => r() * 2 - 1)
}

/** Initialises both backends once (wasm with our kernels) and leaves cpu active. */
export async function setUpBackends(): Promise<void> {
  await useWasmBackend()
  await tf.setBackend('cpu')
}

/** Runs `f` on one backend and returns its result's values (tensors are created inside `f`). */
export async function runOn(backend: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend)
  const out = tf.tidy(f)
  const values = (await out.data()) as Float32Array
  out.dispose()
  return Float32Array.from(values)
}

/** The same computation on wasm and cpu: returns the error metric of wasm against cpu. */
export async function compareBackends(f: () => tf.Tensor): Promise<number> {
  const wasm = await runOn('wasm', f)
  const cpu = await runOn('cpu', f)
  return maxRelError(wasm, cpu)
}

/** Different computations of the same quantity: `wasm` on wasm against `cpu` on cpu. */
export async function compareTo(wasm: () => tf.Tensor, cpu: () => tf.Tensor): Promise<number> {
  return maxRelError(await runOn('wasm', wasm), await runOn('cpu', cpu))
}
