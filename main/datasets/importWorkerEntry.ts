/** Entry point of a dataset import worker thread (out/main/importWorker.js). */
import { parentPort } from 'node:worker_threads'
import { serveImport, type ImportPortLike } from './serveImport'

if (!parentPort) throw new Error('importWorker must run in a worker thread')
serveImport(parentPort as unknown as ImportPortLike)
