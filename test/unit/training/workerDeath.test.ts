// A training worker thread that dies (killed, e.g. for lack of memory) or hangs (stops beating)
// while the app lives on: the run must become interrupted, with the reason on it, within 20 s, and
// the queue must move on to the next run. Real worker threads, real default sweeper timings.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Core } from '../../../main/core/createCore'
import type { WorkerLike } from '../../../main/training/engine'
import { getRun } from '../../../main/store/queries/runRecords'
import type { RunSummary } from '../../../common/contract'
import { CPU_CONFIG, gateSetup, inProcessCore } from './support'

// The worker runs the real training entry (serveTraining) from source through tsx; a side port
// lets the test make it hang the way a deadlocked or swapping thread would.
const WORKER_CODE = `
const { register } = require('tsx/cjs/api'); register();
const { parentPort, workerData } = require('node:worker_threads');
workerData.side.on('message', (m) => { if (m === 'hang') { const until = Date.now() + 120000; while (Date.now() < until) {} } });
require(workerData.entry).serveTraining(parentPort);
`
const ENTRY = resolve(join(__dirname, '../../../main/training/serveTraining.ts'))

interface Spawned {
  worker: Worker
  side: MessagePort
}

let core: Core | null = null
const spawned: Spawned[] = []
afterEach(async () => {
  await core?.close()
  core = null
  for (const s of spawned.splice(0)) await s.worker.terminate()
})

function realWorker(): WorkerLike {
  const { port1, port2 } = new MessageChannel()
  const worker = new Worker(WORKER_CODE, { eval: true, workerData: { entry: ENTRY, side: port2 }, transferList: [port2] })
  spawned.push({ worker, side: port1 })
  return worker as unknown as WorkerLike
}

/** Starts a long run and a short one behind it (one run at a time), and waits until the long one trains. */
async function twoRuns(): Promise<{ long: number; next: number; trainingSince: number }> {
  core = inProcessCore({ spawnTrainer: realWorker })
  const ids = await gateSetup(core, 'and')
  const progress: number[] = []
  core.onEvent((e, p) => e === 'run.progress' && progress.push((p as { runId: number }).runId))
  const start = async (epochs: number) => {
    const r = await core!.call('runs.start', { ...ids, config: { ...CPU_CONFIG, epochs } })
    if (!r.ok) throw new Error(r.message)
    return (r.value as RunSummary).id
  }
  const long = await start(10_000)
  const next = await start(1)
  const deadline = Date.now() + 60_000
  while (!progress.includes(long)) {
    if (Date.now() > deadline) throw new Error('the long run never trained')
    await new Promise((r) => setTimeout(r, 50))
  }
  expect(getRun(core.db, next).state).toBe('queued')
  return { long, next, trainingSince: Date.now() }
}

async function waitForState(runId: number, state: string, withinMs: number): Promise<number> {
  const t0 = Date.now()
  while (getRun(core!.db, runId).state !== state) {
    if (Date.now() - t0 > withinMs) throw new Error(`run ${runId} is ${getRun(core!.db, runId).state}, not ${state}, after ${withinMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return Date.now() - t0
}

describe('a training worker that dies or hangs while the app lives', () => {
  it('killed: the run is interrupted with the reason and the queue moves on', { timeout: 120_000 }, async () => {
    const { long, next } = await twoRuns()
    const killedAt = Date.now()
    await spawned[0].worker.terminate()
    const took = await waitForState(long, 'interrupted', 20_000)
    expect(getRun(core!.db, long).error).toMatch(/worker exited unexpectedly.*Resume/)
    console.log(`worker killed: run interrupted ${Date.now() - killedAt} ms later (poll ${took} ms)`)
    await waitForState(next, 'completed', 60_000)
    // The interrupted run resumes from its newest checkpoint like any other.
    expect((await core!.call('runs.resume', { runId: long })).ok).toBe(true)
    await waitForState(long, 'running', 30_000)
  })

  it('hung (no heartbeat): the sweeper interrupts the run within 20 s, stops the worker and the queue moves on', { timeout: 120_000 }, async () => {
    const { long, next } = await twoRuns()
    const hungAt = Date.now()
    spawned[0].side.postMessage('hang')
    await waitForState(long, 'interrupted', 20_000)
    const after = Date.now() - hungAt
    expect(after).toBeLessThanOrEqual(20_000)
    expect(getRun(core!.db, long).error).toMatch(/stopped responding \(no heartbeat for \d+ s/)
    console.log(`worker hung: run interrupted ${after} ms later`)
    await waitForState(next, 'completed', 60_000)
  })
})
