import type { Migration } from './types'

/**
 * 006: cross-validated study objectives. A trial scored by k-fold cross-validation trains one run
 * per fold: trial_folds ties each fold to its run (trials.run_id keeps the first fold's run, so the
 * trial still opens a run), and trials.objective_std holds the spread of the fold objectives beside
 * their mean in trials.objective.
 */
export const migration006: Migration = {
  version: 6,
  name: 'trial folds',
  up: (db) => {
    db.exec(`
      ALTER TABLE trials ADD COLUMN objective_std REAL;
      CREATE TABLE trial_folds (
        study_id INTEGER NOT NULL,
        number INTEGER NOT NULL,
        fold INTEGER NOT NULL,
        run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,
        PRIMARY KEY (study_id, number, fold),
        FOREIGN KEY (study_id, number) REFERENCES trials(study_id, number) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX trial_folds_by_run ON trial_folds(run_id);
    `)
  },
}
