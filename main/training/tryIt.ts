import { stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import type * as TF from '@tensorflow/tfjs'
import { AppError } from '../../common/errors'
import { decodeImage, DEFAULT_MAX_PIXELS } from '../datasets/images/decode'
import { applyRecipe } from '../datasets/recipe/apply'
import { checkRow, type ImputedValue } from '../datasets/recipe/validateRow'
import type { DatasetVersionRecord } from '../store/queries/datasets'
import type { Tf } from './buildModel'
import type { TryItInput, TryItResult, TryItRowErrors } from '../../common/training/inferenceTypes'

/**
 * Turns a try-it input into the exact sample training saw: a typed-in row through the dataset
 * version's fitted recipe, an image decoded and resized like the import did (same size,
 * channels and fit) and scaled to [0, 1] like the batch reader.
 */
export async function sampleFromInput(version: DatasetVersionRecord, input: TryItInput): Promise<{ x: Float32Array; shape: number[]; imputed: ImputedValue[] }> {
  const schema = version.schema
  if (input.kind === 'row') {
    if (schema.kind === 'image') throw new AppError('invalid_input', `Dataset "${version.datasetName}" holds images: drop an image to try the model.`)
    const recipe = version.recipe
    if (!recipe) throw new AppError('invalid_input', `Dataset "${version.datasetName}" v${version.version} has no preprocessing recipe.`)
    const check = checkRow(recipe, input.values)
    if (check.errors.length > 0) {
      const details: TryItRowErrors = { fields: check.errors }
      throw new AppError('invalid_input', check.errors.map((e) => e.message).join(' '), details)
    }
    const x = applyRecipe(recipe, input.values)
    if (!x) {
      const missing = recipe.steps.filter((s) => s.missing === 'drop' && (input.values[s.column] ?? '') === '').map((s) => s.column)
      throw new AppError('invalid_input', `The recipe drops rows with ${missing.length ? `"${missing.join('", "')}"` : 'some values'} missing: fill ${missing.length > 1 ? 'them' : 'it'} in.`)
    }
    return { x, shape: [recipe.width], imputed: check.imputed }
  }
  if (schema.kind !== 'image') throw new AppError('invalid_input', `Dataset "${version.datasetName}" is a table: type a row to try the model.`)
  let bytes: number
  try {
    bytes = (await stat(input.path)).size
  } catch (e) {
    throw new AppError('not_found', `${input.path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`)
  }
  const decoded = await decodeImage(
    { rel: basename(input.path), abs: input.path, label: '', ext: extname(input.path).toLowerCase(), bytes },
    { width: schema.width, height: schema.height, channels: schema.channels, fit: schema.fit, maxPixels: DEFAULT_MAX_PIXELS },
  )
  if (!decoded.ok) throw new AppError('invalid_input', `${basename(input.path)}: ${decoded.reason}.`)
  const x = new Float32Array(decoded.pixels.length)
  // Same scaling as batches.ts: networks saw pixels / 255.
  for (let i = 0; i < x.length; i++) x[i] = decoded.pixels[i] / 255
  return { x, shape: [schema.height, schema.width, schema.channels], imputed: [] }
}

/** Runs one sample through a model and words the answer: class probabilities, or the predicted value. */
export function predictOne(tf: Tf, model: TF.LayersModel, sample: { x: Float32Array; shape: number[]; imputed?: ImputedValue[] }, classes: string[] | null, checkpointId: number): TryItResult {
  const out = tf.tidy(() => (model.predict(tf.tensor(sample.x, [1, ...sample.shape])) as TF.Tensor).dataSync() as Float32Array)
  const imputed = sample.imputed ?? []
  if (!classes) return { kind: 'regression', checkpointId, value: out[0], imputed }
  // One sigmoid unit scores class 1; several units are per-class probabilities.
  const probabilities = out.length === 1 ? [1 - out[0], out[0]] : Array.from(out)
  let best = 0
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k] > probabilities[best]) best = k
  return { kind: 'classification', checkpointId, classes, probabilities, predicted: classes[best] ?? String(best), confidence: probabilities[best], imputed }
}
