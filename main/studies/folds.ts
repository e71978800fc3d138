import { seededRandom, shuffleInPlace } from '../../common/datasets/prng'

/**
 * Assigns each of n rows a fold in 0..k-1, seeded. With labels (one class id per row, null for
 * none), each class is shuffled and dealt round-robin across folds, continuing where the previous
 * class left off, so every fold gets each class in proportion (stratified) and sizes differ by at most one.
 * Folds are disjoint and cover every row by construction: each row gets exactly one fold.
 */
export function assignFolds(n: number, k: number, seed: number, labels?: ArrayLike<number | null>): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new Error(`k-fold needs k of at least 2 (got ${k}).`)
  if (n < k) throw new Error(`${n} rows cannot be split into ${k} folds: each fold needs at least one row.`)
  if (labels && labels.length !== n) throw new Error(`Labels cover ${labels.length} rows, expected ${n}.`)
  const random = seededRandom(seed)
  const groups = new Map<number | null, number[]>()
  for (let i = 0; i < n; i++) {
    const key = labels ? labels[i] : null
    let g = groups.get(key)
    if (!g) groups.set(key, (g = []))
    g.push(i)
  }
  const folds = new Int32Array(n)
  let next = 0
  // Iterate classes in a fixed order so the same seed always gives the same folds.
  for (const key of [...groups.keys()].sort((a, b) => (a ?? -1) - (b ?? -1))) {
    const rows = shuffleInPlace(Int32Array.from(groups.get(key)!), random)
    for (const row of rows) {
      folds[row] = next
      next = (next + 1) % k
    }
  }
  return folds
}

/** Mean and sample std live with the objective rules (common), which the fold mean objective uses too. */
export { meanStd } from '../../common/studies/objective'
