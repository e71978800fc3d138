// Exponential moving average for noisy training curves, as TensorBoard draws it.

/**
 * Debiased EMA of y with smoothing weight in [0, 1) (0 = raw). Non-finite and missing values come out
 * as null (a gap) and do not disturb the average, so one NaN does not poison every
 * later point. The debias term keeps the first points from being dragged toward zero.
 */
export function emaSmooth(y: ArrayLike<number | null | undefined>, weight: number): (number | null)[] {
  const w = Math.min(Math.max(weight, 0), 0.999)
  const out: (number | null)[] = new Array(y.length)
  let last = 0
  let wn = 1 // w to the power of the number of values averaged so far
  for (let i = 0; i < y.length; i++) {
    const v = y[i]
    if (v === null || v === undefined || !Number.isFinite(v)) {
      out[i] = null
      continue
    }
    if (w === 0) {
      out[i] = v
      continue
    }
    last = last * w + (1 - w) * v
    wn *= w
    out[i] = last / (1 - wn)
  }
  return out
}
