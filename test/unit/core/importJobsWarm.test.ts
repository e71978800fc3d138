// A preview warms an import worker; the import that follows runs in it instead of waiting for a
// new one, and a warm worker that dies is not used.
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { EventBus } from '../../../main/core/events'
import { ImportJobs, type ImportWorkerLike } from '../../../main/core/importJobs'
import type { FromImportWorker, ToImportWorker } from '../../../main/datasets/importProtocol'

/** A worker that records what it is sent and answers a start with done. */
class FakeWorker extends EventEmitter implements ImportWorkerLike {
  readonly sent: ToImportWorker['type'][] = []
  terminated = false
  /** finish: a start is answered with done (else the import runs on). */
  constructor(private readonly finish = true) {
    super()
  }
  postMessage(msg: ToImportWorker): void {
    this.sent.push(msg.type)
    if (msg.type === 'warm') queueMicrotask(() => this.emit('message', { type: 'warm' } satisfies FromImportWorker))
    if (msg.type === 'start' && this.finish) queueMicrotask(() => this.emit('message', { type: 'done', result: { datasetId: 1, versionId: 1, version: 1, name: 'x', rowCount: 3 } } satisfies FromImportWorker))
  }
  terminate(): void {
    this.terminated = true
  }
}

describe('ImportJobs.warm', () => {
  it('the next import runs in the warm worker; only one waits; one that exits is dropped', async () => {
    const spawned: FakeWorker[] = []
    const events = new EventBus()
    const finished: unknown[] = []
    events.listen((name, payload) => (name === 'import.finished' ? finished.push(payload) : undefined))
    const jobs = new ImportJobs('db.sqlite', () => (spawned.push(new FakeWorker()), spawned[spawned.length - 1]), events)
    jobs.warm()
    jobs.warm()
    expect(spawned).toHaveLength(1)
    expect(spawned[0].sent).toEqual(['warm'])
    await new Promise((r) => setTimeout(r, 0))
    jobs.start({ kind: 'csv', path: 'a.csv', options: {} })
    expect(spawned).toHaveLength(1)
    expect(spawned[0].sent).toEqual(['warm', 'start'])
    await new Promise((r) => setTimeout(r, 0))
    // The 'warm' answer is not taken for the import's outcome: one outcome, done.
    expect(finished).toEqual([{ jobId: 1, ok: true, result: { datasetId: 1, versionId: 1, version: 1, name: 'x', rowCount: 3 } }])
    // No spare now: the next import gets a new worker.
    jobs.start({ kind: 'csv', path: 'b.csv', options: {} })
    expect(spawned).toHaveLength(2)
    // A spare that exits is not handed an import.
    jobs.warm()
    spawned[2].emit('exit', 1)
    jobs.start({ kind: 'csv', path: 'c.csv', options: {} })
    expect(spawned).toHaveLength(4)
    expect(spawned[2].sent).toEqual(['warm'])
    // Closing stops a waiting spare.
    jobs.warm()
    jobs.close()
    expect(spawned[4].terminated).toBe(true)
  })

  it('a warm worker no import used is stopped after its idle time; one in use is not', async () => {
    const spawned: FakeWorker[] = []
    // The third worker's import runs on (no answer), so only the idle timer could stop it.
    const jobs = new ImportJobs('db.sqlite', () => (spawned.push(new FakeWorker(spawned.length !== 2)), spawned[spawned.length - 1]), new EventBus(), 30)
    jobs.warm()
    await new Promise((r) => setTimeout(r, 80))
    expect(spawned[0].terminated).toBe(true)
    // The next import does not get the stopped one.
    jobs.start({ kind: 'csv', path: 'a.csv', options: {} })
    expect(spawned).toHaveLength(2)
    jobs.warm()
    jobs.start({ kind: 'csv', path: 'b.csv', options: {} })
    expect(spawned).toHaveLength(3)
    await new Promise((r) => setTimeout(r, 80))
    // Taken by an import before its idle time ran out: the timer leaves it and its running import alone.
    expect(spawned[2].sent).toEqual(['warm', 'start'])
    expect(spawned[2].terminated).toBe(false)
  })
})
