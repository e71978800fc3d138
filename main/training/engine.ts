import type { RunState, RunSummary } from '../../preload/contract'
import { AppError } from '../core/errors'
import type { EventBus } from '../core/events'
import type { Db } from '../store'
import type { FromWorker, ToWorker } from './protocol'
import { getRun, setRunState } from './runRecords'

/** What the engine needs of a worker thread (node:worker_threads' Worker fits; tests use a channel). */
export interface WorkerLike {
  postMessage(msg: ToWorker): void
  on(event: 'message', listener: (msg: FromWorker) => void): unknown
  on(event: 'error', listener: (e: Error) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  terminate(): Promise<number> | void
}

/** How the engine starts a worker. */
export type SpawnWorker = () => WorkerLike

/** Knobs of the engine (tests shorten them). */
export interface EngineOptions {
  /** Interval of mid-epoch checkpoints passed to each worker (ms); the fit loop's default otherwise. */
  checkpointMs?: number
}

interface Active {
  worker: WorkerLike
  state: RunState
  done: Promise<void>
}

/**
 * The training queue on the main side: runs wait their turn (one at a time by default), each in
 * its own worker thread; the engine only relays worker messages as core events and never trains
 * on the main event loop.
 */
export class TrainingEngine {
  private readonly queue: { runId: number; resume: boolean }[] = []
  private readonly active = new Map<number, Active>()

  constructor(
    private readonly db: Db,
    private readonly dbPath: string,
    private readonly spawn: SpawnWorker,
    private readonly events: EventBus,
    private readonly concurrency: () => number,
    private readonly options: EngineOptions = {},
  ) {}

  /** Queues a run (new, or resumed from its newest checkpoint). */
  enqueue(runId: number, resume: boolean): RunSummary {
    if (this.active.has(runId) || this.queue.some((q) => q.runId === runId)) throw new AppError('conflict', `Run ${runId} is already queued or running.`)
    setRunState(this.db, runId, 'queued', { error: null })
    this.events.emit('run.state', { runId, state: 'queued' })
    this.queue.push({ runId, resume })
    this.pump()
    return getRun(this.db, runId)
  }

  /** Pauses, resumes or stops a run; stopping a queued run just takes it off the queue. */
  control(runId: number, action: 'pause' | 'resume' | 'stop'): RunSummary {
    const a = this.active.get(runId)
    if (!a) {
      const q = this.queue.findIndex((x) => x.runId === runId)
      if (q >= 0 && action === 'stop') {
        this.queue.splice(q, 1)
        setRunState(this.db, runId, 'stopped')
        this.events.emit('run.state', { runId, state: 'stopped' })
        return getRun(this.db, runId)
      }
      throw new AppError('conflict', `Run ${runId} is not running (it is ${getRun(this.db, runId).state}).`)
    }
    a.worker.postMessage({ type: action })
    return getRun(this.db, runId)
  }

  /** Resolves when every active run has ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size || this.queue.length) await Promise.all([...this.active.values()].map((a) => a.done))
  }

  /** Stops every run (each saves a checkpoint) and waits a little for them; the rest are killed. */
  async shutdown(graceMs = 5000): Promise<void> {
    this.queue.length = 0
    for (const a of this.active.values()) a.worker.postMessage({ type: 'stop' })
    await Promise.race([Promise.all([...this.active.values()].map((a) => a.done)), new Promise((r) => setTimeout(r, graceMs))])
    for (const a of this.active.values()) void a.worker.terminate()
  }

  /** Starts queued runs up to the (possibly just raised) concurrency limit. */
  refresh(): void {
    this.pump()
  }

  private pump(): void {
    while (this.active.size < this.concurrency() && this.queue.length) {
      const next = this.queue.shift()!
      this.startWorker(next.runId, next.resume)
    }
  }

  private startWorker(runId: number, resume: boolean): void {
    const worker = this.spawn()
    let finish!: () => void
    const done = new Promise<void>((r) => (finish = r))
    const entry: Active = { worker, state: 'queued', done }
    this.active.set(runId, entry)
    let ended = false
    const end = (state: RunState, error?: string) => {
      if (ended) return
      ended = true
      this.active.delete(runId)
      this.events.emit('run.state', { runId, state, error: error ?? null })
      void worker.terminate()
      finish()
      this.pump()
    }
    worker.on('message', (msg: FromWorker) => {
      switch (msg.type) {
        case 'backend':
          this.events.emit('run.state', { runId, state: 'running', backend: msg.name, backendReason: msg.reason })
          break
        case 'state':
          entry.state = msg.state
          this.events.emit('run.state', { runId, state: msg.state })
          break
        case 'progress':
          this.events.emit('run.progress', msg.progress)
          break
        case 'epoch':
          this.events.emit('run.epoch', msg.metrics)
          break
        case 'done':
          end(msg.state, msg.error)
          break
      }
    })
    // A worker that crashes (e.g. a native abort) without saying so still ends the run as failed.
    worker.on('error', (e) => {
      try {
        setRunState(this.db, runId, 'failed', { error: e.message })
      } finally {
        end('failed', e.message)
      }
    })
    worker.on('exit', (code) => {
      if (ended) return
      const error = `The training worker exited unexpectedly (code ${code}).`
      try {
        setRunState(this.db, runId, 'failed', { error })
      } finally {
        end('failed', error)
      }
    })
    worker.postMessage({ type: 'start', runId, dbPath: this.dbPath, resume, checkpointMs: this.options.checkpointMs })
  }
}
