// The row-weighted average of the replicas' gradients for one variable. On wasm it runs in native
// passes over the heap (nw_scaled_add: the other replicas' slots copied in once each), where the
// tensor ops made a tensor of each slot, scaled each part and summed them: four passes and as many
// allocations over every variable, the Embedding's 640k floats included, in every replica every
// step. Both compute mul-by-weight then a sum from 0 in replica order, so results are the same bits.
import * as tf from '@tensorflow/tfjs'
import { offsetOf, type WasmBackend } from '../wasm/heap'
import { nativeKernels } from '../wasm/native'

/** One replica's gradient for the variable: this replica's own tensor, or another's values from shared memory. */
export type GradientPart = { own: tf.Tensor } | { shared: Float32Array }

/** sum over parts of part * weight (weights as float32, summed in order from 0), shaped `shape`. */
export function averageGradients(parts: GradientPart[], weights: number[], shape: number[]): tf.Tensor {
  if (tf.getBackend() === 'wasm') return nativeAverage(tf.backend() as unknown as WasmBackend, parts, weights, shape)
  return tf.tidy(() => tf.addN(parts.map((p, i) => ('own' in p ? p.own : tf.tensor(p.shared, shape)).mul(weights[i] as number))))
}

function nativeAverage(backend: WasmBackend, parts: GradientPart[], weights: number[], shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1)
  const out = backend.makeOutput(shape, 'float32')
  const k = nativeKernels(backend)
  const scratch = parts.some((p) => 'shared' in p) ? backend.wasm._malloc(size * 4) : 0
  try {
    parts.forEach((p, i) => {
      let at = scratch
      if ('own' in p) at = offsetOf(backend, p.own)
      else new Float32Array(backend.wasm.HEAPU8.buffer, scratch, size).set(p.shared.subarray(0, size))
      k.nw_scaled_add(offsetOf(backend, out), at, weights[i] as number, size, i === 0 ? 1 : 0)
    })
  } finally {
    if (scratch) backend.wasm._free(scratch)
  }
  return tf.engine().makeTensorFromTensorInfo(out)
}
