// How a study's parameters and objective map onto plot axes (parallel coordinates, marginal plots):
// pure, so the rule that a log-uniform parameter reads on a log scale and a choice on a categorical
// axis lives once and is tested without a browser.
import type { ParamSpec, SearchSpace } from './schemas'

/** One plot axis: a numeric range (linear or log) or an ordered list of categories. */
export type PlotAxis =
  | { key: string; kind: 'linear'; min: number; max: number }
  | { key: string; kind: 'log'; min: number; max: number }
  | { key: string; kind: 'categorical'; categories: unknown[]; labels: string[] }

/** A value as an axis label: numbers to 3 significant digits without trailing zeros (0.05, 1e-7), words, or JSON for objects. */
export function axisLabel(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)))
  if (typeof v === 'string') return v
  return JSON.stringify(v)
}

/** The axis of one parameter: log for log-uniform ranges, linear for uniform ones, categorical for choices (numbers in ascending order). */
export function paramAxis(key: string, spec: ParamSpec): PlotAxis {
  if (spec.kind === 'loguniform') return { key, kind: 'log', min: spec.min, max: spec.max }
  if (spec.kind === 'uniform') return { key, kind: 'linear', min: spec.min, max: spec.max }
  const seen = new Map<string, unknown>()
  for (const v of spec.values) if (!seen.has(JSON.stringify(v))) seen.set(JSON.stringify(v), v)
  const categories = [...seen.values()]
  if (categories.every((v) => typeof v === 'number')) (categories as number[]).sort((a, b) => a - b)
  return { key, kind: 'categorical', categories, labels: categories.map(axisLabel) }
}

/** One axis per varied parameter of a space, in the space's key order. */
export function paramAxes(space: SearchSpace): PlotAxis[] {
  return Object.entries(space).map(([key, spec]) => paramAxis(key, spec))
}

/** A linear axis over the values seen (padded when they are all equal, so a lone value sits mid-axis). */
export function valueAxis(key: string, values: readonly number[]): PlotAxis {
  const finite = values.filter((v) => Number.isFinite(v))
  if (finite.length === 0) return { key, kind: 'linear', min: 0, max: 1 }
  let min = Math.min(...finite)
  let max = Math.max(...finite)
  if (min === max) {
    const pad = Math.abs(min) * 0.05 || 0.5
    min -= pad
    max += pad
  }
  return { key, kind: 'linear', min, max }
}

/**
 * Where a value sits on an axis, 0 (bottom or left) to 1, or null when it is not on it (a category
 * the axis lacks, a non-number on a numeric axis, a non-positive value on a log axis). Values
 * outside a numeric range are clamped to its ends, so a trial never draws off the chart.
 */
export function axisPosition(axis: PlotAxis, value: unknown): number | null {
  if (axis.kind === 'categorical') {
    const i = axis.categories.findIndex((c) => JSON.stringify(c) === JSON.stringify(value))
    if (i < 0) return null
    return axis.categories.length === 1 ? 0.5 : i / (axis.categories.length - 1)
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return null
  let t: number
  if (axis.kind === 'log') {
    if (value <= 0 || axis.min <= 0) return null
    const lo = Math.log(axis.min)
    const hi = Math.log(axis.max)
    t = hi === lo ? 0.5 : (Math.log(value) - lo) / (hi - lo)
  } else t = axis.max === axis.min ? 0.5 : (value - axis.min) / (axis.max - axis.min)
  return Math.min(1, Math.max(0, t))
}

/** Tick marks of an axis: each category; powers of ten (or the ends) on a log axis; ends and middle on a linear one. */
export function axisTicks(axis: PlotAxis): { pos: number; label: string }[] {
  if (axis.kind === 'categorical') return axis.categories.map((c, i) => ({ pos: axisPosition(axis, c)!, label: axis.labels[i] }))
  if (axis.kind === 'log') {
    const decades: number[] = []
    for (let e = Math.ceil(Math.log10(axis.min) - 1e-9); e <= Math.floor(Math.log10(axis.max) + 1e-9); e++) decades.push(10 ** e)
    const values = decades.length >= 2 ? decades : [axis.min, axis.max]
    return values.map((v) => ({ pos: axisPosition(axis, v)!, label: axisLabel(v) }))
  }
  return [axis.min, (axis.min + axis.max) / 2, axis.max].map((v) => ({ pos: axisPosition(axis, v)!, label: axisLabel(v) }))
}

/**
 * A small deterministic offset (-1..1) that spreads trials sharing a category in a marginal plot,
 * so four trials at "adam" do not draw as one dot. Same trial, same offset, on every redraw.
 */
export function jitter(trialNumber: number): number {
  const x = Math.sin(trialNumber * 12.9898) * 43758.5453
  return (x - Math.floor(x)) * 2 - 1
}

// A perceptually ordered palette (viridis stops): dark purple for worst through green to yellow for best.
const STOPS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
]

/**
 * The colour of an objective value: its place between the worst and best values seen, from dark
 * (worst) to bright (best) whichever the direction, so brighter always means better.
 */
export function objectiveColor(value: number, min: number, max: number, direction: 'min' | 'max'): string {
  let t = max === min ? 1 : (value - min) / (max - min)
  if (direction === 'min') t = 1 - t
  t = Math.min(1, Math.max(0, t)) * (STOPS.length - 1)
  const i = Math.min(STOPS.length - 2, Math.floor(t))
  const f = t - i
  const [a, b] = [STOPS[i], STOPS[i + 1]]
  const c = a.map((v, k) => Math.round(v + (b[k] - v) * f))
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`
}

/** The stops of objectiveColor from worst to best, for a legend's gradient. */
export function objectiveGradient(): string[] {
  return STOPS.map(([r, g, b]) => `rgb(${r}, ${g}, ${b})`)
}
