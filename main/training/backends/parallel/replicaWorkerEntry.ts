// Entry of a helper replica's worker thread: loads the backend it is told, builds its replica, then
// runs the steps the leader posts (see trainer.ts). Bundled as its own entry next to trainWorker.
import { parentPort, workerData } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'
import { useWasmBackend } from '../loadWasm'
import { setLearningRate } from '../../buildModel'
import { Replica, type ReplicaSpec } from './replica'
import { SharedStep, type SharedStepInit } from './sharedStep'

/** What the leader passes as workerData. */
export interface ReplicaWorkerData {
  index: number
  backend: 'wasm' | 'cpu'
  spec: ReplicaSpec
  shared: SharedStepInit
}

/** A new learning rate for this replica's optimizer (posted before the next shard). */
export interface LearningRateMessage {
  type: 'lr'
  learningRate: number
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
  port.on('message', (msg: ShardMessage | LearningRateMessage | { type: 'stop' }) => {
    if ('type' in msg) {
      if (msg.type === 'lr') return setLearningRate(replica.optimizer, msg.learningRate)
      replica.dispose()
      port.close()
      return
    }
    // Once a step has failed every later one is refused by the barrier; nothing to compute.
    if (step.failed) return
    const x = tf.tensor(msg.x, msg.xShape)
    const y = tf.tensor(msg.y, msg.yShape)
    try {
      replica.computeGradients(step, data.index, x, y)
      tf.dispose([x, y])
      step.barrier() // every slot written
      replica.applyAveraged(step, data.index)
      step.barrier() // every slot read: the leader may start the next step
    } catch (e) {
      // Tell the leader through shared memory (it may be waiting in the barrier); the step is abandoned.
      tf.dispose([x, y])
      replica.abandonStep()
      step.fail(`replica ${data.index}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
    }
  })
  port.postMessage({ type: 'ready' })
}

main().catch((e: unknown) => {
  parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.stack ?? e.message : String(e) })
})
