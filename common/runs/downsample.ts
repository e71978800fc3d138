// Downsampling a metric series to a chart's pixel width without hiding what matters.
//
// 'minmax' (the default, the M4 scheme): one bucket per pixel column over the x range; each bucket
// keeps its first, min, max and last points, so every local extreme a pixel could show survives and
// the drawn line is the same as with all points. The global min and max are some bucket's min and
// max, so the best value is always kept. NaN/±Infinity are never dropped silently: a bucket also
// keeps its first NaN, +Inf and -Inf point (min/max consider finite values only).
// 'lttb' (Largest-Triangle-Three-Buckets) keeps a fixed number of points chosen by visual shape,
// plus the global min and max and the same non-finite markers. Neither mode is random.

/** Options of downsample. */
export interface DownsampleOptions {
  /** Pixel width = number of buckets (minmax: at most 4 finite points per bucket; lttb: the point budget). */
  maxPoints: number
  mode?: 'minmax' | 'lttb'
}

/** Which points to keep, as indices into the input, in ascending x order. */
export interface DownsampleResult {
  indices: number[]
  downsampled: boolean
  /** True when indices are exactly 0..n-1, so a caller may keep using its input arrays. */
  whole: boolean
  /** Points left out because their x was NaN or infinite (they cannot be placed on an axis). */
  droppedNonFiniteX: number
}

const isFiniteNum = (v: number): boolean => v - v === 0 // false for NaN and ±Infinity, and fast

/** Indices ordered by x (stable), leaving out non-finite x. Returns null when x is already sorted and finite. */
function xOrder(x: ArrayLike<number>): number[] | null {
  let sorted = true
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number
    if (!isFiniteNum(v) || (i > 0 && v < (x[i - 1] as number))) {
      sorted = false
      break
    }
  }
  if (sorted) return null
  const idx: number[] = []
  for (let i = 0; i < x.length; i++) if (isFiniteNum(x[i] as number)) idx.push(i)
  return idx.sort((a, b) => (x[a] as number) - (x[b] as number) || a - b)
}

/** Where the buckets lie on the x axis: equal-width columns from x0 over span (a chart's pixel grid). */
export interface BucketRange {
  x0: number
  span: number
}

/** Called once per non-empty bucket, in x order, with `count` kept indices in picks[0..count) (reused between calls). */
export type BucketVisitor = (bucket: number, picks: Int32Array, count: number) => void

/** Most indices one bucket keeps: first, min, max, last, and the first NaN (or null), +Inf and -Inf. */
export const MAX_PICKS_PER_BUCKET = 7

/**
 * M4 over points already in x order (order[k] is the k-th point's index; identity when null).
 * Buckets split the range (default [x_first, x_last]) into `buckets` equal-width columns; each
 * bucket keeps its first, min, max and last point and its first NaN (a null counts as NaN), +Inf
 * and -Inf point, handed to `visit` as input indices in x order without repeats.
 */
function walkMinMax(x: ArrayLike<number>, y: ArrayLike<number | null>, order: number[] | null, n: number, buckets: number, visit: BucketVisitor, range?: BucketRange): void {
  if (n === 0) return
  const at = (k: number): number => (order === null ? k : (order[k] as number))
  const x0 = range ? range.x0 : (x[at(0)] as number)
  const span = range ? range.span : (x[at(n - 1)] as number) - x0
  const scale = span > 0 ? buckets / span : 0
  // Scratch for one bucket's picks, reused so the hot loop allocates nothing.
  const picks = new Int32Array(MAX_PICKS_PER_BUCKET)
  const kept = new Int32Array(MAX_PICKS_PER_BUCKET)
  let bucket = -1
  let first = -1
  let last = -1
  let minK = -1
  let maxK = -1
  let nanK = -1
  let posK = -1
  let negK = -1
  let minV = 0
  let maxV = 0
  const flush = (): void => {
    let m = 0
    picks[m++] = first
    if (minK >= 0) picks[m++] = minK
    if (maxK >= 0) picks[m++] = maxK
    picks[m++] = last
    if (nanK >= 0) picks[m++] = nanK
    if (posK >= 0) picks[m++] = posK
    if (negK >= 0) picks[m++] = negK
    // insertion sort of <= 7 items, then hand on without duplicates
    for (let i = 1; i < m; i++) {
      const v = picks[i] as number
      let j = i - 1
      while (j >= 0 && (picks[j] as number) > v) {
        picks[j + 1] = picks[j] as number
        j--
      }
      picks[j + 1] = v
    }
    let c = 0
    let prev = -1
    for (let i = 0; i < m; i++) {
      const k = picks[i] as number
      if (k !== prev) kept[c++] = at(k)
      prev = k
    }
    visit(bucket, kept, c)
  }
  for (let k = 0; k < n; k++) {
    const i = at(k)
    const b = Math.max(0, Math.min(buckets - 1, Math.floor(((x[i] as number) - x0) * scale)))
    if (b !== bucket) {
      if (bucket >= 0) flush()
      bucket = b
      first = k
      minK = maxK = nanK = posK = negK = -1
    }
    last = k
    const v = y[i] as number | null
    if (v === null || v !== v) {
      if (nanK < 0) nanK = k
    } else if (v - v === 0) {
      if (minK < 0 || v < minV) {
        minK = k
        minV = v
      }
      if (maxK < 0 || v > maxV) {
        maxK = k
        maxV = v
      }
    } else if (v > 0) {
      if (posK < 0) posK = k
    } else if (negK < 0) negK = k
  }
  if (bucket >= 0) flush()
}

/**
 * The M4 bucketing of downsample for callers that place each bucket themselves (the Compare chart
 * puts many runs on one shared pixel grid): walks (x, y) in x order, leaving out points whose x is
 * not finite, and calls `visit` per non-empty bucket with the indices it keeps.
 */
export function forEachMinMaxBucket(x: ArrayLike<number>, y: ArrayLike<number | null>, buckets: number, visit: BucketVisitor, range?: BucketRange): void {
  if (x.length !== y.length) throw new RangeError(`forEachMinMaxBucket: x has ${x.length} points but y has ${y.length}`)
  const order = xOrder(x)
  walkMinMax(x, y, order, order === null ? x.length : order.length, Math.max(1, Math.floor(buckets)), visit, range)
}

function minMaxBuckets(x: ArrayLike<number>, y: ArrayLike<number>, order: number[] | null, n: number, buckets: number): number[] {
  const out: number[] = []
  walkMinMax(x, y, order, n, buckets, (_, kept, count) => {
    for (let i = 0; i < count; i++) out.push(kept[i] as number)
  })
  return out
}

/** LTTB over the finite points (in x order), then the global extremes and non-finite markers merged in. */
function lttb(x: ArrayLike<number>, y: ArrayLike<number>, order: number[] | null, n: number, threshold: number): number[] {
  const at = (k: number): number => (order === null ? k : (order[k] as number))
  const finite: number[] = []
  for (let k = 0; k < n; k++) if (isFiniteNum(y[at(k)] as number)) finite.push(k)
  const keep = new Set<number>()
  const m = finite.length
  if (m <= threshold || threshold < 3) {
    for (const k of finite) keep.add(k)
  } else {
    const every = (m - 2) / (threshold - 2)
    let a = 0
    keep.add(finite[0] as number)
    for (let i = 0; i < threshold - 2; i++) {
      const avgStart = Math.floor((i + 1) * every) + 1
      const avgEnd = Math.min(Math.floor((i + 2) * every) + 1, m)
      let avgX = 0
      let avgY = 0
      for (let j = avgStart; j < avgEnd; j++) {
        const p = at(finite[j] as number)
        avgX += x[p] as number
        avgY += y[p] as number
      }
      const len = Math.max(1, avgEnd - avgStart)
      avgX /= len
      avgY /= len
      const pa = at(finite[a] as number)
      const ax = x[pa] as number
      const ay = y[pa] as number
      let best = -1
      let bestArea = -1
      for (let j = Math.floor(i * every) + 1; j < Math.floor((i + 1) * every) + 1; j++) {
        const p = at(finite[j] as number)
        const area = Math.abs((ax - avgX) * ((y[p] as number) - ay) - (ax - (x[p] as number)) * (avgY - ay))
        if (area > bestArea) {
          bestArea = area
          best = j
        }
      }
      if (best >= 0) {
        keep.add(finite[best] as number)
        a = best
      }
    }
    keep.add(finite[m - 1] as number)
  }
  // Global extremes and non-finite markers (first of each kind per pixel bucket), as in minmax.
  let minK = -1
  let maxK = -1
  for (const k of finite) {
    const v = y[at(k)] as number
    if (minK < 0 || v < (y[at(minK)] as number)) minK = k
    if (maxK < 0 || v > (y[at(maxK)] as number)) maxK = k
  }
  if (minK >= 0) keep.add(minK)
  if (maxK >= 0) keep.add(maxK)
  if (m < n) {
    const x0 = x[at(0)] as number
    const span = (x[at(n - 1)] as number) - x0
    const seen = new Set<string>()
    for (let k = 0; k < n; k++) {
      const v = y[at(k)] as number
      if (isFiniteNum(v)) continue
      const b = span > 0 ? Math.min(threshold - 1, Math.floor((((x[at(k)] as number) - x0) / span) * threshold)) : 0
      const key = `${b}:${v !== v ? 'nan' : v > 0 ? '+' : '-'}`
      if (!seen.has(key)) {
        seen.add(key)
        keep.add(k)
      }
    }
  }
  return [...keep].sort((p, q) => p - q).map(at)
}

/**
 * Chooses the points of (x, y) to draw on a chart `maxPoints` pixels wide. Inputs of at most
 * maxPoints points come back whole. Output is in ascending x order (sorted when the input isn't).
 */
export function downsample(x: ArrayLike<number>, y: ArrayLike<number>, opts: DownsampleOptions): DownsampleResult {
  if (x.length !== y.length) throw new RangeError(`downsample: x has ${x.length} points but y has ${y.length}`)
  const width = Math.max(1, Math.floor(opts.maxPoints))
  const order = xOrder(x)
  const n = order === null ? x.length : order.length
  const droppedNonFiniteX = x.length - n
  if (n <= width) {
    const indices = order ?? Array.from({ length: n }, (_, i) => i)
    return { indices, downsampled: false, whole: order === null, droppedNonFiniteX }
  }
  const indices = opts.mode === 'lttb' ? lttb(x, y, order, n, width) : minMaxBuckets(x, y, order, n, width)
  return { indices, downsampled: indices.length < n, whole: order === null && indices.length === n, droppedNonFiniteX }
}

/** Picks the given indices out of an array. */
export function pick(values: ArrayLike<number>, indices: readonly number[]): number[] {
  const out = new Array<number>(indices.length)
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i] as number] as number
  return out
}
