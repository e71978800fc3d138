import { afterEach, describe, expect, it } from 'vitest'
import type { Database } from 'better-sqlite3'
import { AppError } from '../../../common/errors'
import { insertMetrics } from '../../../main/store/queries/metrics'
import {
  deleteRuns,
  getRunConfigs,
  listRunFacets,
  listRuns,
  renameRun,
  setRunNote,
  setRunTags,
  updateRunTags,
} from '../../../main/store/queries/runs'
import type { MetricRow } from '../../../common/runs/types'
import { addDataset, addModel, addRun, tempStore } from './seed'

let db: Database
afterEach(() => db?.close())

const curve = (runId: number, name: string, values: number[]): MetricRow[] =>
  values.map((value, i) => ({ runId, name, step: (i + 1) * 100, epoch: i + 1, value, wallTime: i }))

/** Three runs with different models, datasets, tags, states and curves. */
function seed(): { a: number; b: number; c: number; mnist: number; cifar: number; cnn: number } {
  const cnn = addModel(db, 'cnn')
  const mlp = addModel(db, 'mlp', 3)
  const mnist = addDataset(db, 'mnist')
  const cifar = addDataset(db, 'cifar', 2)
  const a = addRun(db, {
    name: 'baseline', modelVersionId: cnn.versionId, datasetVersionId: mnist.versionId, tags: ['baseline', 'gpu'], note: 'first try',
    config: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 10, schedule: { kind: 'none' } }, createdAt: 1, startedAt: 10, endedAt: 110,
  })
  const b = addRun(db, {
    name: 'lr sweep 3e-4', modelVersionId: cnn.versionId, datasetVersionId: cifar.versionId, tags: ['sweep'], note: '',
    config: { optimizer: 'sgd', learningRate: 0.0003, batchSize: 128, epochs: 20, schedule: { kind: 'step' } }, createdAt: 2, startedAt: 20, endedAt: 420,
  })
  const c = addRun(db, {
    name: 'mlp quick', state: 'failed', modelVersionId: mlp.versionId, datasetVersionId: mnist.versionId, tags: ['gpu'], note: 'diverged, see sweep',
    config: { optimizer: 'adam', learningRate: 0.1 }, createdAt: 3, startedAt: 30, endedAt: 40,
  })
  insertMetrics(db, [
    ...curve(a, 'val_accuracy', [0.8, 0.95, 0.93]),
    ...curve(a, 'loss', [1, 0.4, 0.3]),
    ...curve(b, 'val_accuracy', [0.7, 0.85, 0.91]),
    ...curve(b, 'loss', [1.2, 0.2, 0.25]),
    ...curve(c, 'loss', [2, NaN]),
  ])
  return { a, b, c, mnist: mnist.datasetId, cifar: cifar.datasetId, cnn: cnn.modelId }
}

const ids = (q: Parameters<typeof listRuns>[1]): number[] => listRuns(db, q).rows.map((r) => r.id)

describe('listRuns', () => {
  it('returns every column the runs table shows, newest first by default', () => {
    db = tempStore()
    const { a, b, c } = seed()
    const page = listRuns(db)
    expect(page.total).toBe(3)
    expect(page.rows.map((r) => r.id)).toEqual([c, b, a])
    const row = page.rows.find((r) => r.id === a)
    expect(row).toMatchObject({
      name: 'baseline', state: 'completed', backend: 'cpu', tags: ['baseline', 'gpu'], note: 'first try', createdAt: 1, startedAt: 10, endedAt: 110, durationMs: 100,
      model: { name: 'cnn', version: 1 }, dataset: { name: 'mnist', version: 1 },
      config: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 10 },
    })
    expect(row?.metrics.val_accuracy).toMatchObject({ best: 0.95, bestStep: 200, last: 0.93, lastStep: 300 })
    expect(row?.metrics.loss).toMatchObject({ best: 0.3, last: 0.3 })
    expect(row?.metrics.val_loss).toBeNull()
    expect(page.rows.find((r) => r.id === c)?.metrics.loss?.last).toBeNaN()
  })

  it('sorts by columns, config keys and metric statistics, missing values last', () => {
    db = tempStore()
    const { a, b, c } = seed()
    expect(ids({ sort: { by: 'metric', metric: 'val_accuracy', dir: 'desc' } })).toEqual([a, b, c])
    expect(ids({ sort: { by: 'metric', metric: 'val_accuracy', dir: 'asc' } })).toEqual([b, a, c])
    expect(ids({ sort: { by: 'metric', metric: 'val_accuracy', stat: 'last', dir: 'desc' } })).toEqual([a, b, c])
    expect(ids({ sort: { by: 'metric', metric: 'loss', dir: 'asc' } })).toEqual([b, a, c])
    expect(ids({ sort: { by: 'config', key: 'learningRate', dir: 'asc' } })).toEqual([b, a, c])
    expect(ids({ sort: { by: 'config', key: 'batchSize', dir: 'asc' } })).toEqual([a, b, c])
    expect(ids({ sort: { by: 'config', key: 'schedule.kind', dir: 'desc' } })).toEqual([b, a, c])
    expect(ids({ sort: { by: 'duration', dir: 'desc' } })).toEqual([b, a, c])
    expect(ids({ sort: { by: 'name', dir: 'asc' } })).toEqual([a, b, c])
    expect(ids({ sort: { by: 'model', dir: 'desc' } })).toEqual([c, b, a])
    expect(ids({ sort: { by: 'dataset', dir: 'asc' } })).toEqual([b, c, a])
    expect(ids({ sort: { by: 'state', dir: 'asc' } })).toEqual([b, a, c])
    expect(ids({ sort: { by: 'startedAt', dir: 'asc' } })).toEqual([a, b, c])
  })

  it('filters by state, tag, dataset, model, text and metric expressions', () => {
    db = tempStore()
    const { a, b, c, mnist, cifar, cnn } = seed()
    expect(ids({ filter: { states: ['failed'] } })).toEqual([c])
    expect(ids({ filter: { tags: ['gpu'] } })).toEqual([c, a])
    expect(ids({ filter: { tags: ['gpu', 'baseline'] } })).toEqual([a])
    expect(ids({ filter: { datasetIds: [mnist] } })).toEqual([c, a])
    expect(ids({ filter: { datasetIds: [cifar], modelIds: [cnn] } })).toEqual([b])
    expect(ids({ filter: { text: 'SWEEP' } })).toEqual([c, b]) // b by name and tag, c by note
    expect(ids({ filter: { text: '100%' } })).toEqual([]) // LIKE wildcards are literal
    expect(ids({ filter: { expression: 'val_accuracy > 0.9' } })).toEqual([b, a])
    expect(ids({ filter: { expression: 'val_accuracy > 0.94' } })).toEqual([a])
    expect(ids({ filter: { expression: 'val_accuracy.last >= 0.91 AND loss.last < 0.3' } })).toEqual([b])
    expect(ids({ filter: { expression: 'loss < 0.25' } })).toEqual([b])
    expect(ids({ filter: { expression: 'config.learningRate < 0.01' } })).toEqual([b, a])
    expect(ids({ filter: { expression: 'config.optimizer > 0' } })).toEqual([]) // text never compares to numbers
    expect(ids({ filter: { runIds: [a, c] } })).toEqual([c, a])
  })

  it('pages with a total count', () => {
    db = tempStore()
    for (let i = 0; i < 25; i++) addRun(db, { name: `r${i}`, createdAt: i })
    const first = listRuns(db, { limit: 10 })
    expect(first.total).toBe(25)
    expect(first.rows.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `r${24 - i}`))
    const last = listRuns(db, { limit: 10, offset: 20 })
    expect(last).toMatchObject({ total: 25, limit: 10, offset: 20 })
    expect(last.rows).toHaveLength(5)
    expect(listRuns(db, { limit: 10, offset: 40 })).toMatchObject({ total: 25, rows: [] })
    expect(listRuns(db, { limit: 10, filter: { text: 'r1' } }).total).toBe(11)
  })

  it('refuses bad queries with invalid_input and a message naming the problem', () => {
    db = tempStore()
    const attempt = (q: Parameters<typeof listRuns>[1]): AppError => {
      try {
        listRuns(db, q)
      } catch (e) {
        if (e instanceof AppError) return e
        throw e
      }
      throw new Error('accepted')
    }
    expect(attempt({ filter: { expression: 'val_accuracy >> 1' } })).toMatchObject({ code: 'invalid_filter', message: expect.stringMatching(/">" at column 15/), details: { column: 15 } })
    expect(attempt({ filter: { expression: 'acc > 1 bogus' } }).details).toEqual({ column: 9, token: 'bogus' })
    expect(attempt({ limit: 0 }).message).toMatch(/limit/)
    expect(attempt({ sort: { by: 'config', key: "x') --" } }).message).toMatch(/config key/)
    expect(attempt({ sort: { by: 'colour' as never } }).message).toMatch(/Cannot sort by "colour"/)
    expect(attempt({ filter: { states: ['exploded' as never] } }).message).toMatch(/Unknown run state "exploded"/)
  })
})

describe('run edits', () => {
  it('renames, notes and tags runs, one or many at a time', () => {
    db = tempStore()
    const { a, b } = seed()
    renameRun(db, a, '  best so far ')
    setRunNote(db, a, 'keep')
    expect(setRunTags(db, a, [' x ', 'y', 'x', ''])).toEqual(['x', 'y'])
    updateRunTags(db, [a, b], { add: ['compare'], remove: ['y', 'sweep'] })
    const rows = listRuns(db, { filter: { runIds: [a, b] }, sort: { by: 'createdAt', dir: 'asc' } }).rows
    expect(rows.map((r) => [r.name, r.note, r.tags])).toEqual([
      ['best so far', 'keep', ['x', 'compare']],
      ['lr sweep 3e-4', '', ['compare']],
    ])
    expect(() => renameRun(db, a, '   ')).toThrow(/1 to 200/)
    expect(() => renameRun(db, 999, 'x')).toThrow(/Run 999 does not exist/)
    expect(() => updateRunTags(db, [a, 999], { add: ['z'] })).toThrow(/Run 999/)
    expect(listRuns(db, { filter: { tags: ['z'] } }).total).toBe(0) // all-or-nothing
    expect(listRunFacets(db)).toMatchObject({
      tags: [{ tag: 'compare', count: 2 }, { tag: 'gpu', count: 1 }, { tag: 'x', count: 1 }],
      states: [{ state: 'completed', count: 2 }, { state: 'failed', count: 1 }],
      models: [{ name: 'cnn', count: 2 }, { name: 'mlp', count: 1 }],
      metrics: ['loss', 'val_accuracy'],
    })
  })

  it('deletes runs with their metrics, summaries, checkpoints and evaluation in one transaction', () => {
    db = tempStore()
    const { a, b } = seed()
    db.prepare("INSERT INTO checkpoints (run_id, epoch, step, blob, checksum, byte_size, created_at) VALUES (?, 1, 100, x'00', 'c', 1, 1)").run(a)
    db.prepare("INSERT INTO run_evaluations (run_id, split, json, created_at) VALUES (?, 'test', '{}', 1)").run(a)
    expect(deleteRuns(db, [a])).toEqual({ runs: 1, metrics: 6, checkpoints: 1 })
    for (const table of ['metrics', 'metric_summaries', 'checkpoints', 'run_evaluations']) {
      expect(db.prepare(`SELECT count(*) AS n FROM ${table} WHERE run_id = ?`).get(a)).toEqual({ n: 0 })
    }
    expect(listRuns(db).total).toBe(2)
    db.prepare("UPDATE runs SET state = 'running' WHERE id = ?").run(b)
    expect(() => deleteRuns(db, [b])).toThrow(/still running/)
    expect(db.prepare('SELECT count(*) AS n FROM metrics WHERE run_id = ?').get(b)).toEqual({ n: 6 })
  })

  it('returns parsed configs for the diff view', () => {
    db = tempStore()
    const { a, c } = seed()
    expect(getRunConfigs(db, [a, c])).toEqual({
      [a]: { optimizer: 'adam', learningRate: 0.001, batchSize: 64, epochs: 10, schedule: { kind: 'none' } },
      [c]: { optimizer: 'adam', learningRate: 0.1 },
    })
  })
})
