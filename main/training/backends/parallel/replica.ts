// One data-parallel replica: a copy of the model with its own optimizer. Each step it computes
// the gradient of its shard's mean loss, shares it, and applies the row-weighted average of all
// replicas' gradients, so every replica takes the same step the whole batch would have given.
// Models are compiled with the run's own compileModel, so the loss, the accuracy metric and the
// optimizer are exactly the ones trainOnBatch would use (one rule for the stock and parallel paths).
import * as tf from '@tensorflow/tfjs'
import { compileModel, type OptimizerSettings } from '../../buildModel'
import { restoreOptimizerScalars } from '../../optimizerState'
import { installFusedRecurrent } from '../recurrent/fusedRecurrent'
import { averageGradients, type GradientPart } from './averageGradients'
import type { SharedStep } from './sharedStep'

/** One array of an optimizer's state, as optimizer.getWeights() names it. */
export interface OptimizerStateEntry {
  name: string
  values: Float32Array
  shape: number[]
}

/** What a replica is built from: the model topology, its starting weights, loss and optimizer (and its state, on resume). */
export interface ReplicaSpec {
  /** model.toJSON(null, false) of the model to train. */
  modelJson: unknown
  /** Starting weights in model.getWeights() order. */
  weights: { values: Float32Array; shape: number[] }[]
  /** Optimizer, learning rate and loss, as in the run's config. */
  training: OptimizerSettings
  /** The optimizer's state to start from (optimizer.getWeights()), so a resumed run's helpers match the leader. */
  optimizerState?: OptimizerStateEntry[]
  /** The optimizer's scalar state outside getWeights() (see optimizerState.ts). */
  optimizerScalars?: Record<string, number>
}

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor

/** What tfjs-layers' compile() resolved: the loss and metric functions trainOnBatch would apply. */
interface CompiledInternals {
  lossFunctions?: LossFn[]
  metricsTensors?: [LossFn, number][]
  calculateLosses(): tf.Scalar[]
}

/** The model compile() set up: a Sequential delegates compiling and trainOnBatch to its inner model. */
function compiledOf(model: tf.LayersModel): CompiledInternals {
  const inner = (model as unknown as { model?: tf.LayersModel }).model
  return (model instanceof tf.Sequential && inner ? inner : model) as unknown as CompiledInternals
}

/** Copies a float32 tensor's values into `dst` at `at`: straight from the wasm heap when it is there. */
function copyOut(t: tf.Tensor, dst: Float32Array, at: number): void {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array }; dataIdMap?: { get(id: object): { memoryOffset: number } | undefined } }
  const data = backend.wasm && backend.dataIdMap?.get(t.dataId)
  if (backend.wasm && data) dst.set(new Float32Array(backend.wasm.HEAPU8.buffer, data.memoryOffset, t.size), at)
  else dst.set(t.dataSync() as Float32Array, at)
}

/** A replica of the model on the current tfjs backend. */
export class Replica {
  private readonly variables: tf.Variable[]
  private readonly lossFn: LossFn
  /** The compiled accuracy metric (classification runs), as trainOnBatch reports it. */
  private readonly accuracyFn: LossFn | null
  /** Trainable floats in all (one gradient slot). */
  readonly params: number

  private constructor(
    readonly model: tf.LayersModel,
    readonly optimizer: tf.Optimizer,
    /** Whether dispose() frees the model and optimizer (not when they are the fit loop's own). */
    private readonly owned: boolean,
  ) {
    const compiled = compiledOf(model)
    const lossFn = compiled.lossFunctions?.[0]
    if (!lossFn || (compiled.lossFunctions?.length ?? 0) !== 1) throw new Error('data-parallel training needs a compiled model with one output')
    this.lossFn = lossFn
    this.accuracyFn = compiled.metricsTensors?.[0]?.[0] ?? null
    this.variables = model.trainableWeights.map((w) => w.read() as tf.Variable)
    this.params = this.variables.reduce((n, v) => n + v.size, 0)
  }

  /** Builds the model from its JSON, weights and optimizer state on the active backend (a helper). */
  static async create(spec: ReplicaSpec): Promise<Replica> {
    installFusedRecurrent(tf)
    const model = (await tf.models.modelFromJSON(spec.modelJson as never)) as tf.LayersModel
    model.setWeights(spec.weights.map((w) => tf.tensor(w.values, w.shape)))
    const optimizer = compileModel(tf, model, spec.training)
    if (spec.optimizerState?.length) await optimizer.setWeights(spec.optimizerState.map((w) => ({ name: w.name, tensor: tf.tensor(w.values, w.shape) })))
    restoreOptimizerScalars(tf, optimizer, spec.optimizerScalars)
    return new Replica(model, optimizer, true)
  }

  /** Wraps an already compiled model and its optimizer (the leader: the fit loop's own, which it keeps). */
  static adopt(model: tf.LayersModel, optimizer: tf.Optimizer): Replica {
    return new Replica(model, optimizer, false)
  }

  /** This step's own gradients, kept until they are averaged. */
  private own: tf.NamedTensorMap | null = null

  /** Computes this replica's gradient on (x, y) into its slot and reports its loss and accuracy. */
  computeGradients(step: SharedStep, r: number, x: tf.Tensor, y: tf.Tensor): void {
    // A batch smaller than the replicas (an epoch's last) leaves some shards empty: they add nothing.
    if (x.shape[0] === 0) {
      step.report(r, 0, 0, 0)
      this.own = null
      return
    }
    let accuracy: tf.Scalar | null = null
    const { value, grads } = tf.variableGrads(() => {
      const pred = this.model.apply(x, { training: true }) as tf.Tensor
      // As trainOnBatch: the mean loss over rows, then every regularizer's penalty added.
      const loss = this.lossFn(y, pred).mean() as tf.Scalar
      if (this.accuracyFn) accuracy = tf.keep(this.accuracyFn(y, pred).mean() as tf.Scalar)
      const reg = compiledOf(this.model).calculateLosses()
      return reg.length === 0 ? loss : (tf.addN([loss, ...reg]) as tf.Scalar)
    }, this.variables)
    const slot = step.slot(r)
    let at = 0
    for (const v of this.variables) {
      copyOut(grads[v.name] as tf.Tensor, slot, at)
      at += v.size
    }
    const acc = accuracy as tf.Scalar | null
    step.report(r, value.dataSync()[0] as number, x.shape[0] as number, acc ? (acc.dataSync()[0] as number) : 0)
    tf.dispose([value, ...(acc ? [acc] : [])])
    this.own = grads
  }

  /**
   * Averages all replicas' gradients (weighted by rows) and takes one optimizer step. Every
   * replica sums the same values in the same order with the same kernels, so all stay bitwise
   * identical; the others' slots are copied in once each (averageGradients.ts). Returns the whole
   * batch's loss and accuracy (row-weighted means of the shards').
   */
  applyAveraged(step: SharedStep, r: number): { loss: number; accuracy: number } {
    const n = step.init.replicas
    const rows = Array.from({ length: n }, (_, i) => step.reported(i).rows)
    const total = rows.reduce((a, b) => a + b, 0)
    const loss = rows.reduce((s, w, i) => s + (w / total) * step.reported(i).loss, 0)
    const accuracy = rows.reduce((s, w, i) => s + (w / total) * step.reported(i).accuracy, 0)
    const own = this.own ?? {}
    const sharing = rows.flatMap((w, i) => (w > 0 ? [i] : []))
    const named: tf.NamedTensorMap = {}
    let at = 0
    for (const v of this.variables) {
      const base = at
      const parts: GradientPart[] = sharing.map((i) =>
        i === r ? { own: own[v.name] as tf.Tensor } : { shared: step.grads.subarray(i * step.init.params + base, i * step.init.params + base + v.size) },
      )
      if (sharing.length === 1) {
        const only = parts[0] as GradientPart
        named[v.name] = 'own' in only ? only.own.clone() : tf.tensor(only.shared, v.shape)
      } else named[v.name] = averageGradients(parts, sharing.map((i) => (rows[i] as number) / total), v.shape)
      at += v.size
    }
    this.optimizer.applyGradients(named)
    tf.dispose([Object.values(named), Object.values(own)])
    this.own = null
    return { loss, accuracy }
  }

  /** Drops a step's own gradients when the step is abandoned (another replica failed). */
  abandonStep(): void {
    if (this.own) tf.dispose(Object.values(this.own))
    this.own = null
  }

  /** Frees the model and optimizer state when this replica built them. */
  dispose(): void {
    this.abandonStep()
    if (!this.owned) return
    this.optimizer.dispose()
    this.model.dispose()
  }
}
