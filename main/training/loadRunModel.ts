import type * as TF from '@tensorflow/tfjs'
import type { Database } from 'better-sqlite3'
import type { RunSummary } from '../../common/contract'
import { AppError } from '../../common/errors'
import type { ModelGraph } from '../../common/graph'
import { getDatasetVersion, type DatasetVersionRecord } from '../store/queries/datasets'
import { buildModel, compileModel, type Tf } from './buildModel'
import { finalCheckpointId, loadCheckpointById } from './checkpoint'
import { dataTaskOf, type DataTask } from './dataTask'
import { getRun } from '../store/queries/runRecords'
import { getModelVersion } from '../store/queries/models'

/** A run's model with one checkpoint's weights, ready to predict and evaluate. */
export interface LoadedModel {
  model: TF.LayersModel
  graph: ModelGraph
  run: RunSummary
  version: DatasetVersionRecord
  task: DataTask
  checkpoint: { id: number; epoch: number; step: number }
  /** Output units of the last layer (1 for a sigmoid or a regression). */
  units: number
}

/**
 * Builds a run's model and loads a checkpoint into it (the run's final one when none is named),
 * compiled with the run's loss so it can also be evaluated.
 */
export async function loadRunModel(tf: Tf, db: Database, runId: number, checkpointId?: number): Promise<LoadedModel> {
  const run = getRun(db, runId)
  const mv = run.modelVersionId === null ? undefined : getModelVersion(db, run.modelVersionId)
  if (!mv) throw new AppError('not_found', `Run ${runId}'s model version no longer exists.`)
  const version = run.datasetVersionId === null ? null : getDatasetVersion(db, run.datasetVersionId)
  if (!version) throw new AppError('not_found', `Run ${runId}'s dataset version no longer exists.`)
  const id = checkpointId ?? finalCheckpointId(db, runId, run.config.earlyStopping?.restoreBest ?? false)
  const ckpt = loadCheckpointById(db, runId, id)
  const graph = mv.graph
  const model = await buildModel(tf, graph, run.config.seed)
  try {
    const tensors = ckpt.weights.map((w, i) => tf.tensor(w, ckpt.meta.weightShapes[i]))
    model.setWeights(tensors)
    tf.dispose(tensors)
    compileModel(tf, model, run.config)
  } catch (e) {
    model.dispose()
    throw new AppError('conflict', `Checkpoint ${id} does not fit run ${runId}'s model: ${(e as Error).message}`)
  }
  const out = model.outputs[0].shape
  return { model, graph, run, version, task: dataTaskOf(version), checkpoint: { id, epoch: ckpt.epoch, step: ckpt.step }, units: out[out.length - 1] ?? 1 }
}
