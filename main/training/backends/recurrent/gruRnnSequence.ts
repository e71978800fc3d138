// The recurrences of GRU and SimpleRNN over a whole sequence, forward and backward through time, on
// plain arrays (the LSTM's is in lstmSequence.ts), all batch rows a step at a time so the per-step
// products go to recurrentGemm.ts. The maths are tfjs-layers' cells: GRU with reset_after = false
// (gate order z, r, h; z = σ(xz + h'Uz), r = σ(xr + h'Ur), hh = tanh(xh + (r * h')Uh),
// h = z * h' + (1 - z) * hh) and SimpleRNN h = tanh(x + h'U). The input projection xw = x · W + b
// comes in precomputed; the backward pass returns its gradient, and the trace says which inputs
// each column group of U multiplied, so U's gradient is one matMul per group.
import type { RecurrentGemm } from './recurrentGemm'

/** What a forward pass keeps: the hidden states [batch, time, units] and per-step values. */
export interface SequenceTrace {
  batch: number
  time: number
  units: number
  hidden: Float32Array
  /** GRU: z, r, hh per step, [batch, time, 3 * units]; SimpleRNN: empty. */
  gates: Float32Array
  /** GRU: r * h' per step, [batch, time, units] (what Uh multiplied); SimpleRNN: empty. */
  resetHidden: Float32Array
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v))

/** GRU forward from a zero state; `gemm` holds U, [units, 3 * units]. */
export function gruForward(xw: Float32Array, gemm: RecurrentGemm, batch: number, time: number, units: number): SequenceTrace {
  const g3 = 3 * units
  const hidden = new Float32Array(batch * time * units)
  const gates = new Float32Array(batch * time * g3)
  const resetHidden = new Float32Array(batch * time * units)
  const zr = new Float32Array(batch * 2 * units)
  const rh = new Float32Array(batch * units)
  const hPre = new Float32Array(batch * units)
  const h = new Float32Array(batch * units)
  for (let t = 0; t < time; t++) {
    for (let b = 0; b < batch; b++) {
      const xo = (b * time + t) * g3
      zr.set(xw.subarray(xo, xo + 2 * units), b * 2 * units)
      hPre.set(xw.subarray(xo + 2 * units, xo + g3), b * units)
    }
    if (t > 0) gemm.hU(h, zr, 0, 2 * units)
    for (let b = 0; b < batch; b++) {
      const xo = (b * time + t) * g3
      for (let u = 0; u < units; u++) {
        const r = sigmoid(zr[b * 2 * units + units + u] as number)
        gates[xo + units + u] = r
        const v = r * (h[b * units + u] as number)
        rh[b * units + u] = v
        resetHidden[(b * time + t) * units + u] = v
      }
    }
    if (t > 0) gemm.hU(rh, hPre, 2 * units, units)
    for (let b = 0; b < batch; b++) {
      const xo = (b * time + t) * g3
      const so = (b * time + t) * units
      for (let u = 0; u < units; u++) {
        const z = sigmoid(zr[b * 2 * units + u] as number)
        const hh = Math.tanh(hPre[b * units + u] as number)
        gates[xo + u] = z
        gates[xo + 2 * units + u] = hh
        const v = z * (h[b * units + u] as number) + (1 - z) * hh
        hidden[so + u] = v
        h[b * units + u] = v
      }
    }
  }
  return { batch, time, units, hidden, gates, resetHidden }
}

/** GRU backward through time from the gradient of the output sequence; returns dxw [batch, time, 3 * units]. */
export function gruBackward(trace: SequenceTrace, gemm: RecurrentGemm, dHidden: Float32Array): Float32Array {
  const { batch, time, units, hidden, gates } = trace
  const g3 = 3 * units
  const dxw = new Float32Array(batch * time * g3)
  const dh = new Float32Array(batch * units)
  const dZR = new Float32Array(batch * 2 * units)
  const dH = new Float32Array(batch * units)
  const dRh = new Float32Array(batch * units)
  for (let t = time - 1; t >= 0; t--) {
    for (let b = 0; b < batch; b++) {
      const xo = (b * time + t) * g3
      const so = (b * time + t) * units
      for (let u = 0; u < units; u++) {
        const d = (dHidden[so + u] as number) + (dh[b * units + u] as number)
        const z = gates[xo + u] as number
        const hh = gates[xo + 2 * units + u] as number
        const hp = t > 0 ? (hidden[so - units + u] as number) : 0
        dZR[b * 2 * units + u] = d * (hp - hh) * z * (1 - z)
        dH[b * units + u] = d * (1 - z) * (1 - hh * hh)
        dh[b * units + u] = d * z
      }
    }
    // Through hh's recurrent product (r * h') · Uh, to r and to h'.
    if (t > 0) gemm.dzUT(dH, 2 * units, units, dRh, false)
    for (let b = 0; b < batch; b++) {
      const xo = (b * time + t) * g3
      const so = (b * time + t) * units
      for (let u = 0; u < units; u++) {
        const r = gates[xo + units + u] as number
        const hp = t > 0 ? (hidden[so - units + u] as number) : 0
        const s = t > 0 ? (dRh[b * units + u] as number) : 0
        dZR[b * 2 * units + units + u] = s * hp * r * (1 - r)
        dh[b * units + u] = (dh[b * units + u] as number) + s * r
      }
      dxw.set(dZR.subarray(b * 2 * units, (b + 1) * 2 * units), xo)
      dxw.set(dH.subarray(b * units, (b + 1) * units), xo + 2 * units)
    }
    // Through z and r's recurrent products h' · [Uz Ur].
    if (t > 0) gemm.dzUT(dZR, 0, 2 * units, dh, true)
  }
  return dxw
}

/** SimpleRNN (tanh) forward from a zero state; `gemm` holds U, [units, units]. */
export function simpleRnnForward(xw: Float32Array, gemm: RecurrentGemm, batch: number, time: number, units: number): SequenceTrace {
  const hidden = new Float32Array(batch * time * units)
  const pre = new Float32Array(batch * units)
  const h = new Float32Array(batch * units)
  for (let t = 0; t < time; t++) {
    for (let b = 0; b < batch; b++) pre.set(xw.subarray((b * time + t) * units, (b * time + t + 1) * units), b * units)
    if (t > 0) gemm.hU(h, pre, 0, units)
    for (let b = 0; b < batch; b++) {
      for (let u = 0; u < units; u++) {
        const v = Math.tanh(pre[b * units + u] as number)
        hidden[(b * time + t) * units + u] = v
        h[b * units + u] = v
      }
    }
  }
  return { batch, time, units, hidden, gates: new Float32Array(0), resetHidden: new Float32Array(0) }
}

/** SimpleRNN backward through time from the gradient of the output sequence; returns dxw [batch, time, units]. */
export function simpleRnnBackward(trace: SequenceTrace, gemm: RecurrentGemm, dHidden: Float32Array): Float32Array {
  const { batch, time, units, hidden } = trace
  const dxw = new Float32Array(batch * time * units)
  const dh = new Float32Array(batch * units)
  const dPre = new Float32Array(batch * units)
  for (let t = time - 1; t >= 0; t--) {
    for (let b = 0; b < batch; b++) {
      const so = (b * time + t) * units
      for (let u = 0; u < units; u++) {
        const h = hidden[so + u] as number
        const v = ((dHidden[so + u] as number) + (dh[b * units + u] as number)) * (1 - h * h)
        dPre[b * units + u] = v
        dxw[so + u] = v
      }
    }
    if (t > 0) gemm.dzUT(dPre, 0, units, dh, false)
  }
  return dxw
}
