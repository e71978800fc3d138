// Puts several runs' curves on the one shared x axis uPlot draws from (its "aligned" data layout).

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

function hasNull(y: ArrayLike<number | null>): boolean {
  for (let i = 0; i < y.length; i++) if (clean(y[i]) === null) return true
  return false
}

/** Inserts index i into the first m sorted entries of picks unless present; returns the new count. */
function insertPick(picks: Int32Array, m: number, i: number): number {
  if (i < 0) return m
  let q = m - 1
  while (q >= 0 && (picks[q] as number) > i) q--
  if (q >= 0 && picks[q] === i) return m
  for (let r = m; r > q + 1; r--) picks[r] = picks[r - 1] as number
  picks[q + 1] = i
  return m + 1
}

// A plain function rather than a closure in the loop: this runs once per run and pixel (~10^5 times
// for 100 runs), and closures over the loop's variables would move them all to the heap.
/** Writes one pixel's picks (first, min, max, last, gap), in x order, into the pixel's slots. */
function emitPixel(col: Column, base: number, y: ArrayLike<number | null>, picks: Int32Array, first: number, minI: number, maxI: number, last: number, gapI: number): void {
  let m = insertPick(picks, 0, first)
  m = insertPick(picks, m, minI)
  m = insertPick(picks, m, maxI)
  m = insertPick(picks, m, last)
  m = insertPick(picks, m, gapI)
  for (let k = 0; k < m; k++) col[base + k] = clean(y[picks[k] as number])
}

/** Most points kept per run and pixel column on the pixel grid: first, min, max, last and a gap (when any curve has one). */
export const SLOTS_PER_PIXEL = 5

/**
 * Aligns curves for uPlot. uPlot spans undefined cells (alignment artifacts) but breaks the line at
 * null, so a NaN stays visible as a gap.
 *
 * When the union of x values fits in `pixels` × SLOTS_PER_PIXEL columns, curves sit on their exact
 * x values. Otherwise (many runs, each downsampled to its own buckets, or wall-time axes where every
 * run has its own clock) they go on the chart's pixel grid: per run and pixel column the first, min,
 * max and last point and the first gap, in x order, each in its own slot of that column. That is the
 * M4 rule at the chart's own resolution, so the lines drawn are the same pixels as with every point,
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
  // The gap slot is needed only where some curve has a gap; without it the grid is a fifth smaller.
  const S = curves.some((c) => hasNull(c.y)) ? SLOTS_PER_PIXEL : SLOTS_PER_PIXEL - 1
  const x = new Array<number>(P * S)
  for (let p = 0; p < P; p++) for (let k = 0; k < S; k++) x[p * S + k] = x0 + ((p + (k + 0.5) / S) * span) / P
  const picks = new Int32Array(S)
  const columns = curves.map((c) => {
    const col: Column = newColumn(P * S)
    let pixel = -1
    let first = -1
    let last = -1
    let minI = -1
    let maxI = -1
    let gapI = -1
    let minV = 0
    let maxV = 0
    for (let i = 0; i < c.x.length; i++) {
      const xv = c.x[i] as number
      if (!Number.isFinite(xv)) continue
      const p = Math.min(P - 1, Math.floor(((xv - x0) / span) * P))
      if (p !== pixel) {
        if (pixel >= 0) emitPixel(col, pixel * S, c.y, picks, first, minI, maxI, last, gapI)
        pixel = p
        first = i
        minI = maxI = gapI = -1
      }
      last = i
      const v = clean(c.y[i])
      if (v === null) {
        if (gapI < 0) gapI = i
      } else {
        if (minI < 0 || v < minV) {
          minI = i
          minV = v
        }
        if (maxI < 0 || v > maxV) {
          maxI = i
          maxV = v
        }
      }
    }
    if (pixel >= 0) emitPixel(col, pixel * S, c.y, picks, first, minI, maxI, last, gapI)
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
