import { useEffect, useMemo, useState } from 'react'
import { getApi } from '../api/api'
import type { MetricPoint } from '../../../common/contract'
import { epochNumber } from '../charts/axes'
import { LineChart, type Line } from '../charts/LineChart'
import { useAppStore } from '../store'
import { controlRun, resumeRun } from '../store/runsActions'
import { BackendDetails } from './BackendDetails'
import { CheckpointsPanel } from './CheckpointsPanel'
import { EvaluationSection } from './EvaluationSection'
import { ExportPanel } from './ExportPanel'
import { progressFraction, progressText } from './progress'
import { NOT_RESULTS, RunSummaryPanel } from './RunSummaryPanel'
import { TryItPanel } from './TryItPanel'
import { reportFailure } from '../store/reportError'
import { stepperSummary } from '../../../common/training/stepperInfo'

const COLORS = { train: '#2f6fed', val: '#e8590c', batch: '#7b8794' }

/** A batch-level line: x is the global step. */
function line(name: string, pts: MetricPoint[] | undefined, color: string, dash?: number[]): Line[] {
  return pts?.length ? [{ name, color, dash, x: pts.map((p) => p.step), y: pts.map((p) => p.value) }] : []
}

/** A per-epoch line: x is the 1-based epoch, as the progress line and checkpoints count them. */
function epochLine(name: string, pts: MetricPoint[] | undefined, color: string): Line[] {
  return pts?.length ? [{ name, color, x: pts.map((p) => epochNumber(p.epoch)), y: pts.map((p) => p.value) }] : []
}

/** Per-epoch metrics other than loss and accuracy (a regression run's mae, say), paired with their val_ twin. */
function otherEpochMetrics(series: Record<string, MetricPoint[]>): string[] {
  const skip = new Set([...NOT_RESULTS, 'loss', 'val_loss', 'accuracy', 'val_accuracy'])
  return Object.keys(series).filter((k) => !skip.has(k) && !k.startsWith('val_'))
}

/** The target column of a dataset version (to label the predicted-vs-actual plot), once fetched. */
function useTargetName(versionId: number | null): string | null {
  const [target, setTarget] = useState<string | null>(null)
  useEffect(() => {
    setTarget(null)
    if (versionId === null) return
    let live = true
    void getApi()
      .datasets.version({ versionId })
      .then((r) => {
        if (!r.ok) return reportFailure('Reading the run’s dataset', r)
        if (live) setTarget(r.value.recipe?.target?.column ?? null)
      })
    return () => {
      live = false
    }
  }, [versionId])
  return target
}

/** One run: state, backend and why, controls, live progress, curves, its evaluation, checkpoints, try-it and export. */
export function RunView() {
  const runs = useAppStore((s) => s.runs)
  const [showBackend, setShowBackend] = useState(false)
  const run = runs.list.find((r) => r.id === runs.selectedId)
  const progress = run ? runs.progress[run.id] : undefined
  const s = runs.series
  const lossLines = useMemo(() => [...epochLine('loss', s.loss, COLORS.train), ...epochLine('val_loss', s.val_loss, COLORS.val)], [s.loss, s.val_loss])
  const accLines = useMemo(() => [...epochLine('accuracy', s.accuracy, COLORS.train), ...epochLine('val_accuracy', s.val_accuracy, COLORS.val)], [s.accuracy, s.val_accuracy])
  const others = otherEpochMetrics(s)
  const target = useTargetName(run?.datasetVersionId ?? null)
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
            {run.stepper ? ` · ${stepperSummary(run.stepper)}` : ''}
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
      <RunSummaryPanel run={run} series={s} evaluation={ev} />
      {progress && (run.state === 'running' || run.state === 'paused') && (
        <div className={`run-progress${run.state === 'paused' ? ' paused' : ''}`} data-testid="run-progress">
          <progress max={1} value={progressFraction(progress)} aria-label="Training progress" data-testid="run-progress-bar" />
          <span data-testid="run-progress-text">{progressText(progress, run.state)}</span>
        </div>
      )}
      <div className="charts">
        <LineChart title="Batch loss" xLabel="step" lines={batchLines} testId="chart-batch-loss" />
        <LineChart title="Loss per epoch" xLabel="epoch" xKind="epoch" lines={lossLines} testId="chart-loss" />
        {accLines.length > 0 && <LineChart title="Accuracy per epoch" xLabel="epoch" xKind="epoch" lines={accLines} testId="chart-accuracy" />}
        {others.map((m) => (
          <LineChart key={m} title={`${m} per epoch`} xLabel="epoch" xKind="epoch" lines={[...epochLine(m, s[m], COLORS.train), ...epochLine(`val_${m}`, s[`val_${m}`], COLORS.val)]} testId={`chart-${m}`} />
        ))}
      </div>
      <EvaluationSection run={run} stored={ev} target={target} />
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
