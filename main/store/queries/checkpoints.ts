import type { Database } from 'better-sqlite3'
import type { CheckpointInfo } from '../../../common/training/inferenceTypes'

/**
 * A run's stored checkpoints, newest first, without reading their blobs. A checkpoint finished
 * its epoch when that epoch's 'loss' metric sits at its step (mid-epoch ones have none).
 */
export function listCheckpoints(db: Database, runId: number): CheckpointInfo[] {
  const rows = db
    .prepare(
      `SELECT c.id, c.run_id AS runId, c.epoch, c.step, c.is_best AS isBest, c.metric_value AS metricValue, c.byte_size AS byteSize, c.created_at AS createdAt,
         EXISTS (SELECT 1 FROM metrics m WHERE m.run_id = c.run_id AND m.name = 'loss' AND m.step = c.step AND m.epoch = c.epoch) AS epochFinished
       FROM checkpoints c WHERE c.run_id = ? ORDER BY c.step DESC, c.id DESC`,
    )
    .all(runId) as (Omit<CheckpointInfo, 'isBest' | 'epochFinished'> & { isBest: number; epochFinished: number })[]
  return rows.map((r) => ({ ...r, isBest: r.isBest === 1, epochFinished: r.epochFinished === 1 }))
}

/** A checkpoint's stored blob with its checksum (and where it sits in training). */
export interface CheckpointBlobRow {
  blob: Buffer
  checksum: string
  epoch: number
  step: number
}

/**
 * Inserts a checkpoint and prunes the run's old ones, keeping the newest `keep` and the best, in
 * the caller's transaction (the caller makes it power-loss safe).
 */
export function insertCheckpointPruning(
  db: Database,
  runId: number,
  c: { epoch: number; step: number; metricValue: number | null; blob: Buffer; checksum: string },
  isBest: boolean,
  keep: number,
): void {
  if (isBest) db.prepare('UPDATE checkpoints SET is_best = 0 WHERE run_id = ?').run(runId)
  db.prepare('INSERT INTO checkpoints (run_id, epoch, step, is_best, metric_value, blob, checksum, byte_size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    runId,
    c.epoch,
    c.step,
    isBest ? 1 : 0,
    c.metricValue,
    c.blob,
    c.checksum,
    c.blob.length,
    Date.now(),
  )
  db.prepare(
    `DELETE FROM checkpoints WHERE run_id = ? AND is_best = 0 AND id NOT IN
      (SELECT id FROM checkpoints WHERE run_id = ? ORDER BY step DESC, id DESC LIMIT ?)`,
  ).run(runId, runId, keep)
}

/** A run's checkpoint blobs, newest first (only the best one with which = 'best'). */
export function checkpointBlobs(db: Database, runId: number, which: 'newest' | 'best' = 'newest'): CheckpointBlobRow[] {
  return db
    .prepare(`SELECT blob, checksum, epoch, step FROM checkpoints WHERE run_id = ? ${which === 'best' ? 'AND is_best = 1' : ''} ORDER BY step DESC, id DESC`)
    .all(runId) as CheckpointBlobRow[]
}

/** One checkpoint's blob, or undefined when the run has no such checkpoint. */
export function checkpointBlob(db: Database, runId: number, checkpointId: number): CheckpointBlobRow | undefined {
  return db.prepare('SELECT blob, checksum, epoch, step FROM checkpoints WHERE id = ? AND run_id = ?').get(checkpointId, runId) as CheckpointBlobRow | undefined
}

/** A run's checkpoints as id, step and best flag (to pick the final one). */
export function checkpointSteps(db: Database, runId: number): { id: number; step: number; isBest: boolean }[] {
  return (db.prepare('SELECT id, step, is_best AS isBest FROM checkpoints WHERE run_id = ?').all(runId) as { id: number; step: number; isBest: number }[]).map((r) => ({ ...r, isBest: r.isBest === 1 }))
}

/** When a checkpoint was written (ms), or null when the run has no such checkpoint. */
export function checkpointCreatedAt(db: Database, runId: number, checkpointId: number): number | null {
  const r = db.prepare('SELECT created_at AS t FROM checkpoints WHERE id = ? AND run_id = ?').get(checkpointId, runId) as { t: number } | undefined
  return r ? r.t : null
}
