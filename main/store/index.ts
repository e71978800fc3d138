/** The SQLite store: open, migrations and the query functions, each a plain function over the db handle. */
export { openStore, withFullSync, APPLICATION_ID } from './open'
export { migrate, schemaVersion, LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations'
export type { Database as Db } from 'better-sqlite3'
