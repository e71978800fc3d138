import { useEffect } from 'react'
import { useAppStore } from '../store'
import { loadConfigs, setOnlyDifferences } from '../store/compareActions'
import { runColor } from './colors'
import { formatValue } from './format'

/** The selected runs' hyperparameters side by side; rows where they differ are highlighted. */
export function HyperparamTable() {
  const selected = useAppStore((s) => s.compare.selected)
  const rows = useAppStore((s) => s.compare.selectedRows)
  const configs = useAppStore((s) => s.compare.configs)
  const only = useAppStore((s) => s.compare.onlyDifferences)
  const selKey = selected.join(',')
  useEffect(() => {
    void loadConfigs()
  }, [selKey])
  if (!configs || configs.key !== selKey) return <p className="muted">Loading hyperparameters…</p>
  const shown = only ? configs.rows.filter((r) => r.differs) : configs.rows
  const differing = configs.rows.filter((r) => r.differs).length
  return (
    <div className="hyperparams">
      <div className="compare-controls">
        <label>
          <input type="checkbox" aria-label="Only differences" checked={only} onChange={(e) => setOnlyDifferences(e.target.checked)} /> only differences
        </label>
        <span className="muted">
          {differing} of {configs.rows.length} differ
        </span>
      </div>
      <div className="table-scroll">
        <table className="compare-table" data-testid="hyperparam-table">
          <thead>
            <tr>
              <th>hyperparameter</th>
              {configs.runIds.map((id) => (
                <th key={id}>
                  <span className="swatch" style={{ background: runColor(id) }} /> {rows[id]?.name ?? `run ${id}`}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.key} data-key={r.key} className={r.differs ? 'differs' : undefined}>
                <th>{r.key}</th>
                {configs.runIds.map((id) => (
                  <td key={id}>{formatValue(r.values[String(id)])}</td>
                ))}
              </tr>
            ))}
            {shown.length === 0 && (
              <tr>
                <td colSpan={configs.runIds.length + 1} className="muted">
                  The runs share every hyperparameter.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  )
}
