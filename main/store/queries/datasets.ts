import type { Database } from 'better-sqlite3'
import type { DatasetSummary, DatasetVersionRecord, DatasetVersionSummary } from '../../../common/datasets/types'
import { AppError } from '../../../common/errors'
import type { AugmentSettings } from '../../../common/datasets/augment'
import type { Recipe } from '../../../common/datasets/recipeTypes'
import type { SplitRecord } from '../../../common/datasets/split'
import type { SchemaRecord } from '../../../common/datasets/types'



/** A version row as the list queries select it. */
type VersionRow = DatasetVersionSummary & { datasetId: number }

const VERSION_COLUMNS = `v.id, v.dataset_id AS datasetId, v.version, v.source_name AS sourceName, v.source_hash AS sourceHash,
  v.row_count AS rowCount, v.byte_size AS byteSize, v.created_at AS createdAt`

/** Every dataset with its versions, most recently updated first. */
export function listDatasets(db: Database): DatasetSummary[] {
  const sets = db
    .prepare('SELECT id, name, kind, note, created_at AS createdAt, updated_at AS updatedAt FROM datasets ORDER BY updated_at DESC, id DESC')
    .all() as Omit<DatasetSummary, 'versions' | 'totalBytes'>[]
  const versions = db.prepare(`SELECT ${VERSION_COLUMNS} FROM dataset_versions v ORDER BY v.dataset_id, v.version DESC`).all() as VersionRow[]
  const byDataset = new Map<number, DatasetVersionSummary[]>()
  for (const { datasetId, ...v } of versions) {
    let list = byDataset.get(datasetId)
    if (!list) byDataset.set(datasetId, (list = []))
    list.push(v)
  }
  return sets.map((d) => {
    const vs = byDataset.get(d.id) ?? []
    return { ...d, totalBytes: vs.reduce((s, v) => s + v.byteSize, 0), versions: vs }
  })
}

/** One dataset with its versions, or null. */
export function getDataset(db: Database, datasetId: number): DatasetSummary | null {
  return listDatasets(db).find((d) => d.id === datasetId) ?? null
}

function parseJson<T>(text: string): T | null {
  const v = JSON.parse(text) as T
  return v !== null && typeof v === 'object' && Object.keys(v).length === 0 ? null : v
}

/** A version with its schema, stats, recipe, split and augmentation settings, or null. */
export function getDatasetVersion(db: Database, versionId: number): DatasetVersionRecord | null {
  const row = db
    .prepare(
      `SELECT ${VERSION_COLUMNS}, d.name AS datasetName, d.kind, v.schema_json AS schemaJson, v.stats_json AS statsJson,
         v.recipe_json AS recipeJson, v.split_json AS splitJson, v.augment_json AS augmentJson,
         (SELECT count(*) FROM dataset_chunks c WHERE c.version_id = v.id) AS chunkCount
       FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE v.id = ?`,
    )
    .get(versionId) as
    | (VersionRow & { datasetName: string; kind: 'tabular' | 'image'; schemaJson: string; statsJson: string; recipeJson: string; splitJson: string; augmentJson: string; chunkCount: number })
    | undefined
  if (!row) return null
  const { schemaJson, statsJson, recipeJson, splitJson, augmentJson, ...rest } = row
  return {
    ...rest,
    schema: JSON.parse(schemaJson) as SchemaRecord,
    stats: JSON.parse(statsJson) as unknown,
    recipe: parseJson<Recipe>(recipeJson),
    split: parseJson<SplitRecord>(splitJson),
    augment: parseJson<AugmentSettings>(augmentJson),
  }
}

/** The id of a dataset's newest version, or null when it has none. */
export function latestVersionId(db: Database, datasetId: number): number | null {
  const r = db.prepare('SELECT id FROM dataset_versions WHERE dataset_id = ? ORDER BY version DESC LIMIT 1').get(datasetId) as { id: number } | undefined
  return r?.id ?? null
}

/** Versions anywhere whose source had exactly these bytes (to tell the person it was imported before). */
export function findVersionsByHash(db: Database, sourceHash: string): { datasetId: number; datasetName: string; versionId: number; version: number }[] {
  return db
    .prepare(
      `SELECT d.id AS datasetId, d.name AS datasetName, v.id AS versionId, v.version
       FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE v.source_hash = ? ORDER BY v.id`,
    )
    .all(sourceHash) as { datasetId: number; datasetName: string; versionId: number; version: number }[]
}

/**
 * Deletes a dataset with all its versions and chunks, in one transaction. Refused (conflict) while
 * runs point at one of its versions, so a run's history never loses its data.
 */
export function deleteDataset(db: Database, datasetId: number): { deleted: number } {
  return db.transaction(() => {
    const d = db.prepare('SELECT name FROM datasets WHERE id = ?').get(datasetId) as { name: string } | undefined
    if (!d) throw new AppError('not_found', `Dataset ${datasetId} does not exist.`)
    const runs = (
      db
        .prepare('SELECT count(*) AS n FROM runs r JOIN dataset_versions v ON v.id = r.dataset_version_id WHERE v.dataset_id = ?')
        .get(datasetId) as { n: number }
    ).n
    if (runs > 0) {
      throw new AppError('conflict', `Dataset "${d.name}" is used by ${runs} run${runs === 1 ? '' : 's'}; delete ${runs === 1 ? 'it' : 'them'} first.`)
    }
    const info = db.prepare('DELETE FROM datasets WHERE id = ?').run(datasetId)
    return { deleted: info.changes }
  }).immediate()
}

/** Creates a dataset and returns its id. */
export function insertDataset(db: Database, d: { name: string; kind: 'tabular' | 'image'; note: string; now: number }): number {
  return Number(
    db.prepare('INSERT INTO datasets (name, kind, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(d.name, d.kind, d.note, d.now, d.now)
      .lastInsertRowid,
  )
}

/** The kind of a dataset, or null when it does not exist. */
export function datasetKind(db: Database, datasetId: number): 'tabular' | 'image' | null {
  const r = db.prepare('SELECT kind FROM datasets WHERE id = ?').get(datasetId) as { kind: 'tabular' | 'image' } | undefined
  return r?.kind ?? null
}

/** What a new version row holds. */
export interface NewVersion {
  datasetId: number
  sourceName: string
  sourceHash: string
  schema: SchemaRecord
  stats: unknown
  recipe: Recipe | null
  split: SplitRecord | null
  augment: AugmentSettings | null
  rowCount: number
  byteSize: number
  now: number
}

/** Adds version N+1 of a dataset (call inside the import's transaction) and returns its id and number. */
export function insertVersion(db: Database, v: NewVersion): { versionId: number; version: number } {
  const version = (db.prepare('SELECT coalesce(max(version), 0) + 1 AS n FROM dataset_versions WHERE dataset_id = ?').get(v.datasetId) as { n: number }).n
  const info = db
    .prepare(
      `INSERT INTO dataset_versions (dataset_id, version, source_name, source_hash, schema_json, stats_json, recipe_json, split_json,
         augment_json, row_count, byte_size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      v.datasetId,
      version,
      v.sourceName,
      v.sourceHash,
      JSON.stringify(v.schema),
      JSON.stringify(v.stats ?? {}),
      JSON.stringify(v.recipe ?? {}),
      JSON.stringify(v.split ?? {}),
      JSON.stringify(v.augment ?? {}),
      v.rowCount,
      v.byteSize,
      v.now,
    )
  db.prepare('UPDATE datasets SET updated_at = ? WHERE id = ?').run(v.now, v.datasetId)
  return { versionId: Number(info.lastInsertRowid), version }
}

/** A prepared chunk insert for the import's transaction. */
export function chunkInserter(db: Database): (versionId: number, seq: number, rowStart: number, rowCount: number, data: Uint8Array) => void {
  const stmt = db.prepare('INSERT INTO dataset_chunks (version_id, seq, row_start, row_count, data) VALUES (?, ?, ?, ?, ?)')
  return (versionId, seq, rowStart, rowCount, data) => {
    stmt.run(versionId, seq, rowStart, rowCount, data)
  }
}

/** One stored chunk, or undefined past the last. */
export function getChunk(db: Database, versionId: number, seq: number): { rowStart: number; rowCount: number; data: Buffer } | undefined {
  return db.prepare('SELECT row_start AS rowStart, row_count AS rowCount, data FROM dataset_chunks WHERE version_id = ? AND seq = ?').get(versionId, seq) as
    | { rowStart: number; rowCount: number; data: Buffer }
    | undefined
}

/** A version's chunks (without their data), in order: which rows each holds. */
export function chunkRanges(db: Database, versionId: number): { seq: number; rowStart: number; rowCount: number }[] {
  return db.prepare('SELECT seq, row_start AS rowStart, row_count AS rowCount FROM dataset_chunks WHERE version_id = ? ORDER BY seq').all(versionId) as { seq: number; rowStart: number; rowCount: number }[]
}

export type { DatasetSummary, DatasetVersionRecord, DatasetVersionSummary } from '../../../common/datasets/types'
