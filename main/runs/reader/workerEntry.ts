/** Entry point of the read worker thread (out/main/readWorker.js). */
import { parentPort, workerData } from 'node:worker_threads'
import { serveReads, type ReadPortLike } from './serveReads'

if (!parentPort) throw new Error('readWorker must run in a worker thread')
serveReads(parentPort as unknown as ReadPortLike, (workerData as { dbPath: string }).dbPath)
