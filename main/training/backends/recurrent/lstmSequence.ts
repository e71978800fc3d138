// The recurrent part of an LSTM over a whole sequence, forward and backward through time, on plain
// arrays: one call per batch instead of a dozen tensor ops per time step. The input projection
// (x · W + b) and the weight gradients that are one big matrix product (X^T · dZ, H^T · dZ) stay
// with the backend's matMul (see fusedRecurrent.ts); only what must run step by step runs here, its
// two products per step (h · U, dz · U^T) in recurrentGemm.ts.
import type { RecurrentGemm } from './recurrentGemm'

// Gate order and maths are tfjs-layers' LSTMCell with sigmoid gates and tanh: z = xW + hU + b split
// into i, f, g, o; c = f * c' + i * tanh(g); h = o * tanh(c).

/** What the forward pass keeps for the backward pass (all [batch, time, units] row-major, per gate). */
export interface LstmTrace {
  batch: number
  time: number
  units: number
  /** Gate activations i, f, g, o per step: [batch, time, 4 * units]. */
  gates: Float32Array
  /** Cell state after each step: [batch, time, units]. */
  cells: Float32Array
  /** Hidden state after each step (the layer's output sequence): [batch, time, units]. */
  hidden: Float32Array
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v))

/**
 * Runs the recurrence from a zero state. `xw` is the input projection plus bias, [batch, time, 4 * units];
 * `gemm` does the per-step h · U with the recurrent kernel U ([units, 4 * units]).
 */
export function lstmForward(xw: Float32Array, gemm: RecurrentGemm, batch: number, time: number, units: number): LstmTrace {
  const g4 = 4 * units
  const gates = new Float32Array(batch * time * g4)
  const cells = new Float32Array(batch * time * units)
  const hidden = new Float32Array(batch * time * units)
  const z = new Float32Array(batch * g4)
  const h = new Float32Array(batch * units)
  for (let t = 0; t < time; t++) {
    for (let b = 0; b < batch; b++) z.set(xw.subarray((b * time + t) * g4, (b * time + t + 1) * g4), b * g4)
    if (t > 0) gemm.hU(h, z, 0, g4)
    for (let b = 0; b < batch; b++) {
      const zo = (b * time + t) * g4
      const so = (b * time + t) * units
      const prev = t > 0 ? so - units : -1
      for (let u = 0; u < units; u++) {
        const i = sigmoid(z[b * g4 + u] as number)
        const f = sigmoid(z[b * g4 + units + u] as number)
        const g = Math.tanh(z[b * g4 + 2 * units + u] as number)
        const o = sigmoid(z[b * g4 + 3 * units + u] as number)
        const c = (prev >= 0 ? f * (cells[prev + u] as number) : 0) + i * g
        gates[zo + u] = i
        gates[zo + units + u] = f
        gates[zo + 2 * units + u] = g
        gates[zo + 3 * units + u] = o
        cells[so + u] = c
        const hv = o * Math.tanh(c)
        hidden[so + u] = hv
        h[b * units + u] = hv
      }
    }
  }
  return { batch, time, units, gates, cells, hidden }
}

/**
 * Backward through time: from the gradient of the output sequence `dHidden` ([batch, time, units]),
 * the gradient of the gate pre-activations dZ ([batch, time, 4 * units]), from which the caller gets
 * dx = dZ · W^T, dW = X^T · dZ, dU = H_prev^T · dZ and db = sum(dZ).
 */
export function lstmBackward(trace: LstmTrace, gemm: RecurrentGemm, dHidden: Float32Array): Float32Array {
  const { batch, time, units, gates, cells } = trace
  const g4 = 4 * units
  const dz = new Float32Array(batch * time * g4)
  const dh = new Float32Array(batch * units)
  const dc = new Float64Array(batch * units)
  const dzStep = new Float32Array(batch * g4)
  for (let t = time - 1; t >= 0; t--) {
    for (let b = 0; b < batch; b++) {
      const so = (b * time + t) * units
      const zo = (b * time + t) * g4
      const d = b * g4
      for (let u = 0; u < units; u++) {
        const i = gates[zo + u] as number
        const f = gates[zo + units + u] as number
        const g = gates[zo + 2 * units + u] as number
        const o = gates[zo + 3 * units + u] as number
        const c = cells[so + u] as number
        const cPrev = t > 0 ? (cells[so - units + u] as number) : 0
        const dhu = (dHidden[so + u] as number) + (t < time - 1 ? (dh[b * units + u] as number) : 0)
        const tc = Math.tanh(c)
        const dcu = (dc[b * units + u] as number) + dhu * o * (1 - tc * tc)
        dzStep[d + u] = dcu * g * i * (1 - i)
        dzStep[d + units + u] = dcu * cPrev * f * (1 - f)
        dzStep[d + 2 * units + u] = dcu * i * (1 - g * g)
        dzStep[d + 3 * units + u] = dhu * tc * o * (1 - o)
        dc[b * units + u] = dcu * f
      }
      dz.set(dzStep.subarray(d, d + g4), zo)
    }
    // dh for the step before: dZ_t · U^T.
    if (t > 0) gemm.dzUT(dzStep, 0, g4, dh, false)
  }
  return dz
}
