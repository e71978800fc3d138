// The Compare section's thin layer over the runs data layer (main/runs, store/queries/runs and
// metrics): the few reads and guarded writes the data layer does not offer as one call.
import type { ArchitectureDiffResult, Evaluation, RunEvaluationEntry, RunMeta } from '../../common/contract'
import type { ModelGraph } from '../../common/graph/types'
import { diffArchitectures, diffConfigs, type ConfigDiffRow } from '../../common/runs/diff'
import type { VersionRef } from '../../common/runs/types'
import type { Db } from '../store'
import { deleteRuns, getRunConfigs, getRunMeta, renameRun, runsInStates, setRunNote, setRunTags, type DeletedRuns } from '../store/queries/runs'
import { AppError } from '../../common/errors'
import { getModelVersion } from '../store/queries/models'
import { getEvaluation, getRun } from '../store/queries/runRecords'

// Runs the engine still holds (a worker, or a place in the queue): deleting them under it would
// leave the engine writing metrics and checkpoints of a run that no longer exists.
const BUSY_STATES = ['running', 'paused', 'queued']

/** Renames a run and/or replaces its note and tags in one transaction; returns what is stored. */
export function updateRunMeta(db: Db, input: { runId: number; name?: string; note?: string; tags?: string[] }): RunMeta {
  db.transaction(() => {
    if (input.name !== undefined) renameRun(db, input.runId, input.name)
    if (input.note !== undefined) setRunNote(db, input.runId, input.note)
    if (input.tags !== undefined) setRunTags(db, input.runId, input.tags)
  }).immediate()
  const meta = getRunMeta(db, input.runId)
  if (!meta) throw new AppError('not_found', `Run ${input.runId} does not exist.`)
  return { runId: input.runId, ...meta }
}

/** Deletes runs with their metrics, checkpoints and evaluations; refuses runs the engine still holds. */
export function deleteRunsChecked(db: Db, runIds: readonly number[]): DeletedRuns {
  const busy = runsInStates(db, runIds, BUSY_STATES)
  if (busy.length > 0) {
    const b = busy[0] as { name: string; state: string }
    throw new AppError('conflict', `Run "${b.name}" is ${b.state}; stop it before deleting.`, { runIds: busy.map((r) => r.id) })
  }
  return deleteRuns(db, runIds)
}

/** The hyperparameters of the runs side by side (every key; rows flag where the runs differ), in the order asked. */
export function configDiffFor(db: Db, runIds: readonly number[]): { runIds: number[]; rows: ConfigDiffRow[] } {
  const configs = getRunConfigs(db, runIds)
  const present = runIds.filter((id) => id in configs)
  const byId: Record<string, unknown> = {}
  for (const id of present) byId[String(id)] = configs[id]
  return { runIds: present, rows: diffConfigs(byId) }
}

function runModel(db: Db, runId: number): { ref: VersionRef; graph: ModelGraph } {
  const run = getRun(db, runId)
  const mv = run.modelVersionId === null ? undefined : getModelVersion(db, run.modelVersionId)
  if (!mv) throw new AppError('not_found', `Run ${runId} has no model version to compare.`)
  return { ref: { id: mv.modelId, name: mv.modelName, versionId: mv.versionId, version: mv.version }, graph: mv.graph }
}

/** What changed between the model versions two runs trained (layers added, removed, changed). */
export function archDiffFor(db: Db, runIdA: number, runIdB: number): ArchitectureDiffResult {
  const a = runModel(db, runIdA)
  const b = runModel(db, runIdB)
  return { a: { runId: runIdA, model: a.ref }, b: { runId: runIdB, model: b.ref }, diff: diffArchitectures(a.graph, b.graph) }
}

/** Each run's test-split evaluation (null where it has none yet), in the order asked. */
export function evaluationsFor(db: Db, runIds: readonly number[]): RunEvaluationEntry[] {
  return runIds.map((runId) => ({ runId, evaluation: getEvaluation(db, runId) as Evaluation | null }))
}
