// Cross-validation rows: k-fold over train+validation (test untouched), and a run that trains on one fold.
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../../main/core/createCore'
import { readChunks } from '../../../main/datasets/chunks/read'
import { batchStream } from '../../../main/training/batches'
import { foldRows } from '../../../main/training/foldRows'
import type { RunSummary } from '../../../common/contract'
import { CPU_CONFIG, gateSetup, inProcessCore, trainToEnd } from './support'

let core: Core | null = null
afterEach(async () => {
  await core?.close()
  core = null
})

function rowsOf(c: Core, versionId: number, split: 'train' | 'validation' | 'test'): number[] {
  const out: number[] = []
  for (const b of readChunks(c.db, versionId, split)) out.push(...b.rowIndex)
  return out
}

describe('cross-validation folds', () => {
  it('splits train+validation into k disjoint held-out folds that cover it, never touching test', async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'and')
    const pool = [...rowsOf(core, ids.datasetVersionId, 'train'), ...rowsOf(core, ids.datasetVersionId, 'validation')].sort((a, b) => a - b)
    const test = new Set(rowsOf(core, ids.datasetVersionId, 'test'))
    expect(test.size).toBeGreaterThan(0)
    const held: number[] = []
    for (let index = 0; index < 3; index++) {
      const f = foldRows(core.db, ids.datasetVersionId, { k: 3, index, seed: 4 })
      for (const r of f.heldOut) expect(f.train.has(r)).toBe(false)
      expect(f.train.size + f.heldOut.size).toBe(pool.length)
      for (const r of [...f.train, ...f.heldOut]) expect(test.has(r)).toBe(false)
      held.push(...f.heldOut)
    }
    expect(held.sort((a, b) => a - b)).toEqual(pool)
    // The stream of a fold yields exactly its rows.
    const f0 = foldRows(core.db, ids.datasetVersionId, { k: 3, index: 0, seed: 4 })
    const streamed: number[] = []
    for (const b of batchStream(core.db, ids.datasetVersionId, { splits: ['train', 'validation'], rows: f0.heldOut }, 7, 1)) streamed.push(...b.rowIndex)
    expect(streamed.sort((a, b) => a - b)).toEqual([...f0.heldOut].sort((a, b) => a - b))
  })

  it('a run with a fold trains on the other folds and validates on the held-out one', async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'and')
    const fold = { k: 3, index: 1, seed: 4 }
    const run: RunSummary = await trainToEnd(core, ids, { ...CPU_CONFIG, epochs: 1, batchSize: 10, fold })
    expect(run.state).toBe('completed')
    const f = foldRows(core.db, ids.datasetVersionId, fold)
    const steps = (core.db.prepare("SELECT count(*) AS n FROM metrics WHERE run_id = ? AND name = 'batch_loss'").get(run.id) as { n: number }).n
    expect(steps).toBe(Math.ceil(f.train.size / 10))
    const val = core.db.prepare("SELECT count(*) AS n FROM metrics WHERE run_id = ? AND name = 'val_loss'").get(run.id) as { n: number }
    expect(val.n).toBe(1)
    // The final evaluation stays on the untouched test split.
    const ev = (await core.call('runs.evaluation', { runId: run.id })) as { ok: true; value: { split: string; n?: number } }
    expect(ev.value.split).toBe('test')
  })
})
