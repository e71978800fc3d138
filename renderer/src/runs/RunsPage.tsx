import { useEffect } from 'react'
import { useAppStore } from '../store'
import { loadRuns, selectRun } from '../store/runsActions'
import { NewRunForm } from './NewRunForm'
import { RunView } from './RunView'
import './runs.css'

/** Runs: start a run, follow it live, and look back at finished ones. */
export function RunsPage() {
  const list = useAppStore((s) => s.runs.list)
  const selected = useAppStore((s) => s.runs.selectedId)
  const message = useAppStore((s) => s.runs.message)
  useEffect(() => void loadRuns(), [])
  return (
    <section className="runs" data-testid="section-runs">
      <aside className="runs-side">
        <h1>Runs</h1>
        <NewRunForm />
        {list.length === 0 ? (
          <div className="empty" data-testid="empty-state">
            <h2>No runs yet</h2>
            <ol>
              <li>You need a dataset (Datasets) and a saved model (Designer).</li>
              <li>Pick both, set the optimizer, learning rate, batch size and epochs, and press Train.</li>
              <li>Watch the loss and accuracy curves live; pause, resume or stop at any time.</li>
            </ol>
          </div>
        ) : (
          <ul className="run-list" data-testid="run-list">
            {list.map((r) => (
              <li key={r.id}>
                <button type="button" className={`link${r.id === selected ? ' active' : ''}`} onClick={() => void selectRun(r.id)}>
                  <span className={`state state-${r.state}`}>{r.state}</span> {r.name}
                </button>
              </li>
            ))}
          </ul>
        )}
      </aside>
      <div className="runs-main">
        {message && (
          <div role="alert" className={`banner ${message.kind}`} data-testid="runs-message">
            {message.text}
          </div>
        )}
        <RunView />
      </div>
    </section>
  )
}
