// Puts several runs' curves on the one shared x axis uPlot draws from (its "aligned" data layout).

import { forEachMinMaxBucket } from '../../../common/runs/downsample'

/** One run's curve as it came from main: x ascending, y null where the value was NaN or infinite. */
export interface Curve {
  runId: number
  x: ArrayLike<number>
  y: ArrayLike<number | null>
}

/** A column of y values on the shared axis: null = a real gap (NaN), undefined = no point of this run here. */
export type Column = (number | null | undefined)[]

/** The shared x axis and one column per curve, in the order given. */
export interface Aligned {
  x: number[]
  columns: Column[]
  /** True when x had too many distinct values and points were snapped to a grid (see alignCurves). */
  snapped: boolean
}

// Step and epoch axes hold whole numbers in a modest range: there a presence table over the range
// finds the distinct values in one pass, with no sort (the common case, and the hot one with 100 runs).
const MAX_DENSE_RANGE = 4_000_000

/** Distinct finite x values of all curves, ascending. */
export function unionX(curves: readonly Curve[]): Float64Array {
  let total = 0
  let min = Infinity
  let max = -Infinity
  let integers = true
  for (const c of curves) {
    total += c.x.length
    for (let i = 0; i < c.x.length; i++) {
      const v = c.x[i] as number
      if (!Number.isFinite(v)) continue
      if (v < min) min = v
      if (v > max) max = v
      if (integers && !Number.isInteger(v)) integers = false
    }
  }
  if (min > max) return new Float64Array(0)
  if (integers && max - min < MAX_DENSE_RANGE) {
    const seen = new Uint8Array(max - min + 1)
    let n = 0
    for (const c of curves) {
      for (let i = 0; i < c.x.length; i++) {
        const v = c.x[i] as number
        if (!Number.isFinite(v)) continue
        const k = v - min
        if (seen[k] === 0) {
          seen[k] = 1
          n++
        }
      }
    }
    const out = new Float64Array(n)
    let j = 0
    for (let k = 0; k < seen.length; k++) if (seen[k] === 1) out[j++] = k + min
    return out
  }
  const all = new Float64Array(total)
  let k = 0
  for (const c of curves) for (let i = 0; i < c.x.length; i++) all[k++] = c.x[i] as number
  all.sort() // a typed array sorts numerically, far faster than Array#sort with a comparator
  let n = 0
  for (let i = 0; i < k; i++) {
    const v = all[i] as number
    if (Number.isFinite(v) && (n === 0 || v !== all[n - 1])) all[n++] = v
  }
  return all.subarray(0, n)
}

const clean = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v)

/**
 * A column of holes. Holes read as undefined (uPlot: no point here) and, unlike stored undefineds,
 * let V8 keep a column without gaps as an unboxed double array: no heap number per value, which
 * with 100 runs × 4,000 points is most of the alignment's cost.
 */
function newColumn(length: number): Column {
  return new Array<number | null | undefined>(length)
}

/** How many kinds of non-finite value (NaN or null, +Inf, -Inf) a curve's y holds: each takes its own slot per pixel. */
function nonFiniteKinds(y: ArrayLike<number | null>): number {
  let nan = 0
  let pos = 0
  let neg = 0
  for (let i = 0; i < y.length && nan + pos + neg < 3; i++) {
    const v = y[i]
    if (v === null || v === undefined || Number.isNaN(v)) nan = 1
    else if (v === Infinity) pos = 1
    else if (v === -Infinity) neg = 1
  }
  return nan + pos + neg
}

/** Points kept per run and pixel column on the pixel grid when curves have gaps: first, min, max, last and a gap. */
export const SLOTS_PER_PIXEL = 5

/**
 * Aligns curves for uPlot. uPlot spans undefined cells (alignment artifacts) but breaks the line at
 * null, so a NaN stays visible as a gap.
 *
 * When the union of x values fits in `pixels` × SLOTS_PER_PIXEL columns, curves sit on their exact
 * x values. Otherwise (many runs, each downsampled to its own buckets, or wall-time axes where every
 * run has its own clock) they go on the chart's pixel grid: per run and pixel column the first, min,
 * max and last point and the first gap (of each kind: NaN or null, +Inf, -Inf), in x order, each in
 * its own slot of that column. That is downsample's M4 rule (common/runs/downsample) at the chart's
 * own resolution, so the lines drawn are the same pixels as with every point,
 * while 100 runs need 100 × width × 5 cells instead of 100 × (every distinct x).
 */
export function alignCurves(curves: readonly Curve[], pixels = 4000): Aligned {
  const xs = unionX(curves)
  if (xs.length <= pixels * SLOTS_PER_PIXEL) {
    const x = Array.from(xs)
    const columns = curves.map((c) => {
      const col: Column = newColumn(x.length)
      let j = 0
      for (let i = 0; i < c.x.length; i++) {
        const xv = c.x[i] as number
        if (!Number.isFinite(xv)) continue // cannot be placed on an axis
        while (j < x.length && (x[j] as number) < xv) j++ // both ascending and every finite xv is in x
        col[j] = clean(c.y[i])
      }
      return col
    })
    return { x, columns, snapped: false }
  }
  const x0 = xs[0] as number
  const span = (xs[xs.length - 1] as number) - x0
  const P = Math.max(1, Math.floor(pixels))
  // Gap slots are needed only where some curve has gaps; without them the grid is a fifth smaller.
  const S = 4 + Math.max(0, ...curves.map((c) => nonFiniteKinds(c.y)))
  const x = new Array<number>(P * S)
  for (let p = 0; p < P; p++) for (let k = 0; k < S; k++) x[p * S + k] = x0 + ((p + (k + 0.5) / S) * span) / P
  const range = { x0, span }
  const columns = curves.map((c) => {
    const col: Column = newColumn(P * S)
    // common/runs/downsample's M4 walk on the shared grid: each pixel's picks, in x order, fill its slots.
    forEachMinMaxBucket(c.x, c.y, P, (pixel, picks, count) => {
      for (let k = 0; k < count; k++) col[pixel * S + k] = clean(c.y[picks[k] as number])
    }, range)
    return col
  })
  return { x, columns, snapped: true }
}

/** Index of the best finite value (lowest for 'min', highest for 'max'; the earliest on ties), or -1. */
export function bestIndex(y: ArrayLike<number | null>, goal: 'min' | 'max'): number {
  let best = -1
  let bestV = 0
  for (let i = 0; i < y.length; i++) {
    const v = y[i]
    if (v === null || v === undefined || !Number.isFinite(v)) continue
    if (best < 0 || (goal === 'min' ? v < bestV : v > bestV)) {
      best = i
      bestV = v
    }
  }
  return best
}
