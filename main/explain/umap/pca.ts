import { seededRandom } from '../../../common/datasets/prng'

/** Rows projected on their leading principal components: [n, k] row-major, plus how many components were kept. */
export interface PcaResult {
  rows: Float32Array
  k: number
}

/**
 * Projects centred rows [n, width] on their `k` leading principal components (k <= width). The
 * covariance is width x width, so its top eigenvectors come from seeded subspace iteration with
 * Gram-Schmidt (exact enough for a neighbour search; 128 wide costs milliseconds). Column order
 * follows the eigenvalues, largest first, so the first two columns are the PCA plane.
 */
export function pcaReduce(rows: Float32Array, n: number, width: number, k: number, seed = 1): PcaResult {
  k = Math.max(1, Math.min(k, width))
  const mean = new Float64Array(width)
  for (let i = 0; i < n; i++) for (let d = 0; d < width; d++) mean[d] += rows[i * width + d]
  for (let d = 0; d < width; d++) mean[d] /= Math.max(1, n)
  const cov = new Float64Array(width * width)
  const c = new Float64Array(width)
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < width; d++) c[d] = rows[i * width + d] - mean[d]
    for (let a = 0; a < width; a++) {
      const ca = c[a]
      if (ca === 0) continue
      const o = a * width
      for (let b = a; b < width; b++) cov[o + b] += ca * c[b]
    }
  }
  for (let a = 0; a < width; a++) for (let b = 0; b < a; b++) cov[a * width + b] = cov[b * width + a]
  const basis = topEigenvectors(cov, width, k, seed)
  const out = new Float32Array(n * k)
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < width; d++) c[d] = rows[i * width + d] - mean[d]
    for (let j = 0; j < k; j++) {
      let s = 0
      const o = j * width
      for (let d = 0; d < width; d++) s += c[d] * basis[o + d]
      out[i * k + j] = s
    }
  }
  return { rows: out, k }
}

/** The `k` leading eigenvectors of a symmetric matrix [w, w] as rows of [k, w] (subspace iteration). */
function topEigenvectors(m: Float64Array, w: number, k: number, seed: number): Float64Array {
  const r = seededRandom(seed)
  let q = new Float64Array(k * w)
  for (let i = 0; i < q.length; i++) q[i] = r() - 0.5
  orthonormalize(q, k, w)
  const next = new Float64Array(k * w)
  for (let it = 0; it < 60; it++) {
    next.fill(0)
    for (let j = 0; j < k; j++)
      for (let a = 0; a < w; a++) {
        let s = 0
        const o = a * w
        for (let b = 0; b < w; b++) s += m[o + b] * q[j * w + b]
        next[j * w + a] = s
      }
    orthonormalize(next, k, w)
    const t = q
    q = Float64Array.from(next)
    next.set(t)
  }
  // Order by Rayleigh quotient: Gram-Schmidt keeps the leading direction first, but make it explicit.
  const lambda = Array.from({ length: k }, (_, j) => {
    let s = 0
    for (let a = 0; a < w; a++) {
      let t = 0
      for (let b = 0; b < w; b++) t += m[a * w + b] * q[j * w + b]
      s += q[j * w + a] * t
    }
    return { j, s }
  }).sort((x, y) => y.s - x.s)
  const out = new Float64Array(k * w)
  lambda.forEach(({ j }, i) => out.set(q.subarray(j * w, (j + 1) * w), i * w))
  return out
}

/** Modified Gram-Schmidt over the rows of [k, w]; a degenerate row becomes zero. */
function orthonormalize(q: Float64Array, k: number, w: number): void {
  for (let j = 0; j < k; j++) {
    for (let p = 0; p < j; p++) {
      let dot = 0
      for (let d = 0; d < w; d++) dot += q[j * w + d] * q[p * w + d]
      for (let d = 0; d < w; d++) q[j * w + d] -= dot * q[p * w + d]
    }
    let norm = 0
    for (let d = 0; d < w; d++) norm += q[j * w + d] ** 2
    norm = Math.sqrt(norm)
    for (let d = 0; d < w; d++) q[j * w + d] = norm > 1e-12 ? q[j * w + d] / norm : 0
  }
}
