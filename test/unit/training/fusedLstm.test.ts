// The fused whole-sequence LSTM must compute what tfjs-layers' per-step LSTM computes: the same
// outputs and the same gradients for the input, the kernel, the recurrent kernel and the bias, on
// random shapes with returnSequences and goBackwards both ways, on the cpu backend (and on wasm).
import * as tf from '@tensorflow/tfjs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { installFusedLstm, setFusedLstmEnabled } from '../../../main/training/backends/recurrent/fusedLstm'
import { maxRelError, randomData, rng, setUpBackends } from './wasmHarness'

const TOL = 2e-5

beforeAll(async () => {
  await setUpBackends()
  installFusedLstm(tf)
})

afterEach(() => {
  setFusedLstmEnabled(true)
})

interface Shape {
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

/** Output and gradients of sum(output * projection) for one LSTM with the given weights. */
function forwardAndGrads(s: Shape, weights: tf.Tensor[], input: Float32Array, projection: Float32Array, fused: boolean): Result {
  setFusedLstmEnabled(fused)
  return tf.tidy(() => {
    const layer = tf.layers.lstm({ units: s.units, returnSequences: s.returnSequences, goBackwards: s.goBackwards, recurrentActivation: 'sigmoid', unitForgetBias: true })
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
    tf.tensor(randomData(s.features * 4 * s.units, seed + 1), [s.features, 4 * s.units]),
    tf.tensor(randomData(s.units * 4 * s.units, seed + 2), [s.units, 4 * s.units]),
    tf.tensor(randomData(4 * s.units, seed + 3), [4 * s.units]),
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

describe('fused LSTM = tfjs-layers LSTM', () => {
  const r = rng(2026)
  const pick = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1))
  // time >= 2: tfjs's own LSTM cannot differentiate a one-step sequence (its Unpack gradient throws).
  for (let k = 0; k < 8; k++) {
    const s: Shape = { batch: pick(1, 5), time: pick(2, 12), features: pick(1, 7), units: pick(1, 9), returnSequences: (k & 1) === 1, goBackwards: (k & 2) === 2 }
    it(`cpu: ${JSON.stringify(s)}`, async () => {
      await tf.setBackend('cpu')
      check(s, 100 + k)
    })
  }
  it('wasm: batch 3, time 9, features 4, units 6, returnSequences, goBackwards', async () => {
    await tf.setBackend('wasm')
    try {
      check({ batch: 3, time: 9, features: 4, units: 6, returnSequences: true, goBackwards: true }, 7)
    } finally {
      await tf.setBackend('cpu')
    }
  })
  it('falls back to the stock path for hard-sigmoid gates (same results either way)', async () => {
    await tf.setBackend('cpu')
    const layer = tf.layers.lstm({ units: 3, recurrentActivation: 'hardSigmoid' })
    const x = tf.tensor3d(randomData(2 * 4 * 2, 9), [2, 4, 2])
    const a = (layer.apply(x) as tf.Tensor).dataSync()
    setFusedLstmEnabled(false)
    const b = (layer.apply(x) as tf.Tensor).dataSync()
    expect(Array.from(a)).toEqual(Array.from(b))
  })
})
