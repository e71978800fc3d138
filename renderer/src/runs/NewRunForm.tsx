import { useEffect, useMemo, useRef, useState } from 'react'
import { dataFitProblems, dataShapeOf, suggestedLossFor, type ModelGraph } from '../../../common/graph'
import type { DatasetSummary, DatasetVersionRecord, ModelDetail, ModelSummary, TrainConfig } from '../../../common/contract'
import { getApi } from '../api/api'
import { useAppStore } from '../store'
import { takeNewRunPrefill } from '../store/compareActions'
import { openSection } from '../store/actions'
import { openModelForData } from '../store/designerActions'
import { reportFailure } from '../store/reportError'
import { chooseRunDataset, editRunDraft, startRun } from '../store/runsActions'
import { DEFAULT_CONFIG } from './defaults'

const OPTIMIZERS: TrainConfig['optimizer'][] = ['sgd', 'momentum', 'adam', 'rmsprop', 'adadelta', 'adagrad']
const LOSSES: TrainConfig['loss'][] = ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError', 'meanAbsoluteError']

/** The chosen model version's graph and the chosen dataset version, fetched when the choice changes. */
function useChosenPair(modelId: number | null, modelVersionId: number | null, datasetVersionId: number | null) {
  const [model, setModel] = useState<ModelDetail | null>(null)
  const [data, setData] = useState<DatasetVersionRecord | null>(null)
  useEffect(() => {
    if (modelId === null) return setModel(null)
    let live = true
    void (async () => {
      const latest = await getApi().models.get({ modelId })
      if (!live) return
      if (!latest.ok) return reportFailure('Reading the chosen model', latest)
      const wanted = latest.value.versions.find((v) => v.versionId === modelVersionId)
      const r = wanted && wanted.versionId !== latest.value.versionId ? await getApi().models.get({ modelId, version: wanted.version }) : latest
      if (!live) return
      if (!r.ok) return reportFailure('Reading the chosen model version', r)
      setModel(r.value)
      // A model chosen without a version (or a stale one) trains its newest version.
      if (modelVersionId === null || !wanted) editRunDraft({ modelVersionId: r.value.versionId })
    })()
    return () => {
      live = false
    }
  }, [modelId, modelVersionId])
  useEffect(() => {
    if (datasetVersionId === null) return setData(null)
    let live = true
    void getApi()
      .datasets.version({ versionId: datasetVersionId })
      .then((r) => {
        if (!r.ok) reportFailure('Reading the chosen dataset', r)
        if (live) setData(r.ok ? r.value : null)
      })
    return () => {
      live = false
    }
  }, [datasetVersionId])
  return { model, data }
}

/** What stands between the chosen pair and a run, by the same rule main applies when Train is pressed. */
function fitProblems(graph: ModelGraph | undefined, data: DatasetVersionRecord | null, loss: TrainConfig['loss']): { problems: string[]; suggestedLoss: TrainConfig['loss'] | null; reshapable: boolean } {
  if (!graph || !data) return { problems: [], suggestedLoss: null, reshapable: false }
  const read = dataShapeOf(data)
  if (!read.ok) return { problems: [read.message], suggestedLoss: null, reshapable: false }
  const problems = dataFitProblems(graph, read.shape, loss)
  const suggested = suggestedLossFor(read.shape)
  return {
    problems: problems.map((p) => p.message),
    suggestedLoss: problems.some((p) => p.part === 'loss') && suggested !== loss ? suggested : null,
    // Binding the model to the dataset in the Designer fixes its Input, Embedding and output head.
    reshapable: problems.some((p) => p.part !== 'loss'),
  }
}

/** Pick a model version and a dataset version, set hyperparameters, press Train. */
export function NewRunForm() {
  const draft = useAppStore((s) => s.runs.draft)
  const { modelId, modelVersionId, datasetVersionId, config } = draft
  const [models, setModels] = useState<ModelSummary[]>([])
  const [datasets, setDatasets] = useState<DatasetSummary[]>([])
  const set = (p: Partial<TrainConfig>) => editRunDraft({ config: { ...config, ...p } })
  useEffect(() => {
    const api = getApi()
    void api.models.list({}).then((r) => (r.ok ? setModels(r.value) : reportFailure('Loading saved models', r)))
    void api.datasets.list({}).then((r) => (r.ok ? setDatasets(r.value) : reportFailure('Loading datasets', r)))
  }, [])
  // "Train again with changes" (Compare): start from that run's exact model version, dataset version and config.
  useEffect(() => {
    const p = takeNewRunPrefill()
    if (p) editRunDraft({ modelId: p.modelId, modelVersionId: p.modelVersionId, datasetVersionId: p.datasetVersionId, config: { ...DEFAULT_CONFIG, ...p.config } })
  }, [])
  const { model, data } = useChosenPair(modelId, modelVersionId, datasetVersionId)
  const fit = useMemo(() => fitProblems(model?.versionId === modelVersionId ? model?.graph : undefined, data, config.loss), [model, modelVersionId, data, config.loss])
  const refusalRef = useRef<HTMLDivElement>(null)
  // A refusal must be seen where the person pressed Train, not above a scrolled-away pane.
  // (Braces: Chromium's scrollIntoView may return a promise, which React would take for a cleanup.)
  useEffect(() => {
    refusalRef.current?.scrollIntoView({ block: 'nearest' })
  }, [draft.refusal])
  const ready = modelVersionId !== null && datasetVersionId !== null
  return (
    <form
      className="new-run"
      data-testid="new-run"
      onSubmit={(e) => {
        e.preventDefault()
        if (modelVersionId !== null && datasetVersionId !== null) void startRun({ modelVersionId, datasetVersionId, config })
      }}
    >
      <h2>New run</h2>
      <label>
        Model
        <select aria-label="Model" value={modelId ?? ''} onChange={(e) => editRunDraft({ modelId: e.target.value ? Number(e.target.value) : null, modelVersionId: null })}>
          <option value="">choose…</option>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        {model && model.modelId === modelId && (
          <select aria-label="Model version" value={modelVersionId ?? ''} onChange={(e) => editRunDraft({ modelVersionId: Number(e.target.value) })}>
            {model.versions.map((v) => (
              <option key={v.versionId} value={v.versionId}>
                v{v.version}
              </option>
            ))}
          </select>
        )}
      </label>
      <label>
        Dataset
        <select aria-label="Dataset version" value={datasetVersionId ?? ''} onChange={(e) => void chooseRunDataset(e.target.value ? Number(e.target.value) : null)}>
          <option value="">choose…</option>
          {datasets.flatMap((d) =>
            d.versions.map((v) => (
              <option key={v.id} value={v.id}>
                {d.name} v{v.version} ({v.rowCount} rows)
              </option>
            )),
          )}
        </select>
      </label>
      <label>
        Optimizer
        <select aria-label="Optimizer" value={config.optimizer} onChange={(e) => set({ optimizer: e.target.value as TrainConfig['optimizer'] })}>
          {OPTIMIZERS.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
      <label>
        Learning rate <input aria-label="Learning rate" type="number" step="any" min="0" value={config.learningRate} onChange={(e) => set({ learningRate: Number(e.target.value) })} />
      </label>
      <label>
        Batch size <input aria-label="Batch size" type="number" min="1" value={config.batchSize} onChange={(e) => set({ batchSize: Number(e.target.value) })} />
      </label>
      <label>
        Epochs <input aria-label="Epochs" type="number" min="1" value={config.epochs} onChange={(e) => set({ epochs: Number(e.target.value) })} />
      </label>
      <label>
        Loss
        <select aria-label="Loss" value={config.loss} onChange={(e) => set({ loss: e.target.value as TrainConfig['loss'] })}>
          {LOSSES.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      </label>
      <label>
        Schedule
        <select
          value={config.schedule.kind}
          onChange={(e) => {
            const k = e.target.value
            set({ schedule: k === 'step' ? { kind: 'step', everyEpochs: 5, factor: 0.5 } : k === 'exponential' ? { kind: 'exponential', decayPerEpoch: 0.95 } : k === 'plateau' ? { kind: 'plateau', patience: 3, factor: 0.5, minLr: 1e-6 } : { kind: 'none' } })
          }}
        >
          <option value="none">constant</option>
          <option value="step">step</option>
          <option value="exponential">exponential</option>
          <option value="plateau">on plateau</option>
        </select>
      </label>
      <label>
        <input type="checkbox" checked={config.earlyStopping !== null} onChange={(e) => set({ earlyStopping: e.target.checked ? { monitor: 'val_loss', patience: 3, restoreBest: true } : null })} /> Early stopping
      </label>
      <label>
        Seed <input type="number" min="0" value={config.seed} onChange={(e) => set({ seed: Number(e.target.value) })} />
      </label>
      {ready && fit.problems.length > 0 && (
        <div className="fit-problems" role="alert" data-testid="fit-problems">
          <strong>This model does not fit this dataset yet:</strong>
          <ul>
            {fit.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          {fit.suggestedLoss && (
            <button type="button" className="small" onClick={() => set({ loss: fit.suggestedLoss! })}>
              Use {fit.suggestedLoss}
            </button>
          )}
          {fit.reshapable && model && datasetVersionId !== null && (
            <p>
              <button
                type="button"
                className="small"
                data-testid="fix-in-designer"
                onClick={() =>
                  void openModelForData(model.modelId, model.version, datasetVersionId).then(() => openSection('designer'))
                }
              >
                Reshape it for this dataset in the Designer
              </button>
            </p>
          )}
        </div>
      )}
      {ready && data && model && fit.problems.length === 0 && (
        <p className="fit-ok" data-testid="fit-ok">
          ✓ {model.name} v{model.version} fits {data.datasetName} v{data.version}.
        </p>
      )}
      <button type="submit" className="primary" data-testid="train" disabled={!ready} title={fit.problems.length ? 'The model does not fit the dataset: see the problems above.' : undefined}>
        Train
      </button>
      {draft.refusal && (
        <div ref={refusalRef} className="banner error train-refusal" role="alert" data-testid="train-refusal">
          Not started: {draft.refusal}
        </div>
      )}
    </form>
  )
}
