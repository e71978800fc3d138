import type { Database } from 'better-sqlite3'

/** Which checkpoint an explanation belongs to: its id and creation time (ids can be reused after deletes). */
export interface ExplanationOwner {
  runId: number
  checkpointId: number
  stamp: number
}

/** The checkpoint's creation time, or null when the run has no such checkpoint. */
export function checkpointStamp(db: Database, runId: number, checkpointId: number): number | null {
  const r = db.prepare('SELECT created_at AS t FROM checkpoints WHERE id = ? AND run_id = ?').get(checkpointId, runId) as { t: number } | undefined
  return r?.t ?? null
}

/** A stored explanation's JSON, or null when none was stored for this very checkpoint. */
export function getExplanation(db: Database, o: ExplanationOwner, kind: string, key: string): string | null {
  const r = db.prepare('SELECT result_json AS j FROM explanations WHERE checkpoint_id = ? AND run_id = ? AND stamp = ? AND kind = ? AND key = ?').get(o.checkpointId, o.runId, o.stamp, kind, key) as
    | { j: string }
    | undefined
  return r?.j ?? null
}

/** Stores (or replaces) an explanation of a checkpoint. */
export function putExplanation(db: Database, o: ExplanationOwner, kind: string, key: string, json: string): void {
  db.prepare('INSERT OR REPLACE INTO explanations (run_id, checkpoint_id, stamp, kind, key, result_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    o.runId,
    o.checkpointId,
    o.stamp,
    kind,
    key,
    json,
    Date.now(),
  )
}

/** How many explanations a run has stored. */
export function countExplanations(db: Database, runId: number): number {
  return db.prepare('SELECT COUNT(*) FROM explanations WHERE run_id = ?').pluck().get(runId) as number
}
