import { AppError } from '../../common/errors'
import type { ReadName, ReadReply, ReadRequest } from '../runs/reader/protocol'

/** What the read service needs of a worker (node:worker_threads' Worker fits; tests use a channel). */
export interface ReadWorkerLike {
  postMessage(msg: ReadRequest): void
  on(event: 'message', listener: (msg: ReadReply) => void): unknown
  on(event: 'error', listener: (e: Error) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  terminate(): Promise<number> | void
}

interface Pending {
  resolve: (v: unknown) => void
  reject: (e: AppError) => void
}

/**
 * Main's side of the read worker (Signal Desktop's SQL worker is the model): heavy reads are sent
 * to one worker thread, started on first use, and answered by id. A worker that dies fails the
 * reads it held with a message, and the next read starts a new one.
 */
export class ReadService {
  private worker: ReadWorkerLike | null = null
  private next = 1
  private readonly pending = new Map<number, Pending>()

  constructor(
    private readonly spawn: () => ReadWorkerLike,
    private readonly log: (line: string) => void = (line) => console.warn(line),
  ) {}

  /** Runs a named read in the worker; resolves with its value or rejects with its AppError. */
  read<T>(name: ReadName, input: unknown): Promise<T> {
    const worker = this.ensureWorker()
    const id = this.next++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      worker.postMessage({ id, name, input })
    })
  }

  /** Ends the worker; reads still waiting fail. */
  close(): void {
    this.drop('The app is closing.')
  }

  private ensureWorker(): ReadWorkerLike {
    if (this.worker) return this.worker
    const w = this.spawn()
    this.worker = w
    w.on('message', (msg: ReadReply) => {
      if (msg.type === 'slow') {
        this.log(`[slow query] ${msg.name} took ${msg.ms} ms`)
        return
      }
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (msg.ok) p.resolve(msg.value)
      else p.reject(new AppError(msg.code, msg.message, msg.details))
    })
    w.on('error', (e) => this.drop(`The read worker failed: ${e.message}`, w))
    w.on('exit', (code) => this.drop(`The read worker exited unexpectedly (code ${code}).`, w))
    return w
  }

  private drop(message: string, which: ReadWorkerLike | null = this.worker): void {
    if (which !== this.worker) return
    const w = this.worker
    this.worker = null
    for (const p of this.pending.values()) p.reject(new AppError('unavailable', message))
    this.pending.clear()
    if (w) void w.terminate()
  }
}
