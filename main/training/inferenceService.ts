import { AppError } from '../../common/errors'
import type { SpawnWorker, WorkerLike } from './engine'
import type { FromWorker } from './protocol'
import type { InferenceTask } from './taskProtocol'

/** A worker left idle this long is ended (it holds loaded models and tf memory). */
export const INFERENCE_IDLE_MS = 60_000

interface Pending {
  resolve: (v: unknown) => void
  reject: (e: AppError) => void
  onProgress?: (progress: unknown) => void
}

/** A task's extras: where its progress goes, and a signal that asks the worker to stop it. */
export interface RunOptions {
  onProgress?: (progress: unknown) => void
  signal?: AbortSignal
}

/**
 * Main's side of inference: evaluation, predictions, try-it and export run in one worker thread
 * (started on first use, ended when idle), never on the main event loop. Tasks queue in the
 * worker; a worker that dies fails its tasks with a message and the next task starts a new one.
 */
export class InferenceService {
  private worker: WorkerLike | null = null
  private next = 1
  private readonly pending = new Map<number, Pending>()
  private idleTimer: ReturnType<typeof setTimeout> | null = null

  constructor(
    private readonly dbPath: string,
    private readonly spawn: SpawnWorker,
    private readonly idleMs = INFERENCE_IDLE_MS,
  ) {}

  /** Runs a task in the worker; resolves with its value or rejects with its AppError. */
  run<T>(task: InferenceTask, opts: RunOptions = {}): Promise<T> {
    const worker = this.ensureWorker()
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
    const id = this.next++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: opts.onProgress })
      worker.postMessage({ type: 'task', id, dbPath: this.dbPath, task })
      opts.signal?.addEventListener('abort', () => this.worker === worker && this.pending.has(id) && worker.postMessage({ type: 'cancelTask', id }), { once: true })
    })
  }

  /** Ends the worker; tasks still waiting fail. */
  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
    this.drop('The app is closing.')
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker
    const w = this.spawn()
    this.worker = w
    w.on('message', (msg: FromWorker) => {
      if (msg.type === 'taskProgress') this.pending.get(msg.id)?.onProgress?.(msg.progress)
      if (msg.type !== 'taskResult') return
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (msg.result.ok) p.resolve(msg.result.value)
      else p.reject(new AppError(msg.result.code, msg.result.message, msg.result.details))
      if (this.pending.size === 0) this.armIdle(w)
    })
    w.on('error', (e: Error) => this.worker === w && this.drop(`The inference worker failed: ${e.message}`))
    w.on('exit', (code: number) => this.worker === w && this.drop(`The inference worker exited unexpectedly (code ${code}).`))
    return w
  }

  private armIdle(w: WorkerLike): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => {
      if (this.worker === w && this.pending.size === 0) this.drop('idle')
    }, this.idleMs)
    // An idle timer must not keep a process (tests, the host) alive on its own.
    ;(this.idleTimer as { unref?: () => void }).unref?.()
  }

  private drop(message: string): void {
    const w = this.worker
    this.worker = null
    for (const p of this.pending.values()) p.reject(new AppError('internal', message))
    this.pending.clear()
    if (w) void w.terminate()
  }
}
