import type { Database } from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { AppError } from '../../common/errors'
import { withFullSync } from '../store/open'
import { checkpointBlob, checkpointBlobs, checkpointSteps, insertCheckpointPruning } from '../store/queries/checkpoints'
import { pickFinalCheckpoint } from '../../common/training/finalCheckpoint'

/** Everything a resumed run needs besides the tensors. */
export interface CheckpointMeta {
  formatVersion: 1
  epoch: number
  /** Global step after the last finished batch. */
  step: number
  /** Batches of `epoch` already trained (0 when the epoch finished). */
  batchInEpoch: number
  epochFinished: boolean
  learningRate: number
  best: { value: number; epoch: number } | null
  badEpochs: number
  weightShapes: number[][]
  optimizerWeights: { name: string; shape: number[] }[]
  /** The monitored metric's value at this checkpoint, when known. */
  metricValue: number | null
  /** Hidden optimizer scalars (Adam's beta powers), so a resume continues bit for bit (absent in older checkpoints). */
  optimizerScalars?: Record<string, number>
  /** Sums of the unfinished epoch so far (mid-epoch checkpoints), so that epoch's metrics stay whole after a resume. */
  epochTally?: EpochTally
}

/** Running sums of an epoch's batches, from which its loss and accuracy are computed. */
export interface EpochTally {
  lossSum: number
  accSum: number
  seen: number
}

/** A decoded checkpoint. */
export interface Checkpoint {
  meta: CheckpointMeta
  weights: Float32Array[]
  optimizer: Float32Array[]
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1)

/** Serializes a checkpoint: a 4-byte header length, the JSON header padded to 4 bytes, then float32 data. */
export function encodeCheckpoint(c: Checkpoint): Buffer {
  const header = Buffer.from(JSON.stringify(c.meta), 'utf8')
  const headerBytes = (4 + header.length + 3) & ~3
  const floats = [...c.weights, ...c.optimizer].reduce((n, a) => n + a.length, 0)
  const out = Buffer.alloc(headerBytes + floats * 4)
  out.writeUInt32LE(header.length, 0)
  header.copy(out, 4)
  const f32 = new Float32Array(out.buffer, out.byteOffset + headerBytes, floats)
  let at = 0
  for (const a of [...c.weights, ...c.optimizer]) {
    f32.set(a, at)
    at += a.length
  }
  return out
}

/** Parses a checkpoint blob; throws when the blob is shorter than its header says. */
export function decodeCheckpoint(blob: Uint8Array): Checkpoint {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
  const len = buf.readUInt32LE(0)
  const meta = JSON.parse(buf.subarray(4, 4 + len).toString('utf8')) as CheckpointMeta
  const headerBytes = (4 + len + 3) & ~3
  const aligned = new Uint8Array(buf.length - headerBytes)
  aligned.set(buf.subarray(headerBytes))
  const f32 = new Float32Array(aligned.buffer)
  let at = 0
  const take = (shape: number[]) => {
    const n = sizeOf(shape)
    if (at + n > f32.length) throw new Error('checkpoint is truncated')
    const a = f32.slice(at, at + n)
    at += n
    return a
  }
  return { meta, weights: meta.weightShapes.map(take), optimizer: meta.optimizerWeights.map((w) => take(w.shape)) }
}

/** sha256 of a checkpoint blob. */
export function checksum(blob: Uint8Array): string {
  return createHash('sha256').update(blob).digest('hex')
}

/**
 * Stores a checkpoint and prunes old ones in one power-loss-safe transaction, keeping the newest
 * `keep` and the best one, so the newest checkpoint is whole or absent.
 */
export function saveCheckpoint(db: Database, runId: number, c: Checkpoint, isBest: boolean, keep: number): void {
  const blob = encodeCheckpoint(c)
  withFullSync(db, () => insertCheckpointPruning(db, runId, { epoch: c.meta.epoch, step: c.meta.step, metricValue: c.meta.metricValue, blob, checksum: checksum(blob) }, isBest, keep))
}

/** The newest checkpoint whose checksum verifies (a damaged one is skipped), or null. */
export function loadNewestCheckpoint(db: Database, runId: number, which: 'newest' | 'best' = 'newest'): Checkpoint | null {
  for (const r of checkpointBlobs(db, runId, which)) {
    if (checksum(r.blob) !== r.checksum) continue
    try {
      return decodeCheckpoint(r.blob)
    } catch {
      continue
    }
  }
  return null
}

/** One checkpoint by id, verified; not_found or a 'conflict' naming the damage when it cannot be used. */
export function loadCheckpointById(db: Database, runId: number, checkpointId: number): Checkpoint & { epoch: number; step: number } {
  const r = checkpointBlob(db, runId, checkpointId)
  if (!r) throw new AppError('not_found', `Checkpoint ${checkpointId} of run ${runId} does not exist (old checkpoints are pruned as training goes on).`)
  if (checksum(r.blob) !== r.checksum) throw new AppError('conflict', `Checkpoint ${checkpointId} of run ${runId} is damaged (its checksum does not match); pick another one.`)
  try {
    return { ...decodeCheckpoint(r.blob), epoch: r.epoch, step: r.step }
  } catch (e) {
    throw new AppError('conflict', `Checkpoint ${checkpointId} of run ${runId} cannot be read: ${(e as Error).message}.`)
  }
}

/**
 * The checkpoint that stands for a run's trained model: the best one when the run restores its
 * best weights (that is what it finished with), else the newest.
 */
export function finalCheckpointId(db: Database, runId: number, restoreBest: boolean): number {
  const row = pickFinalCheckpoint(checkpointSteps(db, runId), restoreBest)
  if (!row) throw new AppError('not_found', `Run ${runId} has no checkpoint yet: train it for at least one epoch first.`)
  return row.id
}
