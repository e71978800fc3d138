// The app's own training on data-parallel threads (NW_TRAIN_THREADS=2 forces it for these small
// models): a run through the core trains like the one-thread run, says how it trained, and a run
// stopped mid-epoch and resumed ends where the uninterrupted data-parallel run does.
import * as tf from '@tensorflow/tfjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../../main/core/createCore'
import { createRun } from '../../../main/store/queries/runRecords'
import type { TrainConfig } from '../../../common/contract'
import { CPU_CONFIG, fitSession, gateSetup, inProcessCore, newestWeights, trainToEnd } from './support'
import { maxRelError } from './wasmHarness'

let core: Core | null = null
const saved = process.env.NW_TRAIN_THREADS
afterEach(async () => {
  await core?.close()
  core = null
  if (saved === undefined) delete process.env.NW_TRAIN_THREADS
  else process.env.NW_TRAIN_THREADS = saved
})
beforeAll(async () => {
  await tf.setBackend('cpu')
})

// 160 training rows: 10 steps an epoch, split 8 + 8.
const CONFIG: TrainConfig = { ...CPU_CONFIG, batchSize: 16, epochs: 3 }

function series(c: Core, runId: number): Record<string, number[]> {
  const rows = c.db.prepare('SELECT name, value FROM metrics WHERE run_id = ? ORDER BY name, step').all(runId) as { name: string; value: number }[]
  const out: Record<string, number[]> = {}
  for (const r of rows) if (!['epoch_seconds', 'samples_per_second'].includes(r.name)) (out[r.name] ??= []).push(r.value)
  return out
}


describe('data-parallel training in the fit loop', () => {
  it('trains like the one-thread run (loss, accuracy, weights) and records "2 threads (data-parallel)"', async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'xor')
    process.env.NW_TRAIN_THREADS = '1'
    const one = await trainToEnd(core, ids, CONFIG)
    process.env.NW_TRAIN_THREADS = '2'
    const two = await trainToEnd(core, ids, CONFIG)
    // One thread: this MLP goes to the fused dense stepper.
    expect(one).toMatchObject({ state: 'completed', stepper: { label: expect.stringContaining('dense-stack'), threads: 1 } })
    expect(two).toMatchObject({ state: 'completed', backend: 'cpu', stepper: { label: 'data-parallel', threads: 2 } })
    const [a, b] = [series(core, one.id), series(core, two.id)]
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort())
    expect(a.accuracy?.length).toBe(3)
    for (const [name, values] of Object.entries(a)) {
      values.forEach((v, i) => expect(Math.abs((b[name]?.[i] as number) - v), `${name}[${i}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))))
    }
    const [wa, wb] = [newestWeights(core, one.id), newestWeights(core, two.id)]
    wa.forEach((w, i) => expect(maxRelError(wb[i] as Float32Array, w)).toBeLessThan(1e-4))
  })

  it('stopped mid-epoch and resumed, ends with the weights and metrics of the uninterrupted run', async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'xor')
    process.env.NW_TRAIN_THREADS = '2'
    const whole = createRun(core.db, { name: 'whole', ...ids, config: CONFIG })
    expect(await fitSession(core, whole, false, null)).toBe('completed')
    const pieces = createRun(core.db, { name: 'pieces', ...ids, config: CONFIG })
    expect(await fitSession(core, pieces, false, 4)).toBe('stopped')
    expect(await fitSession(core, pieces, true, 17)).toBe('stopped')
    expect(await fitSession(core, pieces, true, null)).toBe('completed')
    // Helpers restart from the checkpoint's weights and optimizer state: the same sums, bit for bit.
    const [a, b] = [newestWeights(core, whole), newestWeights(core, pieces)]
    a.forEach((w, i) => expect(Array.from(b[i] as Float32Array)).toEqual(Array.from(w)))
    expect(series(core, pieces)).toEqual(series(core, whole))
  })
})
