import type { SeriesX } from '../../../preload/contract'
import { useAppStore } from '../store'
import { exportSelectedCsv, setChartOption } from '../store/compareActions'
import { BASE_METRICS } from './columns'
import { MetricChart } from './MetricChart'

/** The metrics charted until the person picks: the usual four that the runs logged, else the first four. */
export function defaultChartMetrics(metricNames: readonly string[]): string[] {
  const usual = BASE_METRICS.filter((m) => metricNames.includes(m))
  return usual.length > 0 ? usual : metricNames.slice(0, 4)
}

/** Overlaid curves of the selected runs: one chart per metric, with axis, scale and smoothing controls. */
export function CurvesPanel() {
  const chart = useAppStore((s) => s.compare.chart)
  const metricNames = useAppStore((s) => s.compare.metricNames)
  const shown = chart.metrics ?? defaultChartMetrics(metricNames)
  const toggle = (m: string) => setChartOption({ metrics: shown.includes(m) ? shown.filter((x) => x !== m) : [...shown, m] })
  return (
    <div className="curves-panel">
      <div className="compare-controls">
        <label>
          x axis{' '}
          <select aria-label="X axis" value={chart.x} onChange={(e) => setChartOption({ x: e.target.value as SeriesX })}>
            <option value="step">step</option>
            <option value="epoch">epoch</option>
            <option value="wall">wall time</option>
          </select>
        </label>
        <label>
          <input type="checkbox" aria-label="Log scale" checked={chart.logY} onChange={(e) => setChartOption({ logY: e.target.checked })} /> log scale
        </label>
        <label className="smoothing">
          smoothing{' '}
          <input
            type="range"
            aria-label="Smoothing"
            min={0}
            max={0.99}
            step={0.01}
            value={chart.smoothing}
            onChange={(e) => setChartOption({ smoothing: Number(e.target.value) })}
          />
          <output>{chart.smoothing.toFixed(2)}</output>
        </label>
        <span className="spacer" />
        <button type="button" className="small" data-testid="export-csv" onClick={() => void exportSelectedCsv()}>
          Export CSV
        </button>
      </div>
      {metricNames.length > 0 && (
        <fieldset className="metric-picker">
          <legend>Metrics</legend>
          {metricNames.map((m) => (
            <label key={m}>
              <input type="checkbox" checked={shown.includes(m)} onChange={() => toggle(m)} /> {m}
            </label>
          ))}
        </fieldset>
      )}
      {metricNames.length === 0 ? (
        <p className="muted">The selected runs have not logged any metric yet.</p>
      ) : (
        <div className="compare-charts">
          {shown.map((m) => (
            <MetricChart key={m} metric={m} />
          ))}
        </div>
      )}
    </div>
  )
}
