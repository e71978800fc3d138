import type Database from 'better-sqlite3'
import { openSqlite } from './nativeBinding'
import { applyConnectionPragmas } from './pragmas'

/**
 * Opens the store from a worker thread: its own connection (better-sqlite3 handles are not
 * shareable across threads), the same pragmas as main, and a long busy timeout because main and
 * other workers write to the same file.
 */
export function openWorkerDb(dbPath: string): Database.Database {
  const db = openSqlite(dbPath, { fileMustExist: true })
  applyConnectionPragmas(db, 'worker')
  return db
}
