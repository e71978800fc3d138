import type * as TF from '@tensorflow/tfjs'
import type { Database } from 'better-sqlite3'
import { AppError } from '../../common/errors'
import { PROJECTOR_MAX_SAMPLES, type Projection, type ProjectionProgress, type ProjectionRequest, type ProjectorLayerInfo } from '../../common/explain/types'
import { batchStream, splitRows } from '../training/batches'
import type { LoadedModel } from '../training/loadRunModel'
import { defaultProjectorLayer, layerReader, projectUmap } from './projector'
import { wideRowReducer } from './umap/randomProjection'

/** Samples pushed through the model at once while reading activations. */
const BATCH = 256

/** How a running projection reports and hears Cancel. */
export interface ProjectionHooks {
  progress: (phase: ProjectionProgress['phase'], done: number, total: number) => void
  cancelled: () => boolean
}

/** Layers the projector can map: every layer after the input whose output has a fixed size. */
export function projectorLayers(model: TF.LayersModel): ProjectorLayerInfo[] {
  const out: ProjectorLayerInfo[] = []
  for (const l of model.layers) {
    if (l.getClassName() === 'InputLayer') continue
    const shape = l.outputShape
    if (!Array.isArray(shape) || Array.isArray(shape[0])) continue
    const dims = (shape as (number | null)[]).slice(1)
    if (dims.some((d) => d === null)) continue
    out.push({ name: l.name, type: l.getClassName(), width: (dims as number[]).reduce((a, b) => a * b, 1) })
  }
  return out
}

const cancelledError = () => new AppError('cancelled', 'The projection was cancelled; nothing was stored.')
const tick = () => new Promise<void>((r) => setImmediate(r))

/**
 * Maps a classifier checkpoint's learned space: the activations of one layer (default: the one
 * feeding the output) for the first `samples` rows of a split, with each sample's prediction, then
 * UMAP to 2-D (seeded with the run's seed). Yields between batches and while projecting so the
 * worker hears Cancel, which ends it with a 'cancelled' error (and the caller stores nothing).
 */
export async function projectionTask(tf: typeof TF, db: Database, m: LoadedModel, r: ProjectionRequest, hooks: ProjectionHooks): Promise<Omit<Projection, 'cached'>> {
  if (m.task.kind !== 'classification') throw new AppError('invalid_input', 'The projector colours samples by class: this run predicts a value (regression).')
  const started = Date.now()
  const layers = projectorLayers(m.model)
  const layer = r.layer ?? defaultProjectorLayer(m.model)
  const info = layers.find((l) => l.name === layer)
  if (!info) throw new AppError('invalid_input', `layer: "${layer}" cannot be projected; choose one of: ${layers.map((l) => l.name).join(', ')}.`)
  const total = Math.min(r.samples, PROJECTOR_MAX_SAMPLES, splitRows(db, m.version.id, r.split))
  if (total < 3) throw new AppError('invalid_input', `The ${r.split} split of "${m.version.datasetName}" has ${total} samples; the projector needs at least 3.`)
  const read = layerReader(tf, m.model, layer)
  const width = info.width
  const seed = m.run.config.seed ?? 1
  // Wide layers (a flattened feature map) are cut down batch by batch, so 10,000 rows never sit at full width.
  const reducer = wideRowReducer(width, seed)
  const kept = reducer?.k ?? width
  const rows = new Float32Array(total * kept)
  const rowIndex: number[] = []
  const truth: number[] = []
  const predicted: number[] = []
  const confidence: number[] = []
  hooks.progress('activations', 0, total)
  for (const b of batchStream(db, m.version.id, r.split, BATCH, null)) {
    const take = Math.min(b.n, total - rowIndex.length)
    const { rows: act, outputs: probs } = read(b.x, take, b.shape)
    rows.set(reducer ? reducer.apply(act, take) : act, rowIndex.length * kept)
    const units = probs.length / take
    for (let i = 0; i < take; i++) {
      let best = 0
      let p = probs[i * units]
      // One sigmoid unit: class 1 when p > 0.5.
      if (units === 1) {
        best = p > 0.5 ? 1 : 0
        p = best ? p : 1 - p
      } else
        for (let k = 1; k < units; k++)
          if (probs[i * units + k] > p) {
            best = k
            p = probs[i * units + k]
          }
      rowIndex.push(b.rowIndex[i])
      truth.push(b.labels[i])
      predicted.push(best)
      confidence.push(Math.round(p * 1e4) / 1e4)
    }
    hooks.progress('activations', rowIndex.length, total)
    await tick()
    if (hooks.cancelled()) throw cancelledError()
    if (rowIndex.length >= total) break
  }
  const xy = await projectUmap(rows, total, kept, { seed, onProgress: hooks.progress, cancelled: hooks.cancelled })
  if (!xy) throw cancelledError()
  const round = (v: number) => Math.round(v * 1e4) / 1e4
  return {
    runId: m.run.id,
    checkpointId: m.checkpoint.id,
    split: r.split,
    layer,
    layers,
    width,
    classes: m.task.classes,
    x: Array.from({ length: total }, (_, i) => round(xy[i * 2])),
    y: Array.from({ length: total }, (_, i) => round(xy[i * 2 + 1])),
    rowIndex,
    truth,
    predicted,
    confidence,
    seed,
    seconds: (Date.now() - started) / 1000,
  }
}
