import type * as TF from '@tensorflow/tfjs'
import { seededRandom } from '../../common/datasets/prng'
import { fuzzySimplicialSet } from './umap/graph'
import { exactKnn } from './umap/knn'
import { optimizeLayout } from './umap/layout'
import { pcaReduce } from './umap/pca'
import { wideRowReducer } from './umap/randomProjection'

/** Most samples the projector maps (the neighbour search is quadratic). */
export { PROJECTOR_MAX_SAMPLES } from '../../common/explain/types'

/** The projector's default layer: the one feeding the output layer (the learned features the classifier reads). */
export function defaultProjectorLayer(model: TF.LayersModel): string {
  const out = model.outputs[0].sourceLayer as TF.layers.Layer
  const feeding = (out.input as TF.SymbolicTensor).sourceLayer as TF.layers.Layer
  return feeding.name
}

/** One batch through a model: a layer's activations flattened to rows [m, width] and the output [m, units]. */
export type LayerReader = (x: Float32Array, m: number, shape: readonly number[]) => { rows: Float32Array; outputs: Float32Array }

/**
 * Reads a layer and the output in one pass: a second model over the same layers (it owns no
 * weights, so it is never disposed), predicting in inference mode.
 */
export function layerReader(tf: typeof TF, model: TF.LayersModel, layerName: string): LayerReader {
  const both = tf.model({ inputs: model.inputs, outputs: [model.getLayer(layerName).output as TF.SymbolicTensor, model.outputs[0]] })
  return (x, m, shape) =>
    tf.tidy(() => {
      const outs = both.predict(tf.tensor(x.subarray(0, m * shape.reduce((a, b) => a * b, 1)), [m, ...shape])) as TF.Tensor[]
      return { rows: outs[0].reshape([m, -1]).dataSync() as Float32Array, outputs: outs[1].dataSync() as Float32Array }
    })
}

/** Components kept before the neighbour search (umap-learn and TensorBoard reduce wide inputs with PCA first). */
export const PCA_DIMS = 32

/** Which stage a projection is in, and how far: the progress a person sees. */
export type ProjectPhase = 'neighbours' | 'layout'

/** UMAP settings: seed (same seed, same map), neighbours, and hooks for progress and Cancel. */
export interface ProjectOptions {
  seed: number
  nNeighbors?: number
  minDist?: number
  /** Layout epochs; by default 500 up to 2,000 points and 200 above (umap-learn: 200 above 10,000). */
  nEpochs?: number
  /** Called as the neighbour search and the layout advance. */
  onProgress?: (phase: ProjectPhase, done: number, total: number) => void
  /** Polled as the work advances; true stops the projection (it then resolves to null). */
  cancelled?: () => boolean
}

/** Epochs of the layout for n points (see ProjectOptions.nEpochs). */
export function layoutEpochs(n: number): number {
  return n <= 2_000 ? 500 : 200
}

/**
 * Projects rows [n, width] to 2-D with UMAP (McInnes et al. 2018), seeded: PCA to PCA_DIMS, exact
 * k nearest neighbours, the fuzzy neighbour graph, then the layout from the PCA plane. Each step
 * is umap-learn's algorithm on typed arrays: umap-js runs the same on arrays of arrays and
 * Map-keyed sparse matrices, which took ~180 s for 10,000 x 128 (bench projector_10k).
 * Rows wider than PCA_MAX_WIDTH are first cut down by a sparse random projection (see
 * wideRowReducer). Yields to the event loop every ~50 ms, so a worker hears Cancel; resolves to x, y interleaved
 * [n * 2], or null when cancelled.
 */
export async function projectUmap(rows: Float32Array, n: number, width: number, o: ProjectOptions): Promise<Float32Array | null> {
  let last = Date.now()
  const checkpoint = (phase: ProjectPhase) => async (done: number, total: number): Promise<boolean> => {
    o.onProgress?.(phase, done, total)
    if (Date.now() - last > 50) {
      await new Promise((r) => setImmediate(r))
      last = Date.now()
    }
    return !o.cancelled?.()
  }
  if (n === 0) return new Float32Array(0)
  if (o.cancelled?.()) return null
  const wide = wideRowReducer(width, o.seed)
  const pca = wide ? pcaReduce(wide.apply(rows, n), n, wide.k, PCA_DIMS, o.seed) : pcaReduce(rows, n, width, PCA_DIMS, o.seed)
  const knn = await exactKnn(pca.rows, n, pca.k, Math.max(2, Math.min(o.nNeighbors ?? 15, n)), checkpoint('neighbours'))
  if (!knn) return null
  const graph = fuzzySimplicialSet(knn, n)
  return optimizeLayout(pcaPlane(pca.rows, n, pca.k, o.seed), n, graph, {
    nEpochs: o.nEpochs ?? layoutEpochs(n),
    minDist: o.minDist ?? 0.1,
    seed: o.seed,
    checkpoint: checkpoint('layout'),
  })
}

/** The first two principal components scaled to [-10, 10] with a little seeded noise (umap-learn's PCA init). */
function pcaPlane(rows: Float32Array, n: number, k: number, seed: number): Float32Array {
  const r = seededRandom(seed)
  const xy = new Float32Array(n * 2)
  let peak = 0
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 2 && c < k; c++) {
      xy[i * 2 + c] = rows[i * k + c]
      peak = Math.max(peak, Math.abs(rows[i * k + c]))
    }
  const scale = peak > 0 ? 10 / peak : 1
  for (let t = 0; t < xy.length; t++) xy[t] = xy[t] * scale + (r() - 0.5) * 1e-3
  return xy
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
