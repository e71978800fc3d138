import type { Migration } from './types'

/**
 * 004: studies (hyperparameter searches) and their trials. A study holds a base model version,
 * dataset version and config, a search space, a strategy, an objective and a budget; each trial is
 * one combination of values, run as an ordinary run (run_id) once its turn comes. Trials are all
 * written when the study is created, so after a crash the pending ones are still pending.
 */
export const migration004: Migration = {
  version: 4,
  name: 'studies and trials',
  up: (db) => {
    db.exec(`
      CREATE TABLE studies (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        model_version_id INTEGER NOT NULL REFERENCES model_versions(id) ON DELETE RESTRICT,
        dataset_version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE RESTRICT,
        config_json TEXT NOT NULL,
        space_json TEXT NOT NULL,
        strategy_json TEXT NOT NULL,
        objective_json TEXT NOT NULL,
        max_trials INTEGER,
        max_seconds INTEGER,
        trial_model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
        state TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'paused', 'stopped', 'completed')),
        created_at INTEGER NOT NULL,
        ended_at INTEGER
      ) STRICT;
      CREATE TABLE trials (
        id INTEGER PRIMARY KEY,
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        params_json TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'running', 'completed', 'pruned', 'failed', 'invalid', 'stopped', 'skipped')),
        run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        model_version_id INTEGER REFERENCES model_versions(id) ON DELETE SET NULL,
        objective REAL,
        rung INTEGER NOT NULL DEFAULT 0,
        rungs_json TEXT NOT NULL DEFAULT '{}',
        reason TEXT,
        started_at INTEGER,
        ended_at INTEGER,
        UNIQUE (study_id, number)
      ) STRICT;
      CREATE INDEX trials_by_run ON trials(run_id);
    `)
  },
}
