// From the series main sent to what uPlot draws: per run a faint raw curve and its EMA-smoothed
// curve on one shared x axis, plus each run's best point (the marker on the chart).
import type { MetricGoal, RunSeries } from '../../../common/contract'
import { alignCurves, bestIndex, type Column, type Curve } from './align'
import { emaSmooth } from './ema'

/** Options that change what is drawn. */
export interface PlotOptions {
  goal: MetricGoal
  /** EMA weight in [0, 1); 0 draws the raw curves only. */
  smoothing: number
  /** On a log axis values ≤ 0 cannot be placed and become gaps. */
  logY: boolean
  /** Draw each run's raw curve faint behind its smoothed one (only matters when smoothing > 0). */
  rawBehind?: boolean
  /** The chart's width in pixels: past this many x values per pixel, curves go on the pixel grid (see alignCurves). */
  pixels?: number
  /** Added to every x (1 on an epoch axis: stored epochs count from 0, people from 1). */
  xShift?: number
}

/** The most points any of the series has (what the automatic smoothing looks at). */
export function longestSeries(series: readonly RunSeries[]): number {
  return series.reduce((n, s) => Math.max(n, s.x.length), 0)
}

function shifted(x: number[], by: number): number[] {
  const out = new Array<number>(x.length)
  for (let i = 0; i < x.length; i++) out[i] = (x[i] as number) + by
  return out
}

/**
 * Most runs whose raw curves are drawn behind the smoothed ones: past this the faint curves merge
 * into one grey band that hides nothing worth seeing and doubles the drawing (200 curves for 100 runs).
 */
export const RAW_BEHIND_MAX_RUNS = 20

/** uPlot's data (x, then raw columns when smoothing, then one main column per run) and each run's best point. */
export interface PlotData {
  runIds: number[]
  x: number[]
  /** Raw columns (faint, only when smoothing > 0), in runIds order. */
  raw: Column[]
  /** Main columns (smoothed, or raw when smoothing is 0), in runIds order. */
  main: Column[]
  best: ({ x: number; y: number } | null)[]
  /** Per run: whether its main column has a gap (NaN); runs without one can skip uPlot's gap scan. */
  gaps: boolean[]
  snapped: boolean
}

// JSON carries NaN and ±Infinity as null, so a transport may hand us null where the type says number.
// Every reader below (EMA, best point, alignment) treats null and non-finite values as gaps, so the
// values are copied only for a log axis, where values ≤ 0 must become gaps too.
function yOf(s: RunSeries, logY: boolean): ArrayLike<number | null> {
  const src = s.y as ArrayLike<number | null>
  if (!logY) return src
  const out = new Array<number | null>(src.length)
  for (let i = 0; i < src.length; i++) {
    const v = src[i] as number | null
    out[i] = v === null || !Number.isFinite(v) || v <= 0 ? null : v
  }
  return out
}

function hasGap(col: Column): boolean {
  for (let i = 0; i < col.length; i++) if (col[i] === null) return true
  return false
}

/** Builds the chart data for the runs' series (runs with no points are left out). */
export function buildPlotData(series: readonly RunSeries[], opts: PlotOptions): PlotData {
  const shift = opts.xShift ?? 0
  const withPoints = series.filter((s) => s.x.length > 0).map((s) => (shift === 0 ? s : { ...s, x: shifted(s.x, shift) }))
  const ys = withPoints.map((s) => yOf(s, opts.logY))
  const smooth = opts.smoothing > 0
  const raw = smooth && (opts.rawBehind ?? withPoints.length <= RAW_BEHIND_MAX_RUNS)
  const curves: Curve[] = withPoints.map((s, i) => ({ runId: s.runId, x: s.x, y: ys[i] as ArrayLike<number | null> }))
  const smoothed = smooth ? curves.map((c) => ({ ...c, y: emaSmooth(c.y, opts.smoothing) })) : curves
  const all = raw ? [...curves, ...smoothed] : smoothed
  const aligned = alignCurves(all, opts.pixels)
  const n = curves.length
  const best = withPoints.map((s, i) => {
    const k = bestIndex(ys[i] as ArrayLike<number | null>, opts.goal)
    return k < 0 ? null : { x: s.x[k] as number, y: (ys[i] as ArrayLike<number>)[k] as number }
  })
  const main = raw ? aligned.columns.slice(n) : aligned.columns
  return {
    runIds: withPoints.map((s) => s.runId),
    x: aligned.x,
    raw: raw ? aligned.columns.slice(0, n) : [],
    main,
    best,
    gaps: main.map(hasGap),
    snapped: aligned.snapped,
  }
}
