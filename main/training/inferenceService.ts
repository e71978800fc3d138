import { WorkerClient } from '../core/workerClient'
import type { SpawnWorker } from './engine'
import type { FromWorker, ToWorker } from './protocol'
import type { InferenceTask } from './taskProtocol'

/** A worker left idle this long is ended (it holds loaded models and tf memory). */
export const INFERENCE_IDLE_MS = 60_000

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
  private readonly client: WorkerClient<ToWorker, FromWorker>

  constructor(
    private readonly dbPath: string,
    spawn: SpawnWorker,
    idleMs = INFERENCE_IDLE_MS,
  ) {
    this.client = new WorkerClient({
      name: 'inference worker',
      spawn,
      deathCode: 'internal',
      idleMs,
      answer: (msg) => (msg.type === 'taskResult' ? { id: msg.id, ...msg.result } : null),
      progress: (msg) => (msg.type === 'taskProgress' ? { id: msg.id, progress: msg.progress } : null),
    })
  }

  /** Runs a task in the worker; resolves with its value or rejects with its AppError. */
  run<T>(task: InferenceTask, opts: RunOptions = {}): Promise<T> {
    return this.client.call<T>((id) => ({ type: 'task', id, dbPath: this.dbPath, task }), { ...opts, cancel: (id) => ({ type: 'cancelTask', id }) })
  }

  /** Ends the worker; tasks still waiting fail. */
  close(): void {
    this.client.close()
  }
}
