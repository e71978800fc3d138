import type { Database } from 'better-sqlite3'
import { graphSchema, type GraphSummary, type ModelDetail, type ModelSummary, type ModelVersionInfo } from '../../../common/contract'
import type { ModelGraph } from '../../../common/graph/types'
import { AppError } from '../../../common/errors'

interface VersionRow {
  versionId: number
  version: number
  createdAt: number
  summary_json: string
}

const SUMMARY_SQL = `
  SELECT m.id, m.name, m.updated_at AS updatedAt,
    v.version AS latestVersion, json_extract(v.summary_json, '$.layers') AS layers,
    json_extract(v.summary_json, '$.trainableParams') AS trainableParams,
    (SELECT count(*) FROM model_versions c WHERE c.model_id = m.id) AS versionCount
  FROM models m
  JOIN model_versions v ON v.model_id = m.id
    AND v.version = (SELECT max(version) FROM model_versions x WHERE x.model_id = m.id)`

/** Every model with its newest version, most recently saved first. */
export function listModels(db: Database): ModelSummary[] {
  return db.prepare(`${SUMMARY_SQL} ORDER BY m.updated_at DESC, m.id DESC`).all() as ModelSummary[]
}

/** One model's summary, or a not_found error naming the id. */
export function getModelSummary(db: Database, modelId: number): ModelSummary {
  const row = db.prepare(`${SUMMARY_SQL} WHERE m.id = ?`).get(modelId) as ModelSummary | undefined
  if (!row) throw new AppError('not_found', `Model ${modelId} does not exist.`)
  return row
}

function versionsOf(db: Database, modelId: number): ModelVersionInfo[] {
  const rows = db
    .prepare('SELECT id AS versionId, version, created_at AS createdAt, summary_json FROM model_versions WHERE model_id = ? ORDER BY version DESC')
    .all(modelId) as VersionRow[]
  return rows.map(({ summary_json, ...r }) => ({ ...r, summary: JSON.parse(summary_json) as GraphSummary }))
}

/** A model version with its graph (the newest when version is omitted). */
export function getModel(db: Database, modelId: number, version?: number): ModelDetail {
  const model = db.prepare('SELECT id, name FROM models WHERE id = ?').get(modelId) as { id: number; name: string } | undefined
  if (!model) throw new AppError('not_found', `Model ${modelId} does not exist.`)
  const row = db
    .prepare(
      `SELECT id, version, graph_json, created_at FROM model_versions WHERE model_id = ?
       ${version === undefined ? 'ORDER BY version DESC LIMIT 1' : 'AND version = ?'}`,
    )
    .get(...(version === undefined ? [modelId] : [modelId, version])) as
    | { id: number; version: number; graph_json: string; created_at: number }
    | undefined
  if (!row) throw new AppError('not_found', `Model "${model.name}" has no version ${version}.`)
  return {
    modelId: model.id,
    name: model.name,
    versionId: row.id,
    version: row.version,
    graph: parseGraphJson(row.graph_json, `Model "${model.name}" v${row.version}`),
    createdAt: row.created_at,
    versions: versionsOf(db, modelId),
  }
}

/** Saves a graph as a new version (of a new model when modelId is absent), in one transaction. */
export function saveModelVersion(
  db: Database,
  input: { modelId?: number; name: string; graph: ModelGraph; summary: GraphSummary },
  now = Date.now(),
): { modelId: number; version: number } {
  return db.transaction(() => {
    let modelId = input.modelId
    if (modelId === undefined) {
      modelId = Number(db.prepare('INSERT INTO models (name, created_at, updated_at) VALUES (?, ?, ?)').run(input.name, now, now).lastInsertRowid)
    } else {
      const updated = db.prepare('UPDATE models SET name = ?, updated_at = ? WHERE id = ?').run(input.name, now, modelId)
      if (updated.changes === 0) throw new AppError('not_found', `Model ${modelId} does not exist.`)
    }
    const { next } = db.prepare('SELECT coalesce(max(version), 0) + 1 AS next FROM model_versions WHERE model_id = ?').get(modelId) as { next: number }
    db.prepare('INSERT INTO model_versions (model_id, version, graph_json, summary_json, created_at) VALUES (?, ?, ?, ?, ?)').run(
      modelId,
      next,
      JSON.stringify(input.graph),
      JSON.stringify(input.summary),
      now,
    )
    return { modelId, version: next }
  }).immediate()
}

/** Renames a model. */
export function renameModel(db: Database, modelId: number, name: string): void {
  const r = db.prepare('UPDATE models SET name = ?, updated_at = ? WHERE id = ?').run(name, Date.now(), modelId)
  if (r.changes === 0) throw new AppError('not_found', `Model ${modelId} does not exist.`)
}

/** Deletes a model and its versions; refused while a run still points at one of its versions. */
export function deleteModel(db: Database, modelId: number): number {
  const used = db
    .prepare('SELECT count(*) AS n FROM runs WHERE model_version_id IN (SELECT id FROM model_versions WHERE model_id = ?)')
    .get(modelId) as { n: number }
  if (used.n > 0) throw new AppError('conflict', `Model ${modelId} is used by ${used.n} run(s); delete those runs first.`)
  return db.prepare('DELETE FROM models WHERE id = ?').run(modelId).changes
}

/**
 * A stored graph_json, checked against the contract's graph schema (what models.save accepted),
 * so a damaged cell is named instead of failing somewhere downstream.
 */
export function parseGraphJson(text: string, where: string): ModelGraph {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    throw new AppError('db_corrupt', `${where}: the stored graph is not JSON (${(e as Error).message}).`)
  }
  const parsed = graphSchema.safeParse(value)
  if (!parsed.success) {
    const i = parsed.error.issues[0]
    throw new AppError('db_corrupt', `${where}: the stored graph is invalid at "${i.path.join('.') || '(graph)'}": ${i.message}.`)
  }
  return parsed.data as ModelGraph
}

/** One model version with its model's name and its parsed graph, or undefined when it does not exist. */
export function getModelVersion(db: Database, versionId: number): { modelId: number; modelName: string; versionId: number; version: number; graph: ModelGraph } | undefined {
  const row = db
    .prepare('SELECT m.id AS modelId, m.name AS modelName, v.id AS versionId, v.version, v.graph_json FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.id = ?')
    .get(versionId) as { modelId: number; modelName: string; versionId: number; version: number; graph_json: string } | undefined
  if (!row) return undefined
  const { graph_json, ...ref } = row
  return { ...ref, graph: parseGraphJson(graph_json, `Model "${row.modelName}" v${row.version}`) }
}
