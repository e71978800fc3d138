/** Running moments of a column (Welford): values counted, mean, sum of squared deviations, range. */
export interface Moments {
  count: number
  mean: number
  m2: number
  min: number
  max: number
}

/**
 * Adds col[rows[r]] for r < n, missing values (NaN) left out, to m by Welford's update, one value
 * at a time in row order. The moments stay in locals through the loop and are stored back at the
 * end. Returns how many values it added. The one loop behind the column statistics and the
 * recipe's numeric fits, so both take the same arithmetic in the same order.
 */
export function addMoments(m: Moments, col: Float32Array, rows: Uint32Array, n: number): number {
  let { count, mean, m2, min, max } = m
  const before = count
  for (let r = 0; r < n; r++) {
    const x = col[rows[r]]
    if (x !== x) continue
    count++
    const d = x - mean
    mean += d / count
    m2 += d * (x - mean)
    if (x < min) min = x
    if (x > max) max = x
  }
  m.count = count
  m.mean = mean
  m.m2 = m2
  m.min = min
  m.max = max
  return count - before
}

/** 0, 1, ..., n - 1: the rows argument of addMoments for a whole column. */
export function everyRow(n: number): Uint32Array {
  const rows = new Uint32Array(n)
  for (let i = 0; i < n; i++) rows[i] = i
  return rows
}
