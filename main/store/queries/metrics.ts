import type { Database, Statement } from 'better-sqlite3'
import { AppError } from '../../../common/errors'
import { downsample, pick } from '../../../common/runs/downsample'
import { metricGoal } from '../../../common/runs/metricGoal'
import type { MetricRow, MetricSummary, NonFiniteReport, RunSeries, SeriesOptions } from '../../../common/runs/types'

// metrics.value is NULL for NaN (SQLite cannot store a NaN REAL); every reader maps it back.
// metric_summaries holds count, finite min/max and the final row per (run, metric), kept current by
// insertMetrics so the runs table never scans a series to sort or filter by a metric.

/** A metric_summaries row as stored. */
export interface SummaryRecord {
  run_id: number
  name: string
  count: number
  non_finite: number
  first_step: number
  min_value: number | null
  min_step: number | null
  max_value: number | null
  max_step: number | null
  last_value: number | null
  last_step: number
  last_epoch: number
  last_wall_time: number
}

/** Rows per multi-row INSERT: one statement step per 50 rows is ~3x cheaper a row than one per row. */
const INSERT_ROWS = 50

interface Statements {
  insert: Statement
  insertMany: Statement
  getSummary: Statement
  putSummary: Statement
  deleteSummary: Statement
  series: Statement
  range: Statement
  anyRow: Statement
}

const cache = new WeakMap<Database, Statements>()

function statements(db: Database): Statements {
  let s = cache.get(db)
  if (!s) {
    s = {
      insert: db.prepare('INSERT OR REPLACE INTO metrics (run_id, name, step, epoch, value, wall_time) VALUES (?, ?, ?, ?, ?, ?)'),
      // Rows of one statement are inserted in order, so a repeated step still ends with its last value.
      insertMany: db.prepare(`INSERT OR REPLACE INTO metrics (run_id, name, step, epoch, value, wall_time) VALUES ${Array.from({ length: INSERT_ROWS }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`),
      getSummary: db.prepare('SELECT * FROM metric_summaries WHERE run_id = ? AND name = ?'),
      putSummary: db.prepare(
        `INSERT OR REPLACE INTO metric_summaries (run_id, name, count, non_finite, first_step, min_value, min_step, max_value, max_step,
           last_value, last_step, last_epoch, last_wall_time)
         VALUES (@run_id, @name, @count, @non_finite, @first_step, @min_value, @min_step, @max_value, @max_step, @last_value, @last_step, @last_epoch, @last_wall_time)`,
      ),
      deleteSummary: db.prepare('DELETE FROM metric_summaries WHERE run_id = ? AND name = ?'),
      series: db.prepare('SELECT step, epoch, wall_time, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step').raw(true),
      range: db.prepare('SELECT step, value FROM metrics WHERE run_id = ? AND name = ? AND step BETWEEN ? AND ? ORDER BY step').raw(true),
      anyRow: db.prepare('SELECT 1 FROM metrics WHERE run_id = ? AND name = ? LIMIT 1').pluck(true),
    }
    cache.set(db, s)
  }
  return s
}

const isFiniteNum = (v: number): boolean => v - v === 0

/** Running summary of the rows of one (run, metric) seen in a batch: the stored summary plus batch bookkeeping. */
interface Group extends SummaryRecord {
  /** False when the batch's steps for this metric are not strictly increasing (duplicates or out of order). */
  increasing: boolean
  /** The batch's steps for this metric, in arrival order. */
  steps: number[]
}

function newGroup(r: MetricRow): Group {
  return {
    run_id: r.runId, name: r.name, count: 0, non_finite: 0, first_step: r.step, min_value: null, min_step: null, max_value: null, max_step: null,
    last_value: null, last_step: r.step, last_epoch: r.epoch, last_wall_time: r.wallTime, increasing: true, steps: [],
  }
}

/** Folds one row into a summary (min/max ties keep the earlier-folded row). */
function fold(g: Group, step: number, epoch: number, value: number, wallTime: number): void {
  if (g.count > 0 && step <= g.last_step) g.increasing = false
  if (g.count === 0 || step < g.first_step) g.first_step = step
  g.count++
  if (isFiniteNum(value)) {
    if (g.min_value === null || value < g.min_value) {
      g.min_value = value
      g.min_step = step
    }
    if (g.max_value === null || value > g.max_value) {
      g.max_value = value
      g.max_step = step
    }
  } else g.non_finite++
  if (g.count === 1 || step > g.last_step) {
    g.last_step = step
    g.last_epoch = epoch
    g.last_value = Number.isNaN(value) ? null : value
    g.last_wall_time = wallTime
  }
}

/** Recomputes one summary from the stored series (PK range scan). */
function recompute(st: Statements, runId: number, name: string): void {
  let g: Group | null = null
  for (const row of st.series.iterate(runId, name) as Iterable<[number, number, number, number | null]>) {
    const [step, epoch, wall, value] = row
    if (!g) g = newGroup({ runId, name, step, epoch, value: 0, wallTime: wall })
    fold(g, step, epoch, value ?? NaN, wall)
  }
  if (!g) st.deleteSummary.run(runId, name)
  else st.putSummary.run(toRecord(g))
}

function toRecord(g: Group): SummaryRecord {
  const { increasing: _i, steps: _s, ...rec } = g
  return rec
}

/** A batch group with what is stored before the write: its summary and the rows the batch will replace. */
interface Plan {
  g: Group
  old: SummaryRecord | undefined
  /** [step, value] of stored rows at steps the batch rewrites (only when it rewrites any). */
  replaced: [number, number | null][]
  /** No summary and no stored rows: the batch is the whole series. */
  fresh: boolean
}

/** Reads, before writing, the stored summary and the rows this group is about to overwrite. */
function plan(st: Statements, g: Group): Plan {
  const old = st.getSummary.get(g.run_id, g.name) as SummaryRecord | undefined
  if (!old) return { g, old, replaced: [], fresh: st.anyRow.get(g.run_id, g.name) === undefined }
  if (!g.increasing || g.first_step > old.last_step) return { g, old, replaced: [], fresh: false }
  // Both lists are in ascending step order: intersect them with a merge walk.
  const stored = st.range.all(g.run_id, g.name, g.first_step, Math.min(g.last_step, old.last_step)) as [number, number | null][]
  const replaced: [number, number | null][] = []
  let j = 0
  for (const row of stored) {
    while (j < g.steps.length && (g.steps[j] as number) < row[0]) j++
    if (j < g.steps.length && g.steps[j] === row[0]) replaced.push(row)
  }
  return { g, old, replaced, fresh: false }
}

/** Merges a batch into the stored summary; rescans the series only when the merge cannot be exact. */
function updateSummary(st: Statements, { g, old, replaced, fresh }: Plan): void {
  if (fresh && g.increasing) return void st.putSummary.run(toRecord(g))
  // Rows stored without a summary (written by other means) or a batch that repeats or reorders
  // steps: rescan the series.
  if (!old || !g.increasing) return recompute(st, g.run_id, g.name)
  // If the stored min or max row was overwritten, the runner-up is unknown without a scan.
  if (replaced.some(([step]) => step === old.min_step || step === old.max_step)) return recompute(st, g.run_id, g.name)
  const replacedNonFinite = replaced.filter(([, v]) => v === null || !isFiniteNum(v)).length
  const merged: SummaryRecord = {
    ...toRecord(g),
    count: old.count + g.count - replaced.length,
    non_finite: old.non_finite + g.non_finite - replacedNonFinite,
    first_step: Math.min(old.first_step, g.first_step),
  }
  // Keep the stored extreme when it beats the batch's, or ties it at an earlier step (as a rescan would).
  const keepOld = (v: number | null, step: number | null, was: number | null, wasStep: number | null, better: (a: number, b: number) => boolean): boolean =>
    was !== null && (v === null || better(was, v) || (was === v && (wasStep as number) < (step as number)))
  if (keepOld(g.min_value, g.min_step, old.min_value, old.min_step, (a, b) => a < b)) {
    merged.min_value = old.min_value
    merged.min_step = old.min_step
  }
  if (keepOld(g.max_value, g.max_step, old.max_value, old.max_step, (a, b) => a > b)) {
    merged.max_value = old.max_value
    merged.max_step = old.max_step
  }
  if (g.last_step < old.last_step) {
    merged.last_value = old.last_value
    merged.last_step = old.last_step
    merged.last_epoch = old.last_epoch
    merged.last_wall_time = old.last_wall_time
  }
  st.putSummary.run(merged)
}

/**
 * Writes metric rows in one transaction (INSERT OR REPLACE: a resumed run overwrites its steps)
 * and keeps metric_summaries current. NaN is stored as NULL. Call with batches (hundreds to
 * thousands of rows): one call = one commit.
 */
export function insertMetrics(db: Database, rows: readonly MetricRow[]): void {
  if (rows.length === 0) return
  const st = statements(db)
  db.transaction(() => {
    const groups = new Map<string, Group>()
    let lastKey = ''
    let g: Group | undefined
    for (const r of rows) {
      const key = `${r.runId}\u0000${r.name}`
      if (key !== lastKey) {
        g = groups.get(key)
        if (!g) groups.set(key, (g = newGroup(r)))
        lastKey = key
      }
      fold(g as Group, r.step, r.epoch, r.value, r.wallTime)
      ;(g as Group).steps.push(r.step)
    }
    const plans = [...groups.values()].map((group) => plan(st, group))
    const args: unknown[] = new Array(INSERT_ROWS * 6)
    let i = 0
    for (; i + INSERT_ROWS <= rows.length; i += INSERT_ROWS) {
      for (let k = 0; k < INSERT_ROWS; k++) {
        const r = rows[i + k] as MetricRow
        const v = r.value
        const o = k * 6
        args[o] = r.runId
        args[o + 1] = r.name
        args[o + 2] = r.step
        args[o + 3] = r.epoch
        args[o + 4] = v === v ? v : null
        args[o + 5] = r.wallTime
      }
      st.insertMany.run(...args)
    }
    for (; i < rows.length; i++) {
      const r = rows[i] as MetricRow
      const v = r.value
      st.insert.run(r.runId, r.name, r.step, r.epoch, v === v ? v : null, r.wallTime)
    }
    for (const p of plans) updateSummary(st, p)
  }).immediate()
}

/**
 * Deletes a run's metric rows after `afterStep` (all metrics) and refreshes its summaries: call it
 * when a run resumes from a checkpoint, so the old tail does not mix with the new curve.
 */
export function truncateMetrics(db: Database, runId: number, afterStep: number): number {
  const st = statements(db)
  return db.transaction(() => {
    const names = db.prepare('SELECT name FROM metric_summaries WHERE run_id = ? AND last_step > ?').pluck().all(runId, afterStep) as string[]
    const deleted = db.prepare('DELETE FROM metrics WHERE run_id = ? AND step > ?').run(runId, afterStep).changes
    for (const name of names) recompute(st, runId, name)
    return deleted
  }).immediate()
}

/** Rebuilds the summaries of one run (or all runs) from the stored metrics. */
export function rebuildMetricSummaries(db: Database, runId?: number): void {
  const st = statements(db)
  const pairs = (
    runId === undefined
      ? db.prepare('SELECT DISTINCT run_id, name FROM metrics').all()
      : db.prepare('SELECT DISTINCT run_id, name FROM metrics WHERE run_id = ?').all(runId)
  ) as { run_id: number; name: string }[]
  db.transaction(() => {
    if (runId === undefined) db.prepare('DELETE FROM metric_summaries').run()
    else db.prepare('DELETE FROM metric_summaries WHERE run_id = ?').run(runId)
    for (const p of pairs) recompute(st, p.run_id, p.name)
  }).immediate()
}

/** A stored summary as the runs table shows it (best = min or max by the metric's goal). */
export function toMetricSummary(rec: SummaryRecord): MetricSummary {
  const goal = metricGoal(rec.name)
  return {
    goal,
    count: rec.count,
    nonFinite: rec.non_finite,
    best: goal === 'min' ? rec.min_value : rec.max_value,
    bestStep: goal === 'min' ? rec.min_step : rec.max_step,
    min: rec.min_value,
    minStep: rec.min_step,
    max: rec.max_value,
    maxStep: rec.max_step,
    last: rec.last_value ?? NaN,
    lastStep: rec.last_step,
    lastEpoch: rec.last_epoch,
    lastWallTime: rec.last_wall_time,
  }
}

/** Summaries of the given metrics for the given runs, by run id then metric name. */
export function getMetricSummaries(db: Database, runIds: readonly number[], metrics: readonly string[]): Map<number, Map<string, MetricSummary>> {
  const out = new Map<number, Map<string, MetricSummary>>()
  if (runIds.length === 0 || metrics.length === 0) return out
  const rows = db
    .prepare(
      `SELECT * FROM metric_summaries WHERE run_id IN (SELECT value FROM json_each(?)) AND name IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(runIds), JSON.stringify(metrics)) as SummaryRecord[]
  for (const r of rows) {
    let m = out.get(r.run_id)
    if (!m) out.set(r.run_id, (m = new Map()))
    m.set(r.name, toMetricSummary(r))
  }
  return out
}

/** Names of every metric logged by any of the given runs (all runs when omitted), sorted. */
export function listMetricNames(db: Database, runIds?: readonly number[]): string[] {
  const rows = (
    runIds === undefined
      ? db.prepare('SELECT DISTINCT name FROM metric_summaries ORDER BY name').pluck().all()
      : db.prepare('SELECT DISTINCT name FROM metric_summaries WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY name').pluck().all(JSON.stringify(runIds))
  ) as string[]
  return rows
}

/** Every stored row of one run's metric in step order (value NaN where stored as NULL), for export. */
export function* iterateSeries(db: Database, runId: number, metric: string): Generator<{ step: number; epoch: number; wallTime: number; value: number }> {
  for (const [step, epoch, wallTime, value] of statements(db).series.iterate(runId, metric) as Iterable<[number, number, number, number | null]>) {
    yield { step, epoch, wallTime, value: value ?? NaN }
  }
}

const X_COLUMN = { step: 'step', epoch: 'epoch', wall: 'wall_time' } as const
interface SeriesStatements {
  y: Statement
  x: Record<keyof typeof X_COLUMN, Statement>
  extent: Statement
}
const seriesCache = new WeakMap<Database, SeriesStatements>()

// Moving 250k points into JS is most of getSeries' cost, so each column takes its cheapest road:
// values by a single-column pluck (flat array, no per-row array), and integer x columns (step,
// epoch) as one comma-joined string parsed by JSON.parse, which beats a second pluck by ~20%.
// Doubles (wall_time) are plucked too: SQLite's text form of a REAL could round. A dense step axis
// (count = last - first + 1, so steps are exactly first..last) is not read at all.
function seriesStatements(db: Database): SeriesStatements {
  let s = seriesCache.get(db)
  if (!s) {
    const range = 'FROM metrics WHERE run_id = ? AND name = ? ORDER BY step'
    const joined = (c: string): Statement => db.prepare(`SELECT '[' || group_concat(${c}) || ']' FROM (SELECT ${c} ${range})`).pluck(true)
    s = {
      y: db.prepare(`SELECT value ${range}`).pluck(true),
      x: { step: joined('step'), epoch: joined('epoch'), wall: db.prepare(`SELECT wall_time ${range}`).pluck(true) },
      extent: db.prepare('SELECT count, first_step, last_step FROM metric_summaries WHERE run_id = ? AND name = ?').raw(true),
    }
    seriesCache.set(db, s)
  }
  return s
}

/** Reads one run's series; NULL values come back as NaN, counted in the report. */
function readSeries(st: SeriesStatements, x: keyof typeof X_COLUMN, runId: number, metric: string): { xs: number[]; ys: number[]; nonFinite: NonFiniteReport } {
  const ys = st.y.all(runId, metric) as (number | null)[]
  let xs: number[] | null = null
  if (x === 'step') {
    const [count, first, last] = (st.extent.get(runId, metric) as [number, number, number] | undefined) ?? [-1, 0, 0]
    // The length check guards against rows written around insertMetrics (summary out of date).
    if (count === ys.length && last - first + 1 === count) {
      xs = new Array<number>(count)
      for (let i = 0; i < count; i++) xs[i] = first + i
    }
  }
  xs ??= x === 'wall' ? (st.x.wall.all(runId, metric) as number[]) : (JSON.parse((st.x[x].get(runId, metric) as string | null) ?? '[]') as number[])
  const nonFinite: NonFiniteReport = { nan: 0, posInf: 0, negInf: 0, firstX: null }
  for (let i = 0; i < ys.length; i++) {
    const v = ys[i] as number | null
    if (v !== null && v - v === 0) continue
    if (v === null) {
      ys[i] = NaN
      nonFinite.nan++
    } else if (v > 0) nonFinite.posInf++
    else nonFinite.negInf++
    if (nonFinite.firstX === null) nonFinite.firstX = xs[i] as number
  }
  return { xs, ys: ys as number[], nonFinite }
}

/**
 * One metric of several runs, each read by its primary-key range and downsampled for a chart
 * `maxPoints` pixels wide (see main/runs/downsample.ts). Runs without that metric come back empty.
 */
export function getSeries(db: Database, runIds: readonly number[], metric: string, opts: SeriesOptions = {}): RunSeries[] {
  const x = opts.x ?? 'step'
  if (!(x in X_COLUMN)) throw new AppError('invalid_input', `Unknown x axis "${String(x)}": use step, epoch or wall.`)
  const maxPoints = opts.maxPoints ?? 1500
  if (!Number.isInteger(maxPoints) || maxPoints < 2 || maxPoints > 100_000) {
    throw new AppError('invalid_input', `maxPoints must be a whole number from 2 to 100000 (got ${maxPoints}).`)
  }
  const st = seriesStatements(db)
  // One read transaction: x and y of a run come from the same snapshot even while training writes.
  const raw = db.transaction(() => runIds.map((runId) => readSeries(st, x, runId, metric)))()
  return raw.map(({ xs, ys, nonFinite }, i) => {
    const d = downsample(xs, ys, { maxPoints, mode: opts.mode ?? 'minmax' })
    const keep = !d.whole
    return { runId: runIds[i] as number, metric, x: keep ? pick(xs, d.indices) : xs, y: keep ? pick(ys, d.indices) : ys, total: xs.length, downsampled: d.downsampled, nonFinite }
  })
}
