// The recurrences of GRU and SimpleRNN over a whole sequence, forward and backward through time, on
// plain arrays (the LSTM's is in lstmSequence.ts). The maths are tfjs-layers' cells: GRU with
// reset_after = false (gate order z, r, h; z = σ(xz + h'Uz), r = σ(xr + h'Ur),
// hh = tanh(xh + (r * h')Uh), h = z * h' + (1 - z) * hh) and SimpleRNN h = tanh(x + h'U). The input
// projection xw = x · W + b comes in precomputed; the backward pass returns its gradient and U's.

/** What a forward pass keeps: the hidden states [batch, time, units] and per-step gate values. */
export interface SequenceTrace {
  batch: number
  time: number
  units: number
  hidden: Float32Array
  /** GRU: z, r, hh per step, [batch, time, 3 * units]; SimpleRNN: unused (empty). */
  gates: Float32Array
}

/** Gradients of the input projection ([batch, time, gates * units]) and of U ([units, gates * units]). */
export interface SequenceGrads {
  dxw: Float32Array
  dRecurrent: Float32Array
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v))

/** GRU forward from a zero state; `recurrent` is U, [units, 3 * units] row-major. */
export function gruForward(xw: Float32Array, recurrent: Float32Array, batch: number, time: number, units: number): SequenceTrace {
  const g3 = 3 * units
  const hidden = new Float32Array(batch * time * units)
  const gates = new Float32Array(batch * time * g3)
  const zr = new Float64Array(2 * units)
  const rh = new Float64Array(units)
  const hPre = new Float64Array(units)
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      const xo = (b * time + t) * g3
      const so = (b * time + t) * units
      const po = so - units
      for (let j = 0; j < 2 * units; j++) zr[j] = xw[xo + j] as number
      if (t > 0) {
        for (let k = 0; k < units; k++) {
          const hk = hidden[po + k] as number
          const row = k * g3
          for (let j = 0; j < 2 * units; j++) zr[j] += hk * (recurrent[row + j] as number)
        }
      }
      for (let u = 0; u < units; u++) {
        const r = sigmoid(zr[units + u] as number)
        gates[xo + units + u] = r
        rh[u] = t > 0 ? r * (hidden[po + u] as number) : 0
        hPre[u] = xw[xo + 2 * units + u] as number
      }
      if (t > 0) {
        for (let k = 0; k < units; k++) {
          const v = rh[k] as number
          const row = k * g3 + 2 * units
          for (let j = 0; j < units; j++) hPre[j] += v * (recurrent[row + j] as number)
        }
      }
      for (let u = 0; u < units; u++) {
        const z = sigmoid(zr[u] as number)
        const hh = Math.tanh(hPre[u] as number)
        gates[xo + u] = z
        gates[xo + 2 * units + u] = hh
        hidden[so + u] = z * (t > 0 ? (hidden[po + u] as number) : 0) + (1 - z) * hh
      }
    }
  }
  return { batch, time, units, hidden, gates }
}

/** GRU backward through time from the gradient of the output sequence `dHidden`. */
export function gruBackward(trace: SequenceTrace, recurrent: Float32Array, dHidden: Float32Array): SequenceGrads {
  const { batch, time, units, hidden, gates } = trace
  const g3 = 3 * units
  const dxw = new Float32Array(batch * time * g3)
  const dU = new Float64Array(units * g3)
  const dh = new Float64Array(units)
  const dhPrev = new Float64Array(units)
  const dPre = new Float64Array(g3)
  for (let b = 0; b < batch; b++) {
    dh.fill(0)
    for (let t = time - 1; t >= 0; t--) {
      const xo = (b * time + t) * g3
      const so = (b * time + t) * units
      const po = so - units
      for (let u = 0; u < units; u++) {
        const d = (dHidden[so + u] as number) + (dh[u] as number)
        const z = gates[xo + u] as number
        const hh = gates[xo + 2 * units + u] as number
        const hp = t > 0 ? (hidden[po + u] as number) : 0
        dPre[u] = d * (hp - hh) * z * (1 - z)
        dPre[2 * units + u] = d * (1 - z) * (1 - hh * hh)
        dhPrev[u] = d * z
      }
      // Through hh's recurrent product (r * h') · Uh: to r, to h', and to Uh.
      for (let k = 0; k < units; k++) {
        const row = k * g3 + 2 * units
        let s = 0
        for (let j = 0; j < units; j++) s += (dPre[2 * units + j] as number) * (recurrent[row + j] as number)
        const r = gates[xo + units + k] as number
        const hp = t > 0 ? (hidden[po + k] as number) : 0
        dPre[units + k] = s * hp * r * (1 - r)
        dhPrev[k] += s * r
        if (t > 0) {
          const v = r * hp
          for (let j = 0; j < units; j++) dU[row + j] += v * (dPre[2 * units + j] as number)
        }
      }
      for (let j = 0; j < g3; j++) dxw[xo + j] = dPre[j] as number
      if (t > 0) {
        // Through z and r's recurrent products h' · [Uz Ur].
        for (let k = 0; k < units; k++) {
          const row = k * g3
          const hp = hidden[po + k] as number
          let s = 0
          for (let j = 0; j < 2 * units; j++) {
            const g = dPre[j] as number
            s += g * (recurrent[row + j] as number)
            dU[row + j] += hp * g
          }
          dh[k] = (dhPrev[k] as number) + s
        }
      }
    }
  }
  return { dxw, dRecurrent: Float32Array.from(dU) }
}

/** SimpleRNN (tanh) forward from a zero state; `recurrent` is U, [units, units] row-major. */
export function simpleRnnForward(xw: Float32Array, recurrent: Float32Array, batch: number, time: number, units: number): SequenceTrace {
  const hidden = new Float32Array(batch * time * units)
  const pre = new Float64Array(units)
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      const so = (b * time + t) * units
      for (let j = 0; j < units; j++) pre[j] = xw[so + j] as number
      if (t > 0) {
        for (let k = 0; k < units; k++) {
          const hk = hidden[so - units + k] as number
          const row = k * units
          for (let j = 0; j < units; j++) pre[j] += hk * (recurrent[row + j] as number)
        }
      }
      for (let j = 0; j < units; j++) hidden[so + j] = Math.tanh(pre[j] as number)
    }
  }
  return { batch, time, units, hidden, gates: new Float32Array(0) }
}

/** SimpleRNN backward through time from the gradient of the output sequence `dHidden`. */
export function simpleRnnBackward(trace: SequenceTrace, recurrent: Float32Array, dHidden: Float32Array): SequenceGrads {
  const { batch, time, units, hidden } = trace
  const dxw = new Float32Array(batch * time * units)
  const dU = new Float64Array(units * units)
  const dh = new Float64Array(units)
  const dPre = new Float64Array(units)
  for (let b = 0; b < batch; b++) {
    dh.fill(0)
    for (let t = time - 1; t >= 0; t--) {
      const so = (b * time + t) * units
      for (let u = 0; u < units; u++) {
        const h = hidden[so + u] as number
        dPre[u] = ((dHidden[so + u] as number) + (dh[u] as number)) * (1 - h * h)
        dxw[so + u] = dPre[u] as number
      }
      if (t > 0) {
        for (let k = 0; k < units; k++) {
          const row = k * units
          const hp = hidden[so - units + k] as number
          let s = 0
          for (let j = 0; j < units; j++) {
            s += (dPre[j] as number) * (recurrent[row + j] as number)
            dU[row + j] += hp * (dPre[j] as number)
          }
          dh[k] = s
        }
      }
    }
  }
  return { dxw, dRecurrent: Float32Array.from(dU) }
}
