import { mkdir, rename, stat, writeFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import type * as TF from '@tensorflow/tfjs'
import { AppError } from '../../common/errors'
import type { Tf } from './buildModel'
import type { ExportResult } from '../../common/training/inferenceTypes'
import type { LoadedModel } from './loadRunModel'

/** Files an export writes; the weights file is what model.json's manifest names. */
export const EXPORT_FILES = { model: 'model.json', weights: 'weights.bin', recipe: 'recipe.json', classes: 'classes.json' } as const

/** Writes a file whole or not at all (a temporary name, then a rename), so a failed export never leaves half a model. */
async function writeWhole(folder: string, name: string, data: string | Uint8Array): Promise<{ name: string; bytes: number }> {
  const tmp = join(folder, `.${name}.partial`)
  await writeFile(tmp, data)
  await rename(tmp, join(folder, name))
  return { name, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength }
}

/** What recipe.json holds: the tabular recipe as fitted (applyRecipe reads it), or how images were prepared. */
function preprocessing(loaded: LoadedModel): unknown {
  const s = loaded.version.schema
  if (s.kind === 'image') {
    return { kind: 'image', height: s.height, width: s.width, channels: s.channels, fit: s.fit, layout: 'HWC', scale: '1/255', note: 'Resize to width x height with this fit (white background), convert to the channel count, divide each byte by 255.' }
  }
  return loaded.version.recipe
}

/**
 * Saves a run's model as TF.js Layers files (model.json + weights.bin, loadable with
 * tf.loadLayersModel) into a folder, with the preprocessing (recipe.json) and the class names
 * (classes.json) beside it. Refuses to replace an existing model.json unless asked to.
 */
export async function exportModel(tf: Tf, loaded: LoadedModel, folder: string, overwrite: boolean): Promise<ExportResult> {
  if (!isAbsolute(folder)) throw new AppError('invalid_input', `Choose a full folder path (got "${folder}").`)
  const existing = await stat(join(folder, EXPORT_FILES.model)).catch(() => null)
  if (existing && !overwrite) throw new AppError('conflict', `${folder} already holds a ${EXPORT_FILES.model}: choose another folder, or allow replacing it.`)
  try {
    await mkdir(folder, { recursive: true })
  } catch (e) {
    throw new AppError('invalid_input', `Cannot create ${folder}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`)
  }
  const files: { name: string; bytes: number }[] = []
  await loaded.model.save(
    tf.io.withSaveHandler(async (artifacts: TF.io.ModelArtifacts) => {
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData)
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: 'Neural Workbench',
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${EXPORT_FILES.weights}`], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: { runId: loaded.run.id, runName: loaded.run.name, checkpointId: loaded.checkpoint.id, epoch: loaded.checkpoint.epoch, step: loaded.checkpoint.step },
      }
      files.push(await writeWhole(folder, EXPORT_FILES.weights, new Uint8Array(weights)))
      files.push(await writeWhole(folder, EXPORT_FILES.model, JSON.stringify(modelJson)))
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } }
    }),
  )
  files.push(await writeWhole(folder, EXPORT_FILES.recipe, JSON.stringify(preprocessing(loaded), null, 2)))
  if (loaded.task.kind === 'classification') files.push(await writeWhole(folder, EXPORT_FILES.classes, JSON.stringify(loaded.task.classes, null, 2)))
  return { folder, checkpointId: loaded.checkpoint.id, files }
}
