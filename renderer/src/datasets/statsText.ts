// How a column's numeric statistics read: dates are stored as days since 1970-01-01, and a person
// reads them as dates (a spread as a number of days), never as raw day counts.
import { dateText } from '../../../common/datasets/typing'
import type { ColumnInfo } from '../../../common/contract'

type ColumnStats = ColumnInfo['stats']

/** A number for the statistics line: 3 decimals, or scientific when very large or small. */
export function fmtStat(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '–'
  return Math.abs(n) >= 1e5 || (Math.abs(n) < 1e-3 && n !== 0) ? n.toExponential(2) : String(Math.round(n * 1000) / 1000)
}

/** A day count as the calendar date it stands for (whole days, so a mean reads as one date). */
export function dayText(days: number | undefined): string {
  if (days === undefined || !Number.isFinite(days)) return '–'
  return dateText(Math.round(days))
}

/** The min/max/mean/std part of a numeric or date column's statistics line. */
export function numericStatsText(type: string, s: ColumnStats): string {
  if (type === 'date') {
    const days = s.std !== undefined && Number.isFinite(s.std) ? Math.round(s.std) : null
    const std = days === null ? '–' : `${days} day${days === 1 ? '' : 's'}`
    return ` · from ${s.minText ?? dayText(s.min)} to ${s.maxText ?? dayText(s.max)} · mean ${dayText(s.mean)} · std ${std}`
  }
  return ` · min ${fmtStat(s.min)} · max ${fmtStat(s.max)} · mean ${fmtStat(s.mean)} · std ${fmtStat(s.std)}`
}

/** A histogram bar's range in the column's own terms (dates as dates). */
export function binText(type: string, lo: number, hi: number): string {
  return type === 'date' ? `${dayText(lo)} – ${dayText(hi)}` : `${fmtStat(lo)} – ${fmtStat(hi)}`
}
