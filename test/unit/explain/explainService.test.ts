// Explanations through the contract, with the inference worker on this thread (the same code the
// worker thread runs): Grad-CAM and saliency of a sample, permutation importance, the stored cache.
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../../main/core/createCore'
import { countExplanations } from '../../../main/store/queries/explanations'
import type { CheckpointInfo, PermutationImportanceResult, PredictionPage, SampleExplanation } from '../../../common/contract'
import { CPU_CONFIG, chain, gateSetup, inProcessCore, saveGraph, shapesSetup, trainToEnd, ok } from '../training/support'

let core: Core | null = null
afterEach(async () => {
  await core?.close()
  core = null
})

describe('explanations of a run', () => {
  it('gives an image sample its Grad-CAM heatmap and pixel saliency, stores it, and deletes it with the run', async () => {
    core = inProcessCore()
    const shapes = await shapesSetup(core, 8)
    const conv = chain([
      ['Input', { shape: [16, 16, 1] }],
      ['Conv2D', { filters: 4 }],
      ['Flatten', {}],
      ['Dense', { units: 3, activation: 'softmax' }],
    ])
    const ids = { modelVersionId: await saveGraph(core, 'shapes conv', conv), datasetVersionId: shapes.datasetVersionId }
    const run = await trainToEnd(core, ids, { ...CPU_CONFIG, loss: 'categoricalCrossentropy', epochs: 2, learningRate: 0.01 })
    const [ckpt] = ok<CheckpointInfo[]>(await core.call('runs.checkpoints', { runId: run.id }))
    const page = ok<PredictionPage>(await core.call('runs.predictions', { runId: run.id, checkpointId: ckpt.id, limit: 2 }))
    const row = page.rows[0]
    const ask = { runId: run.id, checkpointId: ckpt.id, rowIndex: row.rowIndex }
    const ex = ok<SampleExplanation>(await core.call('runs.explainSample', ask))
    expect(ex.cached).toBe(false)
    expect(ex.classes).toEqual(['circle', 'square', 'triangle'])
    expect(ex.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4)
    // The default class is the predicted one, as the predictions view shows it.
    expect(ex.classes![ex.classIndex!]).toBe(row.predicted)
    expect(ex.gradCam).toMatchObject({ layer: 'conv2d_2', height: 16, width: 16 })
    expect(ex.gradCam!.layers.map((l) => l.type)).toEqual(['Conv2D'])
    expect(ex.gradCam!.heatmap).toHaveLength(256)
    expect(Math.max(...ex.pixels!.values)).toBeCloseTo(1, 5)
    expect(ex.columns).toBeNull()
    // Asked again: from the store, the same answer.
    const again = ok<SampleExplanation>(await core.call('runs.explainSample', ask))
    expect(again.cached).toBe(true)
    expect({ ...again, cached: false }).toEqual(ex)
    // Another class or method is another entry.
    const other = ok<SampleExplanation>(await core.call('runs.explainSample', { ...ask, classIndex: (ex.classIndex! + 1) % 3, method: 'smoothgrad', samples: 4 }))
    expect(other.cached).toBe(false)
    expect(countExplanations(core.db, run.id)).toBe(2)
    const pi = await core.call('runs.permutationImportance', { runId: run.id, checkpointId: ckpt.id })
    expect(pi).toMatchObject({ ok: false, code: 'invalid_input' })
    const missing = await core.call('runs.explainSample', { ...ask, rowIndex: 999_999 })
    expect(missing).toMatchObject({ ok: false, code: 'not_found' })
    ok(await core.call('runs.delete', { runIds: [run.id] }))
    expect(countExplanations(core.db, run.id)).toBe(0)
  }, 120_000)

  it('explains a table row per column and ranks columns by permutation importance', async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'and')
    const run = await trainToEnd(core, ids, { ...CPU_CONFIG, epochs: 8 })
    const [ckpt] = ok<CheckpointInfo[]>(await core.call('runs.checkpoints', { runId: run.id }))
    const page = ok<PredictionPage>(await core.call('runs.predictions', { runId: run.id, checkpointId: ckpt.id, limit: 1 }))
    const ex = ok<SampleExplanation>(await core.call('runs.explainSample', { runId: run.id, checkpointId: ckpt.id, rowIndex: page.rows[0].rowIndex, method: 'integrated', steps: 64 }))
    expect(ex.gradCam).toBeNull()
    expect(ex.columns!.map((c) => c.column)).toEqual(['a', 'b'])
    // Completeness: the attributions add up to the score change from the all-zero baseline.
    expect(Math.abs(ex.completeness!.sum - ex.completeness!.delta)).toBeLessThanOrEqual(0.01 * Math.abs(ex.completeness!.delta) + 1e-6)
    const pi = ok<PermutationImportanceResult>(await core.call('runs.permutationImportance', { runId: run.id, checkpointId: ckpt.id, repeats: 4 }))
    expect(pi).toMatchObject({ metric: 'accuracy', split: 'test', repeats: 4, cached: false })
    expect(pi.baseline).toBe(1)
    expect(pi.columns.map((c) => c.column).sort()).toEqual(['a', 'b'])
    // AND needs both inputs: shuffling either one costs accuracy.
    expect(pi.columns.every((c) => c.mean > 0)).toBe(true)
    const again = ok<PermutationImportanceResult>(await core.call('runs.permutationImportance', { runId: run.id, checkpointId: ckpt.id, repeats: 4 }))
    expect(again.cached).toBe(true)
    expect(again.columns).toEqual(pi.columns)
  }, 120_000)
})
