import type { Database } from 'better-sqlite3'

/**
 * The per-connection settings every connection to the store uses, main's and the workers' alike
 * (journal_mode is a property of the file, set once by openStore).
 * - synchronous NORMAL: in WAL mode it survives an app crash (commits are in the WAL); writes that
 *   must also survive power loss (run state, checkpoints) go through withFullSync.
 * - foreign_keys ON: SQLite's default is off, per connection.
 * - busy_timeout: main and the workers write to the same file; workers wait longer, since main's
 *   writes are short and theirs (an import's final transaction, a checkpoint) can be long.
 * - temp_store MEMORY: nested transactions (metric batches inside a run's transaction) journal in
 *   memory, not to a temp file per row.
 */
export function applyConnectionPragmas(db: Database, role: 'main' | 'worker'): void {
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma(`busy_timeout = ${role === 'main' ? 5000 : 10000}`)
  db.pragma('temp_store = MEMORY')
}
