// tfjs-layers' LSTM, GRU and SimpleRNN run a dozen small tensor ops per time step forward and
// about as many again backward; on wasm and cpu the per-op overhead, not the arithmetic, sets the
// speed. This module replaces the layers' call, in the common case, by one custom-gradient op over
// the whole sequence: one matMul for the input projection, the recurrence on plain arrays
// (lstmSequence.ts, gruRnnSequence.ts; its two small products per step in our SIMD gemm on wasm;
// on wasm the LSTM's whole recurrence runs in one native call each way, lstmWasm.ts),
// and matMuls for the input and weight gradients. Anything
// unusual (other activations, dropout, masks, initial or returned state, stateful layers, GRU with
// reset_after, other backends) takes tfjs-layers' own path unchanged.
import type * as TF from '@tensorflow/tfjs'
import { gruBackward, gruForward, simpleRnnBackward, simpleRnnForward } from './gruRnnSequence'
import { lstmBackward, lstmForward, type LstmTrace } from './lstmSequence'
import { lstmBackwardWasm, lstmForwardWasm } from './lstmWasm'
import { jsGemm, wasmGemm, type RecurrentGemm } from './recurrentGemm'
import type { WasmBackend } from '../wasm/heap'

type Tf = typeof TF

/** Backends on which the fused ops replace the per-step ones (GPU backends have their own trade-offs). */
const FUSED_BACKENDS = new Set(['wasm', 'cpu'])

/** Which recurrent layer. */
export type RecurrentKind = 'LSTM' | 'GRU' | 'SimpleRNN'

/** One recurrence over a sequence: its gate count and its forward and backward passes on arrays. */
interface SequenceKernel {
  gates: number
  forward(xw: Float32Array, gemm: RecurrentGemm, batch: number, time: number, units: number): { hidden: Float32Array }
  /** The gradient of the input projection, [batch, time, gates * units]. */
  backward(trace: { hidden: Float32Array }, gemm: RecurrentGemm, dHidden: Float32Array): Float32Array
  /** GRU: what its last column group of U (Uh) multiplied, [batch, time, units]; the others multiplied h'. */
  resetHidden?: (trace: { hidden: Float32Array }) => Float32Array
}

type Trace<F extends (...a: never[]) => unknown> = ReturnType<F>

const KERNELS: Record<RecurrentKind, SequenceKernel> = {
  LSTM: { gates: 4, forward: lstmForward, backward: (trace, gemm, dHidden) => lstmBackward(trace as Trace<typeof lstmForward>, gemm, dHidden) },
  GRU: {
    gates: 3,
    forward: gruForward,
    backward: (trace, gemm, dHidden) => gruBackward(trace as Trace<typeof gruForward>, gemm, dHidden),
    resetHidden: (trace) => (trace as Trace<typeof gruForward>).resetHidden,
  },
  SimpleRNN: { gates: 1, forward: simpleRnnForward, backward: (trace, gemm, dHidden) => simpleRnnBackward(trace as Trace<typeof simpleRnnForward>, gemm, dHidden) },
}

/** The whole LSTM recurrence in one native call each way on wasm (lstmWasm.ts), else null. */
function nativeLstm(tf: Tf, kind: RecurrentKind): WasmBackend | null {
  return kind === 'LSTM' && tf.getBackend() === 'wasm' ? (tf.backend() as unknown as WasmBackend) : null
}

/** The per-step products in the backend's heap on wasm (our SIMD gemm), in plain loops elsewhere. */
function gemmFor(tf: Tf, recurrent: Float32Array, batch: number, units: number, width: number): RecurrentGemm {
  if (tf.getBackend() === 'wasm') return wasmGemm(tf.backend() as unknown as WasmBackend, recurrent, batch, units, width)
  return jsGemm(recurrent, batch, units, width)
}

/** The parts of tfjs-layers' recurrent layers (and cells) the fused path reads; they are not in tfjs's public types. */
interface RecurrentLayerInternals {
  stateful: boolean
  returnState: boolean
  returnSequences: boolean
  goBackwards: boolean
  cell: {
    activation: { getClassName(): string } | null
    recurrentActivation?: { getClassName(): string }
    resetAfter?: boolean
    useBias: boolean
    dropout: number
    recurrentDropout: number
    kernel: { read(): TF.Tensor }
    recurrentKernel: { read(): TF.Tensor }
    bias: { read(): TF.Tensor } | null
  }
}

/**
 * A whole recurrent sequence as one differentiable op: x [batch, time, features], kernel W
 * [features, gates * units], recurrent kernel U [units, gates * units], bias [gates * units] →
 * hidden states [batch, time, units] from a zero initial state, as tfjs-layers' cell of that kind.
 */
export function fusedRecurrentSequence(tf: Tf, kind: RecurrentKind, x: TF.Tensor3D, kernel: TF.Tensor, recurrentKernel: TF.Tensor, bias: TF.Tensor): TF.Tensor3D {
  const k = KERNELS[kind]
  const forward = (xs: TF.Tensor, w: TF.Tensor, u: TF.Tensor, b: TF.Tensor, save: TF.GradSaveFunc) => {
    const [batch, time, features] = xs.shape as [number, number, number]
    const units = u.shape[0] as number
    const xw = tf.tidy(() => tf.add(tf.matMul(tf.reshape(xs, [batch * time, features]), w), b))
    const projected = xw.dataSync() as Float32Array
    xw.dispose()
    const recurrent = Float32Array.from(u.dataSync() as Float32Array)
    const width = k.gates * units
    const native = nativeLstm(tf, kind)
    let trace: { hidden: Float32Array }
    if (native) trace = lstmForwardWasm(native, projected, recurrent, batch, time, units)
    else {
      const gemm = gemmFor(tf, recurrent, batch, units, width)
      try {
        trace = k.forward(projected, gemm, batch, time, units)
      } finally {
        gemm.dispose()
      }
    }
    save([xs, w])
    return {
      value: tf.tensor3d(trace.hidden, [batch, time, units]),
      gradFunc: (dy: TF.Tensor, saved: TF.Tensor[]) => {
        const [xSaved, wSaved] = saved as [TF.Tensor, TF.Tensor]
        let dxw: Float32Array
        if (native) dxw = lstmBackwardWasm(native, trace as LstmTrace, recurrent, dy.dataSync() as Float32Array)
        else {
          const gemm = gemmFor(tf, recurrent, batch, units, width)
          try {
            dxw = k.backward(trace, gemm, dy.dataSync() as Float32Array)
          } finally {
            gemm.dispose()
          }
        }
        // The state each step started from: h shifted one step later, zeros at the first step.
        const prev = new Float32Array(batch * time * units)
        for (let s = 0; s < batch; s++) prev.set(trace.hidden.subarray(s * time * units, (s * time + time - 1) * units), (s * time + 1) * units)
        return tf.tidy(() => {
          const dz = tf.tensor2d(dxw, [batch * time, width])
          const hPrev = tf.tensor2d(prev, [batch * time, units])
          let dU: TF.Tensor
          if (!k.resetHidden) dU = tf.matMul(hPrev, dz, true, false)
          else {
            // GRU: Uz and Ur multiplied h', Uh multiplied r * h'.
            const [dzZr, dzH] = tf.split(dz, [2 * units, units], 1) as [TF.Tensor, TF.Tensor]
            const rh = tf.tensor2d(k.resetHidden(trace), [batch * time, units])
            dU = tf.concat([tf.matMul(hPrev, dzZr, true, false), tf.matMul(rh, dzH, true, false)], 1)
          }
          return [
            tf.reshape(tf.matMul(dz, wSaved, false, true), [batch, time, features]),
            tf.matMul(tf.reshape(xSaved, [batch * time, features]), dz, true, false),
            dU,
            tf.sum(dz, 0),
          ]
        })
      },
    }
  }
  // customGrad's type lists the inputs and `save` as one rest parameter; ours names them.
  const op = tf.customGrad(forward as unknown as Parameters<Tf['customGrad']>[0])
  return op(x, kernel, recurrentKernel, bias) as TF.Tensor3D
}

let enabled = true

/** Turns the fused path on or off (on by default), so tests and benches can compare it with tfjs-layers' own. */
export function setFusedRecurrentEnabled(on: boolean): void {
  enabled = on
}

/** The input tensor when `call` can take the fused path for this layer, else null. */
function fusableInput(tf: Tf, kind: RecurrentKind, layer: RecurrentLayerInternals, inputs: TF.Tensor | TF.Tensor[], kwargs: Record<string, unknown> | undefined): TF.Tensor3D | null {
  if (!enabled || !FUSED_BACKENDS.has(tf.getBackend())) return null
  if (layer.stateful || layer.returnState) return null
  if (kwargs && (kwargs.mask != null || kwargs.initialState != null)) return null
  const cell = layer.cell
  if (cell.activation?.getClassName() !== 'tanh') return null
  if (kind !== 'SimpleRNN' && cell.recurrentActivation?.getClassName() !== 'sigmoid') return null
  if (kind === 'GRU' && cell.resetAfter) return null
  if (!cell.useBias || !cell.bias || cell.dropout !== 0 || cell.recurrentDropout !== 0) return null
  const x = Array.isArray(inputs) ? (inputs.length === 1 ? inputs[0] : null) : inputs
  if (!x || x.rank !== 3 || x.dtype !== 'float32' || (x.shape[1] as number) < 1) return null
  return x as TF.Tensor3D
}

const installed = new Set<RecurrentKind>()

/**
 * Makes every tfjs-layers LSTM, GRU and SimpleRNN (also inside Bidirectional) use the fused
 * sequence op when it can, in training and inference. Idempotent; the stock path stays for
 * everything else.
 */
export function installFusedRecurrent(tf: Tf): void {
  const probes: Record<RecurrentKind, () => TF.layers.Layer> = {
    LSTM: () => tf.layers.lstm({ units: 1 }),
    GRU: () => tf.layers.gru({ units: 1 }),
    SimpleRNN: () => tf.layers.simpleRNN({ units: 1 }),
  }
  for (const kind of Object.keys(probes) as RecurrentKind[]) {
    if (installed.has(kind)) continue
    installed.add(kind)
    type Call = (this: RecurrentLayerInternals, inputs: TF.Tensor | TF.Tensor[], kwargs?: Record<string, unknown>) => TF.Tensor | TF.Tensor[]
    const proto = Object.getPrototypeOf(probes[kind]()) as { call: Call }
    const stock = proto.call
    proto.call = function call(this: RecurrentLayerInternals, inputs, kwargs) {
      const x = fusableInput(tf, kind, this, inputs, kwargs)
      if (!x) return stock.call(this, inputs, kwargs)
      return tf.tidy(() => {
        const time = x.shape[1] as number
        // goBackwards reads the sequence from its end and returns outputs in that order, as tfjs's rnn().
        const ordered = this.goBackwards ? tf.reverse(x, 1) : x
        const cell = this.cell
        const hidden = fusedRecurrentSequence(tf, kind, ordered, cell.kernel.read(), cell.recurrentKernel.read(), (cell.bias as { read(): TF.Tensor }).read())
        if (this.returnSequences) return hidden
        const units = hidden.shape[2] as number
        return tf.reshape(tf.slice(hidden, [0, time - 1, 0], [-1, 1, units]), [-1, units])
      })
    }
  }
}
