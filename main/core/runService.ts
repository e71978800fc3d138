import type { RunSummary, TrainConfig } from '../../common/contract'
import { getDatasetVersion } from '../store/queries/datasets'
import type { Db } from '../store'
import { checkFit, dataTaskOf } from '../training/dataTask'
import type { TrainingEngine } from '../training/engine'
import { createRun, getRun } from '../store/queries/runRecords'
import { AppError } from '../../common/errors'
import { getModelVersion } from '../store/queries/models'

/** Checks a model version against a dataset version and queues a new run; refusals name what to change. */
export function startRun(db: Db, engine: TrainingEngine, input: { modelVersionId: number; datasetVersionId: number; name?: string; config: TrainConfig }): RunSummary {
  const mv = getModelVersion(db, input.modelVersionId)
  if (!mv) throw new AppError('not_found', `Model version ${input.modelVersionId} does not exist.`)
  const dv = getDatasetVersion(db, input.datasetVersionId)
  if (!dv) throw new AppError('not_found', `Dataset version ${input.datasetVersionId} does not exist.`)
  checkFit(mv.graph, dataTaskOf(dv), input.config)
  const name = input.name ?? `${mv.modelName} v${mv.version} · ${dv.datasetName} v${dv.version} · ${input.config.optimizer} ${input.config.learningRate}`
  const runId = createRun(db, { name, modelVersionId: input.modelVersionId, datasetVersionId: input.datasetVersionId, config: input.config })
  return engine.enqueue(runId, false)
}

/** Queues an interrupted, stopped or failed run again; it continues from its newest valid checkpoint. */
export function resumeRun(db: Db, engine: TrainingEngine, runId: number): RunSummary {
  const run = getRun(db, runId)
  if (!['interrupted', 'stopped', 'failed'].includes(run.state)) throw new AppError('conflict', `Run ${runId} is ${run.state}; only interrupted, stopped or failed runs can be resumed.`)
  return engine.enqueue(runId, true)
}
