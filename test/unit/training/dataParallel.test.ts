// Data-parallel replicas and the fused Adam step: the averaged two-replica step must equal the
// one-replica step on the whole batch, and fused Adam on wasm must equal tf.train.adam on cpu.
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fusedAdam } from '../../../main/training/backends/fusedAdam'
import { DataParallelTrainer } from '../../../main/training/backends/parallel/trainer'
import type { ReplicaSpec } from '../../../main/training/backends/parallel/replica'
import { maxRelError, randomData, setUpBackends } from './wasmHarness'

beforeAll(async () => {
  await setUpBackends()
})

afterAll(async () => {
  await tf.setBackend('cpu')
})

/** A small conv net (conv, pool, dense) and its starting weights, built on cpu. */
async function smallSpec(kind: 'sgd' | 'adam'): Promise<ReplicaSpec> {
  await tf.setBackend('cpu')
  const m = tf.sequential()
  m.add(tf.layers.conv2d({ inputShape: [10, 10, 2], filters: 4, kernelSize: 3, activation: 'relu' }))
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }))
  m.add(tf.layers.flatten())
  m.add(tf.layers.dense({ units: 5, activation: 'softmax' }))
  const spec: ReplicaSpec = {
    modelJson: m.toJSON(null, false),
    weights: m.getWeights().map((w) => ({ values: Float32Array.from(w.dataSync()), shape: w.shape })),
    training: { optimizer: kind, learningRate: 0.05, momentum: 0.9, loss: 'categoricalCrossentropy' },
  }
  m.dispose()
  return spec
}

function batch(rows: number, seed: number): { x: Float32Array; y: Float32Array } {
  const y = new Float32Array(rows * 5)
  for (let i = 0; i < rows; i++) y[i * 5 + (i % 5)] = 1
  return { x: randomData(rows * 200, seed), y }
}

describe('DataParallelTrainer', () => {
  it('two replicas on halves take the same step as one replica on the whole batch', async () => {
    const spec = await smallSpec('sgd')
    await tf.setBackend('wasm')
    const one = await DataParallelTrainer.create(spec, { replicas: 1 })
    const two = await DataParallelTrainer.create(spec, { replicas: 2 })
    try {
      for (let step = 0; step < 3; step++) {
        const b = batch(12, 30 + step)
        const l1 = one.trainBatch(b.x, [12, 10, 10, 2], b.y, [12, 5])
        const l2 = two.trainBatch(b.x, [12, 10, 10, 2], b.y, [12, 5])
        expect(Math.abs(l1 - l2) / Math.abs(l1)).toBeLessThan(1e-5)
      }
      const w1 = one.model.getWeights().map((w) => w.dataSync())
      const w2 = two.model.getWeights().map((w) => w.dataSync())
      w1.forEach((w, i) => expect(maxRelError(w2[i] as Float32Array, w)).toBeLessThan(1e-5))
    } finally {
      await one.dispose()
      await two.dispose()
    }
  })

  it('trains with uneven shards (odd batch) and fused Adam', async () => {
    const spec = await smallSpec('adam')
    await tf.setBackend('wasm')
    const two = await DataParallelTrainer.create(spec, { replicas: 2 })
    try {
      const b = batch(7, 40)
      const first = two.trainBatch(b.x, [7, 10, 10, 2], b.y, [7, 5])
      let last = first
      for (let i = 0; i < 10; i++) last = two.trainBatch(b.x, [7, 10, 10, 2], b.y, [7, 5])
      expect(last).toBeLessThan(first)
    } finally {
      await two.dispose()
    }
  })
})

describe('FusedAdamOptimizer', () => {
  it('matches tf.train.adam on cpu over several steps (fused kernel on wasm)', async () => {
    const init = randomData(1000, 50)
    const grads = [51, 52, 53, 54].map((s) => randomData(1000, s))
    const run = async (backend: 'cpu' | 'wasm', fused: boolean) => {
      await tf.setBackend(backend)
      const v = tf.variable(tf.tensor1d(init), true, `w_${backend}_${fused}`)
      const opt = fused ? fusedAdam(0.01) : tf.train.adam(0.01)
      for (const g of grads) opt.applyGradients([{ name: v.name, tensor: tf.tensor1d(g) }])
      const out = Float32Array.from(v.dataSync())
      opt.dispose()
      v.dispose()
      return out
    }
    const stock = await run('cpu', false)
    expect(maxRelError(await run('wasm', true), stock)).toBeLessThan(1e-6)
    expect(maxRelError(await run('cpu', true), stock)).toBe(0)
  })
})
