import type { SeriesX } from '../../../common/contract'
import { useAppStore } from '../store'
import { exportSelectedCsv, setChartOption } from '../store/compareActions'
import { BASE_METRICS } from './columns'
import { AUTO_SMOOTHING_MIN_POINTS, AUTO_SMOOTHING_WEIGHT } from './ema'
import { MetricChart } from './MetricChart'
import { chartGroups } from './scaleGroups'

/** The metrics charted until the person picks: the usual four that the runs logged, else the first four. */
export function defaultChartMetrics(metricNames: readonly string[]): string[] {
  const usual = BASE_METRICS.filter((m) => metricNames.includes(m))
  return usual.length > 0 ? usual : metricNames.slice(0, 4)
}

/** Overlaid curves of the selected runs: one chart per metric, with axis, scale and smoothing controls. */
export function CurvesPanel() {
  const chart = useAppStore((s) => s.compare.chart)
  const metricNames = useAppStore((s) => s.compare.metricNames)
  const selected = useAppStore((s) => s.compare.selected)
  const hidden = useAppStore((s) => s.compare.hiddenByFilter)
  const lossOf = useAppStore((s) => s.compare.lossOf)
  const rows = useAppStore((s) => s.compare.selectedRows)
  const shown = chart.metrics ?? defaultChartMetrics(metricNames)
  const drawIds = selected.filter((id) => !hidden.includes(id))
  const losses = [...new Set(drawIds.map((id) => lossOf[id]).filter((l): l is string => l !== undefined))]
  const auto = chart.smoothing === null
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
            value={chart.smoothing ?? AUTO_SMOOTHING_WEIGHT}
            onChange={(e) => setChartOption({ smoothing: Number(e.target.value) })}
          />
          <output data-testid="smoothing-value">{auto ? 'auto' : (chart.smoothing as number).toFixed(2)}</output>
        </label>
        <label title={`Automatic: raw curves below ${AUTO_SMOOTHING_MIN_POINTS} points, a debiased EMA of ${AUTO_SMOOTHING_WEIGHT} from there`}>
          <input type="checkbox" aria-label="Automatic smoothing" checked={auto} onChange={(e) => setChartOption({ smoothing: e.target.checked ? null : AUTO_SMOOTHING_WEIGHT })} /> automatic
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
      {hidden.length > 0 && (
        <p className="notice" data-testid="hidden-by-filter">
          {hidden.length} selected run{hidden.length === 1 ? ' is' : 's are'} hidden by the filter and not drawn: {hidden.map((id) => rows[id]?.name ?? `run ${id}`).join(', ')}.
        </p>
      )}
      {losses.length > 1 && (
        <p className="notice" data-testid="separate-scales">
          The selected runs use different loss functions ({losses.join(', ')}), so each loss chart is split by loss function: their values are not on one scale.
        </p>
      )}
      {metricNames.length === 0 ? (
        <p className="muted">The selected runs have not logged any metric yet.</p>
      ) : (
        <div className="compare-charts">
          {shown.flatMap((m) => chartGroups(m, drawIds, lossOf).map((g) => <MetricChart key={`${m}|${g.label}`} metric={m} runIds={g.runIds} group={g.label || undefined} />))}
        </div>
      )}
    </div>
  )
}
