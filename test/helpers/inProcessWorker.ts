import { MessageChannel } from 'node:worker_threads'
import type { WorkerLike } from '../../main/training/engine'
import type { FromWorker, ToWorker } from '../../main/training/protocol'
import { serveTraining } from '../../main/training/serveTraining'

/** A training "worker" on this thread, over a MessageChannel, for tests (the TS entry cannot be a Worker under vitest). */
export function inProcessTrainer(): WorkerLike {
  const { port1, port2 } = new MessageChannel()
  serveTraining({
    postMessage: (m: FromWorker) => port2.postMessage(m),
    on: (_e: 'message', l: (m: ToWorker) => void) => {
      port2.on('message', l)
    },
  })
  return {
    postMessage: (m: ToWorker) => port1.postMessage(m),
    on: (event: string, l: (arg: never) => void) => {
      if (event === 'message') port1.on('message', l as (m: FromWorker) => void)
      return undefined
    },
    terminate: () => {
      port1.close()
      port2.close()
    },
  } as WorkerLike
}
