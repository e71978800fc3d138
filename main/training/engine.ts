import { availableParallelism } from 'node:os'
import type { RunState, RunSummary } from '../../common/contract'
import { AppError } from '../../common/errors'
import type { EventBus } from '../core/events'
import type { Db } from '../store'
import type { FromWorker, ToWorker } from './protocol'
import { claimRun, getRun, interruptRun, ownedUnfinishedRuns, setRunState, type RunOwner } from '../store/queries/runRecords'

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
  /** How often the sweeper looks for dead or silent workers (ms, default 2.5 s). */
  sweepMs?: number
  /** A worker whose run has not beaten for this long is taken to be hung (ms, default 15 s). */
  staleMs?: number
  /** The same before its first batch: loading a GPU backend or compiling kernels may block a while (ms, default 2 min). */
  startupGraceMs?: number
}

/** Defaults of the live sweeper: a hung worker is caught within STALE + SWEEP = 17.5 s. */
export const SWEEP_MS = 2500
export const STALE_WORKER_MS = 15_000
export const STARTUP_GRACE_MS = 120_000

interface Active {
  worker: WorkerLike
  state: RunState
  done: Promise<void>
  /** When the worker was spawned: the heartbeat clock starts here, since loading a backend takes a while. */
  spawnedAt: number
  /** Whether it has trained a batch: before that, a long synchronous load (CUDA, cuDNN) is not a hang. */
  training: boolean
  /** Ends the run from outside the worker (the sweeper), terminating the worker. */
  abandon: (reason: string) => void
}

/**
 * The training queue on the main side: runs wait their turn (one at a time by default), each in
 * its own worker thread; the engine only relays worker messages as core events and never trains
 * on the main event loop.
 */
export class TrainingEngine {
  private readonly queue: { runId: number; resume: boolean }[] = []
  private readonly active = new Map<number, Active>()
  private readonly sweeper: ReturnType<typeof setInterval>

  constructor(
    private readonly db: Db,
    private readonly dbPath: string,
    private readonly spawn: SpawnWorker,
    private readonly events: EventBus,
    private readonly concurrency: () => number,
    /** This app instance: written on every run it queues or trains. */
    private readonly owner: RunOwner,
    private readonly options: EngineOptions = {},
  ) {
    // Workers can die or hang without telling us (an OOM kill, a native abort, a deadlock); the
    // sweeper turns those runs into interrupted ones the person can resume.
    this.sweeper = setInterval(() => this.sweep(), options.sweepMs ?? SWEEP_MS)
    this.sweeper.unref?.()
  }

  /** Queues a run (new, or resumed from its newest checkpoint). */
  enqueue(runId: number, resume: boolean): RunSummary {
    if (this.active.has(runId) || this.queue.some((q) => q.runId === runId)) throw new AppError('conflict', `Run ${runId} is already queued or running.`)
    setRunState(this.db, runId, 'queued', { error: null })
    claimRun(this.db, runId, this.owner)
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

  /**
   * Takes a run that is still waiting in the queue (no worker yet) off it and returns true; false
   * when it is not waiting (running, or not queued here). Its stored state is left to the caller
   * (a paused study holds its waiting trial runs this way, see StudyScheduler.control).
   */
  withdraw(runId: number): boolean {
    const q = this.queue.findIndex((x) => x.runId === runId)
    if (q < 0) return false
    this.queue.splice(q, 1)
    return true
  }

  /** Resolves when every active run has ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size || this.queue.length) await Promise.all([...this.active.values()].map((a) => a.done))
  }

  /** Stops every run (each saves a checkpoint) and waits a little for them; the rest are killed. */
  async shutdown(graceMs = 5000): Promise<void> {
    clearInterval(this.sweeper)
    for (const q of this.queue.splice(0)) this.interrupt(q.runId, 'The app closed while this run was waiting in the queue. Resume it to train it.')
    for (const a of this.active.values()) a.worker.postMessage({ type: 'stop' })
    await Promise.race([Promise.all([...this.active.values()].map((a) => a.done)), new Promise((r) => setTimeout(r, graceMs))])
    for (const a of [...this.active.values()]) a.abandon('The app closed before this run could save and stop. Resume it to continue from its newest checkpoint.')
  }

  /**
   * One pass of the live sweeper: a run whose worker has not beaten for staleMs is interrupted and
   * its worker terminated; an unfinished run this instance owns but no longer tracks (queue and
   * workers live in memory) is interrupted too. Public so tests can step it.
   */
  sweep(now = Date.now()): number[] {
    const swept: number[] = []
    try {
      for (const run of ownedUnfinishedRuns(this.db, this.owner.instance)) {
        const a = this.active.get(run.id)
        if (a) {
          const last = Math.max(run.heartbeatAt ?? 0, a.spawnedAt)
          const stale = a.training ? (this.options.staleMs ?? STALE_WORKER_MS) : (this.options.startupGraceMs ?? STARTUP_GRACE_MS)
          if (now - last <= stale) continue
          a.abandon(
            `The training worker stopped responding (no heartbeat for ${Math.round((now - last) / 1000)} s: it hung, or was killed, for example for lack of memory) and was stopped. Resume the run to continue from its newest checkpoint.`,
          )
          swept.push(run.id)
        } else if (!this.queue.some((q) => q.runId === run.id)) {
          this.interrupt(run.id, 'The app lost track of this run (its worker ended without a word). Resume it to continue from its newest checkpoint.')
          swept.push(run.id)
        }
      }
    } catch {
      // A locked or closing database: the next pass looks again.
    }
    return swept
  }

  private interrupt(runId: number, reason: string): void {
    if (interruptRun(this.db, runId, reason)) this.events.emit('run.state', { runId, state: 'interrupted', error: reason })
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
    // A worker that dies or hangs leaves a resumable run: its checkpoints are whole, only the
    // process is gone, so the run is interrupted (not failed) with the reason on it.
    const abandon = (reason: string) => {
      if (ended) return
      try {
        interruptRun(this.db, runId, reason)
      } finally {
        end('interrupted', reason)
      }
    }
    const entry: Active = { worker, state: 'queued', done, spawnedAt: Date.now(), training: false, abandon }
    this.active.set(runId, entry)
    worker.on('message', (msg: FromWorker) => {
      switch (msg.type) {
        case 'backend':
          this.events.emit('run.state', { runId, state: 'running', backend: msg.name, backendReason: msg.reason })
          break
        case 'stepper':
          // Stored with the backend record by the worker; the state event makes the app re-read the run.
          this.events.emit('run.state', { runId, state: entry.state })
          break
        case 'state':
          entry.state = msg.state
          this.events.emit('run.state', { runId, state: msg.state })
          break
        case 'progress':
          entry.training = true
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
    worker.on('error', (e) => abandon(`The training worker crashed (${e.message}). Resume the run to continue from its newest checkpoint.`))
    worker.on('exit', (code) => abandon(`The training worker exited unexpectedly (code ${code}). Resume the run to continue from its newest checkpoint.`))
    // Runs allowed at once share the cores, so data-parallel runs (or study trials) side by side do not oversubscribe them.
    const coreShare = Math.max(1, Math.floor(availableParallelism() / Math.max(1, this.concurrency())))
    worker.postMessage({ type: 'start', runId, dbPath: this.dbPath, resume, checkpointMs: this.options.checkpointMs, owner: this.owner, coreShare })
  }
}
