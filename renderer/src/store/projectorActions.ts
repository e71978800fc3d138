import type { EvalSplit, PredictionRow, Projection, SampleInput } from '../../../common/contract'
import { getApi } from '../api/api'
import { openSample } from './explainActions'
import type { ProjectorState } from './explainSlice'
import { useAppStore } from './index'

const get = () => useAppStore.getState().explain.projector
const patch = (p: Partial<ProjectorState>) =>
  useAppStore.setState((s) => ({ explain: { ...s.explain, projector: s.explain.projector ? { ...s.explain.projector, ...p } : null } }))
const same = (a: ProjectorState | null, b: ProjectorState) => !!a && a.runId === b.runId && a.checkpointId === b.checkpointId && a.split === b.split && a.layer === b.layer

/** Samples fetched for hovering, by run and row (a map is hovered over and over). */
const inputs = new Map<string, SampleInput>()

/**
 * Maps the checkpoint's learned space (a stored map opens at once; a new one is computed in the
 * worker while progress events move the bar). Another layer replaces the open map (and stops one
 * still running).
 */
export async function openProjector(runId: number, checkpointId: number, split: EvalSplit, layer: string | null = null): Promise<void> {
  const asked: ProjectorState = { runId, checkpointId, split, layer, result: null, busy: true, progress: null, error: null, hover: null }
  // A map still being computed for another question is stopped: the worker does one task at a time.
  if (get()?.busy && !same(get(), asked)) void cancelProjector()
  useAppStore.setState((s) => ({ explain: { ...s.explain, projector: asked } }))
  const api = getApi()
  const off = api.on('projection.progress', (p) => {
    if (same(get(), asked) && p.runId === runId && p.checkpointId === checkpointId && p.layer === layer) patch({ progress: p })
  })
  try {
    const res = await api.runs.project({ runId, checkpointId, split, ...(layer ? { layer } : {}) })
    if (!same(get(), asked)) return
    if (res.ok) patch({ result: res.value, busy: false, progress: null })
    else patch({ busy: false, progress: null, error: res.code === 'cancelled' ? 'Cancelled: nothing was stored.' : res.message })
  } finally {
    off()
  }
}

/** Stops the running projection (the worker stops and stores nothing). */
export async function cancelProjector(): Promise<void> {
  const p = get()
  if (!p?.busy) return
  await getApi().runs.cancelProjection({ runId: p.runId, checkpointId: p.checkpointId, split: p.split, ...(p.layer ? { layer: p.layer } : {}) })
}

/** Closes the projector. */
export function closeProjector(): void {
  useAppStore.setState((s) => ({ explain: { ...s.explain, projector: null } }))
}

async function sampleInput(runId: number, rowIndex: number): Promise<SampleInput | null> {
  const key = `${runId}:${rowIndex}`
  const known = inputs.get(key)
  if (known) return known
  const res = await getApi().runs.sampleInputs({ runId, rowIndexes: [rowIndex] })
  if (!res.ok || !res.value[0]) return null
  inputs.set(key, res.value[0])
  return res.value[0]
}

/** Shows the sample under the pointer (null: none); its input is fetched once. */
export async function hoverPoint(index: number | null): Promise<void> {
  const p = get()
  if (!p?.result || p.hover?.index === index) return
  if (index === null) return patch({ hover: null })
  patch({ hover: { index, input: inputs.get(`${p.runId}:${p.result.rowIndex[index]}`) ?? null } })
  const input = await sampleInput(p.runId, p.result.rowIndex[index])
  if (get()?.hover?.index === index) patch({ hover: { index, input } })
}

/** A map point as a prediction row, as the predictions view lists it. */
export function pointRow(m: Projection, index: number, input: SampleInput): PredictionRow {
  const truth = m.truth[index]
  const predicted = m.predicted[index]
  return { rowIndex: m.rowIndex[index], truth: m.classes[truth], predicted: m.classes[predicted], confidence: m.confidence[index], correct: truth === predicted, error: null, input }
}

/** Opens a map point in the Explain panel (Grad-CAM and saliency for its predicted class). */
export async function openPoint(index: number): Promise<void> {
  const p = get()
  if (!p?.result) return
  const m = p.result
  const input = await sampleInput(p.runId, m.rowIndex[index])
  if (!input) return
  await openSample(m.runId, m.checkpointId, m.split, pointRow(m, index, input))
}
