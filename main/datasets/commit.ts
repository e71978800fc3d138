import type { Database } from 'better-sqlite3'
import { AppError } from '../../common/errors'
import { chunkInserter, datasetKind, insertDataset, insertVersion, type NewVersion } from '../store/queries/datasets'
import type { ChunkSpool } from './spool'

/** What an import hands to the final transaction. */
export interface CommitInput {
  /** Add a version to this dataset; a new dataset is created when absent. */
  datasetId?: number
  name: string
  kind: 'tabular' | 'image'
  note: string
  version: Omit<NewVersion, 'datasetId' | 'now'>
  spool: ChunkSpool
}

/** Refuses an unknown dataset, or one of the other kind, before any work is done. */
export function checkTargetDataset(db: Database, datasetId: number | undefined, kind: 'tabular' | 'image'): void {
  if (datasetId === undefined) return
  const k = datasetKind(db, datasetId)
  if (k === null) throw new AppError('not_found', `Dataset ${datasetId} does not exist; it may have been deleted.`)
  if (k !== kind) throw new AppError('invalid_input', `Dataset ${datasetId} holds ${k} data; a new version of it cannot come from ${kind === 'image' ? 'an image folder' : 'a CSV file'}.`)
}

/**
 * Writes the dataset (if new), version N+1 and all its chunks in one IMMEDIATE transaction: any
 * failure rolls everything back, so the database is exactly as before. Synchronous on purpose:
 * nothing else on this connection can interleave with (and be rolled back along with) the write.
 */
export function commitVersion(db: Database, input: CommitInput): { datasetId: number; versionId: number; version: number } {
  return db.transaction(() => {
    checkTargetDataset(db, input.datasetId, input.kind)
    const now = Date.now()
    const datasetId = input.datasetId ?? insertDataset(db, { name: input.name, kind: input.kind, note: input.note, now })
    const { versionId, version } = insertVersion(db, { ...input.version, datasetId, now })
    const insert = chunkInserter(db)
    for (const c of input.spool.chunks()) insert(versionId, c.seq, c.rowStart, c.rows, c.data)
    return { datasetId, versionId, version }
  }).immediate()
}
