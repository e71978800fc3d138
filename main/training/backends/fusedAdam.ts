// An Adam optimizer that takes each variable's step in one fused kernel on wasm (NwAdamUpdate) and
// falls back to tfjs's own AdamOptimizer everywhere else. Same state, same serialization ('Adam'),
// same results: a drop-in for tf.train.adam in model.compile.
import * as tf from '@tensorflow/tfjs'
import { NW_ADAM_UPDATE, type AdamUpdateAttrs } from './wasm/adamUpdate'

/** The AdamOptimizer fields tfjs keeps private, which this subclass shares. */
interface AdamState {
  beta1: number
  beta2: number
  epsilon: number
  learningRate: number
  accBeta1: tf.Variable
  accBeta2: tf.Variable
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[]
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[]
}

/** tf.train.adam with a fused wasm step. */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (tf.getBackend() !== 'wasm' || !tf.getKernel(NW_ADAM_UPDATE, 'wasm')) return super.applyGradients(variableGradients)
    const s = this as unknown as AdamState
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients)
    tf.tidy(() => {
      // tfjs uses sub(1, accBeta) on float32 tensors: one float32 rounding of the exact difference.
      const attrs: AdamUpdateAttrs = {
        beta1: s.beta1,
        beta2: s.beta2,
        epsilon: s.epsilon,
        learningRate: s.learningRate,
        oneMinusAccBeta1: Math.fround(1 - (s.accBeta1.dataSync()[0] as number)),
        oneMinusAccBeta2: Math.fround(1 - (s.accBeta2.dataSync()[0] as number)),
      }
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name] as tf.Variable
        s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) }
        s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) }
        const grad = Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name]
        if (grad == null) return
        const m = (s.accumulatedFirstMoment[i] as { variable: tf.Variable }).variable
        const v = (s.accumulatedSecondMoment[i] as { variable: tf.Variable }).variable
        const [newValue, newM, newV] = tf.engine().runKernel(NW_ADAM_UPDATE, { value, m, v, grad }, attrs) as tf.Tensor[]
        m.assign(newM as tf.Tensor)
        v.assign(newV as tf.Tensor)
        value.assign(newValue as tf.Tensor)
      })
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1))
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2))
    })
    this.incrementIterations()
  }
}

/** Same signature and defaults as tf.train.adam. */
export function fusedAdam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon?: number): FusedAdamOptimizer {
  // tfjs's constructor takes null to mean "the backend's epsilon"; its typings say number.
  return new FusedAdamOptimizer(learningRate, beta1, beta2, (epsilon ?? null) as number)
}
