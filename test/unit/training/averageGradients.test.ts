// The data-parallel gradient average in native passes on wasm must give the same bits as the tensor
// ops it replaced (each part times its float32 weight, summed with AddN), so replicas that average
// natively stay bitwise identical to a step taken the old way.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { averageGradients, type GradientPart } from '../../../main/training/backends/parallel/averageGradients'
import { randomData, setUpBackends } from './wasmHarness'

beforeAll(async () => {
  await setUpBackends()
})

describe('averageGradients', () => {
  for (const { size, rows } of [
    { size: 1, rows: [3, 5] },
    { size: 13, rows: [16, 16] },
    { size: 4103, rows: [7, 9, 16] },
  ]) {
    it(`${rows.length} replicas of ${rows.join('/')} rows, ${size} floats: wasm native = mul + addN, bit for bit`, async () => {
      await tf.setBackend('wasm')
      try {
        const total = rows.reduce((a, b) => a + b, 0)
        const weights = rows.map((r) => r / total)
        // Exact zeros of both signs among the values (rows of an Embedding no token touched).
        const values = rows.map((_, i) => Float32Array.from(randomData(size, 70 + i), (v, j) => (j % 5 === 0 ? (i % 2 ? -0 : 0) : v * 1e3)))
        const own = tf.tensor(values[0] as Float32Array, [size])
        const parts: GradientPart[] = [{ own }, ...values.slice(1).map((shared) => ({ shared }))]
        const native = averageGradients(parts, weights, [size])
        const ops = tf.tidy(() => tf.addN(values.map((v, i) => tf.tensor(v, [size]).mul(weights[i] as number))))
        expect(Array.from(native.dataSync())).toEqual(Array.from(ops.dataSync()))
        expect(native.shape).toEqual([size])
        tf.dispose([own, native, ops])
      } finally {
        await tf.setBackend('cpu')
      }
    })
  }
  it('on cpu: the tensor ops', () => {
    const parts: GradientPart[] = [{ own: tf.tensor([1, 2, 3]) }, { shared: Float32Array.from([3, 2, 1]) }]
    expect(Array.from(averageGradients(parts, [0.25, 0.75], [3]).dataSync())).toEqual([2.5, 2, 1.5])
  })
})
