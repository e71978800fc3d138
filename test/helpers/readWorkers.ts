import { MessageChannel, Worker } from 'node:worker_threads'
import { join, resolve } from 'node:path'
import type { ReadWorkerLike } from '../../main/core/readService'
import type { ReadReply, ReadRequest } from '../../main/runs/reader/protocol'
import { serveReads } from '../../main/runs/reader/serveReads'

/** A read "worker" on this thread over a MessageChannel, for tests (the TS entry cannot be a Worker under vitest). */
export function inProcessReader(dbPath: string): ReadWorkerLike {
  const { port1, port2 } = new MessageChannel()
  serveReads({ postMessage: (m: ReadReply) => port2.postMessage(m), on: (_e, l) => void port2.on('message', l as (m: ReadRequest) => void) }, dbPath)
  return {
    postMessage: (m: ReadRequest) => port1.postMessage(m),
    on: (event: string, l: (arg: never) => void) => {
      if (event === 'message') port1.on('message', l as (m: ReadReply) => void)
      return undefined
    },
    terminate: () => {
      port1.close()
      port2.close()
    },
  } as ReadWorkerLike
}

const ENTRY = resolve(join(__dirname, '../../main/runs/reader/serveReads.ts'))
// The real read code from source in a real thread, through tsx.
const CODE = `
const { register } = require('tsx/cjs/api'); register();
const { parentPort, workerData } = require('node:worker_threads');
require(workerData.entry).serveReads(parentPort, workerData.dbPath);
`

/** A real worker thread serving reads from the TypeScript sources (slower to start than the built one). */
export function threadReader(dbPath: string): ReadWorkerLike {
  return new Worker(CODE, { eval: true, workerData: { entry: ENTRY, dbPath } }) as unknown as ReadWorkerLike
}
