import type { Migration } from './types'

/** 001: the first schema: settings, datasets and their versions, models and versions, runs, metrics, checkpoints. */
export const migration001: Migration = {
  version: 1,
  name: 'initial schema',
  up: (db) => {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('tabular', 'image')),
        note TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- One immutable import: the source fingerprint, what the import understood, and how to use it.
      CREATE TABLE dataset_versions (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        source_name TEXT NOT NULL,
        source_hash TEXT NOT NULL,
        schema_json TEXT NOT NULL,
        stats_json TEXT NOT NULL DEFAULT '{}',
        recipe_json TEXT NOT NULL DEFAULT '{}',
        split_json TEXT NOT NULL DEFAULT '{}',
        augment_json TEXT NOT NULL DEFAULT '{}',
        row_count INTEGER NOT NULL,
        byte_size INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (dataset_id, version)
      ) STRICT;
      CREATE INDEX dataset_versions_by_dataset ON dataset_versions(dataset_id, version);

      -- Encoded samples in chunks, so training can stream batches without loading a dataset whole.
      CREATE TABLE dataset_chunks (
        version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        row_start INTEGER NOT NULL,
        row_count INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (version_id, seq)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- Every save is a new version; a run points at the exact version it trained.
      CREATE TABLE model_versions (
        id INTEGER PRIMARY KEY,
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        graph_json TEXT NOT NULL,
        summary_json TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL,
        UNIQUE (model_id, version)
      ) STRICT;
      CREATE INDEX model_versions_by_model ON model_versions(model_id, version);

      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        model_version_id INTEGER REFERENCES model_versions(id) ON DELETE RESTRICT,
        dataset_version_id INTEGER REFERENCES dataset_versions(id) ON DELETE RESTRICT,
        config_json TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL DEFAULT 'queued'
          CHECK (state IN ('queued', 'running', 'paused', 'completed', 'failed', 'stopped', 'interrupted')),
        backend TEXT,
        backend_reason TEXT,
        error TEXT,
        tags_json TEXT NOT NULL DEFAULT '[]',
        note TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER,
        heartbeat_at INTEGER
      ) STRICT;
      CREATE INDEX runs_by_created ON runs(created_at DESC);
      CREATE INDEX runs_by_state ON runs(state);

      -- The primary key doubles as UNIQUE(run, name, step): a resumed run overwrites, never duplicates,
      -- and WITHOUT ROWID keeps a run's series contiguous on disk for cheap range reads.
      CREATE TABLE metrics (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        step INTEGER NOT NULL,
        epoch INTEGER NOT NULL,
        value REAL NOT NULL,
        wall_time REAL NOT NULL,
        PRIMARY KEY (run_id, name, step)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE checkpoints (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        step INTEGER NOT NULL,
        is_best INTEGER NOT NULL DEFAULT 0 CHECK (is_best IN (0, 1)),
        metric_value REAL,
        blob BLOB NOT NULL,
        checksum TEXT NOT NULL,
        byte_size INTEGER NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX checkpoints_by_run ON checkpoints(run_id, epoch);
    `)
  },
}
