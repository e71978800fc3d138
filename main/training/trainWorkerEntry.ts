/** Entry point of a training worker thread (out/main/trainWorker.js). */
import { parentPort } from 'node:worker_threads'
import { serveTraining, type PortLike } from './serveTraining'

if (!parentPort) throw new Error('trainWorker must run in a worker thread')
serveTraining(parentPort as unknown as PortLike)
