import { useEffect, useState } from 'react'
import type { TrialRow } from '../../../common/contract'
import { useAppStore } from '../store'
import { controlStudy, dismissStudyMessage, loadStudies, openStudy, subscribeStudyEvents, trainFinal } from '../store/studiesActions'
import { NewStudyForm } from './NewStudyForm'
import { MarginalPlots } from './MarginalPlots'
import { ObjectiveChart } from './ObjectiveChart'
import { ParallelCoordinates } from './ParallelCoordinates'
import { studyPlotData } from './plotTrials'
import { formatParam, rankTrials } from './rank'
import './studies.css'

/** A trial's objective as the table shows it: mean ± std over folds when cross-validated, folds done while they run. */
function objectiveText(t: TrialRow): string {
  if (t.objective !== null) return t.objectiveStd !== null ? `${t.objective.toPrecision(4)} ± ${t.objectiveStd.toPrecision(2)}` : t.objective.toPrecision(4)
  if (t.folds && t.state === 'running') return `${t.folds.filter((f) => f.objective !== null).length}/${t.folds.length} folds`
  return '–'
}

/** Studies: hyperparameter searches over the Runs form's setup, their trials ranked by objective, live. */
export function StudiesPanel() {
  const list = useAppStore((s) => s.studies.list)
  const study = useAppStore((s) => s.studies.open)
  const message = useAppStore((s) => s.studies.message)
  useEffect(() => {
    void loadStudies()
    return subscribeStudyEvents()
  }, [])
  const keys = study ? Object.keys(study.space) : []
  const ranked = study ? rankTrials(study.trials, study.objective.direction) : []
  const best = study?.best ? study.trials.find((t) => t.number === study.best!.number) : undefined
  // The trial under the pointer, in a plot or in the table: each highlights it in the other.
  const [hovered, setHovered] = useState<number | null>(null)
  const plots = study ? studyPlotData(study) : null
  return (
    <section className="studies" data-testid="studies">
      <h2>Studies</h2>
      <p className="lead">Say what to vary and what to optimize; every trial is a run you can compare above (tag study:N).</p>
      {message && (
        <div role="alert" className={`banner ${message.kind}`} data-testid="study-message">
          {message.text}{' '}
          <button type="button" className="link" aria-label="Dismiss" onClick={() => dismissStudyMessage()}>
            ×
          </button>
        </div>
      )}
      <NewStudyForm />
      {list.length > 0 && (
        <label>
          Study{' '}
          <select aria-label="Open study" value={study?.id ?? ''} onChange={(e) => void openStudy(Number(e.target.value))}>
            {list.map((s) => (
              <option key={s.id} value={s.id}>
                {`${s.name} (#${s.id}, ${s.state})`}
              </option>
            ))}
          </select>
        </label>
      )}
      {study && (
        <div className="study" data-testid="study-detail">
          <p data-testid="study-status">
            <strong>{study.name}</strong> · {study.strategy.kind} · {study.objective.direction === 'min' ? 'minimize' : 'maximize'} {study.objective.metric}
            {study.objective.cv ? ` (mean of ${study.objective.cv.k}-fold cross-validation)` : ''} ·{' '}
            <span className={`state-${study.state}`}>{study.state}</span> · {study.counts.completed} completed, {study.counts.running} running, {study.counts.pending} pending
            {study.counts.pruned ? `, ${study.counts.pruned} stopped early` : ''}
            {study.counts.invalid ? `, ${study.counts.invalid} invalid` : ''}
            {study.counts.failed ? `, ${study.counts.failed} failed` : ''}
          </p>
          <div className="controls">
            {study.state === 'running' && (
              <button type="button" onClick={() => void controlStudy(study.id, 'pause')}>
                Pause study
              </button>
            )}
            {study.state === 'paused' && (
              <button type="button" onClick={() => void controlStudy(study.id, 'resume')}>
                Resume study
              </button>
            )}
            {(study.state === 'running' || study.state === 'paused') && (
              <button type="button" onClick={() => void controlStudy(study.id, 'stop')}>
                Stop study
              </button>
            )}
          </div>
          {best && study.best && (
            <div className="best" data-testid="study-best">
              <strong>Best: trial {best.number}</strong> · {study.objective.metric} {objectiveText(best)}
              {best.folds ? ` (mean ± std of ${best.folds.length} folds)` : ''} ·{' '}
              {keys.map((k) => `${k} = ${formatParam(best.params[k])}`).join(', ')}{' '}
              {best.runId !== null && (
                <button type="button" className="primary" onClick={() => void trainFinal(best.runId!, study.name)}>
                  Train final model with this config
                </button>
              )}
            </div>
          )}
          {study.cv && study.cv.length > 0 && (
            <table className="cv" data-testid="cv-summary">
              <caption>Cross-validation: mean ± std over the folds</caption>
              <tbody>
                {study.cv.map((m) => (
                  <tr key={m.metric}>
                    <th>{m.metric}</th>
                    <td>{`${m.mean.toPrecision(4)} ± ${m.std.toPrecision(2)}`}</td>
                    <td className="muted">{m.folds} folds</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="study-plots">
            <ObjectiveChart trials={study.trials} direction={study.objective.direction} />
            {plots && <MarginalPlots study={study} data={plots} hovered={hovered} onHover={setHovered} />}
          </div>
          {plots && <ParallelCoordinates study={study} data={plots} hovered={hovered} onHover={setHovered} />}
          <table className="trials" data-testid="trials-table">
            <thead>
              <tr>
                <th>#</th>
                <th>State</th>
                <th>{study.objective.metric}</th>
                {keys.map((k) => (
                  <th key={k}>{k}</th>
                ))}
                {study.strategy.kind === 'asha' && <th>Rung</th>}
                <th>{study.objective.cv ? 'Fold runs' : 'Run'}</th>
                <th>Note</th>
              </tr>
            </thead>
            <tbody>
              {ranked.map((t) => (
                <tr
                  key={t.number}
                  data-testid="trial-row"
                  data-trial={t.number}
                  className={[t.number === study.best?.number ? 'is-best' : '', t.number === hovered ? 'is-hovered' : ''].filter(Boolean).join(' ') || undefined}
                  onMouseEnter={() => setHovered(t.number)}
                  onMouseLeave={() => setHovered(null)}
                >
                  <td>{t.number}</td>
                  <td className={`state-${t.state}`}>{t.state}</td>
                  <td data-testid="trial-objective">{objectiveText(t)}</td>
                  {keys.map((k) => (
                    <td key={k}>{formatParam(t.params[k])}</td>
                  ))}
                  {study.strategy.kind === 'asha' && <td>{t.rung}</td>}
                  <td>{t.folds ? t.folds.map((f) => f.runId ?? '–').join(', ') : (t.runId ?? '–')}</td>
                  <td className="reason">{t.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
