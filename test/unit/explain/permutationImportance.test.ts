import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { accuracyOf, permutationImportance, r2Of } from '../../../main/explain/permutationImportance'
import { seededRandom } from '../../../common/datasets/prng'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('permutation importance', () => {
  it('ranks a planted informative column first and a pure-noise column near 0, on a trained model', async () => {
    // Columns: signal (1 feature, decides the label), colour (one-hot of 3, weakly informative), noise.
    const random = seededRandom(11)
    const n = 400
    const width = 5
    const x = new Float32Array(n * width)
    const y = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const signal = random() * 2 - 1
      const colour = Math.floor(random() * 3)
      const noise = random() * 2 - 1
      x.set([signal, colour === 0 ? 1 : 0, colour === 1 ? 1 : 0, colour === 2 ? 1 : 0, noise], i * width)
      y[i] = signal + (colour === 2 ? 0.3 : 0) > 0.1 ? 1 : 0
    }
    const model = tf.sequential()
    model.add(tf.layers.dense({ inputShape: [width], units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }))
    model.add(tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }))
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' })
    const xt = tf.tensor2d(x, [n, width])
    const yt = tf.oneHot(tf.tensor1d(y, 'int32'), 2)
    await model.fit(xt, yt, { epochs: 40, batchSize: 64, shuffle: false, verbose: 0 })
    const score = (rows: Float32Array): number => accuracyOf(tf.tidy(() => (model.predict(tf.tensor2d(rows, [n, width])) as tf.Tensor).dataSync() as Float32Array), y, 2)
    const groups = [
      { column: 'noise', start: 4, width: 1 },
      { column: 'colour', start: 1, width: 3 },
      { column: 'signal', start: 0, width: 1 },
    ]
    const r = permutationImportance({ x, n, width, groups, score, repeats: 5, seed: 3 })
    expect(r.baseline).toBeGreaterThan(0.9)
    expect(r.columns[0].column).toBe('signal')
    expect(r.columns[0].mean).toBeGreaterThan(0.25)
    const noise = r.columns.find((c) => c.column === 'noise')!
    expect(Math.abs(noise.mean)).toBeLessThan(0.03)
    expect(r.columns.every((c) => c.std >= 0)).toBe(true)
    // The input is left as it was.
    expect(score(x)).toBe(r.baseline)
    // Same seed, same answer.
    expect(permutationImportance({ x, n, width, groups, score, repeats: 5, seed: 3 })).toEqual(r)
  }, 60_000)

  it('scores accuracy for softmax and sigmoid outputs, and R² for values', () => {
    expect(accuracyOf(Float32Array.from([0.2, 0.8, 0.9, 0.1]), [1, 1], 2)).toBe(0.5)
    expect(accuracyOf(Float32Array.from([0.7, 0.2]), [1, 0], 1)).toBe(1)
    expect(r2Of(Float32Array.from([1, 2, 3]), [1, 2, 3])).toBe(1)
    expect(r2Of(Float32Array.from([2, 2, 2]), [1, 2, 3])).toBe(0)
  })
})
