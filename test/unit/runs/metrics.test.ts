import { afterEach, describe, expect, it } from 'vitest'
import type { Database } from 'better-sqlite3'
import { getMetricSummaries, getSeries, insertMetrics, listMetricNames, rebuildMetricSummaries, truncateMetrics } from '../../../main/store/queries/metrics'
import type { MetricRow } from '../../../common/runs/types'
import { addRun, tempStore } from './seed'

let db: Database
afterEach(() => db?.close())

const rows = (runId: number, name: string, values: number[], firstStep = 1): MetricRow[] =>
  values.map((value, i) => ({ runId, name, step: firstStep + i, epoch: Math.floor((firstStep + i - 1) / 10), value, wallTime: (firstStep + i) * 0.5 }))

function storedSummary(runId: number, name: string): unknown {
  return db.prepare('SELECT * FROM metric_summaries WHERE run_id = ? AND name = ?').get(runId, name)
}

describe('insertMetrics', () => {
  it('writes rows and keeps best and final values current across batches', () => {
    db = tempStore()
    const run = addRun(db)
    insertMetrics(db, rows(run, 'loss', [1, 0.5, 0.7]))
    insertMetrics(db, rows(run, 'loss', [0.6, 0.2, 0.4], 4))
    insertMetrics(db, rows(run, 'val_accuracy', [0.5, 0.9, 0.8]))
    const s = getMetricSummaries(db, [run], ['loss', 'val_accuracy']).get(run)
    expect(s?.get('loss')).toMatchObject({ goal: 'min', count: 6, best: 0.2, bestStep: 5, min: 0.2, max: 1, maxStep: 1, last: 0.4, lastStep: 6, nonFinite: 0 })
    expect(s?.get('val_accuracy')).toMatchObject({ goal: 'max', best: 0.9, bestStep: 2, last: 0.8 })
    expect(db.prepare('SELECT count(*) AS n FROM metrics').get()).toEqual({ n: 9 })
  })

  it('overwrites a resumed run instead of duplicating, and recomputes what the overwrite invalidated', () => {
    db = tempStore()
    const run = addRun(db)
    insertMetrics(db, rows(run, 'loss', [1, 0.1, 0.5, 0.4]))
    // resume from step 2: the old best (0.1 at step 2) is replaced
    insertMetrics(db, rows(run, 'loss', [0.8, 0.6], 2))
    expect(db.prepare("SELECT step, value FROM metrics WHERE name = 'loss' ORDER BY step").all()).toEqual([
      { step: 1, value: 1 },
      { step: 2, value: 0.8 },
      { step: 3, value: 0.6 },
      { step: 4, value: 0.4 },
    ])
    expect(getMetricSummaries(db, [run], ['loss']).get(run)?.get('loss')).toMatchObject({ count: 4, min: 0.4, minStep: 4, max: 1, last: 0.4, lastStep: 4 })
  })

  it('merges overwrites exactly without a rescan when the stored extremes survive', () => {
    db = tempStore()
    const run = addRun(db)
    insertMetrics(db, rows(run, 'loss', [5, 0.1, Infinity, 0.6, NaN, 0.5]))
    // rewrite steps 3..5 (an Infinity, a 0.6 and a NaN) with finite values; min (step 2) and max (step 1) survive
    insertMetrics(db, rows(run, 'loss', [0.7, 0.8, 0.9], 3))
    const merged = storedSummary(run, 'loss')
    expect(merged).toMatchObject({ count: 6, non_finite: 0, min_value: 0.1, min_step: 2, max_value: 5, max_step: 1, last_value: 0.5, last_step: 6 })
    rebuildMetricSummaries(db, run)
    expect(storedSummary(run, 'loss')).toEqual(merged)
    // a sparse rewrite that also extends the series
    insertMetrics(db, [
      { runId: run, name: 'loss', step: 4, epoch: 0, value: 0.1, wallTime: 9 },
      { runId: run, name: 'loss', step: 8, epoch: 1, value: 7, wallTime: 9 },
    ])
    const extended = storedSummary(run, 'loss')
    expect(extended).toMatchObject({ count: 7, min_value: 0.1, min_step: 2, max_value: 7, max_step: 8, last_step: 8, last_value: 7 })
    rebuildMetricSummaries(db, run)
    expect(storedSummary(run, 'loss')).toEqual(extended)
  })

  it('truncates a resumed run after its checkpoint step and refreshes the summaries', () => {
    db = tempStore()
    const run = addRun(db)
    insertMetrics(db, [...rows(run, 'loss', [1, 0.5, 0.2, 0.1]), ...rows(run, 'val_loss', [0.9], 4)])
    expect(truncateMetrics(db, run, 2)).toBe(3)
    expect(getMetricSummaries(db, [run], ['loss', 'val_loss']).get(run)?.get('loss')).toMatchObject({ count: 2, min: 0.5, last: 0.5, lastStep: 2 })
    expect(listMetricNames(db, [run])).toEqual(['loss'])
    insertMetrics(db, rows(run, 'loss', [0.45, 0.4], 3))
    expect(getMetricSummaries(db, [run], ['loss']).get(run)?.get('loss')).toMatchObject({ count: 4, min: 0.4, last: 0.4, lastStep: 4 })
  })

  it('handles duplicate and out-of-order steps inside one batch like the table does (last write wins)', () => {
    db = tempStore()
    const run = addRun(db)
    insertMetrics(db, [
      { runId: run, name: 'loss', step: 5, epoch: 0, value: 0.5, wallTime: 1 },
      { runId: run, name: 'loss', step: 3, epoch: 0, value: 0.1, wallTime: 1 },
      { runId: run, name: 'loss', step: 3, epoch: 0, value: 0.3, wallTime: 1 },
    ])
    expect(getMetricSummaries(db, [run], ['loss']).get(run)?.get('loss')).toMatchObject({ count: 2, min: 0.3, minStep: 3, last: 0.5, lastStep: 5 })
  })

  it('writes batches longer than one multi-row statement exactly: repeats (last wins), NaN and the remainder', () => {
    db = tempStore()
    const run = addRun(db)
    // 123 rows: two full 50-row statements and 23 single ones; step 7 repeats across the first two.
    const batch = rows(run, 'batch_loss', Array.from({ length: 122 }, (_, i) => (i === 40 ? NaN : i / 100)))
    batch.splice(60, 0, { runId: run, name: 'batch_loss', step: 7, epoch: 0, value: 9, wallTime: 99 })
    insertMetrics(db, batch)
    const stored = db.prepare("SELECT step, value, wall_time AS w FROM metrics WHERE run_id = ? AND name = 'batch_loss' ORDER BY step").all(run) as { step: number; value: number | null; w: number }[]
    expect(stored).toHaveLength(122)
    expect(stored[6]).toEqual({ step: 7, value: 9, w: 99 })
    expect(stored[40]?.value).toBeNull()
    expect(stored[121]).toEqual({ step: 122, value: 1.21, w: 61 })
    expect(getMetricSummaries(db, [run], ['batch_loss']).get(run)?.get('batch_loss')).toMatchObject({ count: 122, nonFinite: 1, max: 9, maxStep: 7, lastStep: 122 })
  })

  it('stores NaN and infinities, counts them, and keeps them out of best values', () => {
    db = tempStore()
    const run = addRun(db)
    insertMetrics(db, rows(run, 'loss', [0.9, 0.5, Infinity, -Infinity, NaN]))
    const s = getMetricSummaries(db, [run], ['loss']).get(run)?.get('loss')
    expect(s).toMatchObject({ count: 5, nonFinite: 3, min: 0.5, max: 0.9, lastStep: 5 })
    expect(s?.last).toBeNaN()
    const [series] = getSeries(db, [run], 'loss')
    expect(series?.y.slice(0, 4)).toEqual([0.9, 0.5, Infinity, -Infinity])
    expect(series?.y[4]).toBeNaN()
    expect(series?.nonFinite).toEqual({ nan: 1, posInf: 1, negInf: 1, firstX: 3 })
  })

  it('counts rows written around insertMetrics once it next writes that series', () => {
    db = tempStore()
    const run = addRun(db)
    db.prepare("INSERT INTO metrics (run_id, name, step, epoch, value, wall_time) VALUES (?, 'loss', 1, 0, 0.01, 0)").run(run)
    insertMetrics(db, rows(run, 'loss', [0.5, 0.4], 2))
    expect(getMetricSummaries(db, [run], ['loss']).get(run)?.get('loss')).toMatchObject({ count: 3, min: 0.01, minStep: 1, last: 0.4 })
  })

  it('rolls the whole batch back when a row is invalid', () => {
    db = tempStore()
    const run = addRun(db)
    const batch = [...rows(run, 'loss', [1, 2]), { runId: 9999, name: 'loss', step: 1, epoch: 0, value: 1, wallTime: 0 }]
    expect(() => insertMetrics(db, batch)).toThrow(/FOREIGN KEY/)
    expect(db.prepare('SELECT count(*) AS n FROM metrics').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT count(*) AS n FROM metric_summaries').get()).toEqual({ n: 0 })
  })

  it('agrees with a full rebuild after many random batches', () => {
    db = tempStore()
    const run = addRun(db)
    let seed = 42
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647)
    let step = 0
    for (let b = 0; b < 120; b++) {
      const resume = rnd() < 0.3
      if (resume) step = Math.max(0, step - Math.floor(rnd() * 40))
      const batch: MetricRow[] = []
      for (let i = 0; i < 25; i++) {
        step++
        const v = rnd() < 0.03 ? NaN : rnd() < 0.02 ? Infinity : Math.round(rnd() * 50) / 10 // ties are common
        batch.push({ runId: run, name: 'loss', step, epoch: step >> 4, value: v, wallTime: step / 10 })
        if (step % 3 === 0) batch.push({ runId: run, name: 'acc', step, epoch: step >> 4, value: rnd(), wallTime: step / 10 })
      }
      insertMetrics(db, batch)
      const incremental = [storedSummary(run, 'loss'), storedSummary(run, 'acc')]
      rebuildMetricSummaries(db, run)
      expect([storedSummary(run, 'loss'), storedSummary(run, 'acc')]).toEqual(incremental)
    }
    expect(listMetricNames(db, [run])).toEqual(['acc', 'loss'])
  })

  // Its speed (rows/s) is the bench case metric_writes; here, that batches of 1,000 land whole.
  it('stores batches of 1,000 rows whole, every name at every step', () => {
    db = tempStore()
    const run = addRun(db)
    const names = ['loss', 'accuracy', 'lr', 'batch_loss']
    for (let b = 0; b < 50; b++) {
      const batch: MetricRow[] = []
      for (let s = 0; s < 250; s++) {
        const step = b * 250 + s
        for (const name of names) batch.push({ runId: run, name, step, epoch: step >> 8, value: step / 7, wallTime: step / 100 })
      }
      insertMetrics(db, batch)
    }
    expect((db.prepare('SELECT count(*) AS n FROM metrics WHERE run_id = ?').get(run) as { n: number }).n).toBe(50_000)
    const [loss] = getSeries(db, [run], 'loss', { maxPoints: 20_000 })
    expect(loss.total).toBe(12_500)
    expect(loss.downsampled).toBe(false)
    expect(loss.x.at(-1)).toBe(12_499)
    expect(loss.y.at(-1)).toBeCloseTo(12_499 / 7, 3)
  })
})

describe('getSeries', () => {
  it('returns each run in step order, empty for runs without the metric', () => {
    db = tempStore()
    const a = addRun(db)
    const b = addRun(db)
    insertMetrics(db, rows(a, 'loss', [3, 2, 1]))
    const [sa, sb] = getSeries(db, [a, b], 'loss', { maxPoints: 100 })
    expect(sa).toMatchObject({ runId: a, metric: 'loss', x: [1, 2, 3], y: [3, 2, 1], total: 3, downsampled: false })
    expect(sb).toMatchObject({ runId: b, x: [], y: [], total: 0 })
  })

  it('downsamples long series to the pixel width, keeping the best value, on any x axis', () => {
    db = tempStore()
    const run = addRun(db)
    const values = Array.from({ length: 20_000 }, (_, i) => 1 / (1 + i / 100) + 0.05 * Math.sin(i))
    values[7777] = -1 // the best
    insertMetrics(db, rows(run, 'loss', values))
    for (const x of ['step', 'epoch', 'wall'] as const) {
      const [s] = getSeries(db, [run], 'loss', { x, maxPoints: 500 })
      expect(s?.downsampled).toBe(true)
      expect(s?.x.length).toBeLessThanOrEqual(2000)
      expect(s?.y).toContain(-1)
      expect(s?.total).toBe(20_000)
    }
    const [wall] = getSeries(db, [run], 'loss', { x: 'wall', maxPoints: 500 })
    expect(wall?.x[0]).toBe(0.5) // wall_time of step 1
    const [lttb] = getSeries(db, [run], 'loss', { maxPoints: 500, mode: 'lttb' })
    expect(lttb?.x.length).toBeLessThanOrEqual(502)
  })

  it('reads sparse and dense step axes exactly, even when rows bypassed the summaries', () => {
    db = tempStore()
    const run = addRun(db)
    insertMetrics(db, [
      ...rows(run, 'loss', [3, 2, 1], 10),
      ...[100, 200, 450].map((step, i) => ({ runId: run, name: 'val_loss', step, epoch: i + 1, value: i, wallTime: step / 10 })),
    ])
    expect(getSeries(db, [run], 'loss')[0]?.x).toEqual([10, 11, 12])
    expect(getSeries(db, [run], 'val_loss')[0]).toMatchObject({ x: [100, 200, 450], y: [0, 1, 2] })
    expect(getSeries(db, [run], 'val_loss', { x: 'epoch' })[0]?.x).toEqual([1, 2, 3])
    db.prepare("INSERT INTO metrics (run_id, name, step, epoch, value, wall_time) VALUES (?, 'loss', 20, 0, 0, 0)").run(run)
    expect(getSeries(db, [run], 'loss')[0]?.x).toEqual([10, 11, 12, 20])
  })

  it('refuses a bad x axis or width with a clear message', () => {
    db = tempStore()
    expect(() => getSeries(db, [1], 'loss', { x: 'time' as never })).toThrow(/Unknown x axis "time"/)
    expect(() => getSeries(db, [1], 'loss', { maxPoints: 0 })).toThrow(/maxPoints/)
  })
})
