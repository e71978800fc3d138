import type { RunSummary } from '../../../preload/contract'
import { useAppStore } from '../store'
import { evaluateCheckpoint } from '../store/runsActions'
import { ConfusionMatrix, EvaluationLine } from './ConfusionMatrix'
import { PredictionsView } from './PredictionsView'

const kb = (n: number) => (n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`)

/** The open run's checkpoints: evaluate any of them on demand (in a worker) and browse its predictions. */
export function CheckpointsPanel(props: { run: RunSummary }) {
  const checkpoints = useAppStore((s) => s.runs.checkpoints)
  const inspect = useAppStore((s) => s.runs.inspect)
  if (checkpoints.length === 0) return null
  const ev = inspect.evaluation
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
      {inspect.busy === 'evaluating' && <p className="muted" data-testid="evaluating">Evaluating in the background…</p>}
      {inspect.error && (
        <div className="banner error" role="alert">
          {inspect.error}
        </div>
      )}
      {ev && (
        <div className="checkpoint-eval" data-testid="checkpoint-eval">
          <h4>
            Checkpoint at epoch {ev.epoch + 1}, step {ev.step}: {ev.samples} samples
            {ev.evaluation.kind === 'classification' && `, ${ev.mistakes} mistakes`}
          </h4>
          <EvaluationLine evaluation={ev.evaluation} testId="checkpoint-metrics" />
          {ev.evaluation.kind === 'classification' && <ConfusionMatrix evaluation={ev.evaluation} testId="checkpoint-confusion" />}
          <PredictionsView page={inspect.page} filter={inspect.filter} busy={inspect.busy !== null} regression={ev.evaluation.kind === 'regression'} />
        </div>
      )}
      {props.run.state === 'running' && <p className="muted small-text">New checkpoints appear as training goes on; older ones are pruned (keeping {props.run.config.keepCheckpoints} and the best).</p>}
    </section>
  )
}
