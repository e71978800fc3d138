import type * as TF from '@tensorflow/tfjs'
import { UMAP } from 'umap-js'
import { seededRandom } from '../../common/datasets/prng'
import { runGraph } from './runGraph'

/** Most samples the projector maps (UMAP's neighbour graph grows faster than linearly). */
export const PROJECTOR_MAX_SAMPLES = 10_000

/** The projector's default layer: the one feeding the output layer (the learned features the classifier reads). */
export function defaultProjectorLayer(model: TF.LayersModel): string {
  const out = model.outputs[0].sourceLayer as TF.layers.Layer
  const feeding = (out.input as TF.SymbolicTensor).sourceLayer as TF.layers.Layer
  return feeding.name
}

/** One layer's activations for `n` inputs, each flattened to a row of [n, width]. */
export function layerActivations(tf: typeof TF, model: TF.LayersModel, layerName: string, xs: Float32Array, n: number, shape: readonly number[], batch = 256): { rows: Float32Array; width: number } {
  const target = model.getLayer(layerName).output as TF.SymbolicTensor
  const size = shape.reduce((a, b) => a * b, 1)
  let rows: Float32Array | null = null
  let width = 0
  for (let at = 0; at < n; at += batch) {
    const m = Math.min(batch, n - at)
    const part = tf.tidy(() => runGraph(target, [[model.inputs[0], tf.tensor(xs.subarray(at * size, (at + m) * size), [m, ...shape])]]).reshape([m, -1]).dataSync() as Float32Array)
    width = part.length / m
    rows ??= new Float32Array(n * width)
    rows.set(part, at * width)
  }
  return { rows: rows ?? new Float32Array(0), width }
}

/** UMAP settings: seed (same seed, same map), neighbours, and hooks for progress and Cancel. */
export interface ProjectOptions {
  seed: number
  nNeighbors?: number
  minDist?: number
  /** Called every few epochs with epochs done and the total. */
  onProgress?: (done: number, total: number) => void
  /** Polled between epochs; true stops the projection (it then returns null). */
  cancelled?: () => boolean
}

/**
 * Projects rows [n, width] to 2-D with UMAP (umap-js, McInnes et al. 2018), seeded. Returns x, y
 * interleaved [n * 2], or null when cancelled.
 */
export function projectUmap(rows: Float32Array, n: number, width: number, o: ProjectOptions): Float32Array | null {
  const data: number[][] = new Array(n)
  for (let i = 0; i < n; i++) data[i] = Array.from(rows.subarray(i * width, (i + 1) * width))
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.max(2, Math.min(o.nNeighbors ?? 15, n - 1)),
    minDist: o.minDist ?? 0.1,
    // umap-js runs 500 epochs up to 10,000 points; 200 already settles a map that size (as umap-learn does above 10,000).
    nEpochs: n > 2_000 ? 200 : 400,
    random: seededRandom(o.seed),
  })
  const total = umap.initializeFit(data)
  for (let e = 0; e < total; e++) {
    if (o.cancelled?.()) return null
    umap.step()
    if (o.onProgress && (e % 10 === 0 || e === total - 1)) o.onProgress(e + 1, total)
  }
  const emb = umap.getEmbedding()
  const out = new Float32Array(n * 2)
  emb.forEach((p, i) => {
    out[i * 2] = p[0]
    out[i * 2 + 1] = p[1]
  })
  return out
}

/** Share of each point's k nearest 2-D neighbours that carry its own label, averaged over points (brute force). */
export function neighbourAgreement(xy: Float32Array, labels: ArrayLike<number>, k = 10): number {
  const n = labels.length
  let agree = 0
  const d = new Float64Array(n)
  const idx = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      d[j] = j === i ? Infinity : (xy[i * 2] - xy[j * 2]) ** 2 + (xy[i * 2 + 1] - xy[j * 2 + 1]) ** 2
      idx[j] = j
    }
    idx.sort((a, b) => d[a] - d[b])
    for (let t = 0; t < k; t++) if (labels[idx[t]] === labels[i]) agree++
  }
  return n ? agree / (n * k) : 0
}
