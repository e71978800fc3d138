// tfjs-layers' LSTM runs a dozen small tensor ops per time step forward and about as many again
// backward; on wasm and cpu the per-op overhead, not the arithmetic, sets the speed. This module
// replaces the layer's call, in the common case, by one custom-gradient op over the whole sequence:
// one matMul for the input projection, the recurrence in lstmSequence.ts, and three matMuls for
// the weight gradients. Anything unusual (other activations, dropout, masks, initial or returned
// state, stateful layers, other backends) takes tfjs-layers' own path unchanged.
import type * as TF from '@tensorflow/tfjs'
import { lstmBackward, lstmForward } from './lstmSequence'

type Tf = typeof TF

/** Backends on which the fused LSTM replaces the per-step one (GPU backends have their own trade-offs). */
const FUSED_BACKENDS = new Set(['wasm', 'cpu'])

/** The parts of tfjs-layers' LSTM (and its cell) the fused path reads; they are not in tfjs's public types. */
interface LstmLayerInternals {
  stateful: boolean
  returnState: boolean
  returnSequences: boolean
  goBackwards: boolean
  cell: {
    activation: { getClassName(): string }
    recurrentActivation: { getClassName(): string }
    useBias: boolean
    dropout: number
    recurrentDropout: number
    kernel: { read(): TF.Tensor }
    recurrentKernel: { read(): TF.Tensor }
    bias: { read(): TF.Tensor } | null
  }
}

/**
 * The whole LSTM sequence as one differentiable op: x [batch, time, features], kernel W
 * [features, 4 units], recurrent kernel U [units, 4 units], bias [4 units] → hidden states
 * [batch, time, units] from a zero initial state (gate order i, f, g, o as tfjs-layers).
 */
export function fusedLstmSequence(tf: Tf, x: TF.Tensor3D, kernel: TF.Tensor, recurrentKernel: TF.Tensor, bias: TF.Tensor): TF.Tensor3D {
  const op = tf.customGrad((xs: TF.Tensor, w: TF.Tensor, u: TF.Tensor, b: TF.Tensor, save: TF.GradSaveFunc) => {
    const [batch, time, features] = xs.shape as [number, number, number]
    const units = u.shape[0] as number
    const xw = tf.tidy(() => tf.add(tf.matMul(tf.reshape(xs, [batch * time, features]), w), b))
    const projected = xw.dataSync() as Float32Array
    xw.dispose()
    const recurrent = Float32Array.from(u.dataSync() as Float32Array)
    const trace = lstmForward(projected, recurrent, batch, time, units)
    save([xs, w])
    return {
      value: tf.tensor3d(trace.hidden, [batch, time, units]),
      gradFunc: (dy: TF.Tensor, saved: TF.Tensor[]) => {
        const [xSaved, wSaved] = saved as [TF.Tensor, TF.Tensor]
        const dzValues = lstmBackward(trace, recurrent, dy.dataSync() as Float32Array)
        // The state each step started from: h shifted one step later, zeros at the first step.
        const prev = new Float32Array(batch * time * units)
        for (let s = 0; s < batch; s++) prev.set(trace.hidden.subarray(s * time * units, (s * time + time - 1) * units), (s * time + 1) * units)
        return tf.tidy(() => {
          const dz = tf.tensor2d(dzValues, [batch * time, 4 * units])
          const x2 = tf.reshape(xSaved, [batch * time, features])
          return [
            tf.reshape(tf.matMul(dz, wSaved, false, true), [batch, time, features]),
            tf.matMul(x2, dz, true, false),
            tf.matMul(tf.tensor2d(prev, [batch * time, units]), dz, true, false),
            tf.sum(dz, 0),
          ]
        })
      },
    }
  })
  return op(x, kernel, recurrentKernel, bias) as TF.Tensor3D
}

/** The input tensor when `call` can take the fused path for this layer, else null. */
function fusableInput(tf: Tf, layer: LstmLayerInternals, inputs: TF.Tensor | TF.Tensor[], kwargs: Record<string, unknown> | undefined): TF.Tensor3D | null {
  if (!enabled || !FUSED_BACKENDS.has(tf.getBackend())) return null
  if (layer.stateful || layer.returnState) return null
  if (kwargs && (kwargs.mask != null || kwargs.initialState != null)) return null
  const cell = layer.cell
  if (cell.activation.getClassName() !== 'tanh' || cell.recurrentActivation.getClassName() !== 'sigmoid') return null
  if (!cell.useBias || !cell.bias || cell.dropout !== 0 || cell.recurrentDropout !== 0) return null
  const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs
  if (!x || x.rank !== 3 || x.dtype !== 'float32' || (x.shape[1] as number) < 1) return null
  return x as TF.Tensor3D
}

let installed = false
let enabled = true

/** Turns the fused path on or off (on by default), so tests and benches can compare it with tfjs-layers' own. */
export function setFusedLstmEnabled(on: boolean): void {
  enabled = on
}

/**
 * Makes every tfjs-layers LSTM (also inside Bidirectional) use the fused sequence op when it can,
 * in training and inference. Idempotent; the stock path stays for everything else.
 */
export function installFusedLstm(tf: Tf): void {
  if (installed) return
  installed = true
  const probe = tf.layers.lstm({ units: 1 })
  const proto = Object.getPrototypeOf(probe) as { call: (this: LstmLayerInternals, inputs: TF.Tensor | TF.Tensor[], kwargs?: Record<string, unknown>) => TF.Tensor | TF.Tensor[] }
  const stock = proto.call
  proto.call = function call(this: LstmLayerInternals, inputs, kwargs) {
    const x = fusableInput(tf, this, inputs, kwargs)
    if (!x) return stock.call(this, inputs, kwargs)
    return tf.tidy(() => {
      const time = x.shape[1] as number
      // goBackwards reads the sequence from its end and returns outputs in that order, as tfjs's rnn().
      const ordered = this.goBackwards ? tf.reverse(x, 1) : x
      const cell = this.cell
      const hidden = fusedLstmSequence(tf, ordered, cell.kernel.read(), cell.recurrentKernel.read(), (cell.bias as { read(): TF.Tensor }).read())
      if (this.returnSequences) return hidden
      const units = hidden.shape[2] as number
      return tf.reshape(tf.slice(hidden, [0, time - 1, 0], [-1, 1, units]), [-1, units])
    })
  }
}
