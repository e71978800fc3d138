import type { Migration } from './types'

// A value is finite when it is not NULL (NaN) and lies strictly between -Inf and +Inf (9e999
// parses as +Inf in SQLite).
const FINITE = 'value IS NOT NULL AND value > -9e999 AND value < 9e999'

/**
 * 002: what comparing runs needs.
 * - metrics.value becomes nullable: SQLite stores a bound NaN as NULL, and NOT NULL made a
 *   diverged run's NaN loss fail its whole write batch. NULL now means NaN. The table keeps
 *   PRIMARY KEY (run_id, name, step) and WITHOUT ROWID; rows are copied over.
 * - metric_summaries: count, best/final values per (run, metric), maintained by insertMetrics,
 *   so the runs table can sort and filter by metric values without scanning every series.
 * - run_evaluations: a run's evaluation (confusion matrix or regression errors).
 * - indexes for the runs-table filters and for the ON DELETE RESTRICT checks on versions.
 */
export const migration002: Migration = {
  version: 2,
  name: 'runs: nullable metric values, metric summaries, evaluations, indexes',
  up: (db) => {
    db.exec(`
      CREATE TABLE metrics_v2 (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        step INTEGER NOT NULL,
        epoch INTEGER NOT NULL,
        value REAL,
        wall_time REAL NOT NULL,
        PRIMARY KEY (run_id, name, step)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO metrics_v2 (run_id, name, step, epoch, value, wall_time)
        SELECT run_id, name, step, epoch, value, wall_time FROM metrics ORDER BY run_id, name, step;
      DROP TABLE metrics;
      ALTER TABLE metrics_v2 RENAME TO metrics;

      -- One row per (run, metric). min/max cover finite values only (NULL when there are none);
      -- last_* is the row with the highest step, whatever its value (NULL value = NaN).
      -- count = last_step - first_step + 1 means the steps are exactly first..last (dense).
      CREATE TABLE metric_summaries (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        count INTEGER NOT NULL,
        non_finite INTEGER NOT NULL,
        first_step INTEGER NOT NULL,
        min_value REAL,
        min_step INTEGER,
        max_value REAL,
        max_step INTEGER,
        last_value REAL,
        last_step INTEGER NOT NULL,
        last_epoch INTEGER NOT NULL,
        last_wall_time REAL NOT NULL,
        PRIMARY KEY (run_id, name)
      ) STRICT, WITHOUT ROWID;

      INSERT INTO metric_summaries
      SELECT g.run_id, g.name, g.n, g.non_finite, g.first_step,
        g.mn, (SELECT m.step FROM metrics m WHERE m.run_id = g.run_id AND m.name = g.name AND m.value = g.mn ORDER BY m.step LIMIT 1),
        g.mx, (SELECT m.step FROM metrics m WHERE m.run_id = g.run_id AND m.name = g.name AND m.value = g.mx ORDER BY m.step LIMIT 1),
        l.value, l.step, l.epoch, l.wall_time
      FROM (
        SELECT run_id, name, count(*) AS n, sum(NOT (${FINITE})) AS non_finite,
          min(CASE WHEN ${FINITE} THEN value END) AS mn, max(CASE WHEN ${FINITE} THEN value END) AS mx,
          min(step) AS first_step, max(step) AS last_step
        FROM metrics GROUP BY run_id, name
      ) g
      JOIN metrics l ON l.run_id = g.run_id AND l.name = g.name AND l.step = g.last_step;

      CREATE TABLE run_evaluations (
        run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        split TEXT,
        json TEXT NOT NULL,
        created_at INTEGER
      ) STRICT;

      CREATE INDEX runs_by_model_version ON runs(model_version_id);
      CREATE INDEX runs_by_dataset_version ON runs(dataset_version_id);
    `)
  },
}
