import { mkdir, rename, stat, writeFile } from 'node:fs/promises'
import { isAbsolute, join } from 'node:path'
import type * as TF from '@tensorflow/tfjs'
import { AppError } from '../../common/errors'
import type { Tf } from './buildModel'
import type { ExportResult } from '../../common/training/inferenceTypes'
import { describeOnnx, ONNX_OPSET, tfjsWeightsOf, toOnnx } from '../export/onnx'
import { exportReadme } from '../export/readme'
import type { LoadedModel } from './loadRunModel'

/** Files an export writes; the weights file is what model.json's manifest names. */
export const EXPORT_FILES = { model: 'model.json', weights: 'weights.bin', recipe: 'recipe.json', classes: 'classes.json', onnx: 'model.onnx', readme: 'README.txt' } as const

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

/** The checkpoint as ONNX bytes, with the recipe and class names in metadata_props; refuses (naming the layer) what ONNX can't express. */
function onnxBytes(loaded: LoadedModel): Uint8Array {
  const metadata: Record<string, string> = {
    preprocessing: JSON.stringify(preprocessing(loaded)),
    task: loaded.task.kind,
    layout: 'channels-last (NHWC), as in the TF.js model',
    run: JSON.stringify({ runId: loaded.run.id, runName: loaded.run.name, checkpointId: loaded.checkpoint.id, epoch: loaded.checkpoint.epoch, step: loaded.checkpoint.step }),
  }
  if (loaded.task.kind === 'classification') metadata.classes = JSON.stringify(loaded.task.classes)
  return toOnnx(loaded.graph, { weightsOf: tfjsWeightsOf(loaded.model), metadata, name: loaded.run.name })
}

/**
 * Saves a run's model as TF.js Layers files (model.json + weights.bin, loadable with
 * tf.loadLayersModel) into a folder, with the preprocessing (recipe.json) and the class names
 * (classes.json) beside it, and (when `onnx`) the same model as model.onnx, plus a README.txt on
 * loading each. Refuses to replace an existing model unless asked to, and writes nothing when the
 * ONNX conversion refuses a layer.
 */
export async function exportModel(tf: Tf, loaded: LoadedModel, folder: string, overwrite: boolean, onnx = true): Promise<ExportResult> {
  if (!isAbsolute(folder)) throw new AppError('invalid_input', `Choose a full folder path (got "${folder}").`)
  for (const name of [EXPORT_FILES.model, EXPORT_FILES.onnx]) {
    const existing = await stat(join(folder, name)).catch(() => null)
    if (existing && !overwrite) throw new AppError('conflict', `${folder} already holds a ${name}: choose another folder, or allow replacing it.`)
  }
  // Converted before anything is written, so a refused layer leaves the folder as it was.
  const onnxModel = onnx ? onnxBytes(loaded) : null
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
  const classes = loaded.task.kind === 'classification'
  if (loaded.task.kind === 'classification') files.push(await writeWhole(folder, EXPORT_FILES.classes, JSON.stringify(loaded.task.classes, null, 2)))
  if (onnxModel) files.push(await writeWhole(folder, EXPORT_FILES.onnx, onnxModel))
  const readme = exportReadme({
    runName: loaded.run.name,
    epoch: loaded.checkpoint.epoch,
    onnx: onnxModel ? { file: EXPORT_FILES.onnx, opset: ONNX_OPSET, ...describeOnnx(onnxModel) } : null,
    files: { model: EXPORT_FILES.model, weights: EXPORT_FILES.weights, recipe: EXPORT_FILES.recipe, classes: classes ? EXPORT_FILES.classes : null },
  })
  files.push(await writeWhole(folder, EXPORT_FILES.readme, readme))
  return { folder, checkpointId: loaded.checkpoint.id, files }
}
