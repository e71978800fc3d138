import type { KnnGraph } from './knn'

const SMOOTH_K_TOLERANCE = 1e-5
const MIN_K_DIST_SCALE = 1e-3

/** The symmetric fuzzy neighbour graph as a list of directed edges (both directions of each pair). */
export interface FuzzyGraph {
  head: Int32Array
  tail: Int32Array
  weight: Float32Array
}

/**
 * UMAP's fuzzy simplicial set (McInnes et al. 2018, as umap-learn's fuzzy_simplicial_set and
 * umap-js compute it): per point, rho = distance to the nearest other point and sigma found by
 * bisection so the memberships exp(-(d - rho) / sigma) sum to log2(k); then the fuzzy union
 * w + w' - w w' of each edge and its reverse. Typed arrays throughout (umap-js's Map-keyed sparse
 * matrices take most of its time at 10,000 points).
 */
export function fuzzySimplicialSet(g: KnnGraph, n: number): FuzzyGraph {
  const { indices, distances, k } = g
  const target = Math.log2(k)
  let meanAll = 0
  for (let t = 0; t < distances.length; t++) meanAll += distances[t]
  meanAll /= Math.max(1, distances.length)
  const w = new Float32Array(n * k)
  for (let i = 0; i < n; i++) {
    const o = i * k
    let rho = 0
    for (let j = 0; j < k; j++)
      if (distances[o + j] > 0) {
        rho = distances[o + j]
        break
      }
    let lo = 0
    let hi = Infinity
    let mid = 1
    for (let it = 0; it < 64; it++) {
      let psum = 0
      for (let j = 1; j < k; j++) {
        const d = distances[o + j] - rho
        psum += d > 0 ? Math.exp(-(d / mid)) : 1
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break
      if (psum > target) {
        hi = mid
        mid = (lo + hi) / 2
      } else {
        lo = mid
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2
      }
    }
    let meanI = 0
    for (let j = 0; j < k; j++) meanI += distances[o + j]
    meanI /= k
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? meanI : meanAll)
    const sigma = Math.max(mid, floor)
    for (let j = 0; j < k; j++) {
      const nb = indices[o + j]
      if (nb < 0 || nb === i) continue
      const d = distances[o + j] - rho
      w[o + j] = d <= 0 ? 1 : Math.exp(-(d / sigma))
    }
  }
  const weightOf = (i: number, j: number): number => {
    const o = i * k
    for (let t = 0; t < k; t++) if (indices[o + t] === j) return w[o + t]
    return 0
  }
  const head: number[] = []
  const tail: number[] = []
  const weight: number[] = []
  for (let i = 0; i < n; i++)
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t]
      const a = w[i * k + t]
      if (j < 0 || j === i || a <= 0) continue
      const b = weightOf(j, i)
      const s = a + b - a * b
      head.push(i)
      tail.push(j)
      weight.push(s)
      // A pair both points list is met from each side; one only i lists gets its reverse here.
      if (b <= 0) {
        head.push(j)
        tail.push(i)
        weight.push(s)
      }
    }
  return { head: Int32Array.from(head), tail: Int32Array.from(tail), weight: Float32Array.from(weight) }
}
