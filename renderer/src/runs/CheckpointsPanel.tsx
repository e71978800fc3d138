import type { RunSummary } from '../../../common/contract'
import { useAppStore } from '../store'
import { evaluateCheckpoint } from '../store/runsActions'

const kb = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`)

/** The open run's checkpoints: evaluate any of them on demand (in a worker); the evaluation shows above (EvaluationSection). */
export function CheckpointsPanel(props: { run: RunSummary }) {
  const checkpoints = useAppStore((s) => s.runs.checkpoints)
  const inspect = useAppStore((s) => s.runs.inspect)
  if (checkpoints.length === 0) return null
  return (
    <section className="checkpoints" data-testid="checkpoints">
      <h3>Checkpoints</h3>
      <table className="checkpoint-table">
        <thead>
          <tr>
            <th>epoch</th>
            <th>step</th>
            <th />
            <th>monitored</th>
            <th>size</th>
            <th>saved</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {checkpoints.map((c) => (
            <tr key={c.id} className={c.id === inspect.checkpointId ? 'selected' : ''} data-testid="checkpoint-row">
              <td>{c.epoch + 1}</td>
              <td>{c.step}</td>
              <td>
                {!c.epochFinished && <span className="chip">mid-epoch</span>}
                {c.isBest && <span className="chip">best</span>}
              </td>
              <td>{c.metricValue === null ? '' : c.metricValue.toPrecision(4)}</td>
              <td>{kb(c.byteSize)}</td>
              <td>{new Date(c.createdAt).toLocaleTimeString()}</td>
              <td>
                <button type="button" className="small" disabled={inspect.busy !== null} onClick={() => void evaluateCheckpoint(c.id)}>
                  Evaluate
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.run.state === 'running' && <p className="muted small-text">New checkpoints appear as training goes on; older ones are pruned (keeping {props.run.config.keepCheckpoints} and the best).</p>}
    </section>
  )
}
