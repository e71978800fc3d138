import type { Database } from 'better-sqlite3'
import { migration001 } from './001_initial'
import { migration002 } from './002_runs_indexes'
import { migration003 } from './003_run_owner'
import { migration004 } from './004_studies'
import { migration005 } from './005_explanations'
import { migration006 } from './006_trial_folds'
import type { Migration } from './types'

export type { Migration } from './types'

/** Every migration in order; append new ones, never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006]

/** The schema version this build of the app writes. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version

/** Reads the schema version stored in the file header. */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Applies the pending migrations, each all-or-nothing: its DDL and the user_version bump share one
 * transaction, so a failure leaves the file exactly at the previous version.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = []
  for (const m of migrations) {
    if (m.version <= schemaVersion(db)) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version | 0}`)
    }).immediate()
    applied.push(m.version)
  }
  return applied
}
