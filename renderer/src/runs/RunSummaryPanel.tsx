import type { Evaluation, MetricPoint, RunSummary } from '../../../common/contract'
import { useNow } from '../app/useNow'
import { formatDuration, formatMetric, formatTime } from '../compare/format'

/** The hyperparameters worth reading at a glance, in words. */
export function hyperparameterList(c: RunSummary['config']): [string, string][] {
  const schedule =
    c.schedule.kind === 'none'
      ? 'constant'
      : c.schedule.kind === 'step'
        ? `× ${c.schedule.factor} every ${c.schedule.everyEpochs} epochs`
        : c.schedule.kind === 'exponential'
          ? `× ${c.schedule.decayPerEpoch} per epoch`
          : `on plateau (patience ${c.schedule.patience}, × ${c.schedule.factor})`
  return [
    ['optimizer', c.optimizer + (c.optimizer === 'momentum' ? ` (${c.momentum})` : '')],
    ['learning rate', String(c.learningRate)],
    ['schedule', schedule],
    ['batch size', String(c.batchSize)],
    ['epochs', String(c.epochs)],
    ['loss', c.loss],
    ['early stopping', c.earlyStopping ? `${c.earlyStopping.monitor}, patience ${c.earlyStopping.patience}${c.earlyStopping.restoreBest ? ', restores best' : ''}` : 'off'],
    ['seed', String(c.seed)],
  ]
}

/** Series that describe the training machinery (speed, learning rate, live batch loss), not what the model learned. */
export const NOT_RESULTS = new Set(['batch_loss', 'epoch_seconds', 'samples_per_second', 'lr'])

/** The last value of each per-epoch result metric (loss, accuracy, mae, their val_ twins). */
export function finalMetrics(series: Record<string, MetricPoint[]>): [string, number][] {
  return Object.entries(series)
    .filter(([name, pts]) => !NOT_RESULTS.has(name) && pts.length > 0)
    .map(([name, pts]) => [name, pts[pts.length - 1].value] as [string, number])
    .sort(([a], [b]) => a.localeCompare(b))
}

/** The run at a glance: when and how long, its hyperparameters, its final metrics and test result. */
export function RunSummaryPanel(props: { run: RunSummary; series: Record<string, MetricPoint[]>; evaluation: Evaluation | null }) {
  const { run, series, evaluation } = props
  const live = run.endedAt === null && (run.state === 'running' || run.state === 'paused')
  const now = useNow(live)
  const end = run.endedAt ?? (live ? now : null)
  const duration = run.startedAt !== null && end !== null ? end - run.startedAt : null
  const metrics = finalMetrics(series)
  return (
    <section className="run-summary" data-testid="run-summary" aria-label="Run summary">
      <dl className="summary-facts">
        <div>
          <dt>started</dt>
          <dd data-testid="summary-started">{formatTime(run.startedAt)}</dd>
        </div>
        <div>
          <dt>duration</dt>
          <dd data-testid="summary-duration">{formatDuration(duration)}</dd>
        </div>
        <div>
          <dt>epochs done</dt>
          <dd>
            {run.epochsDone} / {run.config.epochs}
          </dd>
        </div>
        {hyperparameterList(run.config).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {(metrics.length > 0 || evaluation) && (
        <dl className="summary-metrics" data-testid="summary-metrics">
          {metrics.map(([k, v]) => (
            <div key={k}>
              <dt>final {k}</dt>
              <dd>{formatMetric(v)}</dd>
            </div>
          ))}
          {evaluation?.kind === 'classification' && (
            <div>
              <dt>test accuracy</dt>
              <dd>{(evaluation.accuracy * 100).toFixed(1)}%</dd>
            </div>
          )}
          {evaluation?.kind === 'regression' && (
            <>
              <div>
                <dt>test MAE</dt>
                <dd>{evaluation.mae.toPrecision(4)}</dd>
              </div>
              <div>
                <dt>test RMSE</dt>
                <dd>{evaluation.rmse.toPrecision(4)}</dd>
              </div>
              <div>
                <dt>test R²</dt>
                <dd>{evaluation.r2.toFixed(3)}</dd>
              </div>
            </>
          )}
        </dl>
      )}
    </section>
  )
}
