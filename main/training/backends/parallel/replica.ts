// One data-parallel replica: a copy of the model with its own optimizer. Each step it computes
// the gradient of its shard's mean loss, shares it, and applies the row-weighted average of all
// replicas' gradients, so every replica takes the same step the whole batch would have given.
import * as tf from '@tensorflow/tfjs'
import type { SharedStep } from './sharedStep'

/** The optimizer every replica builds (the same on each, so their states stay identical). */
export interface OptimizerSpec {
  kind: 'adam' | 'sgd' | 'rmsprop' | 'adagrad' | 'adadelta' | 'momentum'
  learningRate: number
  momentum?: number
}

/** What a replica is built from: the model topology, its starting weights, loss and optimizer. */
export interface ReplicaSpec {
  /** model.toJSON(null, false) of the model to train. */
  modelJson: unknown
  /** Starting weights in model.getWeights() order. */
  weights: { values: Float32Array; shape: number[] }[]
  /** A tfjs-layers loss name that tf.metrics also exports (e.g. 'categoricalCrossentropy'). */
  loss: string
  optimizer: OptimizerSpec
}

function makeOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.kind) {
    case 'adam':
      return tf.train.adam(spec.learningRate)
    case 'sgd':
      return tf.train.sgd(spec.learningRate)
    case 'rmsprop':
      return tf.train.rmsprop(spec.learningRate)
    case 'adagrad':
      return tf.train.adagrad(spec.learningRate)
    case 'adadelta':
      return tf.train.adadelta(spec.learningRate)
    case 'momentum':
      return tf.train.momentum(spec.learningRate, spec.momentum ?? 0.9)
  }
}

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor

/** A replica of the model on the current tfjs backend. */
export class Replica {
  private constructor(
    readonly model: tf.LayersModel,
    private readonly variables: tf.Variable[],
    private readonly optimizer: tf.Optimizer,
    private readonly lossFn: LossFn,
    readonly params: number,
  ) {}

  /** Builds the model from its JSON and weights on the active backend. */
  static async create(spec: ReplicaSpec): Promise<Replica> {
    const model = (await tf.models.modelFromJSON(spec.modelJson as never)) as tf.LayersModel
    model.setWeights(spec.weights.map((w) => tf.tensor(w.values, w.shape)))
    const lossFn = (tf.metrics as unknown as Record<string, LossFn | undefined>)[spec.loss]
    if (!lossFn) throw new Error(`unknown loss '${spec.loss}' for data-parallel training`)
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable)
    const params = variables.reduce((n, v) => n + v.size, 0)
    return new Replica(model, variables, makeOptimizer(spec.optimizer), lossFn, params)
  }

  /** Computes this replica's gradient on (x, y) into its slot and reports its loss. */
  computeGradients(step: SharedStep, r: number, x: tf.Tensor, y: tf.Tensor): void {
    const { value, grads } = tf.variableGrads(() => {
      const pred = this.model.apply(x, { training: true }) as tf.Tensor
      const loss = this.lossFn(y, pred).mean() as tf.Scalar
      const reg = (this.model as unknown as { calculateLosses(): tf.Scalar[] }).calculateLosses()
      return reg.length === 0 ? loss : (tf.addN([loss, ...reg]) as tf.Scalar)
    }, this.variables)
    const slot = step.slot(r)
    let at = 0
    for (const v of this.variables) {
      const g = grads[v.name] as tf.Tensor
      slot.set(g.dataSync() as Float32Array, at)
      at += v.size
    }
    step.report(r, value.dataSync()[0] as number, x.shape[0] as number)
    tf.dispose([value, grads])
  }

  /** Averages all replicas' gradients (weighted by rows) and takes one optimizer step. */
  applyAveraged(step: SharedStep): number {
    const n = step.init.replicas
    const rows = Array.from({ length: n }, (_, r) => step.reported(r).rows)
    const total = rows.reduce((a, b) => a + b, 0)
    const loss = rows.reduce((s, w, r) => s + (w / total) * step.reported(r).loss, 0)
    const named: Record<string, tf.Tensor> = {}
    let at = 0
    for (const v of this.variables) {
      const avg = new Float32Array(v.size)
      for (let r = 0; r < n; r++) {
        const wr = (rows[r] as number) / total
        const src = step.grads.subarray(r * step.init.params + at, r * step.init.params + at + v.size)
        for (let i = 0; i < avg.length; i++) avg[i] = (avg[i] as number) + wr * (src[i] as number)
      }
      named[v.name] = tf.tensor(avg, v.shape)
      at += v.size
    }
    this.optimizer.applyGradients(named)
    tf.dispose(Object.values(named))
    return loss
  }

  /** Frees the model and optimizer state. */
  dispose(): void {
    this.optimizer.dispose()
    this.model.dispose()
  }
}
