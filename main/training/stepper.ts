// The seam between the fit loop and how one optimizer step is taken. The fit loop owns batches,
// metrics, checkpoints and schedules; a stepper owns the step. The stock stepper is tfjs-layers'
// trainOnBatch; faster ones (data-parallel replicas, fused kernels) keep their own copies of the
// weights and optimizer state and write them back into the model and optimizer on sync().
import type * as TF from '@tensorflow/tfjs'
import type { TrainConfig } from '../../common/contract'
import type { ArrayBatch } from './batches'
import { setLearningRate, type Tf } from './buildModel'
import { toTensors } from './evaluateSplit'
import { denseStackStepper } from './backends/denseStack/denseStackStepper'
import { currentEnvironment, dataParallelStepper, planParallelNow, threadsAsked } from './backends/parallel/parallelStepper'

/** One step's result: the batch's mean loss, and its accuracy for classification runs. */
export interface StepResult {
  loss: number
  accuracy?: number
}

/** Takes optimizer steps for the fit loop. */
export interface BatchStepper {
  /** How steps run, shown with the backend (e.g. "tfjs-layers", "data-parallel ×2"). */
  readonly label: string
  /** Threads the steps run on (1 when absent). */
  readonly threads?: number
  /** Why this stepper was chosen (or why a faster one was not), shown with the backend. */
  readonly reason?: string
  /** One optimizer step on a batch. */
  step(b: ArrayBatch): Promise<StepResult>
  /** Applies a new learning rate to every copy of the optimizer. */
  setLearningRate(lr: number): void
  /** Makes the model's weights and the optimizer's state current (before a checkpoint or evaluation). */
  sync(): Promise<void>
  /** Frees what the stepper holds beyond the model (helpers, buffers). */
  dispose(): Promise<void>
}

/** What a stepper is built from: the compiled model, its optimizer (state restored) and the run's settings. */
export interface StepperInput {
  tf: Tf
  model: TF.LayersModel
  optimizer: TF.Optimizer
  config: TrainConfig
  classes: number
  /** Cores this run may use (its share when several runs train at once); default: all of them. */
  cores?: number
}

/** The stock stepper: tfjs-layers' trainOnBatch on the active backend. */
export function layersStepper(i: StepperInput): BatchStepper {
  const { tf, model, optimizer, config, classes } = i
  return {
    label: 'tfjs-layers',
    async step(b) {
      const { x, y } = toTensors(tf, b, config.loss, classes)
      const out = await model.trainOnBatch(x, y)
      tf.dispose([x, y])
      const [loss, accuracy] = Array.isArray(out) ? out : [out]
      return { loss: loss as number, accuracy }
    },
    setLearningRate(lr) {
      setLearningRate(optimizer, lr)
    },
    async sync() {},
    async dispose() {},
  }
}

/** A faster stepper for this run, or why it does not apply. */
type StepperOption = (i: StepperInput) => Promise<BatchStepper | { skipped: string }>

/** The whole step of a small Dense-only MLP fused in plain loops (or the wasm heap's SIMD kernels). */
const denseStack: StepperOption = async (i) => (await denseStackStepper(i)) ?? { skipped: 'not a Dense-only MLP for the fused stepper' }

/** Data-parallel replicas on the free cores, when the batch and model are big enough to pay. */
const dataParallel: StepperOption = async (i) => {
  const plan = await planParallelNow(i.model, i.config.batchSize, currentEnvironment(i.tf, i.cores))
  if (plan.replicas < 2) return { skipped: `one thread: ${plan.reason}` }
  try {
    return await dataParallelStepper(i, plan)
  } catch (e) {
    // Helpers that cannot start (a missing bundle, out of memory) leave the run on one thread.
    return { skipped: `one thread: data-parallel helpers failed to start (${e instanceof Error ? e.message : String(e)})` }
  }
}

/** Faster steppers, best first; the first that applies is used, else the stock one. */
const FASTER: StepperOption[] = [denseStack, dataParallel]

/** Picks the fastest stepper that supports this run; the stock one says why the others did not apply. */
export async function chooseStepper(i: StepperInput): Promise<BatchStepper> {
  const skipped: string[] = []
  // NW_TRAIN_THREADS=N (N > 1) asks for data-parallel threads, so it is tried before the one-thread fused stepper.
  const forced = (threadsAsked() ?? 1) > 1
  for (const option of forced ? [dataParallel, denseStack] : FASTER) {
    const s = await option(i)
    if (!('skipped' in s)) return s
    skipped.push(s.skipped)
  }
  return { ...layersStepper(i), threads: 1, reason: skipped.join('; ') || undefined }
}
