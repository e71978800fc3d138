// The recurrent part of an LSTM over a whole sequence, forward and backward through time, on plain
// arrays: one call per batch instead of a dozen tensor ops per time step. The input projection
// (x · W + b) and the weight gradients that are one big matrix product (X^T · dZ, H^T · dZ) stay
// with the backend's matMul (see fusedLstm.ts); only what must run step by step runs here.
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
 * `recurrent` is U, [units, 4 * units] row-major.
 */
export function lstmForward(xw: Float32Array, recurrent: Float32Array, batch: number, time: number, units: number): LstmTrace {
  const g4 = 4 * units
  const gates = new Float32Array(batch * time * g4)
  const cells = new Float32Array(batch * time * units)
  const hidden = new Float32Array(batch * time * units)
  const z = new Float64Array(g4)
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      const zo = (b * time + t) * g4
      for (let j = 0; j < g4; j++) z[j] = xw[zo + j] as number
      if (t > 0) {
        const ho = (b * time + t - 1) * units
        for (let k = 0; k < units; k++) {
          const hk = hidden[ho + k] as number
          if (hk === 0) continue
          const row = k * g4
          for (let j = 0; j < g4; j++) z[j] += hk * (recurrent[row + j] as number)
        }
      }
      const so = (b * time + t) * units
      const prev = t > 0 ? so - units : -1
      for (let u = 0; u < units; u++) {
        const i = sigmoid(z[u] as number)
        const f = sigmoid(z[units + u] as number)
        const g = Math.tanh(z[2 * units + u] as number)
        const o = sigmoid(z[3 * units + u] as number)
        const c = (prev >= 0 ? f * (cells[prev + u] as number) : 0) + i * g
        gates[zo + u] = i
        gates[zo + units + u] = f
        gates[zo + 2 * units + u] = g
        gates[zo + 3 * units + u] = o
        cells[so + u] = c
        hidden[so + u] = o * Math.tanh(c)
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
export function lstmBackward(trace: LstmTrace, recurrent: Float32Array, dHidden: Float32Array): Float32Array {
  const { batch, time, units, gates, cells } = trace
  const g4 = 4 * units
  const dz = new Float32Array(batch * time * g4)
  const dh = new Float64Array(units)
  const dc = new Float64Array(units)
  const dzStep = new Float64Array(g4)
  for (let b = 0; b < batch; b++) {
    dh.fill(0)
    dc.fill(0)
    for (let t = time - 1; t >= 0; t--) {
      const so = (b * time + t) * units
      const zo = (b * time + t) * g4
      for (let u = 0; u < units; u++) {
        const i = gates[zo + u] as number
        const f = gates[zo + units + u] as number
        const g = gates[zo + 2 * units + u] as number
        const o = gates[zo + 3 * units + u] as number
        const c = cells[so + u] as number
        const cPrev = t > 0 ? (cells[so - units + u] as number) : 0
        const h = (dHidden[so + u] as number) + (dh[u] as number)
        const tc = Math.tanh(c)
        const dcu = (dc[u] as number) + h * o * (1 - tc * tc)
        dzStep[u] = dcu * g * i * (1 - i)
        dzStep[units + u] = dcu * cPrev * f * (1 - f)
        dzStep[2 * units + u] = dcu * i * (1 - g * g)
        dzStep[3 * units + u] = h * tc * o * (1 - o)
        dc[u] = dcu * f
      }
      for (let j = 0; j < g4; j++) dz[zo + j] = dzStep[j] as number
      // dh for the step before: dZ_t · U^T.
      if (t > 0) {
        for (let k = 0; k < units; k++) {
          const row = k * g4
          let s = 0
          for (let j = 0; j < g4; j++) s += (dzStep[j] as number) * (recurrent[row + j] as number)
          dh[k] = s
        }
      }
    }
  }
  return dz
}
