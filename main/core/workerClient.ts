import type { ErrorCode } from '../../common/contract'
import { AppError } from '../../common/errors'

/** What a WorkerClient needs of a worker (node:worker_threads' Worker fits; tests use a channel). */
export interface ClientWorker<Req, Reply> {
  postMessage(msg: Req): void
  on(event: 'message', listener: (msg: Reply) => void): unknown
  on(event: 'error', listener: (e: Error) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  terminate(): Promise<number> | void
}

/** A worker's answer to one call, as data. */
export type WorkerAnswer = { id: number; ok: true; value: unknown } | { id: number; ok: false; code: ErrorCode; message: string; details?: unknown }

/** How a WorkerClient talks to one kind of worker. */
export interface WorkerClientOptions<Req, Reply> {
  /** Names the worker in the messages of calls it fails ("read worker"). */
  name: string
  /** Starts a worker (on first use, and again after one died). */
  spawn: () => ClientWorker<Req, Reply>
  /** The answer a message carries, or null for a message that answers no call (a log line, progress). */
  answer: (msg: Reply) => WorkerAnswer | null
  /** The progress report a message carries for a call, or null (workers without progress omit this). */
  progress?: (msg: Reply) => { id: number; progress: unknown } | null
  /** The code calls fail with when the worker dies under them. */
  deathCode: ErrorCode
  /** End a worker left without calls this long (ms); kept forever when absent. */
  idleMs?: number
}

interface Pending {
  resolve: (v: unknown) => void
  reject: (e: AppError) => void
  onProgress?: (progress: unknown) => void
}

/** A call's extras: where its progress goes, and a signal whose abort sends the worker `cancel(id)`. */
export interface CallOptions<Req> {
  onProgress?: (progress: unknown) => void
  signal?: AbortSignal
  cancel?: (id: number) => Req
}

/**
 * Main's side of a worker thread that answers calls by id: the worker is started on first use,
 * each call resolves with its answer's value or rejects with its AppError, and a worker that dies
 * fails the calls it held with a message (the next call starts a new one). Optionally a worker
 * left idle is ended, since it may hold memory (loaded models).
 */
export class WorkerClient<Req, Reply> {
  private worker: ClientWorker<Req, Reply> | null = null
  private next = 1
  private readonly pending = new Map<number, Pending>()
  private idleTimer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly opts: WorkerClientOptions<Req, Reply>) {}

  /** Sends the request `build` makes for a fresh call id; resolves with the answer's value or rejects with its AppError. */
  call<T>(build: (id: number) => Req, opts: CallOptions<Req> = {}): Promise<T> {
    const worker = this.ensureWorker()
    this.disarmIdle()
    const id = this.next++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: opts.onProgress })
      worker.postMessage(build(id))
      const { signal, cancel } = opts
      // The worker stops the call and answers it (with `cancelled`); a call already answered is left alone.
      if (signal && cancel) signal.addEventListener('abort', () => this.worker === worker && this.pending.has(id) && worker.postMessage(cancel(id)), { once: true })
    })
  }

  /** Ends the worker; calls still waiting fail. */
  close(): void {
    this.disarmIdle()
    this.drop('The app is closing.', this.worker)
  }

  private ensureWorker(): ClientWorker<Req, Reply> {
    if (this.worker) return this.worker
    const w = this.opts.spawn()
    this.worker = w
    w.on('message', (msg: Reply) => {
      const report = this.opts.progress?.(msg)
      if (report) this.pending.get(report.id)?.onProgress?.(report.progress)
      const a = this.opts.answer(msg)
      if (!a) return
      const p = this.pending.get(a.id)
      if (!p) return
      this.pending.delete(a.id)
      if (a.ok) p.resolve(a.value)
      else p.reject(new AppError(a.code, a.message, a.details))
      if (this.pending.size === 0) this.armIdle(w)
    })
    w.on('error', (e) => this.drop(`The ${this.opts.name} failed: ${e.message}`, w))
    w.on('exit', (code) => this.drop(`The ${this.opts.name} exited unexpectedly (code ${code}).`, w))
    return w
  }

  private disarmIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = null
  }

  private armIdle(w: ClientWorker<Req, Reply>): void {
    if (this.opts.idleMs === undefined) return
    this.disarmIdle()
    this.idleTimer = setTimeout(() => {
      if (this.worker === w && this.pending.size === 0) this.drop('idle', w)
    }, this.opts.idleMs)
    // An idle timer must not keep a process (tests, the host) alive on its own.
    ;(this.idleTimer as { unref?: () => void }).unref?.()
  }

  /** Fails every waiting call and ends `which`, unless a newer worker has already replaced it. */
  private drop(message: string, which: ClientWorker<Req, Reply> | null): void {
    if (which !== this.worker || !which) return
    this.worker = null
    for (const p of this.pending.values()) p.reject(new AppError(this.opts.deathCode, message))
    this.pending.clear()
    void which.terminate()
  }
}
