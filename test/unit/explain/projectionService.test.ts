// The embedding projector through the contract, with the inference worker on this thread (the
// same code the worker thread runs): the default layer, progress, the stored map, Cancel.
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../../main/core/createCore'
import { countExplanations } from '../../../main/store/queries/explanations'
import type { CheckpointInfo, Projection, ProjectionProgress, SampleInput } from '../../../common/contract'
import { CPU_CONFIG, chain, inProcessCore, saveGraph, shapesSetup, trainToEnd, ok } from '../training/support'

let core: Core | null = null
afterEach(async () => {
  await core?.close()
  core = null
})

/** A trained 3-class conv net on 16x16 shapes and its final checkpoint. */
async function trainedShapes(c: Core): Promise<{ runId: number; checkpointId: number }> {
  const shapes = await shapesSetup(c, 20)
  const conv = chain([
    ['Input', { shape: [16, 16, 1] }],
    ['Conv2D', { filters: 4 }],
    ['Flatten', {}],
    ['Dense', { units: 8, activation: 'relu' }],
    ['Dense', { units: 3, activation: 'softmax' }],
  ])
  const ids = { modelVersionId: await saveGraph(c, 'shapes conv', conv), datasetVersionId: shapes.datasetVersionId }
  const run = await trainToEnd(c, ids, { ...CPU_CONFIG, loss: 'categoricalCrossentropy', epochs: 2, learningRate: 0.01 })
  const [ckpt] = ok<CheckpointInfo[]>(await c.call('runs.checkpoints', { runId: run.id }))
  return { runId: run.id, checkpointId: ckpt.id }
}

describe('embedding projector of a run', () => {
  it('maps the layer before the output with progress, stores the map, reuses it, and deletes it with the run', async () => {
    core = inProcessCore()
    const ask = { ...(await trainedShapes(core)), split: 'train' as const }
    const progress: ProjectionProgress[] = []
    core.onEvent((event, payload) => event === 'projection.progress' && progress.push(payload as ProjectionProgress))
    const p = ok<Projection>(await core.call('runs.project', ask))
    expect(p.cached).toBe(false)
    // Default layer: the one feeding the output (dense_4, 8 wide); every later layer could be chosen.
    expect(p.layer).toBe('dense_4')
    expect(p.width).toBe(8)
    expect(p.layers.map((l) => l.name)).toEqual(['conv2d_2', 'flatten_3', 'dense_4', 'dense_5'])
    expect(p.classes).toEqual(['circle', 'square', 'triangle'])
    const n = p.rowIndex.length
    expect(n).toBe(36)
    for (const a of [p.x, p.y, p.truth, p.predicted, p.confidence]) expect(a).toHaveLength(n)
    expect(new Set(p.truth)).toEqual(new Set([0, 1, 2]))
    expect(p.x.every(Number.isFinite) && p.y.every(Number.isFinite)).toBe(true)
    expect(new Set(progress.map((e) => e.phase))).toEqual(new Set(['loading', 'activations', 'neighbours', 'layout']))
    expect(progress.at(-1)).toMatchObject({ runId: ask.runId, layer: null, phase: 'layout' })
    expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total)
    expect(countExplanations(core.db, ask.runId)).toBe(1)
    // Reopened: from the store, the same map, with no new work.
    progress.length = 0
    const again = ok<Projection>(await core.call('runs.project', ask))
    expect(again.cached).toBe(true)
    expect({ ...again, cached: false }).toEqual(p)
    expect(progress).toEqual([])
    // Another layer is another map; a layer that is not there is refused by name.
    const flat = ok<Projection>(await core.call('runs.project', { ...ask, layer: 'flatten_3', samples: 20 }))
    expect(flat).toMatchObject({ layer: 'flatten_3', width: 14 * 14 * 4, cached: false })
    expect(flat.rowIndex).toHaveLength(20)
    expect(await core.call('runs.project', { ...ask, layer: 'nope' })).toMatchObject({ ok: false, code: 'invalid_input', message: expect.stringContaining('dense_4') })
    expect(await core.call('runs.project', { ...ask, samples: 20_000 })).toMatchObject({ ok: false, code: 'invalid_input' })
    // The hover's sample: its thumbnail pixels.
    const [input] = ok<SampleInput[]>(await core.call('runs.sampleInputs', { runId: ask.runId, rowIndexes: [p.rowIndex[0]] }))
    expect(input).toMatchObject({ kind: 'image', height: 16, width: 16 })
    ok(await core.call('runs.delete', { runIds: [ask.runId] }))
    expect(countExplanations(core.db, ask.runId)).toBe(0)
  }, 180_000)

  it('stops on Cancel and stores nothing; asked again it runs to the end', async () => {
    core = inProcessCore()
    const ask = { ...(await trainedShapes(core)), split: 'train' as const }
    const c = core
    const seen: ProjectionProgress[] = []
    let answer: { cancelled: boolean } | null = null
    c.onEvent((event, payload) => {
      if (event !== 'projection.progress') return
      const e = payload as ProjectionProgress
      seen.push(e)
      // Cancel once the worker is at work on the activations.
      if (e.phase === 'activations' && !answer) void c.call('runs.cancelProjection', ask).then((r) => (answer = ok(r)))
    })
    const r = await c.call('runs.project', ask)
    expect(r).toMatchObject({ ok: false, code: 'cancelled' })
    expect(answer).toEqual({ cancelled: true })
    // It stopped before the layout's last epoch.
    expect(seen.some((e) => e.phase === 'layout' && e.done === e.total)).toBe(false)
    expect(countExplanations(c.db, ask.runId)).toBe(0)
    // Nothing runs any more: a second Cancel finds nothing.
    expect(ok(await c.call('runs.cancelProjection', ask))).toEqual({ cancelled: false })
    const p = ok<Projection>(await c.call('runs.project', ask))
    expect(p.cached).toBe(false)
    expect(countExplanations(c.db, ask.runId)).toBe(1)
  }, 180_000)
})
