import type * as TF from '@tensorflow/tfjs'
import type { Database } from 'better-sqlite3'
import { AppError } from '../../common/errors'
import { batchStream } from '../training/batches'
import type { LoadedModel } from '../training/loadRunModel'
import { columnAttributions, featureGroups } from './columns'
import { camLayers, gradCam } from './gradCam'
import { accuracyOf, permutationImportance, r2Of } from './permutationImportance'
import { integratedGradients, pixelMagnitudes, smoothGrad, vanillaGradients } from './saliency'
import type { ExplainSampleRequest, PermutationImportanceResult, SampleExplanation } from '../../common/explain/types'

/** Most test rows permutation importance scores (each repeat predicts them all once per column). */
export const PERMUTATION_MAX_ROWS = 5_000
/** Rows predicted at once while scoring. */
const PREDICT_BATCH = 512

/** One stored sample's features exactly as training saw them (pixels / 255, or the recipe's vector). */
export function readSample(db: Database, m: LoadedModel, split: ExplainSampleRequest['split'], rowIndex: number): { x: Float32Array; shape: number[]; label: number } {
  for (const b of batchStream(db, m.version.id, split, 1024, null)) {
    const k = b.rowIndex.indexOf(rowIndex)
    if (k < 0) continue
    const size = b.x.length / b.n
    return { x: b.x.slice(k * size, (k + 1) * size), shape: b.shape, label: b.labels[k] }
  }
  throw new AppError('not_found', `Row ${rowIndex} is not in the ${split} split of dataset "${m.version.datasetName}".`)
}

function scaleToUnit(v: Float32Array): number[] {
  let peak = 0
  for (const a of v) peak = Math.max(peak, a)
  return Array.from(v, (a) => (peak > 0 ? a / peak : 0))
}

/**
 * Explains one sample: its output probabilities, Grad-CAM (image models with a feature map) and
 * the chosen attribution (per pixel for images, per original column for tables). Token inputs
 * have no gradient (an Embedding looks ids up), so text runs are refused with that reason.
 */
export function explainSample(tf: typeof TF, db: Database, m: LoadedModel, r: ExplainSampleRequest): Omit<SampleExplanation, 'cached'> {
  if (m.version.recipe?.steps.some((s) => s.kind === 'tokens')) {
    throw new AppError('invalid_input', 'Saliency needs numeric inputs: this run reads token ids (text), which have no gradient. Use permutation importance instead.')
  }
  const { x, shape } = readSample(db, m, r.split, r.rowIndex)
  const classification = m.task.kind === 'classification'
  const out = tf.tidy(() => (m.model.predict(tf.tensor(x, [1, ...shape])) as TF.Tensor).dataSync() as Float32Array)
  const probabilities = !classification ? [] : out.length === 1 ? [1 - out[0], out[0]] : Array.from(out)
  let predicted = 0
  probabilities.forEach((p, k) => p > probabilities[predicted] && (predicted = k))
  const classIndex = classification ? (r.classIndex ?? predicted) : null
  if (classIndex !== null && (classIndex < 0 || classIndex >= probabilities.length)) throw new AppError('invalid_input', `classIndex ${classIndex} is out of range (${probabilities.length} classes).`)
  const image = m.version.schema.kind === 'image'
  let cam: SampleExplanation['gradCam'] = null
  if (image && camLayers(m.model).length > 0) {
    const layers = camLayers(m.model)
    if (r.layer && !layers.some((l) => l.name === r.layer)) throw new AppError('invalid_input', `Layer "${r.layer}" has no feature map for Grad-CAM; choose one of: ${layers.map((l) => l.name).join(', ')}.`)
    const g = gradCam(tf, m.model, x, shape, classIndex ?? 1, r.layer)
    cam = { layer: g.layer, layers, height: g.inputHeight, width: g.inputWidth, heatmap: Array.from(g.heatmap) }
  }
  let attr: Float32Array
  let completeness: SampleExplanation['completeness'] = null
  if (r.method === 'smoothgrad') attr = smoothGrad(tf, m.model, x, shape, classIndex, { samples: r.samples, sigma: r.sigma, seed: m.run.config.seed })
  else if (r.method === 'integrated') {
    const ig = integratedGradients(tf, m.model, x, shape, classIndex, { steps: r.steps })
    attr = ig.attributions
    completeness = { delta: ig.score - ig.baselineScore, sum: ig.attributions.reduce((a, b) => a + b, 0) }
  } else attr = vanillaGradients(tf, m.model, x, shape, classIndex)
  const pixels = image ? { height: shape[0], width: shape[1], values: scaleToUnit(pixelMagnitudes(attr, shape[0], shape[1], shape[2] ?? 1)) } : null
  const columns = !image && m.version.recipe ? columnAttributions(featureGroups(m.version.recipe), attr) : null
  return { rowIndex: r.rowIndex, checkpointId: m.checkpoint.id, classes: classification ? m.task.classes : null, probabilities, classIndex, method: r.method, gradCam: cam, pixels, completeness, columns }
}

/** Permutation importance of a tabular run on a split (up to PERMUTATION_MAX_ROWS rows): accuracy or R² drop per original column. */
export function permutationTask(
  tf: typeof TF,
  db: Database,
  m: LoadedModel,
  split: PermutationImportanceResult['split'],
  repeats: number,
): Omit<PermutationImportanceResult, 'cached'> {
  const recipe = m.version.recipe
  if (m.version.schema.kind === 'image' || !recipe) throw new AppError('invalid_input', 'Permutation importance shuffles table columns: this run trains on images (use Grad-CAM or saliency).')
  const width = recipe.width
  const xs: Float32Array[] = []
  const ys: number[] = []
  let n = 0
  for (const b of batchStream(db, m.version.id, split, 1024, null)) {
    const take = Math.min(b.n, PERMUTATION_MAX_ROWS - n)
    xs.push(b.x.subarray(0, take * width))
    for (let i = 0; i < take; i++) ys.push(b.labels[i])
    n += take
    if (n >= PERMUTATION_MAX_ROWS) break
  }
  if (n === 0) throw new AppError('invalid_input', `The ${split} split of "${m.version.datasetName}" has no rows to score.`)
  const x = new Float32Array(n * width)
  let at = 0
  for (const part of xs) {
    x.set(part, at)
    at += part.length
  }
  const classification = m.task.kind === 'classification'
  const units = m.units
  const predict = (rows: Float32Array): Float32Array => {
    const out = new Float32Array(n * units)
    for (let s = 0; s < n; s += PREDICT_BATCH) {
      const k = Math.min(PREDICT_BATCH, n - s)
      out.set(tf.tidy(() => (m.model.predict(tf.tensor2d(rows.subarray(s * width, (s + k) * width), [k, width])) as TF.Tensor).dataSync() as Float32Array), s * units)
    }
    return out
  }
  const score = (rows: Float32Array): number => (classification ? accuracyOf(predict(rows), ys, units) : r2Of(predict(rows), ys))
  const r = permutationImportance({ x, n, width, groups: featureGroups(recipe), score, repeats, seed: m.run.config.seed })
  return { runId: m.run.id, checkpointId: m.checkpoint.id, split, samples: n, repeats, metric: classification ? 'accuracy' : 'r2', baseline: r.baseline, columns: r.columns }
}
