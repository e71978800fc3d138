import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { APPLICATION_ID, LATEST_SCHEMA_VERSION, migrate, openStore } from '../../../main/store'
import { migration001 } from '../../../main/store/migrations/001_initial'
import { rebuildMetricSummaries } from '../../../main/store/queries/metrics'
import { tempDir } from '../../helpers/tmp'

describe('migration 002', () => {
  it('upgrades a version-1 store: keeps metrics, makes value NaN-able, backfills summaries that match a rebuild', () => {
    const path = join(tempDir(), 'workbench.sqlite')
    const v1 = new Database(path)
    v1.pragma(`application_id = ${APPLICATION_ID}`)
    migrate(v1, [migration001])
    const run = Number(v1.prepare("INSERT INTO runs (name, created_at) VALUES ('old', 1)").run().lastInsertRowid)
    const insert = v1.prepare('INSERT INTO metrics (run_id, name, step, epoch, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)')
    ;[0.9, 0.4, 0.4, Infinity, 0.6].forEach((v, i) => insert.run(run, 'loss', i + 1, 0, v, i))
    ;[0.5, 0.7].forEach((v, i) => insert.run(run, 'acc', i + 1, 0, v, i))
    v1.close()

    const db = openStore(path)
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
    expect(db.prepare('SELECT count(*) AS n FROM metrics').get()).toEqual({ n: 7 })
    const backfilled = db.prepare('SELECT * FROM metric_summaries ORDER BY name').all()
    expect(backfilled).toMatchObject([
      { name: 'acc', count: 2, non_finite: 0, min_value: 0.5, max_value: 0.7, last_value: 0.7, last_step: 2 },
      { name: 'loss', count: 5, non_finite: 1, first_step: 1, min_value: 0.4, min_step: 2, max_value: 0.9, max_step: 1, last_value: 0.6, last_step: 5 },
    ])
    rebuildMetricSummaries(db)
    expect(db.prepare('SELECT * FROM metric_summaries ORDER BY name').all()).toEqual(backfilled)
    // NaN is storable now (as NULL), and the key still refuses duplicates
    db.prepare('INSERT INTO metrics (run_id, name, step, epoch, value, wall_time) VALUES (?, ?, 6, 0, ?, 6)').run(run, 'loss', NaN)
    expect(() => db.prepare("INSERT INTO metrics (run_id, name, step, epoch, value, wall_time) VALUES (?, 'loss', 6, 0, 1, 6)").run(run)).toThrow(/UNIQUE|PRIMARY KEY/)
    const tables = db.prepare("SELECT name, strict, wr FROM pragma_table_list WHERE name IN ('metrics', 'metric_summaries', 'run_evaluations') ORDER BY name").all()
    expect(tables).toEqual([
      { name: 'metric_summaries', strict: 1, wr: 1 },
      { name: 'metrics', strict: 1, wr: 1 },
      { name: 'run_evaluations', strict: 1, wr: 0 },
    ])
    db.close()
  })
})
