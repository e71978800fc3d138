import type { ReadName, ReadReply, ReadRequest } from '../runs/reader/protocol'
import { WorkerClient, type ClientWorker } from './workerClient'

/** What the read service needs of a worker (node:worker_threads' Worker fits; tests use a channel). */
export type ReadWorkerLike = ClientWorker<ReadRequest, ReadReply>

/**
 * Main's side of the read worker (Signal Desktop's SQL worker is the model): heavy reads are sent
 * to one worker thread, started on first use, and answered by id. A worker that dies fails the
 * reads it held with a message, and the next read starts a new one.
 */
export class ReadService {
  private readonly client: WorkerClient<ReadRequest, ReadReply>

  constructor(spawn: () => ReadWorkerLike, log: (line: string) => void = (line) => console.warn(line)) {
    this.client = new WorkerClient({
      name: 'read worker',
      spawn,
      deathCode: 'unavailable',
      answer: (msg) => {
        if (msg.type === 'result') return msg
        log(`[slow query] ${msg.name} took ${msg.ms} ms`)
        return null
      },
    })
  }

  /** Runs a named read in the worker; resolves with its value or rejects with its AppError. */
  read<T>(name: ReadName, input: unknown): Promise<T> {
    return this.client.call<T>((id) => ({ id, name, input }))
  }

  /** Ends the worker; reads still waiting fail. */
  close(): void {
    this.client.close()
  }
}
