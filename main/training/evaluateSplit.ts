import type * as TF from '@tensorflow/tfjs'
import type { Database } from 'better-sqlite3'
import type { Evaluation, TrainConfig } from '../../common/contract'
import type { SplitName } from '../../common/datasets/types'
import { batchStream, type ArrayBatch } from './batches'
import type { Tf } from './buildModel'
import type { DataTask } from './dataTask'
import { ClassificationTally, RegressionTally } from './evaluate'

/** Per-sample results of a split, in stream order (row indexes point back into the dataset version). */
export interface SplitPredictions {
  rowIndex: Uint32Array
  /** Class index (classification) or target value (regression). */
  truth: Int32Array | Float32Array
  /** Predicted class index or value. */
  predicted: Int32Array | Float32Array
  /** Probability of the predicted class (classification only). */
  confidence: Float32Array | null
}

/** A batch as tensors: x [n, ...shape], y one-hot (categorical), or [n, 1] labels/values. */
export function toTensors(tf: Tf, b: ArrayBatch, loss: TrainConfig['loss'], classes: number): { x: TF.Tensor; y: TF.Tensor } {
  const x = tf.tensor(b.x, [b.n, ...b.shape])
  let y: TF.Tensor
  if (loss === 'categoricalCrossentropy') y = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(b.labels), 'int32'), classes).toFloat())
  else y = tf.tensor2d(Float32Array.from(b.labels), [b.n, 1])
  return { x, y }
}

/**
 * Predicted classes and their probabilities from a model's output rows: one unit is a sigmoid
 * (class 1 above 0.5), several units are per-class scores (the largest wins).
 */
export function classify(out: Float32Array, units: number): { predicted: Int32Array; confidence: Float32Array } {
  const n = units > 0 ? out.length / units : 0
  const predicted = new Int32Array(n)
  const confidence = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    if (units === 1) {
      const p = out[i]
      predicted[i] = p > 0.5 ? 1 : 0
      confidence[i] = p > 0.5 ? p : 1 - p
    } else {
      let best = 0
      for (let k = 1; k < units; k++) if (out[i * units + k] > out[i * units + best]) best = k
      predicted[i] = best
      confidence[i] = out[i * units + best]
    }
  }
  return { predicted, confidence }
}

/** What evaluateSplit needs besides the model. */
export interface SplitEvalOptions {
  db: Database
  versionId: number
  split: SplitName
  config: TrainConfig
  task: DataTask
  /** A cross-validation fold's held-out rows: evaluate these (from train+validation) instead of the split. */
  rows?: ReadonlySet<number>
  /** Keep every sample's prediction (the predictions view); training's per-epoch validation does not. */
  keepPredictions?: boolean
}

/** Loss and accuracy (classification) of a whole split, without training; optionally every sample's prediction. */
export async function evaluateSplit(
  tf: Tf,
  model: TF.LayersModel,
  o: SplitEvalOptions,
): Promise<{ loss: number; accuracy?: number; evaluation: Evaluation; n: number; predictions?: SplitPredictions }> {
  const { config, task } = o
  const tally = task.kind === 'classification' ? new ClassificationTally(task.classes) : new RegressionTally()
  const kept: { rowIndex: Uint32Array; truth: Int32Array | Float32Array; predicted: Int32Array | Float32Array; confidence: Float32Array | null }[] = []
  let n = 0
  for (const b of batchStream(o.db, o.versionId, o.rows ? { splits: ['train', 'validation'], rows: o.rows } : o.split, Math.max(config.batchSize, 256), null)) {
    const { x, y } = toTensors(tf, b, config.loss, task.classes.length)
    const ev = model.evaluate(x, y, { batchSize: b.n })
    const scalars = Array.isArray(ev) ? ev : [ev]
    const batchLoss = (await scalars[0].data())[0]
    const out = model.predict(x) as TF.Tensor
    const values = (await out.data()) as Float32Array
    if (tally instanceof ClassificationTally) {
      const units = out.shape[out.shape.length - 1] ?? 1
      const c = classify(values, units)
      tally.add(b.labels, c.predicted, batchLoss)
      if (o.keepPredictions) kept.push({ rowIndex: b.rowIndex, truth: b.labels, predicted: c.predicted, confidence: c.confidence })
    } else {
      tally.add(b.labels, values, batchLoss)
      if (o.keepPredictions) kept.push({ rowIndex: b.rowIndex, truth: b.labels, predicted: Float32Array.from(values), confidence: null })
    }
    tf.dispose([x, y, out, ...scalars])
    n += b.n
  }
  const evaluation = tally.result(o.split)
  const predictions = o.keepPredictions ? concatPredictions(kept, n, task.kind === 'classification') : undefined
  return { loss: evaluation.loss, accuracy: evaluation.kind === 'classification' ? evaluation.accuracy : undefined, evaluation, n, predictions }
}

function concatPredictions(parts: SplitPredictions[], n: number, classification: boolean): SplitPredictions {
  const out: SplitPredictions = {
    rowIndex: new Uint32Array(n),
    truth: classification ? new Int32Array(n) : new Float32Array(n),
    predicted: classification ? new Int32Array(n) : new Float32Array(n),
    confidence: classification ? new Float32Array(n) : null,
  }
  let at = 0
  for (const p of parts) {
    out.rowIndex.set(p.rowIndex, at)
    out.truth.set(p.truth as never, at)
    out.predicted.set(p.predicted as never, at)
    if (out.confidence && p.confidence) out.confidence.set(p.confidence, at)
    at += p.rowIndex.length
  }
  return out
}
