import type { Database } from 'better-sqlite3'
import type { CheckpointInfo } from '../../common/training/inferenceTypes'

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
