// Parallel coordinates: one vertical axis per hyperparameter plus the chosen metric, one polyline per
// run. This file maps values onto axes (0 = bottom, 1 = top); ParallelCoordinates.tsx draws them.
import type { ConfigDiffRow } from '../../../common/contract'

/** How an axis places values: evenly by number, by log10 (wide positive ranges), or by category. */
export type AxisKind = 'linear' | 'log' | 'category'

/** One axis: its placement rule and tick labels. */
export interface PcAxis {
  key: string
  label: string
  kind: AxisKind
  /** Position of a value on the axis in [0, 1], or null when the value is missing or unplaceable. */
  position(value: unknown): number | null
  ticks: { label: string; at: number }[]
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
/** The text a non-numeric value is grouped by (objects and arrays by their JSON). */
const catKey = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? 'undefined')

/** A short number label: 3 significant digits, exponent form for very small or large values. */
export function shortNumber(v: number): string {
  if (v === 0) return '0'
  const a = Math.abs(v)
  return a < 1e-3 || a >= 1e5 ? v.toExponential(1) : String(Number(v.toPrecision(3)))
}

/**
 * An axis for the given values. All-numeric values get a linear axis, or a log axis when all are
 * positive and span at least two decades (learning rates, weight decay); anything else is
 * categorical, with categories in sorted order. A single distinct value sits mid-axis.
 */
export function buildAxis(key: string, label: string, values: readonly unknown[]): PcAxis {
  const present = values.filter((v) => v !== undefined && v !== null)
  if (present.length > 0 && present.every(isNum)) {
    const nums = present as number[]
    const min = Math.min(...nums)
    const max = Math.max(...nums)
    const log = min > 0 && max / min >= 100
    const f = (v: number): number => (log ? Math.log10(v) : v)
    const lo = f(min)
    const span = f(max) - lo
    const position = (v: unknown): number | null => {
      if (!isNum(v) || (log && v <= 0)) return null
      return span === 0 ? 0.5 : (f(v) - lo) / span
    }
    const ticks = span === 0 ? [{ label: shortNumber(min), at: 0.5 }] : [min, log ? Math.pow(10, lo + span / 2) : (min + max) / 2, max].map((v) => ({ label: shortNumber(v), at: position(v) as number }))
    return { key, label, kind: log ? 'log' : 'linear', position, ticks }
  }
  const cats = [...new Set(present.map(catKey))].sort()
  const at = (i: number): number => (cats.length === 1 ? 0.5 : i / (cats.length - 1))
  const index = new Map(cats.map((c, i) => [c, i]))
  return {
    key,
    label,
    kind: 'category',
    position: (v) => {
      if (v === undefined || v === null) return null
      const i = index.get(catKey(v))
      return i === undefined ? null : at(i)
    },
    ticks: cats.map((c, i) => ({ label: c, at: at(i) })),
  }
}

/**
 * Which hyperparameters get an axis: those that differ between the runs (what the plot is for),
 * or, when none differ, every numeric one; at most `max`, in the table's order.
 */
export function pickAxisRows(rows: readonly ConfigDiffRow[], max = 10): ConfigDiffRow[] {
  const differing = rows.filter((r) => r.differs)
  const chosen = differing.length > 0 ? differing : rows.filter((r) => Object.values(r.values).some(isNum))
  return chosen.slice(0, max)
}

/** A run's polyline as SVG points: axis i at x = left + i·gap, value 1 at the top. Missing values break the line. */
export function polylineSegments(positions: readonly (number | null)[], left: number, gap: number, top: number, height: number): string[] {
  const segments: string[] = []
  let cur: string[] = []
  positions.forEach((p, i) => {
    if (p === null) {
      if (cur.length > 1) segments.push(cur.join(' '))
      cur = []
      return
    }
    cur.push(`${(left + i * gap).toFixed(1)},${(top + (1 - p) * height).toFixed(1)}`)
  })
  if (cur.length > 1) segments.push(cur.join(' '))
  return segments
}
