// Exports a tfjs model to ONNX and compares ONNX Runtime's outputs with tfjs' on the same inputs.
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { withDefaults } from '../../common/graph/catalog'
import type { ModelGraph } from '../../common/graph/types'
import { outputNodes, indexGraph } from '../../common/graph/validate'
import { tfjsWeightsOf, toOnnx } from '../../main/export/onnx'
import { mulberry32 } from './randomGraph'

/** Replaces every weight with seeded random values (variances kept positive), so the check does not rest on initial values such as zero biases or unit variances. */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const rnd = mulberry32(seed)
  for (const layer of model.layers) {
    const ws = layer.weights
    if (ws.length === 0) continue
    layer.setWeights(
      ws.map((w) => {
        const n = w.shape.reduce((a: number, d) => a * (d as number), 1)
        const positive = w.name.includes('moving_variance')
        const vals = Float32Array.from({ length: n }, () => (positive ? 0.5 + rnd() : (rnd() * 2 - 1) * 0.5))
        return tf.tensor(vals, w.shape as number[])
      }),
    )
  }
}

/** One sample batch per graph input: floats in [-1, 1), token ids below the Embedding's vocabulary. */
export function sampleInputs(graph: ModelGraph, batch: number, seed: number): { name: string; dtype: 'float32' | 'int32'; shape: number[]; data: Float32Array | Int32Array }[] {
  const rnd = mulberry32(seed)
  const index = indexGraph(graph)
  return graph.nodes
    .filter((n) => n.type === 'Input')
    .map((n) => {
      const p = withDefaults('Input', n.params)
      const shape = [batch, ...(p.shape as number[])]
      const size = shape.reduce((a, d) => a * d, 1)
      if (p.dtype === 'int32') {
        const consumers = (index.outgoing.get(n.id) ?? []).map((e) => index.byId.get(e.target))
        const vocab = Math.min(...consumers.map((c) => (c?.type === 'Embedding' ? (withDefaults('Embedding', c.params).inputDim as number) : 100)))
        return { name: n.name, dtype: 'int32' as const, shape, data: Int32Array.from({ length: size }, () => Math.floor(rnd() * vocab)) }
      }
      return { name: n.name, dtype: 'float32' as const, shape, data: Float32Array.from({ length: size }, () => rnd() * 2 - 1) }
    })
}

/** The outcome of one comparison. */
export interface ParityResult {
  maxAbs: number
  bytes: Uint8Array
  exportMs: number
}

/** Builds the tfjs model for `graph` with random weights, exports it, runs both on the same inputs, and returns the largest absolute difference over all outputs. */
export async function onnxParity(graph: ModelGraph, seed: number): Promise<ParityResult> {
  const { buildModel } = await import('../../main/training/buildModel')
  const model = await buildModel(tf, graph, seed)
  randomizeWeights(model, seed + 1)
  const t0 = performance.now()
  const bytes = toOnnx(graph, { weightsOf: tfjsWeightsOf(model) })
  const exportMs = performance.now() - t0
  const inputs = sampleInputs(graph, 3, seed + 2)
  const expected = tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.data, i.shape, i.dtype))
    const ys = model.predict(xs.length === 1 ? (xs[0] as tf.Tensor) : xs)
    return (Array.isArray(ys) ? ys : [ys as tf.Tensor]).map((y) => y.dataSync().slice() as Float32Array)
  })
  model.dispose()
  const session = await ort.InferenceSession.create(bytes)
  const feeds: Record<string, ort.Tensor> = {}
  for (const i of inputs) feeds[i.name] = new ort.Tensor(i.dtype, i.data, i.shape)
  const got = await session.run(feeds)
  await session.release()
  const outs = outputNodes(graph, indexGraph(graph))
  let maxAbs = 0
  outs.forEach((n, k) => {
    const y = got[`${n.name}_output`]
    const e = expected[k] as Float32Array
    if (!y) throw new Error(`ONNX output ${n.name}_output missing`)
    const data = y.data as Float32Array
    if (data.length !== e.length) throw new Error(`${n.name}: ONNX gave ${data.length} values, tfjs ${e.length}`)
    for (let i = 0; i < e.length; i++) {
      const d = Math.abs((data[i] as number) - (e[i] as number))
      // NaN on either side counts as a mismatch
      maxAbs = Math.max(maxAbs, Number.isNaN(d) ? Infinity : d)
    }
  })
  return { maxAbs, bytes, exportMs }
}
