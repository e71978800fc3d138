import type { Database as Db } from 'better-sqlite3'
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { AppError } from '../../common/errors'
import { LATEST_SCHEMA_VERSION, migrate, schemaVersion } from './migrations'
import { applyConnectionPragmas } from './pragmas'
import { openSqlite } from './nativeBinding'

/** Marks a SQLite file as ours ('NWK1'), so we never migrate somebody else's database. */
export const APPLICATION_ID = 0x4e574b31

const SQLITE_HEADER = 'SQLite format 3\0'

/** Stores up to this size get a full quick_check at open. */
const QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024

/** Reads the first 16 bytes so a non-SQLite file is refused before SQLite can touch it. */
function readHeader(path: string): string {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(16)
    const n = readSync(fd, buf, 0, 16, 0)
    return buf.subarray(0, n).toString('latin1')
  } finally {
    closeSync(fd)
  }
}

function corrupt(path: string, why: string): AppError {
  return new AppError(
    'db_corrupt',
    `The database ${path} cannot be read (${why}). It was left untouched: move it aside or start with another data folder.`,
  )
}

/**
 * Opens (creating if needed) the workbench database and brings it to the latest schema.
 * Refuses, without writing a byte, a file that is not SQLite, is corrupt, belongs to another
 * application, or was written by a newer version of the app.
 */
export function openStore(path: string): Db {
  const isNew = !existsSync(path) || statSync(path).size === 0
  if (!isNew && readHeader(path) !== SQLITE_HEADER) throw corrupt(path, 'it is not a SQLite file')
  if (isNew) mkdirSync(dirname(path), { recursive: true })

  let db: Db
  try {
    db = openSqlite(path)
  } catch (e) {
    // A driver that cannot load for this runtime says how to fix it; it says nothing about the file.
    if (e instanceof AppError) throw e
    throw corrupt(path, (e as Error).message)
  }
  try {
    // Read-only checks first: nothing below writes until we know the file is ours and not newer.
    const appId = db.pragma('application_id', { simple: true }) as number
    const version = schemaVersion(db)
    if (appId !== 0 && appId !== APPLICATION_ID) {
      throw new AppError('db_foreign', `${path} is a SQLite database of another application; it was left untouched.`)
    }
    if (appId === 0 && version !== 0) {
      throw new AppError('db_foreign', `${path} has tables but is not a Neural Workbench database; it was left untouched.`)
    }
    if (version > LATEST_SCHEMA_VERSION) {
      throw new AppError(
        'db_too_new',
        `${path} was written by a newer Neural Workbench (schema ${version}; this version knows up to ${LATEST_SCHEMA_VERSION}). Update the app; the file was left untouched.`,
      )
    }
    // quick_check reads every page; on a big store that costs seconds at each start, so it runs
    // on small files only and bigger ones rely on SQLite reporting corruption when it meets it.
    if (!isNew && statSync(path).size <= QUICK_CHECK_MAX_BYTES) {
      const check = db.pragma('quick_check(1)', { simple: true })
      if (check !== 'ok') throw corrupt(path, `integrity check: ${String(check)}`)
    }
    db.pragma('journal_mode = WAL')
    applyConnectionPragmas(db, 'main')
    if (appId === 0) db.pragma(`application_id = ${APPLICATION_ID}`)
  } catch (e) {
    db.close()
    if (e instanceof AppError) throw e
    throw corrupt(path, (e as Error).message)
  }
  try {
    migrate(db)
  } catch (e) {
    db.close()
    throw new AppError('db_migration_failed', `Upgrading ${path} failed and was rolled back: ${(e as Error).message}`)
  }
  return db
}

/** Runs fn in a transaction with synchronous=FULL, for writes that must survive power loss. */
export function withFullSync<T>(db: Db, fn: () => T): T {
  // Nested in an outer transaction (the outer one is durable or not as a whole): SQLite refuses a
  // safety-level change there, and a savepoint is all that is needed.
  if (db.inTransaction) return db.transaction(fn)()
  db.pragma('synchronous = FULL')
  try {
    return db.transaction(fn).immediate()
  } finally {
    db.pragma('synchronous = NORMAL')
  }
}
