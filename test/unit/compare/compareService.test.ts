import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../../main/core/createCore'
import type { ExportPiece, RunsCsvExport } from '../../../common/contract'
import { g } from '../../helpers/graphFixtures'
import { testCore } from '../../helpers/core'
import { insertMetrics } from '../../../main/store/queries/metrics'
import { addDataset, addRun } from '../runs/seed'

let core: Core | null = null
afterEach(async () => {
  await core?.close()
  core = null
})

function addModelVersion(c: Core, name: string, graphs: ReturnType<typeof g>[]): number[] {
  const modelId = Number(c.db.prepare('INSERT INTO models (name, created_at, updated_at) VALUES (?, 1, 1)').run(name).lastInsertRowid)
  return graphs.map((graph, i) =>
    Number(c.db.prepare('INSERT INTO model_versions (model_id, version, graph_json, created_at) VALUES (?, ?, ?, 1)').run(modelId, i + 1, JSON.stringify(graph)).lastInsertRowid),
  )
}

const mlp = (units: number, extra = false) =>
  g(
    [
      ['in', 'Input', { shape: [4] }],
      ['h', 'Dense', { units }],
      ...(extra ? ([['h2', 'Dense', { units: 8 }]] as [string, string, Record<string, unknown>][]) : []),
      ['out', 'Dense', { units: 3, activation: 'softmax' }],
    ],
    extra ? [['in', 'h'], ['h', 'h2'], ['h2', 'out']] : [['in', 'h'], ['h', 'out']],
  )

/** Two completed runs of two model versions on one dataset, with metrics and one evaluation. */
function seed(c: Core) {
  const [v1, v2] = addModelVersion(c, 'mlp', [mlp(16), mlp(32, true)]) as [number, number]
  const { versionId: dv } = addDataset(c.db, 'blobs')
  // Whole configs, as runs.start stores them (a run's config is read back through its schema).
  const base = { optimizer: 'adam', learningRate: 0.01, momentum: 0.9, batchSize: 16, epochs: 3, schedule: { kind: 'none' }, loss: 'categoricalCrossentropy', earlyStopping: null, seed: 1, backend: 'cpu', keepCheckpoints: 3 }
  const a = addRun(c.db, { name: 'lr 0.01', modelVersionId: v1, datasetVersionId: dv, config: base, tags: ['x'] })
  const b = addRun(c.db, { name: 'lr 0.1', modelVersionId: v2, datasetVersionId: dv, config: { ...base, learningRate: 0.1 } })
  const rows = [a, b].flatMap((runId, k) =>
    Array.from({ length: 3000 }, (_, i) => ({ runId, name: 'loss', step: i, epoch: Math.floor(i / 1000), value: 1 / (i + 1) + k + (i === 1234 ? -5 : 0), wallTime: i / 100 })),
  )
  insertMetrics(c.db, rows)
  const ev = { kind: 'classification', split: 'test', classes: ['a', 'b'], accuracy: 0.5, confusion: [[1, 1], [1, 1]], perClass: [], loss: 1 }
  c.db.prepare('INSERT INTO run_evaluations (run_id, split, json, created_at) VALUES (?, ?, ?, 1)').run(a, 'test', JSON.stringify(ev))
  return { a, b, v1, v2 }
}

describe('Compare requests', () => {
  it('pages the runs table and reports a bad filter expression as data naming the token', async () => {
    core = testCore()
    const { a, b } = seed(core)
    const page = await core.call('runs.list', { limit: 1, sort: { by: 'name', dir: 'asc' }, metrics: ['loss'] })
    expect(page).toMatchObject({ ok: true, value: { total: 2, limit: 1, offset: 0, rows: [{ id: a, name: 'lr 0.01' }] } })
    const bad = await core.call('runs.list', { filter: { expression: 'loss > $' } })
    expect(bad).toMatchObject({ ok: false, code: 'invalid_filter', details: { token: '$', column: 8 } })
    expect((bad as { message: string }).message).toContain('"$"')
    const filtered = await core.call('runs.list', { filter: { expression: 'config.learningRate > 0.05' } })
    expect(filtered).toMatchObject({ ok: true, value: { total: 1, rows: [{ id: b }] } })
  })

  it('refuses unknown keys, oversize selections and unknown states before any query runs', async () => {
    core = testCore()
    expect(await core.call('runs.list', { limit: 50, everything: true })).toMatchObject({ ok: false, code: 'invalid_input' })
    expect(await core.call('runs.list', { filter: { states: ['exploded'] } })).toMatchObject({ ok: false, code: 'invalid_input' })
    const many = Array.from({ length: 201 }, (_, i) => i + 1)
    expect(await core.call('runs.series', { runIds: many, metric: 'loss' })).toMatchObject({ ok: false, code: 'invalid_input' })
    expect(await core.call('runs.update', { runId: 1 })).toMatchObject({ ok: false, code: 'invalid_input' })
  })

  it('downsamples series to the asked width and keeps every extreme', async () => {
    core = testCore()
    const { a, b } = seed(core)
    const res = (await core.call('runs.series', { runIds: [a, b], metric: 'loss', x: 'step', maxPoints: 100 })) as { ok: true; value: { goal: string; series: { runId: number; x: number[]; y: number[]; downsampled: boolean }[] } }
    expect(res.ok).toBe(true)
    expect(res.value.goal).toBe('min')
    for (const s of res.value.series) {
      expect(s.downsampled).toBe(true)
      expect(s.x.length).toBeLessThanOrEqual(400)
      expect(s.x).toContain(1234) // the spike (the best value) survives
    }
  })

  it('renames, notes and tags a run, tags several, and deletes with checkpoints, refusing busy runs', async () => {
    core = testCore()
    const { a, b } = seed(core)
    expect(await core.call('runs.update', { runId: a, name: '  tuned  ', note: 'best so far', tags: ['keep', 'keep', ' x '] })).toEqual({
      ok: true,
      value: { runId: a, name: 'tuned', note: 'best so far', tags: ['keep', 'x'] },
    })
    expect(await core.call('runs.tag', { runIds: [a, b], add: ['sweep'], remove: ['x'] })).toEqual({ ok: true, value: { updated: 2 } })
    const facets = (await core.call('runs.facets', {})) as { ok: true; value: { tags: { tag: string; count: number }[] } }
    expect(facets.value.tags).toEqual([
      { tag: 'sweep', count: 2 },
      { tag: 'keep', count: 1 },
    ])
    core.db.prepare("UPDATE runs SET state = 'paused' WHERE id = ?").run(b)
    expect(await core.call('runs.delete', { runIds: [a, b] })).toMatchObject({ ok: false, code: 'conflict' })
    expect(await core.call('runs.delete', { runIds: [a] })).toMatchObject({ ok: true, value: { runs: 1, metrics: 3000 } })
    expect(await core.call('runs.update', { runId: a, note: 'gone' })).toMatchObject({ ok: false, code: 'not_found' })
  })

  it('diffs configs and architectures, lists evaluations, and exports CSV', async () => {
    core = testCore()
    const { a, b } = seed(core)
    const cfg = (await core.call('runs.configs', { runIds: [b, a] })) as { ok: true; value: { runIds: number[]; rows: { key: string; differs: boolean; values: Record<string, unknown> }[] } }
    expect(cfg.value.runIds).toEqual([b, a])
    expect(cfg.value.rows.filter((r) => r.differs).map((r) => r.key)).toEqual(['learningRate'])
    const arch = (await core.call('runs.archDiff', { runIdA: a, runIdB: b })) as { ok: true; value: { diff: { added: { name: string }[]; changed: { b: { name: string } }[] } } }
    expect(arch.value.diff.added.map((l) => l.name)).toEqual(['h2'])
    expect(arch.value.diff.changed.map((c) => c.b.name)).toContain('h')
    expect(await core.call('runs.evaluations', { runIds: [a, b] })).toMatchObject({ ok: true, value: [{ runId: a, evaluation: { kind: 'classification' } }, { runId: b, evaluation: null }] })
    const exported = (await core.call('runs.exportCsv', { runIds: [a], metrics: ['loss'] })) as { ok: true; value: RunsCsvExport }
    expect(exported.value).toMatchObject({ rows: 3000, fileName: expect.stringMatching(/^runs-1-.*\.csv$/) })
    expect(exported.value.path).toBe(join(dirname(core.dbPath), 'exports', exported.value.fileName))
    const text = readFileSync(exported.value.path, 'utf8')
    expect(text.split('\r\n')[0]).toBe('run_id,run,metric,step,epoch,wall_time,value')
    expect(text.trim().split('\r\n')).toHaveLength(3001)
    expect(exported.value.bytes).toBe(Buffer.byteLength(text))
    // The renderer reads it back in line-aligned pieces through the contract; names outside the exports folder are refused.
    const piece = (await core.call('runs.exportRead', { fileName: exported.value.fileName, offset: 0 })) as { ok: true; value: ExportPiece }
    expect(piece.value).toMatchObject({ text, done: true, nextOffset: exported.value.bytes })
    expect(await core.call('runs.exportRead', { fileName: '../workbench.sqlite', offset: 0 })).toMatchObject({ ok: false, code: 'invalid_input' })
    expect(await core.call('runs.metricNames', { runIds: [a] })).toEqual({ ok: true, value: ['loss'] })
  })
})
