/** Each point's `k` nearest neighbours (itself first, at distance 0), sorted nearest first: [n, k] row-major. */
export interface KnnGraph {
  indices: Int32Array
  distances: Float32Array
  k: number
}

/** Reports work done and asks whether to go on (false stops the search: it returns null). */
export type Checkpoint = (done: number, total: number) => Promise<boolean>

/**
 * Exact k nearest neighbours (Euclidean) of rows [n, dim] by brute force over each pair once: on
 * PCA-reduced rows (dim ~32) 10,000 points are 50 M pairs, seconds in a typed-array loop, and exact
 * neighbours need none of nearest-neighbour descent's trees. Calls `checkpoint` every `every` rows.
 */
export async function exactKnn(x: Float32Array, n: number, dim: number, k: number, checkpoint?: Checkpoint, every = 256): Promise<KnnGraph | null> {
  k = Math.min(k, n)
  const idx = new Int32Array(n * k).fill(-1)
  const dist = new Float32Array(n * k).fill(Infinity)
  // worst[i]: the largest distance in i's list, so most pairs are rejected with one comparison.
  const worst = new Float32Array(n).fill(Infinity)
  const insert = (i: number, j: number, d: number): void => {
    const o = i * k
    let p = k - 1
    while (p > 0 && dist[o + p - 1] > d) {
      dist[o + p] = dist[o + p - 1]
      idx[o + p] = idx[o + p - 1]
      p--
    }
    dist[o + p] = d
    idx[o + p] = j
    worst[i] = dist[o + k - 1]
  }
  for (let i = 0; i < n; i++) insert(i, i, 0)
  for (let i = 0; i < n; i++) {
    if (checkpoint && i % every === 0 && !(await checkpoint(i, n))) return null
    const oi = i * dim
    for (let j = i + 1; j < n; j++) {
      const oj = j * dim
      // PCA puts the widest directions first, so the partial sum usually passes both lists'
      // worst distance after a few components and the pair is dropped early.
      const bound = worst[i] > worst[j] ? worst[i] : worst[j]
      let sq = 0
      let d = 0
      while (d < dim) {
        const stop = d + 8 < dim ? d + 8 : dim
        for (; d < stop; d++) {
          const a = x[oi + d] - x[oj + d]
          sq += a * a
        }
        if (sq >= bound) break
      }
      if (sq < worst[i]) insert(i, j, sq)
      if (sq < worst[j]) insert(j, i, sq)
    }
  }
  if (checkpoint && !(await checkpoint(n, n))) return null
  for (let t = 0; t < dist.length; t++) dist[t] = Math.sqrt(dist[t])
  return { indices: idx, distances: dist, k }
}
