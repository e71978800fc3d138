import type { PredictionPage, PredictionRow, SaliencyMethod } from '../../../common/contract'
import { getApi } from '../api/api'
import type { ImportanceState, SampleExplainState } from './explainSlice'
import { useAppStore } from './index'
import { reportFailure } from './reportError'

const get = () => useAppStore.getState().explain
const setSample = (p: Partial<SampleExplainState>) =>
  useAppStore.setState((s) => ({ explain: { ...s.explain, sample: s.explain.sample ? { ...s.explain.sample, ...p } : null } }))

/** Settings of SmoothGrad and integrated gradients used by the view (the contract's defaults). */
const SALIENCY = { samples: 25, sigma: 0.15, steps: 50 }

async function explainOpened(): Promise<void> {
  const s = get().sample
  if (!s) return
  setSample({ busy: true, error: null })
  const res = await getApi().runs.explainSample({
    runId: s.runId,
    checkpointId: s.checkpointId,
    split: s.split,
    rowIndex: s.row.rowIndex,
    method: s.method,
    ...(s.classIndex !== null ? { classIndex: s.classIndex } : {}),
    ...(s.layer !== null ? { layer: s.layer } : {}),
    ...SALIENCY,
  })
  const now = get().sample
  // A newer question (another sample, class, layer or method) owns the panel now.
  if (!now || now.row.rowIndex !== s.row.rowIndex || now.classIndex !== s.classIndex || now.layer !== s.layer || now.method !== s.method || now.checkpointId !== s.checkpointId) return
  setSample(res.ok ? { result: res.value, busy: false } : { busy: false, error: res.message })
}

/** Opens a prediction's sample beside the predictions and explains it (Grad-CAM, saliency) for its predicted class. */
export async function openSample(runId: number, checkpointId: number, split: SampleExplainState['split'], row: PredictionRow): Promise<void> {
  const method = get().sample?.method ?? 'gradients'
  useAppStore.setState((s) => ({
    explain: { ...s.explain, sample: { runId, checkpointId, split, row, method, classIndex: null, layer: null, result: null, busy: true, error: null } },
  }))
  await explainOpened()
}

/** Explains the open sample again for another class, Grad-CAM layer or saliency method. */
export async function changeExplanation(p: { classIndex?: number | null; layer?: string | null; method?: SaliencyMethod }): Promise<void> {
  if (!get().sample) return
  setSample(p)
  await explainOpened()
}

/** Closes the explained sample. */
export function closeSample(): void {
  useAppStore.setState((s) => ({ explain: { ...s.explain, sample: null } }))
}

/** Sets the heatmap's opacity over the image (0..1). */
export function setHeatmapOpacity(opacity: number): void {
  useAppStore.setState((s) => ({ explain: { ...s.explain, opacity: Math.min(1, Math.max(0, opacity)) } }))
}

const setImportance = (p: Partial<ImportanceState>) =>
  useAppStore.setState((s) => ({ explain: { ...s.explain, importance: s.explain.importance ? { ...s.explain.importance, ...p } : null } }))

/** Computes (or reads back) permutation importance of a checkpoint on the test split, in the worker. */
export async function loadImportance(runId: number, checkpointId: number, repeats = 5): Promise<void> {
  useAppStore.setState((s) => ({ explain: { ...s.explain, importance: { runId, checkpointId, result: null, busy: true, error: null } } }))
  const res = await getApi().runs.permutationImportance({ runId, checkpointId, repeats })
  const now = get().importance
  if (!now || now.runId !== runId || now.checkpointId !== checkpointId) return
  setImportance(res.ok ? { result: res.value, busy: false } : { busy: false, error: res.message })
}


/** The key of a grid tile's heatmap: checkpoint and row. */
export const tileKey = (checkpointId: number, rowIndex: number) => `${checkpointId}:${rowIndex}`

/** Shows or hides Grad-CAM over every tile of the predictions grid; showing fetches the page's missing heatmaps. */
export async function showGridHeatmaps(on: boolean, page: PredictionPage | null): Promise<void> {
  useAppStore.setState((s) => ({ explain: { ...s.explain, gridHeatmaps: on } }))
  if (on && page) await loadTileHeatmaps(page)
}

/** Fetches the Grad-CAM heatmap of each image on a predictions page that has none yet, one after another (the worker queues them anyway). */
export async function loadTileHeatmaps(page: PredictionPage): Promise<void> {
  for (const row of page.rows) {
    if (!get().gridHeatmaps) return
    const key = tileKey(page.checkpointId, row.rowIndex)
    if (row.input.kind !== 'image' || get().tiles[key]) continue
    const res = await getApi().runs.explainSample({ runId: page.runId, checkpointId: page.checkpointId, split: page.split, rowIndex: row.rowIndex, method: 'gradients', ...SALIENCY })
    if (!res.ok) reportFailure('Heatmaps of the predictions', res)
    const cam = res.ok ? res.value.gradCam : null
    const tile = cam ? { width: cam.width, height: cam.height, values: cam.heatmap } : ('none' as const)
    useAppStore.setState((s) => ({ explain: { ...s.explain, tiles: { ...s.explain.tiles, [key]: tile } } }))
  }
}
