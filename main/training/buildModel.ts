import type * as TF from '@tensorflow/tfjs'
import type { TrainConfig } from '../../common/contract'
import { AppError } from '../../common/errors'
import { hasErrors, inferGraph, toTfjs, type ModelGraph } from '../../common/graph'
import { fusedAdam } from './backends/fusedAdam'
import { installFusedRecurrent } from './backends/recurrent/fusedRecurrent'

/** The tfjs namespace the engine runs on (injected, so tests and workers choose the backend). */
export type Tf = typeof TF

/**
 * Gives every initializer a seed derived from the run's seed and the layer's position, so a run's
 * starting weights are a function of its seed alone.
 */
export function seedInitializers(json: unknown, seed: number): void {
  let k = 0
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit)
    if (v === null || typeof v !== 'object') return
    const o = v as Record<string, unknown>
    for (const [key, value] of Object.entries(o)) {
      if (key.endsWith('_initializer') && value && typeof value === 'object') {
        const cfg = ((value as { config?: Record<string, unknown> }).config ??= {})
        cfg.seed = (seed * 1009 + ++k * 7919) % 2147483647
      } else visit(value)
    }
  }
  visit(json)
}

/** Builds the tfjs-layers model of a saved graph; refuses a graph with errors, naming the first. */
export async function buildModel(tf: Tf, graph: ModelGraph, seed: number): Promise<TF.LayersModel> {
  const errors = inferGraph(graph).issues.filter((i) => i.severity === 'error')
  if (hasErrors(errors)) throw new AppError('invalid_input', `The model has ${errors.length} error(s); first: ${errors[0].code} ${errors[0].message}.`)
  const json = toTfjs(graph) as unknown
  seedInitializers(json, seed)
  // Recurrent layers then run their whole sequence as one op on wasm and cpu (training and inference).
  installFusedRecurrent(tf)
  return (await tf.models.modelFromJSON(json as TF.io.ModelJSON['modelTopology'] as never)) as TF.LayersModel
}

/** The settings an optimizer and compiled loss are built from (a run's config, or a data-parallel replica's copy of it). */
export type OptimizerSettings = Pick<TrainConfig, 'optimizer' | 'learningRate' | 'momentum' | 'loss'>

/** The optimizer a config names. */
export function makeOptimizer(tf: Tf, c: Omit<OptimizerSettings, 'loss'>): TF.Optimizer {
  switch (c.optimizer) {
    case 'sgd':
      return tf.train.sgd(c.learningRate)
    case 'momentum':
      return tf.train.momentum(c.learningRate, c.momentum)
    case 'adam':
      // Fused into one kernel on wasm (about 3 ms a step saved on the MNIST CNN); stock Adam elsewhere.
      return fusedAdam(c.learningRate)
    case 'rmsprop':
      return tf.train.rmsprop(c.learningRate, 0.9, c.momentum === 0.9 ? 0 : c.momentum)
    case 'adadelta':
      return tf.train.adadelta(c.learningRate)
    case 'adagrad':
      return tf.train.adagrad(c.learningRate)
  }
}

/**
 * Sets an optimizer's learning rate. tfjs keeps it in a plain field on every optimizer class, but
 * SGD and Momentum step with a cached scalar -lr that only their setLearningRate() refreshes.
 */
export function setLearningRate(opt: TF.Optimizer, lr: number): void {
  const o = opt as unknown as { learningRate: number; setLearningRate?: (lr: number) => void }
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr)
  else o.learningRate = lr
}

/** Compiles the model with the run's optimizer and loss; classification runs also track accuracy. */
export function compileModel(tf: Tf, model: TF.LayersModel, c: OptimizerSettings): TF.Optimizer {
  const optimizer = makeOptimizer(tf, c)
  const classification = c.loss.includes('rossentropy')
  model.compile({ optimizer, loss: c.loss, metrics: classification ? ['accuracy'] : [] })
  return optimizer
}
