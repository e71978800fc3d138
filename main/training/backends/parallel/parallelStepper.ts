// The data-parallel stepper: the fit loop's model and optimizer train on this thread as replica 0,
// helpers (one per further core) each take a share of every batch, and the row-weighted average
// gradient is applied everywhere. The fit loop's model and optimizer always hold the trained
// weights and state, so checkpoints, evaluation and resume read them exactly as on the stock path.
import { availableParallelism, loadavg } from 'node:os'
import type * as TF from '@tensorflow/tfjs'
import { AppError } from '../../../../common/errors'
import { otherProgramsLoad } from '../../../system/cpuLoad'
import type { ArrayBatch } from '../../batches'
import { readOptimizerScalars } from '../../optimizerState'
import type { BatchStepper, StepperInput } from '../../stepper'
import { DataParallelTrainer, type TrainerOptions } from './trainer'
import type { ReplicaSpec } from './replica'

/** Fewest rows a replica's shard may have: below this, per-step overheads outweigh the split. */
export const MIN_SHARD_ROWS = 8

/**
 * Least work a step must carry (multiply-adds of the forward pass over the whole batch) before a
 * second thread pays. Each step costs two thread wake-ups and the gradient averaging; the starting
 * networks span 10 M (spam MLP at batch 64: stock wins) to 58 M (MNIST CNN) and above.
 */
export const MIN_STEP_MACS = 20_000_000

/**
 * The same while other programs keep the cores busy: every barrier then waits for the scheduler
 * (milliseconds), so only steps long enough to hide that pay. Measured at load 8-11 on 2 cores
 * (bench train_networks): two threads gave 2.0x on the CIFAR-10 CNN (1.6 G multiply-adds a step),
 * 1.2x on the MNIST CNN (58 M), 0.93x on the text CNN-LSTM (110 M), 0.82x on the spam MLP (10 M).
 */
export const MIN_STEP_MACS_BUSY = 200_000_000

/**
 * Fewest multiply-adds a step must carry per trained parameter before a second thread pays. The
 * forward and backward passes split across replicas, but every replica still averages the
 * gradient of, and applies the optimizer update to, every parameter. Measured here (bench
 * train_networks, 2 cores, two threads against one): the MNIST CNN (84 per parameter, its Dense
 * 5408x128 holding most weights) 0.95-1.02x, the text CNN-LSTM (164) 1.09-1.17x, the CIFAR-10 CNN
 * (373) 1.36-1.47x, the ResNet block (64,000) 1.64-1.68x.
 */
export const MIN_MACS_PER_PARAM = 120

/** Most replicas, whatever the core count: beyond this the gradient averaging grows past the gain. */
export const MAX_REPLICAS = 4

/** What the data-parallel decision is based on, besides the model. */
export interface ParallelEnvironment {
  /** Active tfjs backend ('wasm', 'cpu', 'tensorflow', ...). */
  backend: string
  /** Cores this process may use (os.availableParallelism()). */
  cores: number
  /** NW_TRAIN_THREADS: '1' turns data-parallel training off; 'N' asks for N threads. */
  threadsSetting?: string
  /** The 1-minute load average (runnable threads; 0 where the OS has none, as on Windows). */
  load?: number
}

/** The data-parallel decision: how many replicas (1 = stock stepper) and why, in words. */
export interface ParallelPlan {
  replicas: number
  reason: string
}

function product(dims: readonly (number | null)[]): number {
  return dims.reduce<number>((p, d) => p * (d ?? 1), 1)
}

/**
 * The forward pass's multiply-adds for one sample, estimated from each layer's parameters and
 * shapes: a weight is used once per output position (Dense: once; Conv2D: once per output pixel;
 * recurrent layers: once per time step); an embedding only copies its output.
 */
export function macsPerSample(model: TF.LayersModel): number {
  let macs = 0
  for (const layer of model.layers) {
    const params = layer.countParams()
    if (params === 0) continue
    const out = (Array.isArray(layer.outputShape[0]) ? layer.outputShape[0] : layer.outputShape) as (number | null)[]
    if (layer.getClassName() === 'Embedding') {
      macs += product(out.slice(1))
      continue
    }
    const input = layerInputShape(layer)
    // Positions are the output's (a convolution's pixels), or the input's when the layer folds a
    // dimension away (a recurrent layer returning its last state still ran every time step).
    const positions = input && input.length > out.length ? product(input.slice(1, -1)) : product(out.slice(1, -1))
    macs += params * positions
  }
  return macs
}

function layerInputShape(layer: TF.layers.Layer): (number | null)[] | null {
  try {
    // The first input's shape (a layer applied once, as in the app's graphs).
    const input = layer.input as { shape: (number | null)[] } | { shape: (number | null)[] }[]
    return Array.isArray(input) ? (input[0]?.shape ?? null) : input.shape
  } catch {
    return null
  }
}

/** The thread count NW_TRAIN_THREADS asks for (1 turns data-parallel training off), or null when unset or not a number. */
export function threadsAsked(setting = process.env.NW_TRAIN_THREADS): number | null {
  const asked = setting?.trim() ? Number.parseInt(setting.trim(), 10) : NaN
  return Number.isFinite(asked) ? asked : null
}

/** Decides whether (and on how many threads) a run trains data-parallel. */
export function planParallel(model: TF.LayersModel, batchSize: number, env: ParallelEnvironment): ParallelPlan {
  if (env.backend !== 'wasm' && env.backend !== 'cpu') return { replicas: 1, reason: `the ${env.backend} backend uses every core itself` }
  // NW_TRAIN_THREADS: 1 turns data-parallel training off; N > 1 asks for N threads whenever the
  // batch can be split (skipping the "pays" estimate); unset picks automatically.
  const setting = env.threadsSetting?.trim()
  const asked = threadsAsked(setting) ?? NaN
  if (Number.isFinite(asked) && asked <= 1) return { replicas: 1, reason: `NW_TRAIN_THREADS=${setting} asks for one thread` }
  const forced = Number.isFinite(asked) && asked > 1
  // Cores other programs leave idle. On busy cores a helper waits for the scheduler at every
  // barrier, so light steps get slower (see MIN_STEP_MACS_BUSY) while heavy ones still gain.
  const load = env.load ?? 0
  const busy = env.cores - load < 1.5
  const threads = forced ? asked : Math.min(env.cores, MAX_REPLICAS, Math.max(2, Math.floor(env.cores - load + 0.5)))
  if (env.cores < 2 && !forced) return { replicas: 1, reason: 'one core is available to this run' }
  const byRows = Math.floor(batchSize / MIN_SHARD_ROWS)
  if (byRows < 2) return { replicas: 1, reason: `batch ${batchSize} is too small to split (at least ${2 * MIN_SHARD_ROWS} rows)` }
  const stepMacs = macsPerSample(model) * batchSize
  // Whatever the load: the per-parameter work does not split.
  const params = model.countParams()
  if (!forced && stepMacs < MIN_MACS_PER_PARAM * params) {
    return { replicas: 1, reason: `a step's ${(stepMacs / 1e6).toFixed(1)} M multiply-adds are too few for its ${(params / 1e6).toFixed(2)} M parameters (${Math.round(stepMacs / params)} per parameter; every thread would average and update all of them; about ${MIN_MACS_PER_PARAM} pays)` }
  }
  const pays = busy ? MIN_STEP_MACS_BUSY : MIN_STEP_MACS
  const busyNote = busy ? ` while other programs keep the cores busy (load ${load.toFixed(1)} on ${env.cores} cores)` : ''
  if (!forced && stepMacs < pays) return { replicas: 1, reason: `a step is too light to split${busyNote} (${(stepMacs / 1e6).toFixed(1)} M multiply-adds; about ${pays / 1e6} M pays)` }
  const replicas = Math.min(threads, byRows)
  const split = forced ? `NW_TRAIN_THREADS=${setting}: batch ${batchSize} split over ${replicas} threads` : `batch ${batchSize} split over ${replicas} threads (${env.cores} cores${busy ? `, load ${load.toFixed(1)}` : ''})`
  // The one difference from one thread: batch statistics come from each shard, as in PyTorch DDP.
  const bn = model.layers.some((l) => l.getClassName() === 'BatchNormalization') ? `; batch-norm statistics per shard of about ${Math.floor(batchSize / replicas)} rows` : ''
  return { replicas, reason: split + bn }
}

/**
 * planParallel, with the load average replaced by other programs' load measured now when the
 * average alone gives fewer threads than an idle machine would: the average counts this app's
 * own recent work (a run or import that just ended) as if others were using the cores.
 */
export async function planParallelNow(model: TF.LayersModel, batchSize: number, env: ParallelEnvironment, measure: () => Promise<number> = otherProgramsLoad): Promise<ParallelPlan> {
  const plan = planParallel(model, batchSize, env)
  if (!env.load || planParallel(model, batchSize, { ...env, load: 0 }).replicas <= plan.replicas) return plan
  // A run with a share of the cores bears that share of the others' load.
  const share = env.cores / Math.max(env.cores, availableParallelism())
  return planParallel(model, batchSize, { ...env, load: Math.min(env.load, (await measure()) * share) })
}

/** The environment of this process; `share` caps the cores (this run's share when several train at once). */
export function currentEnvironment(tf: { getBackend(): string }, share?: number): ParallelEnvironment {
  const all = availableParallelism()
  const cores = share === undefined ? all : Math.max(1, Math.min(all, share))
  // Runs sharing the machine count each other in the load average; only other programs' load is subtracted.
  const load = share === undefined ? loadavg()[0] : Math.max(0, loadavg()[0] - (all - cores))
  return { backend: tf.getBackend(), cores, threadsSetting: process.env.NW_TRAIN_THREADS, load }
}

/** The targets of a batch as the loss expects them: one-hot rows (categorical) or one value per row. */
function targets(b: ArrayBatch, loss: StepperInput['config']['loss'], classes: number): { y: Float32Array; shape: number[] } {
  if (loss !== 'categoricalCrossentropy') return { y: Float32Array.from(b.labels), shape: [b.n, 1] }
  const y = new Float32Array(b.n * classes)
  for (let i = 0; i < b.n; i++) y[i * classes + (b.labels[i] as number)] = 1
  return { y, shape: [b.n, classes] }
}

/** Builds the data-parallel stepper on `replicas` threads; helpers start from the model's current weights and optimizer state. */
export async function dataParallelStepper(i: StepperInput, plan: ParallelPlan, options: Omit<TrainerOptions, 'replicas'> = {}): Promise<BatchStepper> {
  const { tf, model, optimizer, config, classes } = i
  const optState = await optimizer.getWeights()
  const spec: ReplicaSpec = {
    modelJson: model.toJSON(null, false),
    weights: model.getWeights().map((w) => ({ values: Float32Array.from(w.dataSync()), shape: w.shape })),
    training: { optimizer: config.optimizer, learningRate: config.learningRate, momentum: config.momentum, loss: config.loss },
    optimizerState: await Promise.all(optState.map(async (w) => ({ name: w.name, values: Float32Array.from(await w.tensor.data()), shape: w.tensor.shape }))),
    optimizerScalars: readOptimizerScalars(optimizer),
  }
  const backend = tf.getBackend() === 'cpu' ? 'cpu' : 'wasm'
  const trainer = await DataParallelTrainer.around(model, optimizer, spec, { ...options, replicas: plan.replicas, backend })
  const classification = config.loss.includes('rossentropy')
  return {
    label: 'data-parallel',
    threads: trainer.replicas,
    reason: plan.reason,
    async step(b) {
      const { y, shape } = targets(b, config.loss, classes)
      let r
      try {
        r = await trainer.trainStep(b.x, [b.n, ...b.shape], y, shape)
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e)
        throw new AppError('internal', `Training on ${trainer.replicas} threads failed: ${why}. The run can resume from its last checkpoint; NW_TRAIN_THREADS=1 trains on one thread.`)
      }
      return { loss: r.loss, accuracy: classification ? r.accuracy : undefined }
    },
    setLearningRate(lr) {
      trainer.setLearningRate(lr)
    },
    // The leader is the fit loop's own model and optimizer: always current.
    async sync() {},
    dispose: () => trainer.dispose(),
  }
}
