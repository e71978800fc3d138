import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../common/datasets/prng'
import { defaultProjectorLayer, layerActivations, neighbourAgreement, projectUmap } from '../../../main/explain/projector'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** `k` well-separated Gaussian clusters in `dim` dimensions, `per` points each. */
function clusters(k: number, per: number, dim: number, seed: number): { rows: Float32Array; labels: Int32Array } {
  const r = seededRandom(seed)
  const g = () => Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r())
  const centres = Array.from({ length: k }, () => Array.from({ length: dim }, () => g() * 10))
  const rows = new Float32Array(k * per * dim)
  const labels = new Int32Array(k * per)
  for (let c = 0; c < k; c++)
    for (let p = 0; p < per; p++) {
      const i = c * per + p
      labels[i] = c
      for (let d = 0; d < dim; d++) rows[i * dim + d] = centres[c][d] + g()
    }
  return { rows, labels }
}

describe('embedding projector', () => {
  it('keeps well-separated clusters together: >= 95% of 10 nearest 2-D neighbours share the cluster; seeded', () => {
    const { rows, labels } = clusters(5, 60, 16, 7)
    const progress: number[] = []
    const xy = projectUmap(rows, 300, 16, { seed: 3, onProgress: (done) => progress.push(done) })!
    expect(neighbourAgreement(xy, labels, 10)).toBeGreaterThanOrEqual(0.95)
    expect(progress.length).toBeGreaterThan(2)
    expect(progress[progress.length - 1]).toBe(400)
    expect(Array.from(projectUmap(rows, 300, 16, { seed: 3 })!)).toEqual(Array.from(xy))
    // Shuffled labels do not agree: the measure can fail.
    expect(neighbourAgreement(xy, Int32Array.from(labels, (_, i) => (i * 7) % 5), 10)).toBeLessThan(0.5)
  }, 120_000)

  it('stops when cancelled', () => {
    const { rows } = clusters(3, 20, 4, 1)
    let polls = 0
    expect(projectUmap(rows, 60, 4, { seed: 1, cancelled: () => ++polls > 5 })).toBeNull()
  })

  it('reads the activations of the layer feeding the output', () => {
    const m = tf.sequential()
    m.add(tf.layers.dense({ inputShape: [3], units: 4, activation: 'relu', name: 'hidden' }))
    m.add(tf.layers.dense({ units: 2, activation: 'softmax', name: 'out' }))
    expect(defaultProjectorLayer(m)).toBe('hidden')
    const xs = Float32Array.from({ length: 15 }, (_, i) => i / 10)
    const a = layerActivations(tf, m, 'hidden', xs, 5, [3], 2)
    expect(a.width).toBe(4)
    const direct = (tf.model({ inputs: m.inputs, outputs: m.getLayer('hidden').output as tf.SymbolicTensor }).predict(tf.tensor2d(xs, [5, 3])) as tf.Tensor).dataSync()
    Array.from(a.rows).forEach((v, i) => expect(v).toBeCloseTo(direct[i], 6))
  })
})
