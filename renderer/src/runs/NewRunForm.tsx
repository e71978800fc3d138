import { useEffect, useRef, useState } from 'react'
import type { DatasetSummary, ModelDetail, ModelSummary, TrainConfig } from '../../../preload/contract'
import { getApi } from '../api/api'
import { startRun } from '../store/runsActions'
import { takeNewRunPrefill } from '../store/compareActions'
import { DEFAULT_CONFIG, suggestedLoss } from './defaults'

const OPTIMIZERS: TrainConfig['optimizer'][] = ['sgd', 'momentum', 'adam', 'rmsprop', 'adadelta', 'adagrad']
const LOSSES: TrainConfig['loss'][] = ['categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'binaryCrossentropy', 'meanSquaredError', 'meanAbsoluteError']

/** Pick a model version and a dataset version, set hyperparameters, press Train. */
export function NewRunForm() {
  const [models, setModels] = useState<ModelSummary[]>([])
  const [datasets, setDatasets] = useState<DatasetSummary[]>([])
  const [model, setModel] = useState<ModelDetail | null>(null)
  const [modelVersionId, setModelVersionId] = useState<number | null>(null)
  const [datasetVersionId, setDatasetVersionId] = useState<number | null>(null)
  const [config, setConfig] = useState<TrainConfig>(DEFAULT_CONFIG)
  const set = (p: Partial<TrainConfig>) => setConfig((c) => ({ ...c, ...p }))
  useEffect(() => {
    const api = getApi()
    void api.models.list({}).then((r) => r.ok && setModels(r.value))
    void api.datasets.list({}).then((r) => r.ok && setDatasets(r.value))
  }, [])
  // "Train again with changes" (Compare): start from that run's exact model version, dataset version and config.
  const keepLoss = useRef(false)
  useEffect(() => {
    const p = takeNewRunPrefill()
    if (!p) return
    keepLoss.current = true // the run's own loss wins over the dataset's suggestion
    setConfig({ ...DEFAULT_CONFIG, ...p.config })
    setDatasetVersionId(p.datasetVersionId)
    void getApi()
      .models.get({ modelId: p.modelId, version: p.modelVersion })
      .then((r) => {
        if (!r.ok) return
        setModel(r.value)
        setModelVersionId(p.modelVersionId)
      })
  }, [])
  useEffect(() => {
    if (datasetVersionId === null) return
    void getApi()
      .datasets.version({ versionId: datasetVersionId })
      .then((r) => {
        if (keepLoss.current) keepLoss.current = false
        else if (r.ok) set({ loss: suggestedLoss(r.value) })
      })
  }, [datasetVersionId])
  const chooseModel = async (id: number) => {
    const r = await getApi().models.get({ modelId: id })
    if (r.ok) {
      setModel(r.value)
      setModelVersionId(r.value.versionId)
    }
  }
  return (
    <form
      className="new-run"
      data-testid="new-run"
      onSubmit={(e) => {
        e.preventDefault()
        if (modelVersionId && datasetVersionId) void startRun({ modelVersionId, datasetVersionId, config })
      }}
    >
      <h2>New run</h2>
      <label>
        Model
        <select aria-label="Model" value={model?.modelId ?? ''} onChange={(e) => void chooseModel(Number(e.target.value))}>
          <option value="">choose…</option>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        {model && (
          <select aria-label="Model version" value={modelVersionId ?? ''} onChange={(e) => setModelVersionId(Number(e.target.value))}>
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
        <select aria-label="Dataset version" value={datasetVersionId ?? ''} onChange={(e) => setDatasetVersionId(Number(e.target.value))}>
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
      <button type="submit" className="primary" data-testid="train" disabled={!modelVersionId || !datasetVersionId}>
        Train
      </button>
    </form>
  )
}
