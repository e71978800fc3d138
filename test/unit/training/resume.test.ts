// Resuming is exact: a run stopped mid-epoch (several times) and resumed from its checkpoints ends
// with the same weights and the same metric values, bit for bit, as the run trained in one go.
import * as tf from '@tensorflow/tfjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Core } from '../../../main/core/createCore'
import { listCheckpoints } from '../../../main/store/queries/checkpoints'
import { readOptimizerScalars, restoreOptimizerScalars } from '../../../main/training/optimizerState'
import { claimRun, createRun, decodeBackendRecord, encodeBackendRecord, getRun, setRunState } from '../../../main/store/queries/runRecords'
import type { TrainConfig } from '../../../common/contract'
import { CPU_CONFIG, fitSession, gateSetup, inProcessCore, newestWeights } from './support'

let core: Core | null = null
afterEach(async () => {
  await core?.close()
  core = null
})
beforeAll(async () => {
  await tf.setBackend('cpu')
})


function series(c: Core, runId: number): Record<string, [number, number][]> {
  const rows = c.db.prepare('SELECT name, step, value FROM metrics WHERE run_id = ? ORDER BY name, step').all(runId) as { name: string; step: number; value: number }[]
  const out: Record<string, [number, number][]> = {}
  for (const r of rows) if (!['epoch_seconds', 'samples_per_second'].includes(r.name)) (out[r.name] ??= []).push([r.step, r.value])
  return out
}

describe('exact resume (cpu backend)', () => {
  it('stopped mid-epoch four times and resumed, a run ends bit-identical to the uninterrupted one', async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'xor')
    // A schedule and a monitored training loss make the epoch sums matter, not only the weights.
    const config: TrainConfig = { ...CPU_CONFIG, epochs: 6, schedule: { kind: 'plateau', patience: 1, factor: 0.5, minLr: 1e-4 } }
    const whole = createRun(core.db, { name: 'whole', ...ids, config })
    expect(await fitSession(core, whole, false, null)).toBe('completed')

    const pieces = createRun(core.db, { name: 'pieces', ...ids, config })
    // 20 steps an epoch: stops inside epochs 0, 1 and 2, exactly at the end of epoch 3's batches, and in epoch 4.
    const stops = [7, 33, 41, 80, 95]
    expect(await fitSession(core, pieces, false, stops[0])).toBe('stopped')
    for (const at of stops.slice(1)) expect(await fitSession(core, pieces, true, at)).toBe('stopped')
    expect(await fitSession(core, pieces, true, null)).toBe('completed')

    const a = newestWeights(core, whole)
    const b = newestWeights(core, pieces)
    expect(b).toHaveLength(a.length)
    a.forEach((w, i) => expect(Array.from(b[i])).toEqual(Array.from(w)))
    expect(series(core, pieces)).toEqual(series(core, whole))
    const ev = (id: number) => core!.db.prepare('SELECT json FROM run_evaluations WHERE run_id = ?').pluck().get(id)
    expect(ev(pieces)).toEqual(ev(whole))
  })

  it("keeps Adam's running beta powers: setWeights alone would recompute them as pow() and drift", async () => {
    const opt = tf.train.adam(0.01)
    const v = tf.variable(tf.tensor1d([0.3, -0.2]))
    for (let i = 0; i < 200; i++) opt.minimize(() => v.square().sum() as tf.Scalar, false, [v])
    const saved = readOptimizerScalars(opt)
    const weights = await opt.getWeights()
    const fresh = tf.train.adam(0.01)
    await fresh.setWeights(weights)
    const approx = readOptimizerScalars(fresh)
    // pow(beta2, 201) in one go differs from 200 float32 multiplications in the last bits.
    expect(approx.accBeta2).not.toBe(saved.accBeta2)
    restoreOptimizerScalars(tf, fresh, saved)
    expect(readOptimizerScalars(fresh)).toEqual(saved)
  })

  it('writes mid-epoch checkpoints on a timer; they list as unfinished and do not count as done epochs', async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'and')
    const runId = createRun(core.db, { name: 'mid', ...ids, config: { ...CPU_CONFIG, epochs: 3, keepCheckpoints: 4 } })
    // checkpointMs 0: a checkpoint after every batch; stop inside epoch 1.
    expect(await fitSession(core, runId, false, 27, 0)).toBe('stopped')
    const list = listCheckpoints(core.db, runId)
    expect(list.length).toBeLessThanOrEqual(4 + 1)
    expect(list[0]).toMatchObject({ step: 27, epoch: 1, epochFinished: false })
    expect(getRun(core.db, runId).epochsDone).toBe(1)
    expect(await fitSession(core, runId, true, null, 0)).toBe('completed')
    const done = listCheckpoints(core.db, runId)
    expect(done[0]).toMatchObject({ step: 60, epoch: 2, epochFinished: true })
    expect(getRun(core.db, runId).epochsDone).toBe(3)
  })
})

describe('run records', () => {
  it('every unfinished run another instance owned is interrupted at the first start-up, at once, with the reason', async () => {
    const first = inProcessCore()
    const ids = await gateSetup(first, 'and')
    const running = createRun(first.db, { name: 'running', ...ids, config: CPU_CONFIG })
    const paused = createRun(first.db, { name: 'paused', ...ids, config: CPU_CONFIG })
    const queued = createRun(first.db, { name: 'queued', ...ids, config: CPU_CONFIG })
    const done = createRun(first.db, { name: 'done', ...ids, config: CPU_CONFIG })
    // As the dead process left them: a heartbeat just now (no waiting window may save them) and its owner.
    for (const [id, state] of [[running, 'running'], [paused, 'paused'], [queued, 'queued'], [done, 'completed']] as const) {
      setRunState(first.db, id, state)
      claimRun(first.db, id, { instance: 'dead-instance', pid: 4242 })
    }
    const dataDir = first.dbPath.replace(/[/\\][^/\\]+$/, '')
    first.db.close()
    core = inProcessCore({ dataDir })
    expect(core.interruptedAtStart.sort()).toEqual([running, paused, queued].sort())
    for (const id of [running, paused, queued]) expect(getRun(core.db, id)).toMatchObject({ state: 'interrupted', error: expect.stringContaining('pid 4242') })
    expect(getRun(core.db, done).state).toBe('completed')
    // The run is resumable right away and trains to the end under the new owner.
    const resumed = await core.call('runs.resume', { runId: running })
    expect(resumed.ok).toBe(true)
    await core.engine.idle()
    expect(getRun(core.db, running).state).toBe('completed')
    expect(core.db.prepare('SELECT owner_instance AS i, owner_pid AS p FROM runs WHERE id = ?').get(running)).toEqual({ i: core.owner.instance, p: process.pid })
  })

  it("stores the backend's device and the faster rungs' errors verbatim, and still reads plain-text reasons", async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'and')
    const runId = createRun(core.db, { name: 'b', ...ids, config: CPU_CONFIG })
    const cuda = 'libcudnn.so.8: cannot open shared object file\n(dlopen failed)'
    setRunState(core.db, runId, 'running', { backend: 'wasm', backendReason: encodeBackendRecord({ reason: 'WebAssembly SIMD', device: 'CPU (WebAssembly SIMD)', tried: [{ name: 'tensorflow-gpu', error: cuda }] }) })
    expect(getRun(core.db, runId)).toMatchObject({ backend: 'wasm', backendReason: 'WebAssembly SIMD', backendDevice: 'CPU (WebAssembly SIMD)', backendTried: [{ name: 'tensorflow-gpu', error: cuda }] })
    expect(decodeBackendRecord('pure JavaScript')).toEqual({ reason: 'pure JavaScript', device: null, tried: [] })
    expect(decodeBackendRecord(null)).toBeNull()
  })

  it('a trained run records the backend it used, its device and the rungs it skipped', async () => {
    core = inProcessCore()
    const ids = await gateSetup(core, 'and')
    const started = await core.call('runs.start', { ...ids, config: { ...CPU_CONFIG, epochs: 1 } })
    await core.engine.idle()
    const got = await core.call('runs.get', { runId: (started as { ok: true; value: { id: number } }).value.id })
    expect(got).toMatchObject({ ok: true, value: { state: 'completed', backend: 'cpu', backendDevice: 'CPU (JavaScript)', backendTried: [] } })
  })
})
