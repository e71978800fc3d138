import { useAppStore } from '../store'
import { loadImportance } from '../store/explainActions'
import { ColumnBars } from './ColumnBars'

/** Permutation importance of a tabular checkpoint: a button to compute it (in the worker), then a sorted bar chart with ± std. */
export function ImportanceChart(props: { runId: number; checkpointId: number }) {
  const imp = useAppStore((s) => s.explain.importance)
  const mine = imp && imp.runId === props.runId && imp.checkpointId === props.checkpointId ? imp : null
  const r = mine?.result
  return (
    <section className="importance" data-testid="permutation-importance" aria-label="Permutation importance">
      <h4>
        Which columns matter{' '}
        <button type="button" className="small" disabled={mine?.busy} onClick={() => void loadImportance(props.runId, props.checkpointId)}>
          {r ? 'Recompute' : 'Permutation importance'}
        </button>
      </h4>
      {mine?.busy && <p className="muted">Shuffling each column of the test split in the background…</p>}
      {mine?.error && (
        <div className="banner error" role="alert">
          {mine.error}
        </div>
      )}
      {r && (
        <>
          <ColumnBars items={r.columns.map((c) => ({ name: c.column, value: c.mean, spread: c.std }))} testId="importance-bars" label="Metric drop per column" />
          <p className="muted small-text">
            Drop in {r.metric === 'accuracy' ? 'accuracy' : 'R²'} (baseline {r.baseline.toFixed(3)}) when a column is shuffled, mean ± std over {r.repeats} shuffles of {r.samples} {r.split}{' '}
            rows.
          </p>
        </>
      )}
    </section>
  )
}
