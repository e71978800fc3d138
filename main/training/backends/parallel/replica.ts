// One data-parallel replica: a copy of the model with its own optimizer. Each step it computes
// the gradient of its shard's mean loss, shares it, and applies the row-weighted average of all
// replicas' gradients, so every replica takes the same step the whole batch would have given.
import * as tf from '@tensorflow/tfjs'
import { fusedAdam } from '../fusedAdam'
import { installFusedRecurrent } from '../recurrent/fusedRecurrent'
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
      return fusedAdam(spec.learningRate)
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

/** Copies a float32 tensor's values into `dst` at `at`: straight from the wasm heap when it is there. */
function copyOut(t: tf.Tensor, dst: Float32Array, at: number): void {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array }; dataIdMap?: { get(id: object): { memoryOffset: number } | undefined } }
  const data = backend.wasm && backend.dataIdMap?.get(t.dataId)
  if (backend.wasm && data) dst.set(new Float32Array(backend.wasm.HEAPU8.buffer, data.memoryOffset, t.size), at)
  else dst.set(t.dataSync() as Float32Array, at)
}

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
    installFusedRecurrent(tf)
    const model = (await tf.models.modelFromJSON(spec.modelJson as never)) as tf.LayersModel
    model.setWeights(spec.weights.map((w) => tf.tensor(w.values, w.shape)))
    const lossFn = (tf.metrics as unknown as Record<string, LossFn | undefined>)[spec.loss]
    if (!lossFn) throw new Error(`unknown loss '${spec.loss}' for data-parallel training`)
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable)
    const params = variables.reduce((n, v) => n + v.size, 0)
    return new Replica(model, variables, makeOptimizer(spec.optimizer), lossFn, params)
  }

  /** This step's own gradients, kept until they are averaged. */
  private own: tf.NamedTensorMap | null = null

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
      copyOut(grads[v.name] as tf.Tensor, slot, at)
      at += v.size
    }
    step.report(r, value.dataSync()[0] as number, x.shape[0] as number)
    value.dispose()
    this.own = grads
  }

  /**
   * Averages all replicas' gradients (weighted by rows) and takes one optimizer step. Every
   * replica sums the same values in the same order with the same kernels, so all stay bitwise
   * identical; the others' slots are copied into tensors in one memcpy each.
   */
  applyAveraged(step: SharedStep, r: number): number {
    const n = step.init.replicas
    const rows = Array.from({ length: n }, (_, i) => step.reported(i).rows)
    const total = rows.reduce((a, b) => a + b, 0)
    const loss = rows.reduce((s, w, i) => s + (w / total) * step.reported(i).loss, 0)
    const own = this.own as tf.NamedTensorMap
    const named: tf.NamedTensorMap = {}
    let at = 0
    for (const v of this.variables) {
      const base = at
      named[v.name] = tf.tidy(() => {
        const parts = rows.map((w, i) => {
          const g = i === r ? (own[v.name] as tf.Tensor) : tf.tensor(step.grads.subarray(i * step.init.params + base, i * step.init.params + base + v.size), v.shape)
          return n === 1 ? g : g.mul(w / total)
        })
        return n === 1 ? parts[0]!.clone() : tf.addN(parts)
      })
      at += v.size
    }
    this.optimizer.applyGradients(named)
    tf.dispose([Object.values(named), Object.values(own)])
    this.own = null
    return loss
  }

  /** Frees the model and optimizer state. */
  dispose(): void {
    this.optimizer.dispose()
    this.model.dispose()
  }
}
