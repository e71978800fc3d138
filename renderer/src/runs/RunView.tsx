import { useMemo, useState } from 'react'
import type { MetricPoint } from '../../../preload/contract'
import { LineChart, type Line } from '../charts/LineChart'
import { useAppStore } from '../store'
import { controlRun, resumeRun } from '../store/runsActions'
import { BackendDetails } from './BackendDetails'
import { CheckpointsPanel } from './CheckpointsPanel'
import { ConfusionMatrix } from './ConfusionMatrix'
import { ExportPanel } from './ExportPanel'
import { TryItPanel } from './TryItPanel'

const COLORS = { train: '#2f6fed', val: '#e8590c', batch: '#7b8794' }

function line(name: string, pts: MetricPoint[] | undefined, color: string, dash?: number[]): Line[] {
  return pts?.length ? [{ name, color, dash, x: pts.map((p) => p.step), y: pts.map((p) => p.value) }] : []
}

/** One run: state, backend and why, controls, live progress, curves, its evaluation, checkpoints, try-it and export. */
export function RunView() {
  const runs = useAppStore((s) => s.runs)
  const [showBackend, setShowBackend] = useState(false)
  const run = runs.list.find((r) => r.id === runs.selectedId)
  const progress = run ? runs.progress[run.id] : undefined
  const s = runs.series
  const lossLines = useMemo(() => [...line('loss', s.loss, COLORS.train), ...line('val_loss', s.val_loss, COLORS.val)], [s.loss, s.val_loss])
  const accLines = useMemo(() => [...line('accuracy', s.accuracy, COLORS.train), ...line('val_accuracy', s.val_accuracy, COLORS.val)], [s.accuracy, s.val_accuracy])
  const batchLines = useMemo(() => line('batch loss', s.batch_loss, COLORS.batch), [s.batch_loss])
  if (!run) return <p className="muted">Select a run, or start one.</p>
  const ev = runs.evaluation
  return (
    <section className="run-view" data-testid="run-view">
      <header className="run-header">
        <h2>{run.name}</h2>
        <span className={`state state-${run.state}`} data-testid="run-state">
          {run.state}
        </span>
        {run.backend && (
          <button type="button" className="chip" title={run.backendReason ?? ''} data-testid="run-backend" aria-expanded={showBackend} onClick={() => setShowBackend((v) => !v)}>
            backend: {run.backend}
            {run.backendDevice ? ` · ${run.backendDevice}` : ''}
            {run.backendTried.length > 0 ? ` (${run.backendTried.length} faster unavailable)` : ''}
          </button>
        )}
        <span className="spacer" />
        {run.state === 'running' && <button onClick={() => void controlRun(run.id, 'pause')}>Pause</button>}
        {run.state === 'paused' && <button onClick={() => void controlRun(run.id, 'resume')}>Resume</button>}
        {(run.state === 'running' || run.state === 'paused' || run.state === 'queued') && <button onClick={() => void controlRun(run.id, 'stop')}>Stop</button>}
        {['interrupted', 'stopped', 'failed'].includes(run.state) && <button onClick={() => void resumeRun(run.id)}>Resume from checkpoint</button>}
      </header>
      {showBackend && <BackendDetails run={run} />}
      {run.error && <div className="banner error">{run.error}</div>}
      {progress && (run.state === 'running' || run.state === 'paused') && (
        <div className="run-progress" data-testid="run-progress">
          epoch {progress.epoch + 1}/{progress.epochs} · step {progress.stepInEpoch}/{progress.stepsPerEpoch} · {Math.round(progress.samplesPerSecond)} samples/s · lr {progress.learningRate.toPrecision(3)}
          {progress.etaSeconds !== null && ` · ETA ${Math.ceil(progress.etaSeconds)} s`}
        </div>
      )}
      <div className="charts">
        <LineChart title="Batch loss" xLabel="step" lines={batchLines} testId="chart-batch-loss" />
        <LineChart title="Loss per epoch" xLabel="step" lines={lossLines} testId="chart-loss" />
        {accLines.length > 0 && <LineChart title="Accuracy per epoch" xLabel="step" lines={accLines} testId="chart-accuracy" />}
      </div>
      {ev?.kind === 'classification' && (
        <>
          <h3>
            Test accuracy {(ev.accuracy * 100).toFixed(1)}% ({ev.split} split)
          </h3>
          <ConfusionMatrix evaluation={ev} />
        </>
      )}
      {ev?.kind === 'regression' && (
        <p data-testid="regression-metrics">
          MAE {ev.mae.toPrecision(4)} · RMSE {ev.rmse.toPrecision(4)} · R² {ev.r2.toFixed(3)} ({ev.split} split)
        </p>
      )}
      <CheckpointsPanel run={run} />
      {runs.checkpoints.length > 0 && (
        <div className="run-tools">
          <TryItPanel run={run} />
          <ExportPanel run={run} />
        </div>
      )}
    </section>
  )
}
