import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../../main/core/createCore'
import { createCore } from '../../../main/core/createCore'
import { importCsv } from '../../../main/datasets/csv/import'
import { buildTemplate } from '../../../common/graph'
import type { ModelDetail, RunSummary, TrainConfig } from '../../../common/contract'
import { bareProbe } from '../../helpers/core'
import { inProcessTrainer } from '../../helpers/inProcessWorker'
import { tempDir } from '../../helpers/tmp'

let core: Core | null = null
afterEach(async () => {
  await core?.close()
  core = null
})

const CONFIG: TrainConfig = {
  optimizer: 'adam',
  learningRate: 0.1,
  momentum: 0.9,
  schedule: { kind: 'none' },
  batchSize: 8,
  epochs: 12,
  loss: 'binaryCrossentropy',
  earlyStopping: null,
  seed: 7,
  backend: 'cpu',
  keepCheckpoints: 2,
}

/** A core whose training runs on this thread, with an AND dataset and the 2-3-1 MLP saved. */
async function setup(): Promise<{ core: Core; modelVersionId: number; datasetVersionId: number }> {
  const dir = tempDir()
  const c = createCore({ dataDir: dir, transport: 'browser', appVersion: 't', backendProbe: bareProbe, spawnTrainer: inProcessTrainer })
  const csv = join(dir, 'and.csv')
  const rows = ['a,b,y']
  for (let i = 0; i < 50; i++) for (const [a, b] of [[0, 0], [0, 1], [1, 0], [1, 1]]) rows.push(`${a},${b},${a & b ? 'pos' : 'neg'}`)
  writeFileSync(csv, rows.join('\n'))
  const imported = await importCsv(c.db, csv, { name: 'and', recipe: { target: 'y' }, split: { train: 0.8, validation: 0.1, test: 0.1, seed: 1 } })
  const saved = await c.call('models.save', { name: 'mlp', graph: buildTemplate('and_xor_mlp') })
  if (!saved.ok) throw new Error(saved.message)
  return { core: c, modelVersionId: (saved.value as ModelDetail).versionId, datasetVersionId: imported.versionId }
}

describe('training engine (cpu backend, in-process worker)', () => {
  it('trains a run to completion with metrics, checkpoints and a test evaluation', async () => {
    const s = await setup()
    core = s.core
    const states: string[] = []
    core.onEvent((e, p) => e === 'run.state' && states.push((p as { state: string }).state))
    const started = await core.call('runs.start', { modelVersionId: s.modelVersionId, datasetVersionId: s.datasetVersionId, config: CONFIG })
    expect(started).toMatchObject({ ok: true, value: { state: 'queued' } })
    await core.engine.idle()
    const run = (started as { value: RunSummary }).value
    const done = await core.call('runs.get', { runId: run.id })
    expect(done).toMatchObject({ ok: true, value: { state: 'completed', backend: 'cpu', error: null } })
    expect(states).toContain('running')
    const metrics = (await core.call('runs.metrics', { runId: run.id })) as { ok: true; value: Record<string, { value: number }[]> }
    expect(metrics.value.loss).toHaveLength(CONFIG.epochs)
    expect(metrics.value.batch_loss.length).toBeGreaterThan(CONFIG.epochs)
    expect(metrics.value.loss.at(-1)!.value).toBeLessThan(metrics.value.loss[0].value)
    expect(metrics.value.val_accuracy.at(-1)!.value).toBe(1)
    const ev = await core.call('runs.evaluation', { runId: run.id })
    expect(ev).toMatchObject({ ok: true, value: { kind: 'classification', classes: ['neg', 'pos'], accuracy: 1 } })
    // Metric writes keep the runs table's per-metric summaries current (sorting and filtering use them).
    const summary = core.db.prepare("SELECT count, max_value FROM metric_summaries WHERE run_id = ? AND name = 'val_accuracy'").get(run.id) as { count: number; max_value: number }
    expect(summary).toEqual({ count: CONFIG.epochs, max_value: 1 })
    const ckpts = core.db.prepare('SELECT count(*) AS n FROM checkpoints WHERE run_id = ?').get(run.id) as { n: number }
    expect(ckpts.n).toBeGreaterThanOrEqual(1)
    expect(ckpts.n).toBeLessThanOrEqual(CONFIG.keepCheckpoints + 1)
  })

  it('refuses a run whose model does not fit the dataset, naming what to change', async () => {
    const s = await setup()
    core = s.core
    const wrongLoss = await core.call('runs.start', { modelVersionId: s.modelVersionId, datasetVersionId: s.datasetVersionId, config: { ...CONFIG, loss: 'categoricalCrossentropy' } })
    expect(wrongLoss).toMatchObject({ ok: false, code: 'invalid_input' })
    if (!wrongLoss.ok) expect(wrongLoss.message).toContain('set units to 2')
    const bad = await core.call('runs.start', { modelVersionId: s.modelVersionId, datasetVersionId: s.datasetVersionId, config: { ...CONFIG, batchSize: 0 } })
    expect(bad).toMatchObject({ ok: false, code: 'invalid_input' })
    expect(core.db.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 0 })
  })

  it('stops mid-run with a checkpoint, then resumes the same run id to completion', async () => {
    const s = await setup()
    core = s.core
    const c = core
    let stopSent = false
    c.onEvent((e, p) => {
      if (e === 'run.progress' && !stopSent && (p as { step: number }).step >= 5) {
        stopSent = true
        void c.call('runs.control', { runId: (p as { runId: number }).runId, action: 'stop' })
      }
    })
    const started = (await c.call('runs.start', { modelVersionId: s.modelVersionId, datasetVersionId: s.datasetVersionId, config: { ...CONFIG, epochs: 40 } })) as { value: RunSummary }
    await c.engine.idle()
    const runId = started.value.id
    expect(await c.call('runs.get', { runId })).toMatchObject({ ok: true, value: { state: 'stopped' } })
    const stoppedAt = (c.db.prepare('SELECT max(step) AS s FROM checkpoints WHERE run_id = ?').get(runId) as { s: number }).s
    expect(stoppedAt).toBeGreaterThan(0)
    expect(await c.call('runs.resume', { runId })).toMatchObject({ ok: true })
    await c.engine.idle()
    expect(await c.call('runs.get', { runId })).toMatchObject({ ok: true, value: { state: 'completed' } })
    const losses = c.db.prepare("SELECT count(*) AS n FROM metrics WHERE run_id = ? AND name = 'loss'").get(runId) as { n: number }
    expect(losses.n).toBe(40)
  })

  it('queues runs one at a time by default and starts more when the limit is raised', async () => {
    const s = await setup()
    core = s.core
    const input = { modelVersionId: s.modelVersionId, datasetVersionId: s.datasetVersionId, config: { ...CONFIG, epochs: 30 } }
    const a = (await core.call('runs.start', input)) as { value: RunSummary }
    const b = (await core.call('runs.start', input)) as { value: RunSummary }
    const stateOf = async (id: number) => ((await core!.call('runs.get', { runId: id })) as { value: RunSummary }).value.state
    await new Promise((r) => setTimeout(r, 50))
    expect(await stateOf(b.value.id)).toBe('queued')
    await core.call('settings.update', { runConcurrency: 2 })
    await new Promise((r) => setTimeout(r, 300))
    expect(await stateOf(b.value.id)).not.toBe('queued')
    await core.engine.idle()
    expect([await stateOf(a.value.id), await stateOf(b.value.id)]).toEqual(['completed', 'completed'])
  })
})
