// Data-parallel training across worker threads, one wasm backend each: the calling thread is
// replica 0 and helpers are replicas 1..n-1. A batch is split by rows; each replica computes the
// gradient of its shard, they average through shared memory and all take the same step. With one
// core per replica this is what makes both cores train (the wasm backend runs one thread). Batch
// statistics (BatchNormalization) are per shard, as in PyTorch DDP without SyncBatchNorm.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs'
import { Replica, type ReplicaSpec } from './replica'
import { setLearningRate } from '../../buildModel'
import type { LearningRateMessage, ReplicaWorkerData, ShardMessage } from './replicaWorkerEntry'
import { SharedStep } from './sharedStep'

/** Options for a data-parallel trainer. */
export interface TrainerOptions {
  /** Replicas in all, the calling thread included (default 2). */
  replicas?: number
  /** The backend every replica runs; the caller must already have it active (default 'wasm'). */
  backend?: 'wasm' | 'cpu'
  /** The helper entry script; defaults to the bundled replicaWorker.js, or this folder's .ts under tsx. */
  workerScript?: string
}

/**
 * How to start a helper: the bundled replicaWorker.js next to the caller's bundle, or else (dev
 * tools: tsx, vitest) a small CommonJS bootstrap that registers tsx's require hook and loads the
 * TypeScript entry; loader flags in execArgv do not take effect in Node 20 workers.
 */
function defaultWorker(): { source: string; eval: boolean } {
  // Beside the caller's bundle, or its parent when this code lands in a shared chunk.
  for (const dir of [__dirname, join(__dirname, '..')]) {
    const bundled = join(dir, 'replicaWorker.js')
    if (existsSync(bundled)) return { source: bundled, eval: false }
  }
  const tsxApi = createRequire(__filename).resolve('tsx/cjs/api')
  const entry = join(__dirname, 'replicaWorkerEntry.ts')
  return { source: `require(${JSON.stringify(tsxApi)}).register(); require(${JSON.stringify(entry)})`, eval: true }
}

/** One step's result over the whole batch. */
export interface ParallelStepResult {
  loss: number
  /** The compiled accuracy metric's batch mean (0 when the model has none). */
  accuracy: number
}

/** Trains one model on several replicas; weights and loss come from replica 0 (the caller's). */
export class DataParallelTrainer {
  /** Set while disposing: helpers exiting then is expected, not a failure. */
  private disposing = false

  private constructor(
    private readonly leader: Replica,
    private readonly helpers: Worker[],
    private readonly step: SharedStep,
  ) {
    helpers.forEach((w, i) => {
      // A helper that dies would leave the others waiting in the barrier: fail the step instead,
      // with the reason, so the leader (waiting with Atomics.waitAsync) throws it.
      let why = ''
      w.on('error', (e: Error) => {
        why = e.message
      })
      w.on('exit', (code) => {
        if (this.disposing) return
        step.fail(`helper thread ${i + 1} exited unexpectedly (exit code ${code})${why ? `: ${why}` : ''}`)
      })
    })
  }

  /** Starts the helpers and builds every replica (the leader too) from `spec`; resolves when all are ready. */
  static async create(spec: ReplicaSpec, options: TrainerOptions = {}): Promise<DataParallelTrainer> {
    return DataParallelTrainer.start(await Replica.create(spec), spec, options)
  }

  /**
   * Trains `model` (compiled) with `optimizer` on this thread as the leader, plus helpers built from
   * `spec` (the same model, weights and optimizer state). The model and optimizer stay the
   * caller's: they always hold the trained weights and state, and dispose() leaves them alone.
   */
  static async around(model: tf.LayersModel, optimizer: tf.Optimizer, spec: ReplicaSpec, options: TrainerOptions = {}): Promise<DataParallelTrainer> {
    return DataParallelTrainer.start(Replica.adopt(model, optimizer), spec, options)
  }

  private static async start(leader: Replica, spec: ReplicaSpec, options: TrainerOptions): Promise<DataParallelTrainer> {
    const replicas = Math.max(1, options.replicas ?? 2)
    const step = SharedStep.create(replicas, leader.params)
    const where = options.workerScript ? { source: options.workerScript, eval: false } : defaultWorker()
    const helpers: Worker[] = []
    const ready: Promise<void>[] = []
    for (let index = 1; index < replicas; index++) {
      const workerData: ReplicaWorkerData = { index, backend: options.backend ?? 'wasm', spec, shared: step.init }
      const worker = new Worker(where.source, { workerData, eval: where.eval })
      helpers.push(worker)
      ready.push(
        new Promise((resolve, reject) => {
          worker.once('error', reject)
          worker.once('exit', (code) => reject(new Error(`replica ${index} exited while starting (exit code ${code})`)))
          worker.on('message', (m: { type: string; message?: string }) => {
            if (m.type === 'ready') resolve()
            else if (m.type === 'error') {
              reject(new Error(`replica ${index} failed: ${m.message}`))
            }
          })
        }),
      )
    }
    try {
      await Promise.all(ready)
    } catch (e) {
      await Promise.all(helpers.map((w) => w.terminate()))
      leader.dispose()
      throw e
    }
    return new DataParallelTrainer(leader, helpers, step)
  }

  /** The leader's model (all replicas hold the same weights). */
  get model(): tf.LayersModel {
    return this.leader.model
  }

  /** Replicas in all, this thread included. */
  get replicas(): number {
    return this.helpers.length + 1
  }

  /** Posts each helper its rows of the batch and makes the leader's shard into tensors. */
  private scatter(x: Float32Array, xShape: number[], y: Float32Array, yShape: number[]): { xs: tf.Tensor; ys: tf.Tensor } {
    const rows = xShape[0] as number
    const n = this.helpers.length + 1
    const xRow = x.length / rows
    const yRow = y.length / rows
    const shard = (r: number): [number, number] => [Math.floor((r * rows) / n), Math.floor(((r + 1) * rows) / n)]
    for (let r = 1; r < n; r++) {
      const [a, b] = shard(r)
      const msg: ShardMessage = {
        x: x.slice(a * xRow, b * xRow),
        xShape: [b - a, ...xShape.slice(1)],
        y: y.slice(a * yRow, b * yRow),
        yShape: [b - a, ...yShape.slice(1)],
      }
      ;(this.helpers[r - 1] as Worker).postMessage(msg, [msg.x.buffer as ArrayBuffer, msg.y.buffer as ArrayBuffer])
    }
    const [a, b] = shard(0)
    return { xs: tf.tensor(x.subarray(a * xRow, b * xRow), [b - a, ...xShape.slice(1)]), ys: tf.tensor(y.subarray(a * yRow, b * yRow), [b - a, ...yShape.slice(1)]) }
  }

  /** The leader's gradient; a failure there is passed to the helpers so none waits for it. */
  private leaderGradients(xs: tf.Tensor, ys: tf.Tensor): void {
    try {
      this.leader.computeGradients(this.step, 0, xs, ys)
    } catch (e) {
      this.step.fail(`replica 0: ${e instanceof Error ? e.message : String(e)}`)
      throw e
    } finally {
      tf.dispose([xs, ys])
    }
  }

  /**
   * One optimizer step on a batch given as row-major values ([rows, ...] shapes); returns the
   * batch's mean loss. Blocks the calling thread while the replicas meet (a bench or script; the
   * app's fit loop uses step(), which keeps the event loop turning).
   */
  trainBatch(x: Float32Array, xShape: number[], y: Float32Array, yShape: number[]): number {
    const { xs, ys } = this.scatter(x, xShape, y, yShape)
    this.leaderGradients(xs, ys)
    this.step.barrier()
    const { loss } = this.leader.applyAveraged(this.step, 0)
    this.step.barrier()
    return loss
  }

  /**
   * One optimizer step, as trainBatch, waiting without blocking the event loop, so a helper that
   * dies fails the step with its reason instead of leaving the leader in the barrier. Returns the
   * batch's loss and accuracy.
   */
  async trainStep(x: Float32Array, xShape: number[], y: Float32Array, yShape: number[]): Promise<ParallelStepResult> {
    const { xs, ys } = this.scatter(x, xShape, y, yShape)
    this.leaderGradients(xs, ys)
    try {
      await this.step.barrierAsync()
    } catch (e) {
      this.leader.abandonStep()
      throw e
    }
    const result = this.leader.applyAveraged(this.step, 0)
    await this.step.barrierAsync()
    return result
  }

  /** Sets every replica's learning rate (the helpers' before their next shard). */
  setLearningRate(learningRate: number): void {
    setLearningRate(this.leader.optimizer, learningRate)
    for (const w of this.helpers) w.postMessage({ type: 'lr', learningRate } satisfies LearningRateMessage)
  }

  /** Stops the helpers (waking any waiting in the barrier) and frees the leader when it built its own model. */
  async dispose(): Promise<void> {
    this.disposing = true
    this.step.fail('the trainer was disposed')
    await Promise.all(this.helpers.map((w) => w.terminate()))
    this.leader.dispose()
  }
}
