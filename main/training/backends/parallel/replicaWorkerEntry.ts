// Entry of a helper replica's worker thread: loads the backend it is told, builds its replica, then
// runs the steps the leader posts (see trainer.ts). Bundled as its own entry next to trainWorker.
import { parentPort, workerData } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'
import { useWasmBackend } from '../loadWasm'
import { Replica, type ReplicaSpec } from './replica'
import { SharedStep, type SharedStepInit } from './sharedStep'

/** What the leader passes as workerData. */
export interface ReplicaWorkerData {
  index: number
  backend: 'wasm' | 'cpu'
  spec: ReplicaSpec
  shared: SharedStepInit
}

/** One step's shard, posted by the leader. */
export interface ShardMessage {
  x: Float32Array
  xShape: number[]
  y: Float32Array
  yShape: number[]
}

async function main(): Promise<void> {
  const port = parentPort
  if (!port) throw new Error('replicaWorkerEntry must run in a worker thread')
  const data = workerData as ReplicaWorkerData
  if (data.backend === 'wasm') await useWasmBackend()
  else await tf.setBackend('cpu')
  const replica = await Replica.create(data.spec)
  const step = new SharedStep(data.shared)
  port.on('message', (msg: ShardMessage | { type: 'stop' }) => {
    if ('type' in msg) {
      replica.dispose()
      port.close()
      return
    }
    const x = tf.tensor(msg.x, msg.xShape)
    const y = tf.tensor(msg.y, msg.yShape)
    try {
      replica.computeGradients(step, data.index, x, y)
    } catch (e) {
      // Tell the leader through shared memory: it is blocked in the barrier and cannot read messages.
      step.fail(e instanceof Error ? (e.stack ?? e.message) : String(e))
      return
    }
    tf.dispose([x, y])
    step.barrier() // every slot written
    replica.applyAveraged(step, data.index)
    step.barrier() // every slot read: the leader may start the next step
  })
  port.postMessage({ type: 'ready' })
}

main().catch((e: unknown) => {
  parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.stack ?? e.message : String(e) })
})
