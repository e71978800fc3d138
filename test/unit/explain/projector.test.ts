import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../../../common/datasets/prng'
import { defaultProjectorLayer, layerReader, layoutEpochs, neighbourAgreement, projectUmap } from '../../../main/explain/projector'
import { exactKnn } from '../../../main/explain/umap/knn'
import { pcaReduce } from '../../../main/explain/umap/pca'
import { PCA_MAX_WIDTH, wideRowReducer } from '../../../main/explain/umap/randomProjection'

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
  it('keeps well-separated clusters together: >= 95% of 10 nearest 2-D neighbours share the cluster; seeded', async () => {
    const { rows, labels } = clusters(5, 60, 16, 7)
    const progress: string[] = []
    const xy = (await projectUmap(rows, 300, 16, { seed: 3, onProgress: (phase, done, total) => progress.push(`${phase} ${done}/${total}`) }))!
    expect(neighbourAgreement(xy, labels, 10)).toBeGreaterThanOrEqual(0.95)
    // Progress walks through the neighbour search, then every epoch of the layout to its end.
    expect(progress[0]).toBe('neighbours 0/300')
    expect(progress).toContain('neighbours 300/300')
    expect(progress[progress.length - 1]).toBe(`layout ${layoutEpochs(300)}/${layoutEpochs(300)}`)
    expect(Array.from((await projectUmap(rows, 300, 16, { seed: 3 }))!)).toEqual(Array.from(xy))
    // Shuffled labels do not agree: the measure can fail.
    expect(neighbourAgreement(xy, Int32Array.from(labels, (_, i) => (i * 7) % 5), 10)).toBeLessThan(0.5)
  }, 120_000)

  it('keeps clusters of wide rows (PCA first) and at the 10,000-point path (200 epochs)', async () => {
    const { rows, labels } = clusters(8, 125, 128, 11)
    const xy = (await projectUmap(rows, 1000, 128, { seed: 2, nEpochs: layoutEpochs(10_000) }))!
    expect(neighbourAgreement(xy, labels, 10)).toBeGreaterThanOrEqual(0.95)
  }, 120_000)

  it('stops when cancelled, in the neighbour search or in the layout', async () => {
    const { rows } = clusters(3, 20, 4, 1)
    let polls = 0
    expect(await projectUmap(rows, 60, 4, { seed: 1, cancelled: () => ++polls > 5 })).toBeNull()
    const phases = new Set<string>()
    expect(await projectUmap(rows, 60, 4, { seed: 1, onProgress: (p) => phases.add(p), cancelled: () => phases.has('layout') })).toBeNull()
  })

  it('finds the exact nearest neighbours (itself first)', async () => {
    const { rows } = clusters(4, 30, 7, 5)
    const knn = (await exactKnn(rows, 120, 7, 6))!
    for (const i of [0, 17, 64, 119]) {
      const d = Array.from({ length: 120 }, (_, j) => ({ j, d: Math.hypot(...Array.from({ length: 7 }, (_, t) => rows[i * 7 + t] - rows[j * 7 + t])) })).sort((a, b) => a.d - b.d)
      expect(knn.indices[i * 6]).toBe(i)
      for (let t = 0; t < 6; t++) expect(knn.distances[i * 6 + t]).toBeCloseTo(d[t].d, 4)
    }
  })

  it('reduces rows with PCA: the first component carries the widest spread and distances survive a full-rank rotation', () => {
    const r = seededRandom(4)
    const n = 200
    const rows = new Float32Array(n * 3)
    for (let i = 0; i < n; i++) {
      const t = r() * 10
      rows.set([t, 2 * t + (r() - 0.5) * 0.1, r() - 0.5], i * 3)
    }
    const full = pcaReduce(rows, n, 3, 3)
    const dist = (a: Float32Array, w: number, i: number, j: number) => Math.hypot(...Array.from({ length: w }, (_, t) => a[i * w + t] - a[j * w + t]))
    expect(dist(full.rows, 3, 3, 70)).toBeCloseTo(dist(rows, 3, 3, 70), 3)
    const one = pcaReduce(rows, n, 3, 1)
    // Along (1, 2, 0) / sqrt 5: the projection's spread is the data's almost entirely.
    expect(Math.abs(one.rows[5] - one.rows[9])).toBeCloseTo(dist(rows, 3, 5, 9), 1)
  })

  it('cuts wide rows down with a seeded sparse random projection that keeps distances', () => {
    expect(wideRowReducer(PCA_MAX_WIDTH, 1)).toBeNull()
    const width = 4096
    const { rows } = clusters(2, 10, width, 9)
    const red = wideRowReducer(width, 1)!
    expect(red.k).toBe(PCA_MAX_WIDTH)
    const out = red.apply(rows, 20)
    expect(Array.from(wideRowReducer(width, 1)!.apply(rows, 20))).toEqual(Array.from(out))
    const dist = (a: Float32Array, w: number, i: number, j: number) => Math.hypot(...Array.from({ length: w }, (_, t) => a[i * w + t] - a[j * w + t]))
    for (const [i, j] of [[0, 1], [0, 15], [3, 17], [12, 19]]) {
      const ratio = dist(out, red.k, i, j) / dist(rows, width, i, j)
      expect(ratio).toBeGreaterThan(0.8)
      expect(ratio).toBeLessThan(1.2)
    }
  })

  it('reads the activations of the layer feeding the output, and the output, in one pass', () => {
    const m = tf.sequential()
    m.add(tf.layers.dense({ inputShape: [3], units: 4, activation: 'relu', name: 'hidden' }))
    m.add(tf.layers.dense({ units: 2, activation: 'softmax', name: 'out' }))
    expect(defaultProjectorLayer(m)).toBe('hidden')
    const xs = Float32Array.from({ length: 15 }, (_, i) => i / 10)
    // Only the first m rows of a longer buffer are read.
    const a = layerReader(tf, m, 'hidden')(xs, 4, [3])
    expect(a.rows).toHaveLength(16)
    expect(a.outputs).toHaveLength(8)
    const direct = (tf.model({ inputs: m.inputs, outputs: m.getLayer('hidden').output as tf.SymbolicTensor }).predict(tf.tensor2d(xs, [5, 3])) as tf.Tensor).dataSync()
    Array.from(a.rows).forEach((v, i) => expect(v).toBeCloseTo(direct[i], 6))
    const out = (m.predict(tf.tensor2d(xs.subarray(0, 12), [4, 3])) as tf.Tensor).dataSync()
    Array.from(a.outputs).forEach((v, i) => expect(v).toBeCloseTo(out[i], 6))
  })
})
