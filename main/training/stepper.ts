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

/** One step's result: the batch's mean loss, and its accuracy for classification runs. */
export interface StepResult {
  loss: number
  accuracy?: number
}

/** Takes optimizer steps for the fit loop. */
export interface BatchStepper {
  /** How steps run, shown with the backend (e.g. "tfjs-layers", "data-parallel ×2"). */
  readonly label: string
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

/** A faster stepper for the runs it supports; null for any other run. */
export type StepperCandidate = (i: StepperInput) => Promise<BatchStepper | null>

/** Faster steppers, tried in order; the first that takes the run wins, else the stock one. */
const CANDIDATES: StepperCandidate[] = [
  denseStackStepper, // small Dense-only MLPs: the whole step fused in plain loops
]

/** Picks the fastest stepper that supports this run. */
export async function chooseStepper(i: StepperInput): Promise<BatchStepper> {
  for (const candidate of CANDIDATES) {
    const s = await candidate(i)
    if (s) return s
  }
  return layersStepper(i)
}
