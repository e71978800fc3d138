import type { ColumnSchema, ColumnStats, Histogram } from '../../../common/datasets/types'
import type { NumericAccumulator } from './finalize'
import type { ColumnProfile } from './profile'
import { dateText } from '../../../common/datasets/typing'

/** Most frequent values listed per column. */
export const TOP_VALUES = 10
/** Bars in a categorical histogram (the rest are summed as "other"). */
export const CATEGORICAL_BARS = 20

function topValues(d: Map<string, number>, k: number): { value: string; count: number }[] {
  return [...d.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, k)
    .map(([value, count]) => ({ value, count }))
}

/**
 * A column's statistics: counts, distinct values and top values from pass 1; for stored numeric,
 * boolean and date columns, mean, spread, range and histogram from the values as stored (pass 2).
 */
export function columnStats(col: ColumnSchema, p: ColumnProfile, acc: NumericAccumulator | undefined): ColumnStats {
  const d = p.distinct
  const stats: ColumnStats = {
    count: p.count,
    missing: p.missing,
    unique: d ? d.size : p.allUnique ? p.count : 1000,
    uniqueCapped: !d && !p.allUnique,
    top: d ? topValues(d, TOP_VALUES) : [],
    histogram: null,
  }
  if (col.type === 'categorical' && d) {
    const values = topValues(d, CATEGORICAL_BARS)
    const shown = values.reduce((s, v) => s + v.count, 0)
    stats.histogram = { kind: 'categorical', values, other: p.count - shown }
  }
  if (acc) {
    stats.count = acc.count
    stats.missing = acc.missing
    if (acc.count > 0) {
      stats.min = acc.min
      stats.max = acc.max
      stats.mean = acc.mean
      stats.std = Math.sqrt(acc.m2 / acc.count)
      const edges = Array.from({ length: acc.bins.length + 1 }, (_, i) => acc.lo + i * acc.width)
      const h: Histogram = { kind: 'numeric', edges, counts: Array.from(acc.bins) }
      stats.histogram = h
      if (col.type === 'date') {
        stats.minText = dateText(acc.min)
        stats.maxText = dateText(acc.max)
      }
    }
  }
  return stats
}

/** Adds "N values were not ..." to the note of an overridden column whose cells did not all parse. */
export function unparsedNote(col: ColumnSchema, p: ColumnProfile): void {
  if (p.unparsed === 0 || !p.firstUnparsed) return
  const what = col.type === 'date' ? 'ISO dates' : col.type === 'boolean' ? 'true/false values' : 'numbers'
  const extra = `${p.unparsed.toLocaleString('en-US')} value${p.unparsed === 1 ? ' was' : 's were'} not ${what} and count as missing (first: "${p.firstUnparsed.value}" on line ${p.firstUnparsed.line})`
  col.note = col.note ? `${col.note}; ${extra}` : extra
}
