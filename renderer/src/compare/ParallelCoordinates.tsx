import { useEffect, useMemo, useState } from 'react'
import { useAppStore } from '../store'
import { loadConfigs, setPcMetric } from '../store/compareActions'
import { runColor } from './colors'
import { formatValue } from './format'
import { buildAxis, pickAxisRows, polylineSegments } from './parallel'

const W = 960
const H = 340
const PAD = { left: 70, right: 90, top: 40, bottom: 30 }

/** Hyperparameters against a chosen metric (its best value per run): one axis each, one line per selected run. */
export function ParallelCoordinates() {
  const selected = useAppStore((s) => s.compare.selected)
  const rows = useAppStore((s) => s.compare.selectedRows)
  const configs = useAppStore((s) => s.compare.configs)
  const metricNames = useAppStore((s) => s.compare.metricNames)
  const metric = useAppStore((s) => s.compare.pcMetric)
  const [hover, setHover] = useState<number | null>(null)
  const selKey = selected.join(',')
  useEffect(() => {
    void loadConfigs()
  }, [selKey])
  const current = configs?.key === selKey ? configs : null
  const axes = useMemo(() => {
    if (!current) return []
    const cfgAxes = pickAxisRows(current.rows).map((r) => buildAxis(r.key, r.key, current.runIds.map((id) => r.values[String(id)])))
    const metricAxis = buildAxis(`metric:${metric}`, `best ${metric}`, current.runIds.map((id) => rows[id]?.metrics[metric]?.best ?? null))
    return [...cfgAxes, metricAxis]
  }, [current, rows, metric])
  if (!current) return <p className="muted">Loading hyperparameters…</p>
  const gap = axes.length > 1 ? (W - PAD.left - PAD.right) / (axes.length - 1) : 0
  const plotH = H - PAD.top - PAD.bottom
  const valueOf = (id: number, key: string): unknown =>
    key.startsWith('metric:') ? (rows[id]?.metrics[metric]?.best ?? null) : current.rows.find((r) => r.key === key)?.values[String(id)]
  return (
    <div className="parallel">
      <div className="compare-controls">
        <label>
          metric{' '}
          <select aria-label="Parallel coordinates metric" value={metric} onChange={(e) => void setPcMetric(e.target.value)}>
            {[...new Set([metric, ...metricNames])].map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
        {hover !== null && (
          <span>
            <span className="swatch" style={{ background: runColor(hover) }} /> {rows[hover]?.name ?? `run ${hover}`}:{' '}
            {axes.map((a) => `${a.label} ${formatValue(valueOf(hover, a.key) ?? undefined)}`).join(' · ')}
          </span>
        )}
      </div>
      <svg className="parallel-svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Parallel coordinates of hyperparameters against ${metric}`} data-testid="parallel-coordinates">
        {current.runIds.map((id) => {
          const segs = polylineSegments(
            axes.map((a) => a.position(valueOf(id, a.key))),
            PAD.left,
            gap,
            PAD.top,
            plotH,
          )
          return (
            <g key={id} className={hover === null ? undefined : hover === id ? 'pc-hover' : 'pc-dim'} onMouseEnter={() => setHover(id)} onMouseLeave={() => setHover(null)}>
              {segs.map((pts, k) => (
                <polyline key={k} points={pts} fill="none" stroke={runColor(id)} strokeWidth={2} data-run={id} />
              ))}
            </g>
          )
        })}
        {axes.map((a, i) => {
          const x = PAD.left + i * gap
          return (
            <g key={a.key} className="pc-axis">
              <line x1={x} x2={x} y1={PAD.top} y2={PAD.top + plotH} />
              <text x={x} y={PAD.top - 16} textAnchor="middle" className="pc-label">
                {a.label}
                {a.kind === 'log' ? ' (log)' : ''}
              </text>
              {a.ticks.map((t, k) => (
                <text key={k} x={x + 5} y={PAD.top + (1 - t.at) * plotH + 4} className="pc-tick">
                  {t.label}
                </text>
              ))}
            </g>
          )
        })}
      </svg>
    </div>
  )
}
