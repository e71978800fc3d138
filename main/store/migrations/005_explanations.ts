import type { Migration } from './types'

/**
 * 005: explanations cached per run and checkpoint (Grad-CAM and saliency of a sample, permutation
 * importance of a split), so reopening one is instant. `stamp` is the checkpoint's created_at: SQLite
 * may reuse a deleted checkpoint's id, and an answer must never outlive the weights it explains.
 * Rows go with their run and their checkpoint (ON DELETE CASCADE, and deleteRuns deletes them too).
 */
export const migration005: Migration = {
  version: 5,
  name: 'explanations cache',
  up: (db) => {
    db.exec(`
      CREATE TABLE explanations (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
        stamp INTEGER NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        result_json TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (checkpoint_id, kind, key)
      ) STRICT;
      CREATE INDEX explanations_by_run ON explanations(run_id);
    `)
  },
}
