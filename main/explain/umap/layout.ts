import { findABParams } from 'umap-js/dist/umap'
import type { FuzzyGraph } from './graph'
import type { Checkpoint } from './knn'

/** Settings of the layout's stochastic gradient descent. */
export interface LayoutOptions {
  nEpochs: number
  minDist: number
  seed: number
  /** Negative samples per positive one (umap-learn: 5). */
  negativeSampleRate?: number
  /** Called every few epochs; false stops the layout (it then returns null). */
  checkpoint?: Checkpoint
}

/**
 * UMAP's layout optimisation (umap-learn's optimize_layout_euclidean; umap-js's optimizeLayoutStep):
 * each edge is sampled in proportion to its weight and pulls its ends together; each sample also
 * pushes its head away from random points. Works in place on `xy` ([n, 2], the initial layout) and
 * returns it, or null when stopped. The curve's a and b come from umap-js's findABParams.
 */
export async function optimizeLayout(xy: Float32Array, n: number, g: FuzzyGraph, o: LayoutOptions): Promise<Float32Array | null> {
  const { a, b } = findABParams(1, o.minDist)
  const pow = tablePow(b)
  const nEpochs = o.nEpochs
  const negRate = o.negativeSampleRate ?? 5
  let maxW = 0
  for (const w of g.weight) maxW = Math.max(maxW, w)
  // Edges too weak to be sampled once in nEpochs are dropped, as umap-learn does.
  const keep: number[] = []
  for (let e = 0; e < g.weight.length; e++) if (g.weight[e] >= maxW / nEpochs) keep.push(e)
  const m = keep.length
  const head = new Int32Array(m)
  const tail = new Int32Array(m)
  const perSample = new Float64Array(m)
  keep.forEach((e, t) => {
    head[t] = g.head[e]
    tail[t] = g.tail[e]
    perSample[t] = maxW / g.weight[e]
  })
  const nextSample = Float64Array.from(perSample)
  const perNegative = perSample.map((v) => v / negRate)
  const nextNegative = Float64Array.from(perNegative)
  let s = o.seed >>> 0 || 1
  // mulberry32 inline: the negative sampling draws millions of indices.
  const randInt = (): number => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (((t ^ (t >>> 14)) >>> 0) % n) | 0
  }
  const clip = (v: number): number => (v > 4 ? 4 : v < -4 ? -4 : v)
  for (let epoch = 0; epoch < nEpochs; epoch++) {
    if (o.checkpoint && epoch % 5 === 0 && !(await o.checkpoint(epoch, nEpochs))) return null
    const alpha = 1 - epoch / nEpochs
    for (let e = 0; e < m; e++) {
      if (nextSample[e] > epoch) continue
      const j = head[e] * 2
      const k = tail[e] * 2
      let dx = xy[j] - xy[k]
      let dy = xy[j + 1] - xy[k + 1]
      let d2 = dx * dx + dy * dy
      if (d2 > 0) {
        const pb = pow(d2)
        const coeff = (-2 * a * b * (pb / d2)) / (a * pb + 1)
        const gx = clip(coeff * dx) * alpha
        const gy = clip(coeff * dy) * alpha
        xy[j] += gx
        xy[j + 1] += gy
        xy[k] -= gx
        xy[k + 1] -= gy
      }
      nextSample[e] += perSample[e]
      const negatives = Math.floor((epoch - nextNegative[e]) / perNegative[e])
      for (let p = 0; p < negatives; p++) {
        const q = randInt() * 2
        if (q === j) continue
        dx = xy[j] - xy[q]
        dy = xy[j + 1] - xy[q + 1]
        d2 = dx * dx + dy * dy
        if (d2 > 0) {
          const coeff = (2 * b) / ((0.001 + d2) * (a * pow(d2) + 1))
          xy[j] += clip(coeff * dx) * alpha
          xy[j + 1] += clip(coeff * dy) * alpha
        } else {
          xy[j] += 4 * alpha
          xy[j + 1] += 4 * alpha
        }
      }
      nextNegative[e] += negatives * perNegative[e]
    }
  }
  if (o.checkpoint && !(await o.checkpoint(nEpochs, nEpochs))) return null
  return xy
}

/**
 * x ** b through a table: 256 linear pieces per octave of x in [1/256, 32768) (relative error
 * ~1e-6), Math.pow outside. The layout evaluates it ~10^8 times at 10,000 points and Math.pow
 * made up ~70% of its time; the octave comes from Math.clz32 of x scaled to an integer.
 */
export function tablePow(b: number): (x: number) => number {
  const steps = 256
  const t = new Float64Array(steps + 1)
  for (let i = 0; i <= steps; i++) t[i] = Math.pow(1 + i / steps, b)
  // Octave e of q = floor(x * 2^16) (2^e <= q < 2^(e+1)): x * inv[e] is in [1, 2), and scale[e] = (2^e / 2^16) ** b.
  const inv = new Float64Array(32)
  const scale = new Float64Array(32)
  for (let e = 0; e < 32; e++) {
    inv[e] = 2 ** (16 - e)
    scale[e] = Math.pow(2 ** (e - 16), b)
  }
  return (x: number): number => {
    if (!(x >= 1 / 256 && x < 32768)) return Math.pow(x, b)
    const e = 31 - Math.clz32((x * 65536) | 0)
    const pos = (x * inv[e] - 1) * steps
    const i = pos | 0
    const lo = t[i]
    return (lo + (pos - i) * (t[i + 1] - lo)) * scale[e]
  }
}
