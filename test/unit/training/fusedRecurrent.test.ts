// The fused whole-sequence LSTM, GRU and SimpleRNN must compute what tfjs-layers' per-step layers
// compute: the same outputs and the same gradients for the input, the kernel, the recurrent kernel
// and the bias, on random shapes with returnSequences and goBackwards both ways, on the cpu backend
// (and on wasm).
import * as tf from '@tensorflow/tfjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { installFusedRecurrent, setFusedRecurrentEnabled, type RecurrentKind } from '../../../main/training/backends/recurrent/fusedRecurrent'
import { lstmBackward, lstmForward } from '../../../main/training/backends/recurrent/lstmSequence'
import { lstmBackwardWasm, lstmForwardWasm } from '../../../main/training/backends/recurrent/lstmWasm'
import { jsGemm } from '../../../main/training/backends/recurrent/recurrentGemm'
import type { WasmBackend } from '../../../main/training/backends/wasm/heap'
import { maxRelError, randomData, rng, setUpBackends } from './wasmHarness'

const TOL = 2e-5

beforeAll(async () => {
  await setUpBackends()
  installFusedRecurrent(tf)
})

afterEach(() => {
  setFusedRecurrentEnabled(true)
})

interface Shape {
  kind: RecurrentKind
  batch: number
  time: number
  features: number
  units: number
  returnSequences: boolean
  goBackwards: boolean
}

interface Result {
  output: Float32Array
  /** d(loss)/d(input), d/d(kernel), d/d(recurrent kernel), d/d(bias). */
  grads: Float32Array[]
}

const GATES: Record<RecurrentKind, number> = { LSTM: 4, GRU: 3, SimpleRNN: 1 }

/** A layer of the shape's kind as the designer configures it (sigmoid gates, tanh). */
function makeLayer(s: Shape): tf.layers.Layer {
  const common = { units: s.units, returnSequences: s.returnSequences, goBackwards: s.goBackwards }
  if (s.kind === 'LSTM') return tf.layers.lstm({ ...common, recurrentActivation: 'sigmoid', unitForgetBias: true })
  if (s.kind === 'GRU') return tf.layers.gru({ ...common, recurrentActivation: 'sigmoid' })
  return tf.layers.simpleRNN(common)
}

/** Output and gradients of sum(output * projection) for one LSTM with the given weights. */
function forwardAndGrads(s: Shape, weights: tf.Tensor[], input: Float32Array, projection: Float32Array, fused: boolean): Result {
  setFusedRecurrentEnabled(fused)
  return tf.tidy(() => {
    const layer = makeLayer(s)
    const x = tf.variable(tf.tensor3d(input, [s.batch, s.time, s.features]), true, `x_${fused}_${Math.random()}`)
    layer.apply(x) // builds the weights
    layer.setWeights(weights)
    const outShape = s.returnSequences ? [s.batch, s.time, s.units] : [s.batch, s.units]
    const proj = tf.tensor(projection.subarray(0, outShape.reduce((a, b) => a * b, 1)), outShape)
    const output = Float32Array.from((layer.apply(x) as tf.Tensor).dataSync())
    const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)]
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, proj)) as tf.Scalar, vars)
    const out = { output, grads: vars.map((v) => Float32Array.from((grads[v.name] as tf.Tensor).dataSync())) }
    x.dispose()
    layer.dispose()
    return out
  })
}

function check(s: Shape, seed: number): void {
  const r = rng(seed)
  const weights = [
    tf.tensor(randomData(s.features * GATES[s.kind] * s.units, seed + 1), [s.features, GATES[s.kind] * s.units]),
    tf.tensor(randomData(s.units * GATES[s.kind] * s.units, seed + 2), [s.units, GATES[s.kind] * s.units]),
    tf.tensor(randomData(GATES[s.kind] * s.units, seed + 3), [GATES[s.kind] * s.units]),
  ]
  const input = Float32Array.from(randomData(s.batch * s.time * s.features, seed + 4), (v) => v * (1 + r()))
  const projection = randomData(s.batch * s.time * s.units, seed + 5)
  const stock = forwardAndGrads(s, weights, input, projection, false)
  const fused = forwardAndGrads(s, weights, input, projection, true)
  tf.dispose(weights)
  expect(maxRelError(fused.output, stock.output), 'output').toBeLessThan(TOL)
  expect(fused.grads.length).toBe(4)
  const names = ['input', 'kernel', 'recurrent kernel', 'bias']
  fused.grads.forEach((g, i) => {
    expect(g.length, names[i]).toBe(stock.grads[i]?.length)
    expect(maxRelError(g, stock.grads[i] as Float32Array), `gradient of ${names[i]}`).toBeLessThan(TOL)
  })
  // Not trivially equal: the gradients carry signal.
  expect(Math.max(...Array.from(stock.grads[2] as Float32Array, Math.abs))).toBeGreaterThan(1e-4)
}

for (const kind of ['LSTM', 'GRU', 'SimpleRNN'] as const) {
  describe(`fused ${kind} = tfjs-layers ${kind}`, () => {
    const r = rng(kind.length * 1000 + 26)
    const pick = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1))
    // time >= 2: tfjs's own layers cannot differentiate a one-step sequence (their Unpack gradient throws).
    for (let k = 0; k < 8; k++) {
      const s: Shape = { kind, batch: pick(1, 5), time: pick(2, 12), features: pick(1, 7), units: pick(1, 9), returnSequences: (k & 1) === 1, goBackwards: (k & 2) === 2 }
      it(`cpu: ${JSON.stringify(s)}`, async () => {
        await tf.setBackend('cpu')
        check(s, 100 + k)
      })
    }
    // On wasm the per-step products run in our SIMD gemm: shapes that take its 4-row and 1-row, vector and scalar paths.
    for (const s of [
      { kind, batch: 3, time: 9, features: 4, units: 6, returnSequences: true, goBackwards: true },
      { kind, batch: 9, time: 7, features: 5, units: 11, returnSequences: false, goBackwards: false },
    ]) {
      it(`wasm: ${JSON.stringify(s)}`, async () => {
        await tf.setBackend('wasm')
        try {
          check(s, 7 + s.batch)
        } finally {
          await tf.setBackend('cpu')
        }
      })
    }
  })
}

describe('native LSTM recurrence (nw_lstm_forward / nw_lstm_backward) = the JavaScript one', () => {
  // Units off and on the 4-lane width, one row and many, long sequences, and pre-activations up to
  // +-40 (saturated gates, where the float exp's clamps and the division's limits show).
  const shapes = [
    { batch: 1, time: 2, units: 1, scale: 1 },
    { batch: 5, time: 17, units: 7, scale: 3 },
    { batch: 32, time: 38, units: 50, scale: 1 },
    { batch: 3, time: 40, units: 13, scale: 40 },
  ]
  for (const [n, s] of shapes.entries()) {
    it(JSON.stringify(s), async () => {
      await tf.setBackend('wasm')
      try {
        const backend = tf.backend() as unknown as WasmBackend
        const g4 = 4 * s.units
        const xw = Float32Array.from(randomData(s.batch * s.time * g4, 40 + n), (v) => v * s.scale)
        // U at an initializer's scale (unit-variance columns of h U): with entries of +-1 over 50 units
        // the recurrence is chaotic and any rounding difference (here a few ulps of exp) grows step by step.
        const u = Float32Array.from(randomData(s.units * g4, 50 + n), (v) => v * Math.sqrt(3 / s.units))
        const dHidden = randomData(s.batch * s.time * s.units, 60 + n)
        const js = lstmForward(xw, jsGemm(u, s.batch, s.units, g4), s.batch, s.time, s.units)
        const native = lstmForwardWasm(backend, xw, u, s.batch, s.time, s.units)
        expect(maxRelError(native.hidden, js.hidden), 'hidden').toBeLessThan(2e-6)
        expect(maxRelError(native.cells, js.cells), 'cells').toBeLessThan(2e-6)
        expect(maxRelError(native.gates, js.gates), 'gates').toBeLessThan(2e-6)
        const dzJs = lstmBackward(js, jsGemm(u, s.batch, s.units, g4), dHidden)
        const dzNative = lstmBackwardWasm(backend, native, u, dHidden)
        expect(maxRelError(dzNative, dzJs), 'dz').toBeLessThan(1e-5)
        expect(dzJs.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeGreaterThan(1e-3)
      } finally {
        await tf.setBackend('cpu')
      }
    })
  }
})

describe('fused recurrent layers: when they apply and when not', () => {
  it('an LSTM over 20 steps runs a handful of kernels, not a dozen per step', async () => {
    await tf.setBackend('cpu')
    const layer = tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' })
    const x = tf.tensor3d(randomData(2 * 20 * 3, 4), [2, 20, 3])
    layer.apply(x)
    // Copied at once: tfjs reuses the profile's arrays for the next profile.
    const fused = await tf.profile(() => layer.apply(x) as tf.Tensor).then((p) => ({ names: [...p.kernelNames], count: p.kernels.length }))
    setFusedRecurrentEnabled(false)
    const stock = await tf.profile(() => layer.apply(x) as tf.Tensor).then((p) => ({ names: [...p.kernelNames], count: p.kernels.length }))
    expect(fused.names).not.toContain('Sigmoid')
    expect(fused.count).toBeLessThan(12)
    expect(stock.names).toContain('Sigmoid')
    expect(stock.count).toBeGreaterThan(20 * 10)
  })

  it('falls back to the stock path for hard-sigmoid gates (same results either way)', async () => {
    await tf.setBackend('cpu')
    const layer = tf.layers.lstm({ units: 3, recurrentActivation: 'hardSigmoid' })
    const x = tf.tensor3d(randomData(2 * 4 * 2, 9), [2, 4, 2])
    const a = (layer.apply(x) as tf.Tensor).dataSync()
    setFusedRecurrentEnabled(false)
    const b = (layer.apply(x) as tf.Tensor).dataSync()
    expect(Array.from(a)).toEqual(Array.from(b))
  })
})
