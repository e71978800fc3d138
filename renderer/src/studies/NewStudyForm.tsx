import { useState } from 'react'
import type { ParamSpec, SearchSpace } from '../../../common/contract'
import { useAppStore } from '../store'
import { createStudy } from '../store/studiesActions'
import { parseChoiceValues } from './rank'

type Kind = ParamSpec['kind']
interface Row {
  path: string
  kind: Kind
  values: string
  min: string
  max: string
}

const CONFIG_FIELDS = ['learningRate', 'batchSize', 'optimizer', 'epochs', 'momentum']
const EMPTY_ROW: Row = { path: 'learningRate', kind: 'choice', values: '0.01, 0.001', min: '', max: '' }

function toSpec(r: Row, grid: boolean): ParamSpec {
  if (r.kind === 'choice') return { kind: 'choice', values: parseChoiceValues(r.values) }
  const min = Number(r.min)
  const max = Number(r.max)
  // A grid over a range takes evenly (log-)spaced points; random draws need none.
  const gridPoints = grid ? 3 : undefined
  return r.kind === 'loguniform' ? { kind: 'loguniform', min, max, gridPoints } : { kind: 'uniform', min, max, integer: false, gridPoints }
}

/** Starts a study from the Runs form's model, dataset and settings: what to vary, how, and what to optimize. */
export function NewStudyForm() {
  const draft = useAppStore((s) => s.runs.draft)
  const [name, setName] = useState('study')
  const [strategy, setStrategy] = useState<'grid' | 'random' | 'asha' | 'cv'>('grid')
  const [metric, setMetric] = useState('val_loss')
  const [direction, setDirection] = useState<'min' | 'max'>('min')
  const [maxTrials, setMaxTrials] = useState('')
  const [folds, setFolds] = useState('3')
  // Score each trial of a grid or random search by k-fold cross-validation (its objective is the fold mean).
  const [crossValidate, setCrossValidate] = useState(false)
  const cvObjective = crossValidate && (strategy === 'grid' || strategy === 'random')
  const [rows, setRows] = useState<Row[]>([EMPTY_ROW])
  if (draft.modelVersionId === null || draft.datasetVersionId === null) {
    return <p className="muted" data-testid="study-needs-draft">To start a study, choose a model and a dataset in Runs first: the study varies that setup.</p>
  }
  const set = (i: number, p: Partial<Row>) => setRows(rows.map((r, k) => (k === i ? { ...r, ...p } : r)))
  const submit = () => {
    const space: SearchSpace = {}
    if (strategy !== 'cv') for (const r of rows) if (r.path.trim()) space[r.path.trim()] = toSpec(r, strategy === 'grid')
    void createStudy({
      name,
      modelVersionId: draft.modelVersionId!,
      datasetVersionId: draft.datasetVersionId!,
      config: draft.config,
      space,
      strategy:
        strategy === 'cv'
          ? { kind: 'cv', k: Number(folds), seed: draft.config.seed }
          : strategy === 'grid'
            ? { kind: 'grid' }
            : strategy === 'random' ? { kind: 'random', seed: draft.config.seed } : { kind: 'asha', seed: draft.config.seed, minEpochs: 1, eta: 3 },
      objective: { metric, direction, ...(cvObjective ? { cv: { k: Number(folds), seed: draft.config.seed } } : {}) },
      ...(maxTrials ? { maxTrials: Number(maxTrials) } : {}),
    })
  }
  return (
    <form className="new-study" data-testid="new-study" onSubmit={(e) => (e.preventDefault(), submit())}>
      <div className="row">
        <label>
          Name <input aria-label="Study name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Strategy{' '}
          <select aria-label="Strategy" value={strategy} onChange={(e) => setStrategy(e.target.value as typeof strategy)}>
            <option value="grid">Grid (every combination)</option>
            <option value="random">Random (seeded)</option>
            <option value="asha">ASHA (random, stops the worst early)</option>
            <option value="cv">Cross-validation (k-fold of this config)</option>
          </select>
        </label>
        {(strategy === 'grid' || strategy === 'random') && (
          <label title="Each trial trains one run per fold; its objective is the mean over the folds (shown with the std).">
            <input type="checkbox" aria-label="Cross-validate each trial" checked={crossValidate} onChange={(e) => setCrossValidate(e.target.checked)} /> Cross-validate each trial
          </label>
        )}
        {(strategy === 'cv' || cvObjective) && (
          <label>
            Folds <input aria-label="Folds" type="number" min={2} max={20} value={folds} onChange={(e) => setFolds(e.target.value)} />
          </label>
        )}
        <label>
          Objective <input aria-label="Objective metric" value={metric} onChange={(e) => setMetric(e.target.value)} list="study-metrics" />
        </label>
        <datalist id="study-metrics">
          {['val_loss', 'val_accuracy', 'loss', 'accuracy'].map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <select aria-label="Direction" value={direction} onChange={(e) => setDirection(e.target.value as 'min' | 'max')}>
          <option value="min">minimize</option>
          <option value="max">maximize</option>
        </select>
        <label>
          Max trials <input aria-label="Max trials" type="number" min={1} value={maxTrials} onChange={(e) => setMaxTrials(e.target.value)} />
        </label>
      </div>
      {strategy !== 'cv' && (
      <table className="space">
        <thead>
          <tr>
            <th>Parameter (setting, or layer.param)</th>
            <th>Kind</th>
            <th>Values / range</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} data-testid="space-row">
              <td>
                <input aria-label={`Parameter ${i + 1}`} value={r.path} list="study-params" onChange={(e) => set(i, { path: e.target.value })} />
              </td>
              <td>
                <select aria-label={`Kind ${i + 1}`} value={r.kind} onChange={(e) => set(i, { kind: e.target.value as Kind })}>
                  <option value="choice">values</option>
                  <option value="uniform">uniform range</option>
                  <option value="loguniform">log-uniform range</option>
                </select>
              </td>
              <td>
                {r.kind === 'choice' ? (
                  <input aria-label={`Values ${i + 1}`} value={r.values} placeholder="0.1, 0.01" onChange={(e) => set(i, { values: e.target.value })} />
                ) : (
                  <>
                    <input aria-label={`Min ${i + 1}`} type="number" value={r.min} onChange={(e) => set(i, { min: e.target.value })} />
                    {' to '}
                    <input aria-label={`Max ${i + 1}`} type="number" value={r.max} onChange={(e) => set(i, { max: e.target.value })} />
                  </>
                )}
              </td>
              <td>
                <button type="button" className="link" aria-label={`Remove parameter ${i + 1}`} onClick={() => setRows(rows.filter((_, k) => k !== i))}>
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      )}
      <datalist id="study-params">
        {CONFIG_FIELDS.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {strategy !== 'cv' && (
      <button type="button" onClick={() => setRows([...rows, { ...EMPTY_ROW, path: '', values: '' }])}>
        Add parameter
      </button>
      )}{' '}
      <button type="submit" className="primary" data-testid="start-study">
        Start study
      </button>
    </form>
  )
}
