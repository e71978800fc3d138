// How the Compare section prints values: metrics, hyperparameters, durations and times.

/** A metric value: 4 significant digits; NaN/∞ spelled out; missing as a dash. */
export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–'
  if (Number.isNaN(v)) return 'NaN'
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞'
  const a = Math.abs(v)
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(4)))
}

/** A hyperparameter value as text (objects as compact JSON, missing as a dash). */
export function formatValue(v: unknown): string {
  if (v === undefined) return '–'
  if (typeof v === 'number') return formatMetric(v)
  if (typeof v === 'string') return v
  return JSON.stringify(v)
}

/** A duration in ms as "1 h 02 min", "3 min 05 s" or "12.3 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–'
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(1)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`
}

/** A start time as local date and time, or a dash before the run started. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–'
  const d = new Date(ms)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}
