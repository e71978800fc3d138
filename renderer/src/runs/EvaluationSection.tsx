import type { Evaluation, RunSummary } from '../../../common/contract'
import { ImportanceChart } from '../explain/ImportanceChart'
import { ProjectorPanel } from '../explain/ProjectorPanel'
import { SampleExplainer } from '../explain/SampleExplainer'
import { useAppStore } from '../store'
import { showPredictions } from '../store/runsActions'
import { ConfusionMatrix, EvaluationLine } from './ConfusionMatrix'
import { PredictedVsActual } from './PredictedVsActual'
import { PredictionsView } from './PredictionsView'

/**
 * The run's evaluation, drawn once: the final checkpoint's (opened with the run) or the one picked
 * under Checkpoints. Classification: a confusion matrix whose cells narrow the predictions below;
 * regression: MAE/RMSE/R² and a predicted-vs-actual plot. The predictions follow at once.
 */
export function EvaluationSection(props: { run: RunSummary; stored: Evaluation | null; target: string | null }) {
  const inspect = useAppStore((s) => s.runs.inspect)
  const ce = inspect.evaluation
  const ev = ce?.evaluation ?? props.stored
  if (!ev && inspect.busy === null && !inspect.error) return null
  const title = ce ? (inspect.final ? 'Final model' : `Checkpoint at epoch ${ce.epoch + 1}, step ${ce.step}`) : 'Final model'
  return (
    <section className="evaluation-section" data-testid="checkpoint-eval" aria-label="Evaluation">
      <h3>
        {title}
        {ce && (
          <span className="muted">
            {' '}
            · {ce.samples} {ce.split} samples{ev?.kind === 'classification' ? `, ${ce.mistakes} mistakes` : ''}
          </span>
        )}
      </h3>
      {ev && <EvaluationLine evaluation={ev} testId="checkpoint-metrics" />}
      {ev?.kind === 'classification' && (
        <>
          <ConfusionMatrix
            evaluation={ev}
            testId="confusion-matrix"
            active={inspect}
            onCell={ce ? (truth, predicted) => void showPredictions(0, 'all', { truth, predicted }) : undefined}
          />
          {ce && <p className="muted small-text">Click a count to see those samples below.</p>}
        </>
      )}
      {ce?.scatter && <PredictedVsActual actual={ce.scatter.actual} predicted={ce.scatter.predicted} target={props.target ?? 'target'} />}
      {inspect.busy === 'evaluating' && (
        <p className="muted" data-testid="evaluating">
          Evaluating in the background…
        </p>
      )}
      {inspect.error && (
        <div className="banner error" role="alert">
          {inspect.error}
        </div>
      )}
      {ce && inspect.page?.rows[0]?.input.kind === 'tabular' && <ImportanceChart runId={ce.runId} checkpointId={ce.checkpointId} />}
      {ce && ev?.kind === 'classification' && <ProjectorPanel runId={ce.runId} checkpointId={ce.checkpointId} split={ce.split} />}
      {ce && <SampleExplainer runId={ce.runId} checkpointId={ce.checkpointId} />}
      {ce && (
        <PredictionsView
          page={inspect.page}
          filter={inspect.filter}
          busy={inspect.busy !== null}
          regression={ce.evaluation.kind === 'regression'}
          classes={ce.evaluation.kind === 'classification' ? ce.evaluation.classes : null}
          truth={inspect.truth}
          predicted={inspect.predicted}
        />
      )}
    </section>
  )
}
