import { useEffect } from 'react'
import type { Evaluation } from '../../../common/contract'
import { useAppStore } from '../store'
import { loadEvaluations, setNormalized } from '../store/compareActions'
import { runColor } from './colors'
import { cellIntensity, normalizeRows, unionClasses } from './confusion'
import { formatMetric } from './format'

type Classification = Extract<Evaluation, { kind: 'classification' }>

function Matrix(props: { runId: number; name: string; ev: Classification; normalized: boolean }) {
  const { ev, normalized } = props
  const values = normalized ? normalizeRows(ev.confusion) : ev.confusion
  const max = Math.max(1, ...ev.confusion.flat())
  return (
    <div className="confusion-card" data-testid="compare-confusion" data-run={props.runId}>
      <h4>
        <span className="swatch" style={{ background: runColor(props.runId) }} /> {props.name}
        <span className="muted"> · accuracy {(ev.accuracy * 100).toFixed(1)}%</span>
      </h4>
      <table className="confusion">
        <thead>
          <tr>
            <th title="rows: truth, columns: predicted">truth ↓ · pred →</th>
            {ev.classes.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {values.map((row, i) => (
            <tr key={i}>
              <th>{ev.classes[i]}</th>
              {row.map((v, j) => (
                <td key={j} style={{ background: `color-mix(in srgb, ${i === j ? 'var(--ok)' : 'var(--bad)'} ${Math.round(cellIntensity(v, max, normalized) * 70)}%, transparent)` }}>
                  {normalized ? v.toFixed(2) : v}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Per-class F1 as grouped bars: one group per class, one bar per run in its color. */
function F1Bars(props: { runs: { runId: number; name: string; ev: Classification }[] }) {
  const classes = unionClasses(props.runs.map((r) => r.ev.classes))
  return (
    <div className="f1-bars" data-testid="f1-bars">
      <h4>Per-class F1</h4>
      {classes.map((c) => (
        <div key={c} className="f1-group">
          <span className="f1-class">{c}</span>
          <div className="f1-stack">
            {props.runs.map((r) => {
              const k = r.ev.classes.indexOf(c)
              const f1 = k < 0 ? null : (r.ev.perClass[k]?.f1 ?? null)
              return (
                <div key={r.runId} className="f1-row" title={`${r.name}: F1 ${formatMetric(f1)}`}>
                  <span className="f1-bar" style={{ width: `${Math.round((f1 ?? 0) * 100)}%`, background: runColor(r.runId) }} />
                  <span className="f1-value">{formatMetric(f1)}</span>
                </div>
              )
            })}
          </div>
        </div>
      ))}
    </div>
  )
}

/** The selected runs' test-split evaluations: confusion matrices side by side (counts or normalized) and per-class F1. */
export function EvaluationsPanel() {
  const selected = useAppStore((s) => s.compare.selected)
  const rows = useAppStore((s) => s.compare.selectedRows)
  const evaluations = useAppStore((s) => s.compare.evaluations)
  const normalized = useAppStore((s) => s.compare.normalized)
  const selKey = selected.join(',')
  useEffect(() => {
    void loadEvaluations()
  }, [selKey])
  if (!evaluations || evaluations.key !== selKey) return <p className="muted">Loading evaluations…</p>
  const name = (id: number) => rows[id]?.name ?? `run ${id}`
  const cls = evaluations.entries.flatMap((e) => (e.evaluation?.kind === 'classification' ? [{ runId: e.runId, name: name(e.runId), ev: e.evaluation }] : []))
  const reg = evaluations.entries.flatMap((e) => (e.evaluation?.kind === 'regression' ? [{ runId: e.runId, ev: e.evaluation }] : []))
  const missing = evaluations.entries.filter((e) => e.evaluation === null)
  return (
    <div className="evaluations">
      {cls.length > 0 && (
        <>
          <div className="compare-controls">
            <label>
              <input type="checkbox" aria-label="Normalized" checked={normalized} onChange={(e) => setNormalized(e.target.checked)} /> normalized (share of each true class)
            </label>
          </div>
          <div className="confusion-grid" data-testid="confusion-grid" style={{ gridTemplateColumns: `repeat(${Math.min(cls.length, 4)}, minmax(240px, 1fr))` }}>
            {cls.map((r) => (
              <Matrix key={r.runId} runId={r.runId} name={r.name} ev={r.ev} normalized={normalized} />
            ))}
          </div>
          <F1Bars runs={cls} />
        </>
      )}
      {reg.length > 0 && (
        <table className="compare-table">
          <thead>
            <tr>
              <th>run</th>
              <th>MAE</th>
              <th>RMSE</th>
              <th>R²</th>
              <th>loss</th>
            </tr>
          </thead>
          <tbody>
            {reg.map((r) => (
              <tr key={r.runId}>
                <th>
                  <span className="swatch" style={{ background: runColor(r.runId) }} /> {name(r.runId)}
                </th>
                <td>{formatMetric(r.ev.mae)}</td>
                <td>{formatMetric(r.ev.rmse)}</td>
                <td>{formatMetric(r.ev.r2)}</td>
                <td>{formatMetric(r.ev.loss)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {missing.length > 0 && <p className="muted">No evaluation yet for: {missing.map((e) => name(e.runId)).join(', ')} (runs are evaluated on their test split when they finish).</p>}
    </div>
  )
}
