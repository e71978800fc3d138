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
  // A version's chunks run to tens of MB. The automatic checkpoint after this commit would copy
  // them all from the WAL into the database file and sync it (0.7 s for 77 MB here) before the
  // import could report done; the import worker checkpoints after reporting instead
  // (checkpointAfterImport). The commit itself is in the WAL either way.
  const autoCheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number
  db.pragma('wal_autocheckpoint = 0')
  try {
    return db.transaction(() => {
      checkTargetDataset(db, input.datasetId, input.kind)
      const now = Date.now()
      const datasetId = input.datasetId ?? insertDataset(db, { name: input.name, kind: input.kind, note: input.note, now })
      const { versionId, version } = insertVersion(db, { ...input.version, datasetId, now })
      const insert = chunkInserter(db)
      for (const c of input.spool.chunks()) insert(versionId, c.seq, c.rowStart, c.rows, c.data)
      return { datasetId, versionId, version }
    }).immediate()
  } finally {
    db.pragma(`wal_autocheckpoint = ${autoCheckpoint}`)
  }
}

/**
 * Copies the WAL's committed pages into the database file, as the automatic checkpoint
 * commitVersion held back would have. PASSIVE: it waits for no reader or writer, and while it
 * runs, other connections' automatic checkpoints give way to it instead of repeating the work.
 */
export function checkpointAfterImport(db: Database): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {
    // Nothing is lost: the pages stay in the WAL until the next automatic checkpoint.
  }
}
