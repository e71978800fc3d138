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

/** Below this many points per curve, the automatic setting draws the raw values (a 2-point EMA only misleads). */
export const AUTO_SMOOTHING_MIN_POINTS = 50
/** The weight the automatic setting uses on longer curves (TensorBoard's default). */
export const AUTO_SMOOTHING_WEIGHT = 0.6

/**
 * The EMA weight to draw with: the person's choice when they made one (a number), else automatic
 * (null): none while the longest curve has fewer than AUTO_SMOOTHING_MIN_POINTS points, 0.6 from there.
 */
export function effectiveSmoothing(choice: number | null, longestCurve: number): number {
  if (choice !== null) return choice
  return longestCurve < AUTO_SMOOTHING_MIN_POINTS ? 0 : AUTO_SMOOTHING_WEIGHT
}
