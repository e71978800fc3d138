import Database from 'better-sqlite3'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../common/errors'
import { APPLICATION_ID, LATEST_SCHEMA_VERSION, migrate, openStore, schemaVersion, withFullSync } from '../../../main/store'
import type { Migration } from '../../../main/store/migrations'
import { fileHash } from '../../helpers/fileHash'
import { tempDir } from '../../helpers/tmp'

const TABLES = ['settings', 'datasets', 'dataset_versions', 'dataset_chunks', 'models', 'model_versions', 'runs', 'metrics', 'checkpoints']

function tableNames(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name)
}

function expectRefused(path: string, code: string): void {
  const before = fileHash(path)
  let caught: unknown
  try {
    openStore(path)
  } catch (e) {
    caught = e
  }
  expect(caught).toBeInstanceOf(AppError)
  expect((caught as AppError).code).toBe(code)
  expect((caught as AppError).message).toContain(path)
  expect(fileHash(path)).toBe(before)
}

describe('openStore', () => {
  it('creates every table from an empty folder, with WAL, foreign keys and STRICT tables', () => {
    const path = join(tempDir(), 'nested', 'workbench.sqlite')
    const db = openStore(path)
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION)
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    for (const t of TABLES) expect(tableNames(db)).toContain(t)
    const notStrict = db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND strict = 0 AND name NOT LIKE 'sqlite_%'").all()
    expect(notStrict).toEqual([])
    // STRICT refuses a value of the wrong type instead of storing it.
    expect(() => db.prepare("INSERT INTO models (name, created_at, updated_at) VALUES ('m', 'yesterday', 1)").run()).toThrow(/cannot store TEXT/)
    db.close()
  })

  it('re-opens an existing store without re-running migrations and keeps its data', () => {
    const path = join(tempDir(), 'workbench.sqlite')
    const db = openStore(path)
    db.prepare("INSERT INTO models (name, created_at, updated_at) VALUES ('kept', 1, 1)").run()
    db.close()
    const again = openStore(path)
    expect(schemaVersion(again)).toBe(LATEST_SCHEMA_VERSION)
    expect(migrate(again)).toEqual([])
    expect(again.prepare('SELECT name FROM models').all()).toEqual([{ name: 'kept' }])
    again.close()
  })

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const path = join(tempDir(), 'workbench.sqlite')
    writeFileSync(path, 'name,age\nada,36\n')
    expectRefused(path, 'db_corrupt')
  })

  it('refuses a SQLite file whose pages are garbage and leaves it untouched', () => {
    const path = join(tempDir(), 'workbench.sqlite')
    const db = openStore(path)
    db.pragma('journal_mode = DELETE')
    db.close()
    const bytes = Buffer.from(readFileSync(path))
    for (let i = 100; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff
    writeFileSync(path, bytes)
    expectRefused(path, 'db_corrupt')
  })

  it('refuses a database from a newer version of the app and leaves it untouched', () => {
    const path = join(tempDir(), 'workbench.sqlite')
    const db = openStore(path)
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`)
    db.pragma('journal_mode = DELETE')
    db.close()
    expectRefused(path, 'db_too_new')
  })

  it("refuses another application's SQLite database", () => {
    const path = join(tempDir(), 'other.sqlite')
    const db = new Database(path)
    db.exec('CREATE TABLE t (x)')
    db.pragma('user_version = 3')
    db.close()
    expectRefused(path, 'db_foreign')
  })
})

describe('migrate', () => {
  it('applies each migration all-or-nothing: a failing one leaves no trace and the version unchanged', () => {
    const db = new Database(':memory:')
    const good: Migration = { version: 1, name: 'good', up: (d) => d.exec('CREATE TABLE a (x INTEGER) STRICT') }
    const bad: Migration = {
      version: 2,
      name: 'bad',
      up: (d) => {
        d.exec('CREATE TABLE b (x INTEGER) STRICT')
        d.exec('INSERT INTO nowhere VALUES (1)')
      },
    }
    expect(() => migrate(db, [good, bad])).toThrow(/nowhere/)
    expect(schemaVersion(db)).toBe(1)
    expect(tableNames(db)).toEqual(['a'])
    expect(migrate(db, [good, { ...bad, up: (d) => d.exec('CREATE TABLE b (x INTEGER) STRICT') }])).toEqual([2])
    expect(schemaVersion(db)).toBe(2)
  })
})

describe('schema rules', () => {
  function seedRun(db: Database.Database): number {
    return Number(db.prepare("INSERT INTO runs (name, created_at) VALUES ('r', 1)").run().lastInsertRowid)
  }

  it('keeps one metric per (run, name, step): a resumed run overwrites instead of duplicating', () => {
    const db = openStore(join(tempDir(), 'w.sqlite'))
    const run = seedRun(db)
    const insert = db.prepare('INSERT INTO metrics (run_id, name, step, epoch, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)')
    insert.run(run, 'loss', 10, 1, 0.5, 1)
    expect(() => insert.run(run, 'loss', 10, 1, 0.4, 2)).toThrow(/UNIQUE|PRIMARY KEY/)
    db.prepare('INSERT OR REPLACE INTO metrics (run_id, name, step, epoch, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)').run(run, 'loss', 10, 1, 0.4, 2)
    expect(db.prepare('SELECT value FROM metrics WHERE run_id = ?').all(run)).toEqual([{ value: 0.4 }])
    db.close()
  })

  it('deletes a run with its metrics and checkpoints, and refuses rows pointing nowhere', () => {
    const db = openStore(join(tempDir(), 'w.sqlite'))
    const run = seedRun(db)
    db.prepare('INSERT INTO metrics (run_id, name, step, epoch, value, wall_time) VALUES (?, ?, 1, 0, 1, 1)').run(run, 'loss')
    db.prepare("INSERT INTO checkpoints (run_id, epoch, step, blob, checksum, byte_size, created_at) VALUES (?, 0, 1, x'00', 'c', 1, 1)").run(run)
    db.prepare('DELETE FROM runs WHERE id = ?').run(run)
    expect(db.prepare('SELECT count(*) AS n FROM metrics').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT count(*) AS n FROM checkpoints').get()).toEqual({ n: 0 })
    expect(() => db.prepare('INSERT INTO metrics (run_id, name, step, epoch, value, wall_time) VALUES (999, ?, 1, 0, 1, 1)').run('loss')).toThrow(/FOREIGN KEY/)
    expect(() => db.prepare("INSERT INTO runs (name, state, created_at) VALUES ('x', 'exploded', 1)").run()).toThrow(/CHECK/)
    db.close()
  })

  it('withFullSync commits on success, rolls back on error and restores synchronous=NORMAL', () => {
    const db = openStore(join(tempDir(), 'w.sqlite'))
    withFullSync(db, () => seedRun(db))
    expect(() => withFullSync(db, () => {
      seedRun(db)
      throw new Error('disk full')
    })).toThrow('disk full')
    expect(db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 1 })
    expect(db.pragma('synchronous', { simple: true })).toBe(1)
    db.close()
  })
})
