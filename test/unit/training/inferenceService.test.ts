// The main-side inference queue and the pure helpers of the predictions view.
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { WorkerLike } from '../../../main/training/engine'
import { InferenceService } from '../../../main/training/inferenceService'
import { filterPredictions, predictionRows } from '../../../main/training/predictionsPage'
import type { FromWorker, ToWorker } from '../../../main/training/protocol'
import { thumbnailPixels } from '../../../main/training/sampleInputs'

/** A worker stand-in that records messages and lets the test answer, crash or exit. */
class FakeWorker extends EventEmitter {
  sent: ToWorker[] = []
  terminated = false
  postMessage(m: ToWorker): void {
    this.sent.push(m)
  }
  terminate(): void {
    this.terminated = true
  }
  reply(m: FromWorker): void {
    this.emit('message', m)
  }
}

describe('InferenceService', () => {
  it('relays tasks to one worker and answers failures as AppErrors with their code', async () => {
    const workers: FakeWorker[] = []
    const svc = new InferenceService('/db', () => {
      const w = new FakeWorker()
      workers.push(w)
      return w as unknown as WorkerLike
    })
    const a = svc.run<{ n: number }>({ kind: 'evaluate', runId: 1, checkpointId: 2, split: 'test' })
    const b = svc.run({ kind: 'predict', runId: 1, input: { kind: 'row', values: {} } })
    expect(workers).toHaveLength(1)
    const [ma, mb] = workers[0].sent as Extract<ToWorker, { type: 'task' }>[]
    expect(ma).toMatchObject({ type: 'task', dbPath: '/db', task: { kind: 'evaluate' } })
    workers[0].reply({ type: 'taskResult', id: mb.id, result: { ok: false, code: 'not_found', message: 'no such checkpoint' } })
    workers[0].reply({ type: 'taskResult', id: ma.id, result: { ok: true, value: { n: 3 } } })
    await expect(a).resolves.toEqual({ n: 3 })
    await expect(b).rejects.toMatchObject({ code: 'not_found', message: 'no such checkpoint' })
    svc.close()
    expect(workers[0].terminated).toBe(true)
  })

  it('hands a task its progress and asks the worker to stop it when aborted', async () => {
    const workers: FakeWorker[] = []
    const svc = new InferenceService('/db', () => {
      const w = new FakeWorker()
      workers.push(w)
      return w as unknown as WorkerLike
    })
    const seen: unknown[] = []
    const abort = new AbortController()
    const p = svc.run({ kind: 'project', runId: 1, checkpointId: 2, split: 'test', samples: 100 }, { onProgress: (x) => seen.push(x), signal: abort.signal })
    const [task] = workers[0].sent as Extract<ToWorker, { type: 'task' }>[]
    workers[0].reply({ type: 'taskProgress', id: task.id, progress: { phase: 'layout', done: 5, total: 200 } })
    // Progress of another task is not this one's.
    workers[0].reply({ type: 'taskProgress', id: task.id + 1, progress: 'other' })
    expect(seen).toEqual([{ phase: 'layout', done: 5, total: 200 }])
    abort.abort()
    expect(workers[0].sent.at(-1)).toEqual({ type: 'cancelTask', id: task.id })
    workers[0].reply({ type: 'taskResult', id: task.id, result: { ok: false, code: 'cancelled', message: 'The projection was cancelled; nothing was stored.' } })
    await expect(p).rejects.toMatchObject({ code: 'cancelled' })
    svc.close()
  })

  it('fails the tasks of a worker that dies and starts a fresh one for the next task', async () => {
    const workers: FakeWorker[] = []
    const svc = new InferenceService('/db', () => {
      const w = new FakeWorker()
      workers.push(w)
      return w as unknown as WorkerLike
    })
    const lost = svc.run({ kind: 'export', runId: 1, folder: '/x', overwrite: false })
    workers[0].emit('exit', 134)
    await expect(lost).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('exited unexpectedly (code 134)') })
    void svc.run({ kind: 'evaluate', runId: 1, checkpointId: 1, split: 'test' }).catch(() => {})
    expect(workers).toHaveLength(2)
    svc.close()
  })

  it('ends an idle worker', async () => {
    const workers: FakeWorker[] = []
    const svc = new InferenceService('/db', () => {
      const w = new FakeWorker()
      workers.push(w)
      return w as unknown as WorkerLike
    }, 10)
    const p = svc.run({ kind: 'evaluate', runId: 1, checkpointId: 1, split: 'test' })
    workers[0].reply({ type: 'taskResult', id: (workers[0].sent[0] as { id: number }).id, result: { ok: true, value: 1 } })
    await p
    await new Promise((r) => setTimeout(r, 40))
    expect(workers[0].terminated).toBe(true)
  })
})

describe('predictions view helpers', () => {
  const p = {
    rowIndex: Uint32Array.from([10, 11, 12, 13]),
    truth: Int32Array.from([0, 1, 1, 0]),
    predicted: Int32Array.from([0, 0, 1, 1]),
    confidence: Float32Array.from([0.9, 0.6, 0.8, 0.7]),
  }
  it('keeps mistakes in order for classification, and sorts regression by worst error', () => {
    expect(Array.from(filterPredictions(p, true, 'mistakes'))).toEqual([1, 3])
    expect(Array.from(filterPredictions(p, true, 'all'))).toEqual([0, 1, 2, 3])
    const reg = { rowIndex: Uint32Array.from([0, 1, 2]), truth: Float32Array.from([1, 2, 3]), predicted: Float32Array.from([1.5, 2, 0]), confidence: null }
    expect(Array.from(filterPredictions(reg, false, 'mistakes'))).toEqual([2, 0, 1])
    const rows = predictionRows(reg, null, [2], [{ kind: 'tabular', values: [] }])
    expect(rows[0]).toMatchObject({ rowIndex: 2, truth: 3, predicted: 0, error: -3, correct: null, confidence: null })
  })

  it('names classes and marks right and wrong', () => {
    const rows = predictionRows(p, ['cat', 'dog'], [1, 2], [{ kind: 'tabular', values: [] }, { kind: 'tabular', values: [] }])
    expect(rows.map((r) => [r.truth, r.predicted, r.correct])).toEqual([
      ['dog', 'cat', false],
      ['dog', 'dog', true],
    ])
  })

  it('downscales big images to a thumbnail and leaves small ones alone', () => {
    const small = new Uint8Array(8 * 8 * 3)
    expect(thumbnailPixels(small, 8, 8, 3).pixels).toBe(small)
    const big = new Uint8Array(192 * 96).map((_, i) => i % 251)
    const t = thumbnailPixels(big, 192, 96, 1)
    expect([t.height, t.width]).toEqual([96, 48])
    expect(t.pixels[0]).toBe(big[1 * 96 + 1])
  })
})
