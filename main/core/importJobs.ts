import type { ImportFinished } from '../../common/contract'
import type { ImportRequest, FromImportWorker, ToImportWorker } from '../datasets/importProtocol'
import { AppError } from '../../common/errors'
import type { EventBus } from './events'

/** A worker as the import jobs see it. */
export interface ImportWorkerLike {
  postMessage(msg: ToImportWorker): void
  on(event: 'message', listener: (msg: FromImportWorker) => void): unknown
  on(event: 'error', listener: (e: Error) => void): unknown
  on(event: 'exit', listener: (code: number) => void): unknown
  terminate(): Promise<number> | void
}

/**
 * Dataset imports, each in its own worker thread so the app stays responsive; progress and the
 * outcome reach the renderer as events. A job ends exactly once: done, failed or cancelled.
 */
export class ImportJobs {
  private next = 1
  private readonly jobs = new Map<number, ImportWorkerLike>()
  /** A worker started ahead of the next import (warm), with its read helper loading. */
  private spare: ImportWorkerLike | null = null

  constructor(
    private readonly dbPath: string,
    private readonly spawn: () => ImportWorkerLike,
    private readonly events: EventBus,
    /** A warm worker that no import has used after this long is stopped (its memory is freed). */
    private readonly spareIdleMs = 5 * 60_000,
  ) {}

  /**
   * Starts a worker for an import that is likely to come (a person previewing a file), so the
   * import does not wait for the worker's code and its read helper to load. At most one waits.
   */
  warm(): void {
    if (this.spare) return
    const spare = this.spawn()
    const drop = () => {
      if (this.spare === spare) this.spare = null
    }
    spare.on('error', drop)
    spare.on('exit', drop)
    spare.postMessage({ type: 'warm' })
    this.spare = spare
    const expire = setTimeout(() => {
      if (this.spare !== spare) return
      this.spare = null
      void spare.terminate()
    }, this.spareIdleMs)
    // The timer alone never keeps the app (or a test) running.
    expire.unref?.()
  }

  /** Stops the spare worker (the app is closing); running imports are left to finish or be terminated with the process. */
  close(): void {
    const spare = this.spare
    this.spare = null
    void spare?.terminate()
  }

  /** Starts an import (in the warm worker when there is one) and returns its job id at once. */
  start(request: ImportRequest): { jobId: number } {
    const jobId = this.next++
    const worker = this.spare ?? this.spawn()
    this.spare = null
    this.jobs.set(jobId, worker)
    let ended = false
    const end = (payload: ImportFinished) => {
      if (ended) return
      ended = true
      this.jobs.delete(jobId)
      this.events.emit('import.finished', payload)
      void worker.terminate()
    }
    worker.on('message', (msg) => {
      if (msg.type === 'warm') return
      if (msg.type === 'progress') this.events.emit('import.progress', { jobId, progress: msg.progress })
      else if (msg.type === 'done') end({ jobId, ok: true, result: msg.result })
      else end({ jobId, ok: false, code: msg.code, message: msg.message, details: msg.details })
    })
    worker.on('error', (e) => end({ jobId, ok: false, code: 'internal', message: `The import worker failed: ${e.message}` }))
    worker.on('exit', (code) => end({ jobId, ok: false, code: 'internal', message: `The import worker exited unexpectedly (code ${code}).` }))
    worker.postMessage({ type: 'start', dbPath: this.dbPath, request })
    return { jobId }
  }

  /** Asks a running import to stop; it rolls back and reports itself cancelled. */
  cancel(jobId: number): { cancelled: boolean } {
    const w = this.jobs.get(jobId)
    if (!w) throw new AppError('not_found', `Import ${jobId} is not running.`)
    w.postMessage({ type: 'cancel' })
    return { cancelled: true }
  }
}
