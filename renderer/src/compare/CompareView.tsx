import { useAppStore } from '../store'
import { setTab } from '../store/compareActions'
import type { CompareTab } from '../store/compareSlice'
import { ArchitectureDiffView } from './ArchitectureDiffView'
import { runColor } from './colors'
import { CurvesPanel } from './CurvesPanel'
import { EvaluationsPanel } from './EvaluationsPanel'
import { HyperparamTable } from './HyperparamTable'
import { ParallelCoordinates } from './ParallelCoordinates'

const TABS: { id: CompareTab; label: string }[] = [
  { id: 'curves', label: 'Curves' },
  { id: 'hyperparameters', label: 'Hyperparameters' },
  { id: 'architecture', label: 'Architecture' },
  { id: 'evaluation', label: 'Evaluation' },
  { id: 'parallel', label: 'Parallel coordinates' },
]

/** The selected runs compared: curves, hyperparameters, architecture, evaluations, parallel coordinates. */
export function CompareView() {
  const selected = useAppStore((s) => s.compare.selected)
  const rows = useAppStore((s) => s.compare.selectedRows)
  const tab = useAppStore((s) => s.compare.tab)
  const hidden = useAppStore((s) => s.compare.hiddenByFilter)
  return (
    <section className="compare-view" data-testid="compare-view" aria-label="Comparison of the selected runs">
      <ul className="compare-legend" aria-label="Selected runs">
        {selected.slice(0, 40).map((id) => (
          <li key={id}>
            <span className="swatch" style={{ background: runColor(id) }} /> {rows[id]?.name ?? `run ${id}`}
            {rows[id] && rows[id].state !== 'completed' && <span className={`state state-${rows[id].state}`}>{rows[id].state}</span>}
            {hidden.includes(id) && <span className="muted small-text"> (hidden by the filter)</span>}
          </li>
        ))}
        {selected.length > 40 && <li className="muted">and {selected.length - 40} more</li>}
      </ul>
      <div className="tabs" role="tablist">
        {TABS.map((t) => (
          <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'tab active' : 'tab'} onClick={() => setTab(t.id)}>
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="tab-panel">
        {tab === 'curves' && <CurvesPanel />}
        {tab === 'hyperparameters' && <HyperparamTable />}
        {tab === 'architecture' && <ArchitectureDiffView />}
        {tab === 'evaluation' && <EvaluationsPanel />}
        {tab === 'parallel' && <ParallelCoordinates />}
      </div>
    </section>
  )
}
