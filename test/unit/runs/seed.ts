// Builders for runs tests: a store on a temp file, and models, datasets and runs inserted directly.
import type { Database } from 'better-sqlite3'
import { join } from 'node:path'
import { buildTemplate } from '../../../common/graph'
import { openStore } from '../../../main/store'
import type { RunState } from '../../../common/runs/types'
import { tempDir } from '../../helpers/tmp'

/** A migrated store in a fresh temp folder (removed after the test). */
export function tempStore(): Database {
  return openStore(join(tempDir(), 'workbench.sqlite'))
}

/** Inserts a model with one version; returns { modelId, versionId }. */
export function addModel(db: Database, name: string, version = 1): { modelId: number; versionId: number } {
  const modelId = Number(db.prepare('INSERT INTO models (name, created_at, updated_at) VALUES (?, 1, 1)').run(name).lastInsertRowid)
  const versionId = Number(
    db.prepare('INSERT INTO model_versions (model_id, version, graph_json, created_at) VALUES (?, ?, ?, 1)').run(modelId, version, JSON.stringify(buildTemplate('and_xor_mlp'))).lastInsertRowid,
  )
  return { modelId, versionId }
}

/** Inserts a tabular dataset with one version; returns { datasetId, versionId }. */
export function addDataset(db: Database, name: string, version = 1): { datasetId: number; versionId: number } {
  const datasetId = Number(db.prepare("INSERT INTO datasets (name, kind, created_at, updated_at) VALUES (?, 'tabular', 1, 1)").run(name).lastInsertRowid)
  const versionId = Number(
    db
      .prepare("INSERT INTO dataset_versions (dataset_id, version, source_name, source_hash, schema_json, row_count, byte_size, created_at) VALUES (?, ?, 'x.csv', 'h', '{}', 10, 100, 1)")
      .run(datasetId, version).lastInsertRowid,
  )
  return { datasetId, versionId }
}

/** What addRun may set; everything has a default. */
export interface RunSpec {
  name?: string
  state?: RunState
  modelVersionId?: number | null
  datasetVersionId?: number | null
  config?: unknown
  tags?: string[]
  note?: string
  createdAt?: number
  startedAt?: number | null
  endedAt?: number | null
  backend?: string | null
}

/** Inserts a run; returns its id. */
export function addRun(db: Database, spec: RunSpec = {}): number {
  return Number(
    db
      .prepare(
        `INSERT INTO runs (name, state, model_version_id, dataset_version_id, config_json, tags_json, note, created_at, started_at, ended_at, backend)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        spec.name ?? 'run',
        spec.state ?? 'completed',
        spec.modelVersionId ?? null,
        spec.datasetVersionId ?? null,
        JSON.stringify(spec.config ?? {}),
        JSON.stringify(spec.tags ?? []),
        spec.note ?? '',
        spec.createdAt ?? 1000,
        spec.startedAt === undefined ? 1000 : spec.startedAt,
        spec.endedAt === undefined ? 2000 : spec.endedAt,
        spec.backend ?? 'cpu',
      ).lastInsertRowid,
  )
}
