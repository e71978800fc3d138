import { seededRandom } from '../../../common/datasets/prng'

/** Widest rows PCA takes directly (its covariance costs n * width^2). */
export const PCA_MAX_WIDTH = 256

/** Maps rows [m, width] to [m, k]. */
export interface RowReducer {
  k: number
  apply(rows: Float32Array, m: number): Float32Array
}

/**
 * A seeded very sparse random projection (Li, Hastie & Church 2006; Johnson-Lindenstrauss) from
 * `width` to PCA_MAX_WIDTH dimensions, or null when rows are narrow enough already: distances keep
 * to within a few percent, so a 9,216-wide flattened conv map can be mapped without its width^2
 * covariance. Each input column feeds ~k / sqrt(width) outputs with weight +-sqrt(sqrt(width) / k).
 */
export function wideRowReducer(width: number, seed: number, k = PCA_MAX_WIDTH): RowReducer | null {
  if (width <= k) return null
  const r = seededRandom(seed ^ 0x5eed)
  const s = Math.sqrt(width)
  const w = Math.sqrt(s / k)
  const start = new Int32Array(width + 1)
  const target: number[] = []
  const weight: number[] = []
  for (let d = 0; d < width; d++) {
    for (let j = 0; j < k; j++)
      if (r() < 1 / s) {
        target.push(j)
        weight.push(r() < 0.5 ? -w : w)
      }
    start[d + 1] = target.length
  }
  const to = Int32Array.from(target)
  const by = Float32Array.from(weight)
  return {
    k,
    apply(rows, m) {
      const out = new Float32Array(m * k)
      for (let i = 0; i < m; i++) {
        const oi = i * width
        const oo = i * k
        for (let d = 0; d < width; d++) {
          const v = rows[oi + d]
          if (v === 0) continue
          for (let t = start[d]; t < start[d + 1]; t++) out[oo + to[t]] += v * by[t]
        }
      }
      return out
    },
  }
}
