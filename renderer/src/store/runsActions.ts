import { pickFinalCheckpoint } from '../../../common/training/finalCheckpoint'
import type { ExportResult, Input, PredictionFilter, Result, RunSummary, TryItInput, TryItResult } from '../../../common/contract'
import { dataShapeOf, suggestedLossFor } from '../../../common/graph'
import { getApi } from '../api/api'
import { uploadFiles } from '../datasets/upload'
import { useAppStore } from './index'
import { reportFailure } from './reportError'
import { EMPTY_INSPECT, type InspectState, type NewRunDraft, type RunsState } from './runsSlice'

const get = () => useAppStore.getState().runs
const patch = (p: Partial<RunsState>) => useAppStore.setState((s) => ({ runs: { ...s.runs, ...p } }))

function upsert(run: RunSummary): void {
  const list = get().list
  const i = list.findIndex((r) => r.id === run.id)
  patch({ list: i < 0 ? [run, ...list] : list.map((r) => (r.id === run.id ? run : r)) })
}

/** Loads the newest runs. */
export async function loadRuns(): Promise<void> {
  const res = await getApi().runs.recent({ limit: 200 })
  if (!res.ok) return reportFailure('Loading runs', res)
  patch({ list: res.value })
}

/** Edits the new-run form (any edit clears the last refusal: it may no longer hold). */
export function editRunDraft(p: Partial<Omit<NewRunDraft, 'refusal'>>): void {
  patch({ draft: { ...get().draft, ...p, refusal: null } })
}

/** Chooses a dataset version in the new-run form and sets the loss it suggests. */
export async function chooseRunDataset(versionId: number | null): Promise<void> {
  editRunDraft({ datasetVersionId: versionId })
  if (versionId === null) return
  const r = await getApi().datasets.version({ versionId })
  if (!r.ok) return reportFailure('Reading the dataset', r)
  if (get().draft.datasetVersionId !== versionId) return
  const read = dataShapeOf(r.value)
  if (read.ok) editRunDraft({ config: { ...get().draft.config, loss: suggestedLossFor(read.shape) } })
}

/** Preselects a just-saved model version in the new-run form, with the dataset it was shaped for (when bound). */
export function preselectForRun(modelId: number, modelVersionId: number, datasetVersionId: number | null): void {
  editRunDraft({ modelId, modelVersionId })
  if (datasetVersionId !== null && get().draft.datasetVersionId !== datasetVersionId) void chooseRunDataset(datasetVersionId)
}

/** Starts a run; a refusal (wrong input shape, loss, ...) shows its message beside the form. */
export async function startRun(input: Input<'runs.start'>): Promise<RunSummary | null> {
  const res = await getApi().runs.start(input)
  if (!res.ok) {
    patch({ draft: { ...get().draft, refusal: res.message } })
    return null
  }
  upsert(res.value)
  patch({ message: null, draft: { ...get().draft, refusal: null } })
  await selectRun(res.value.id)
  return res.value
}

/** Opens a run: its full series, its evaluation and its checkpoints. */
export async function selectRun(runId: number): Promise<void> {
  const same = get().selectedId === runId
  patch({ selectedId: runId, series: {}, evaluation: null, ...(same ? {} : { checkpoints: [], inspect: EMPTY_INSPECT }) })
  const api = getApi()
  const [metrics, evaluation] = await Promise.all([api.runs.metrics({ runId }), api.runs.evaluation({ runId }), loadCheckpoints(runId)])
  if (get().selectedId !== runId) return
  if (!metrics.ok) reportFailure('Loading the run’s metrics', metrics)
  if (!evaluation.ok) reportFailure('Loading the run’s evaluation', evaluation)
  patch({ series: metrics.ok ? metrics.value : {}, evaluation: evaluation.ok ? evaluation.value : null })
  // A finished run opens on its final evaluation with the predictions behind it, not on an empty "Evaluate" step.
  const run = get().list.find((r) => r.id === runId)
  const final = pickFinalCheckpoint(get().checkpoints, run?.config.earlyStopping?.restoreBest ?? false)
  if (evaluation.ok && evaluation.value && final && (!same || get().inspect.checkpointId === null)) await evaluateCheckpoint(final.id, true)
}

/** Refreshes the open run's checkpoint list. */
export async function loadCheckpoints(runId: number): Promise<void> {
  const res = await getApi().runs.checkpoints({ runId })
  if (!res.ok) reportFailure('Loading checkpoints', res)
  if (get().selectedId === runId) patch({ checkpoints: res.ok ? res.value : [] })
}

const setInspect = (p: Partial<InspectState>) => patch({ inspect: { ...get().inspect, ...p } })

/** Evaluates one checkpoint of the open run (in the worker) and shows its first page of predictions; `final` marks the run's own. */
export async function evaluateCheckpoint(checkpointId: number, final = false): Promise<void> {
  const runId = get().selectedId
  if (runId === null) return
  patch({ inspect: { ...EMPTY_INSPECT, checkpointId, final, busy: 'evaluating' } })
  const res = await getApi().runs.evaluateCheckpoint({ runId, checkpointId })
  if (get().selectedId !== runId || get().inspect.checkpointId !== checkpointId) return
  if (!res.ok) return setInspect({ busy: null, error: res.message })
  setInspect({ evaluation: res.value, busy: null })
  await showPredictions(0, 'all')
}

/** Predictions per page in the view. */
export const PREDICTIONS_PAGE = 24

/** The classes predictions are narrowed to: a true class, a predicted class, both (a confusion cell) or neither. */
export interface ClassChoice {
  truth: string | null
  predicted: string | null
}

/** Shows a page of the inspected checkpoint's predictions (all, or only the mistakes; optionally of some classes). */
export async function showPredictions(offset: number, filter: PredictionFilter = get().inspect.filter, classes?: ClassChoice): Promise<void> {
  const runId = get().selectedId
  const { checkpointId } = get().inspect
  if (runId === null || checkpointId === null) return
  const { truth, predicted } = classes ?? get().inspect
  setInspect({ busy: 'paging', filter, truth, predicted })
  const res = await getApi().runs.predictions({
    runId,
    checkpointId,
    filter,
    ...(truth !== null ? { truth } : {}),
    ...(predicted !== null ? { predicted } : {}),
    offset: Math.max(0, offset),
    limit: PREDICTIONS_PAGE,
  })
  if (get().selectedId !== runId || get().inspect.checkpointId !== checkpointId) return
  setInspect(res.ok ? { page: res.value, busy: null, error: null } : { busy: null, error: res.message })
}

/** Predicts one typed-in row or uploaded image with a run's model (its final checkpoint unless one is named). */
export async function tryIt(runId: number, checkpointId: number | null, input: TryItInput): Promise<Result<TryItResult>> {
  return getApi().runs.predict({ runId, ...(checkpointId ? { checkpointId } : {}), input })
}

/** Uploads a dropped or chosen image to the workbench's machine, then predicts it. */
export async function tryImage(runId: number, checkpointId: number | null, file: File): Promise<Result<TryItResult>> {
  const up = await uploadFiles([{ file, path: file.name }], () => {})
  if (!up.ok) return { ok: false, code: 'invalid_input', message: up.message }
  return tryIt(runId, checkpointId, { kind: 'image', path: up.path })
}

/** Exports a run's model as TF.js Layers files into a folder on the workbench's machine. */
export async function exportRunModel(runId: number, checkpointId: number | null, folder: string, overwrite: boolean, onnx = true): Promise<Result<ExportResult>> {
  return getApi().runs.exportModel({ runId, ...(checkpointId ? { checkpointId } : {}), folder, overwrite, onnx })
}

/** Pauses, resumes or stops the run. */
export async function controlRun(runId: number, action: 'pause' | 'resume' | 'stop'): Promise<void> {
  const res = await getApi().runs.control({ runId, action })
  if (!res.ok) patch({ message: { kind: 'error', text: res.message } })
}

/** Continues an interrupted, stopped or failed run from its newest checkpoint. */
export async function resumeRun(runId: number): Promise<void> {
  const res = await getApi().runs.resume({ runId })
  if (!res.ok) patch({ message: { kind: 'error', text: res.message } })
  else upsert(res.value)
}

/** Follows run events: states refresh the run, progress and epochs extend the open run's curves. */
export function subscribeRunEvents(): () => void {
  const api = getApi()
  const offs = [
    api.on('run.state', async (e) => {
      const res = await api.runs.get({ runId: e.runId })
      if (res.ok) upsert(res.value)
      else reportFailure(`Refreshing run ${e.runId}`, res)
      if (get().selectedId === e.runId && ['completed', 'stopped', 'failed'].includes(e.state)) void selectRun(e.runId)
    }),
    api.on('run.progress', (p) => {
      patch({ progress: { ...get().progress, [p.runId]: p } })
      if (get().selectedId === p.runId) {
        const s = get().series
        const cur = s.batch_loss ?? []
        if (!cur.length || cur[cur.length - 1].step < p.step) patch({ series: { ...s, batch_loss: [...cur, { step: p.step, epoch: p.epoch, value: p.batchLoss, wallTime: 0 }] } })
      }
    }),
    api.on('run.epoch', (m) => {
      if (get().selectedId !== m.runId) return
      void loadCheckpoints(m.runId)
      const s = { ...get().series }
      for (const [name, value] of Object.entries(m.values)) s[name] = [...(s[name] ?? []), { step: m.step, epoch: m.epoch, value, wallTime: 0 }]
      patch({ series: s })
    }),
  ]
  return () => offs.forEach((off) => off())
}
