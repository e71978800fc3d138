// Re-laying tfjs weight arrays out the way ONNX operators expect them.
import type { WeightTensor } from './builder'

/** Permutes the axes of a row-major tensor: output axis i is input axis perm[i]. */
export function transpose(t: WeightTensor, perm: number[]): WeightTensor {
  const rank = t.shape.length
  const outShape = perm.map((p) => t.shape[p] as number)
  const inStrides = new Array<number>(rank).fill(1)
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = (inStrides[i + 1] as number) * (t.shape[i + 1] as number)
  const strideOfOut = perm.map((p) => inStrides[p] as number)
  const out = new Float32Array(t.values.length)
  const idx = new Array<number>(rank).fill(0)
  for (let o = 0; o < out.length; o++) {
    let src = 0
    for (let i = 0; i < rank; i++) src += (idx[i] as number) * (strideOfOut[i] as number)
    out[o] = t.values[src] as number
    for (let i = rank - 1; i >= 0; i--) {
      idx[i] = (idx[i] as number) + 1
      if ((idx[i] as number) < (outShape[i] as number)) break
      idx[i] = 0
    }
  }
  return { shape: outShape, values: out }
}

/**
 * Reorders gate blocks along the first axis: a [gates * units, ...] tensor whose block g holds
 * gate `order[g]` of the source. tfjs LSTM stores gates i, f, c, o; ONNX wants i, o, f, c.
 */
export function reorderGates(t: WeightTensor, units: number, order: number[]): WeightTensor {
  const block = units * (t.values.length / (t.shape[0] as number))
  const out = new Float32Array(t.values.length)
  order.forEach((src, g) => out.set(t.values.subarray(src * block, (src + 1) * block), g * block))
  return { shape: t.shape, values: out }
}

/** Joins tensors of equal shape along a new first axis. */
export function stack(ts: WeightTensor[]): WeightTensor {
  const first = ts[0] as WeightTensor
  const out = new Float32Array(first.values.length * ts.length)
  ts.forEach((t, i) => out.set(t.values, i * first.values.length))
  return { shape: [ts.length, ...first.shape], values: out }
}
