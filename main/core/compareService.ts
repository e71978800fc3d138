// The Compare section's thin layer over the runs data layer (main/runs, store/queries/runs and
// metrics): the few reads and guarded writes the data layer does not offer as one call.
import type { ArchitectureDiffResult, Evaluation, RunEvaluationEntry, RunMeta } from '../../common/contract'
import type { ModelGraph } from '../../common/graph/types'
import { diffArchitectures, diffConfigs, type ConfigDiffRow } from '../../common/runs/diff'
import type { VersionRef } from '../../common/runs/types'
import type { Db } from '../store'
import { deleteRuns, getRunConfigs, renameRun, setRunNote, setRunTags, type DeletedRuns } from '../store/queries/runs'
import { getEvaluation } from '../training/runRecords'
import { AppError } from '../../common/errors'

// Runs the engine still holds (a worker, or a place in the queue): deleting them under it would
// leave the engine writing metrics and checkpoints of a run that no longer exists.
const BUSY_STATES = ['running', 'paused', 'queued']

/** Renames a run and/or replaces its note and tags in one transaction; returns what is stored. */
export function updateRunMeta(db: Db, input: { runId: number; name?: string; note?: string; tags?: string[] }): RunMeta {
  db.transaction(() => {
    if (input.name !== undefined) renameRun(db, input.runId, input.name)
    if (input.note !== undefined) setRunNote(db, input.runId, input.note)
    if (input.tags !== undefined) setRunTags(db, input.runId, input.tags)
  })()
  const row = db.prepare('SELECT name, note, tags_json FROM runs WHERE id = ?').get(input.runId) as { name: string; note: string; tags_json: string } | undefined
  if (!row) throw new AppError('not_found', `Run ${input.runId} does not exist.`)
  let tags: unknown = []
  try {
    tags = JSON.parse(row.tags_json)
  } catch {
    // a damaged tags cell reads as no tags, as in the runs table
  }
  return { runId: input.runId, name: row.name, note: row.note, tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [] }
}

/** Deletes runs with their metrics, checkpoints and evaluations; refuses runs the engine still holds. */
export function deleteRunsChecked(db: Db, runIds: readonly number[]): DeletedRuns {
  const busy = db
    .prepare(`SELECT id, name, state FROM runs WHERE id IN (SELECT value FROM json_each(?)) AND state IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(runIds), JSON.stringify(BUSY_STATES)) as { id: number; name: string; state: string }[]
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

interface RunModelRow {
  model_id: number
  model_name: string
  version_id: number
  version: number
  graph_json: string
}

function runModel(db: Db, runId: number): { ref: VersionRef; graph: ModelGraph } {
  const row = db
    .prepare(
      `SELECT m.id AS model_id, m.name AS model_name, mv.id AS version_id, mv.version, mv.graph_json
       FROM runs r JOIN model_versions mv ON mv.id = r.model_version_id JOIN models m ON m.id = mv.model_id WHERE r.id = ?`,
    )
    .get(runId) as RunModelRow | undefined
  if (!row) {
    const exists = db.prepare('SELECT 1 FROM runs WHERE id = ?').pluck().get(runId)
    throw new AppError('not_found', exists ? `Run ${runId} has no model version to compare.` : `Run ${runId} does not exist.`)
  }
  return { ref: { id: row.model_id, name: row.model_name, versionId: row.version_id, version: row.version }, graph: JSON.parse(row.graph_json) as ModelGraph }
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
