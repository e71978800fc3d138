// One training step of every template (and of the other trainable layers the designer offers) on
// wasm against cpu: same initial weights, same batch, same dropout masks; the loss and every
// updated weight must agree within 1e-5 (metric: max |wasm - cpu| / max |cpu| per weight tensor,
// floored at the model's largest update), and so must the update itself (new - initial), measured against the largest update in the
// model. The step is plain SGD so the update is the gradient scaled: Adam's first step is about
// lr * sign(gradient), which turns a gradient that is 0 on one backend and 1e-12 on the other
// (a conv bias under BatchNormalization) into a full-size difference that says nothing about
// the kernels.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildTemplate, toTfjs, type TemplateName } from '../../../common/graph'
import { unsupportedOnBackend } from '../../../main/training/backends/unsupported'
import { installFusedRecurrent } from '../../../main/training/backends/recurrent/fusedRecurrent'
import { maxRelError, randomData, rng, setUpBackends } from './wasmHarness'

const TOL = 1e-5

beforeAll(async () => {
  await setUpBackends()
  // As the app's buildModel: recurrent layers take the fused whole-sequence kernels on both backends.
  installFusedRecurrent(tf)
})

interface StepResult {
  loss: number
  weights: Float32Array[]
}

/** Runs `f` with Math.random replaced by a seeded generator (tfjs seeds unseeded dropout from it). */
function withSeededRandom<T>(seed: number, f: () => Promise<T>): Promise<T> {
  const original = Math.random
  Math.random = rng(seed)
  return f().finally(() => {
    Math.random = original
  })
}

/** One trainOnBatch on `backend` from the given weights; returns the loss and the new weights. */
async function stepOn(
  backend: 'cpu' | 'wasm',
  build: () => Promise<tf.LayersModel>,
  init: { values: Float32Array; shape: number[] }[],
  x: { values: Float32Array | Int32Array; shape: number[]; dtype: 'float32' | 'int32' },
  y: { values: Float32Array; shape: number[] },
  loss: string,
): Promise<StepResult> {
  await tf.setBackend(backend)
  const model = await build()
  model.setWeights(init.map((w) => tf.tensor(w.values, w.shape)))
  model.compile({ optimizer: tf.train.sgd(0.1), loss })
  const xs = tf.tensor(x.values, x.shape, x.dtype)
  const ys = tf.tensor(y.values, y.shape)
  const out = await withSeededRandom(42, () => model.trainOnBatch(xs, ys))
  const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()))
  xs.dispose()
  ys.dispose()
  model.dispose()
  return { loss: Array.isArray(out) ? (out[0] as number) : (out as number), weights }
}

interface Case {
  build: () => Promise<tf.LayersModel>
  batch: number
  /** Integer inputs in [0, vocab) instead of floats, for Embedding. */
  vocab?: number
  loss?: string
  /**
   * Tolerance for the update check when it is not TOL. Recurrent models get 1e-4: the stock wasm
   * sigmoid/tanh differ from cpu's by ~6e-8 (ulps), and backprop through tens of time steps with
   * cancelling sums grows that to ~1e-5..6e-5 in the update, while loss and weights still agree to 1e-7.
   */
  updateTol?: number
}

/** Initial weights of a fresh model built on cpu (any values work; these are the initializers'). */
async function initialWeights(build: () => Promise<tf.LayersModel>): Promise<{ values: Float32Array; shape: number[] }[]> {
  await tf.setBackend('cpu')
  const m = await build()
  const w = m.getWeights().map((t) => ({ values: Float32Array.from(t.dataSync()), shape: t.shape }))
  m.dispose()
  return w
}

/** Trains one step on both backends and checks loss and weights. */
async function checkOneStep(c: Case): Promise<void> {
  await tf.setBackend('cpu')
  const probe = await c.build()
  const inShape = [c.batch, ...(probe.inputs[0]?.shape.slice(1) as number[])]
  const outShape = [c.batch, ...(probe.outputs[0]?.shape.slice(1) as number[])]
  const missing = unsupportedOnBackend(probe.toJSON(null, false) as never, 'wasm')
  probe.dispose()
  expect(missing).toEqual([])
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1)
  const r = rng(7)
  const x = c.vocab
    ? { values: Int32Array.from({ length: size(inShape) }, () => Math.floor(r() * (c.vocab as number))), shape: inShape, dtype: 'int32' as const }
    : { values: randomData(size(inShape), 8), shape: inShape, dtype: 'float32' as const }
  // One-hot targets over the last axis (a single sigmoid unit gets 0/1).
  const classes = outShape[outShape.length - 1] as number
  const yv = new Float32Array(size(outShape))
  for (let i = 0; i < yv.length / classes; i++) {
    if (classes === 1) yv[i] = r() < 0.5 ? 0 : 1
    else yv[i * classes + Math.floor(r() * classes)] = 1
  }
  const loss = c.loss ?? (classes === 1 ? 'binaryCrossentropy' : 'categoricalCrossentropy')
  const init = await initialWeights(c.build)
  const wasm = await stepOn('wasm', c.build, init, x, { values: yv, shape: outShape }, loss)
  const cpu = await stepOn('cpu', c.build, init, x, { values: yv, shape: outShape }, loss)
  expect(Math.abs(wasm.loss - cpu.loss) / Math.max(Math.abs(cpu.loss), 1e-6)).toBeLessThan(TOL)
  expect(wasm.weights.length).toBe(cpu.weights.length)
  const update = (w: Float32Array, i: number) => w.map((v, j) => v - ((init[i]?.values as Float32Array)[j] as number))
  const cpuUpdates = cpu.weights.map(update)
  const largest = Math.max(...cpuUpdates.map((u) => u.reduce((m, v) => Math.max(m, Math.abs(v)), 0)))
  expect(largest).toBeGreaterThan(0)
  wasm.weights.forEach((w, i) => {
    const cpuW = cpu.weights[i] as Float32Array
    // Floored at the largest update: a weight that starts at 0 and gets no gradient (a conv bias
    // under BatchNormalization) ends as rounding noise on both backends.
    const biggest = cpuW.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
    expect((maxRelError(w, cpuW) * Math.max(biggest, 1e-6)) / Math.max(largest, biggest), `weight ${i}`).toBeLessThan(TOL)
    // The weights alone could hide a wrong step on large weights, so compare the step too.
    const du = update(w, i)
    const cu = cpuUpdates[i] as Float32Array
    let diff = 0
    for (let j = 0; j < du.length; j++) diff = Math.max(diff, Math.abs((du[j] as number) - (cu[j] as number)))
    if (process.env.NW_DEBUG) console.log(`weight ${i}: weights ${maxRelError(w, cpuW).toExponential(2)} update ${(diff / largest).toExponential(2)}`)
    expect(diff / largest, `update of weight ${i}`).toBeLessThan(c.updateTol ?? TOL)
  })
}

const fromTemplate = (name: TemplateName, opts?: Parameters<typeof buildTemplate>[1]) => () =>
  tf.models.modelFromJSON(toTfjs(buildTemplate(name, opts)) as never) as Promise<tf.LayersModel>

const TEMPLATE_CASES: Record<TemplateName, Case> = {
  and_xor_mlp: { build: fromTemplate('and_xor_mlp'), batch: 4 },
  spam_mlp: { build: fromTemplate('spam_mlp'), batch: 16 },
  mnist_cnn: { build: fromTemplate('mnist_cnn'), batch: 8 },
  cifar10_cnn: { build: fromTemplate('cifar10_cnn'), batch: 2 },
  text_cnn_lstm: { build: fromTemplate('text_cnn_lstm', { sequenceLength: 40, vocabSize: 300 }), batch: 4, vocab: 300, updateTol: 1e-4 },
  resnet_block: { build: fromTemplate('resnet_block'), batch: 2 },
}

describe('one training step per template: wasm matches cpu', () => {
  for (const [name, c] of Object.entries(TEMPLATE_CASES)) {
    it(name, async () => {
      await checkOneStep(c)
    })
  }
})

/** A sequential model on [8, 8, 3] images ending in a 4-way softmax. */
function imageModel(...body: tf.layers.Layer[]): () => Promise<tf.LayersModel> {
  return async () => {
    const m = tf.sequential()
    m.add(tf.layers.inputLayer({ inputShape: [8, 8, 3] }))
    for (const l of body) m.add(l)
    m.add(tf.layers.flatten())
    m.add(tf.layers.dense({ units: 4, activation: 'softmax' }))
    return m
  }
}

const LAYER_CASES: Record<string, Case> = {
  BatchNormalization: { build: () => imageModel(tf.layers.conv2d({ filters: 4, kernelSize: 3 }), tf.layers.batchNormalization(), tf.layers.activation({ activation: 'relu' }))(), batch: 6 },
  Dropout: { build: () => imageModel(tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }), tf.layers.dropout({ rate: 0.4 }))(), batch: 6 },
  DepthwiseConv2D: { build: () => imageModel(tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2 }))(), batch: 3 },
  SeparableConv2D: { build: () => imageModel(tf.layers.separableConv2d({ filters: 5, kernelSize: 3, depthMultiplier: 2, padding: 'same' }))(), batch: 3 },
  Conv2DTranspose: { build: () => imageModel(tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }))(), batch: 2 },
  'AveragePooling2D': {
    build: () => imageModel(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }), tf.layers.averagePooling2d({ poolSize: 2 }))(),
    batch: 3,
  },
  'GRU + Bidirectional LSTM': {
    build: async () => {
      const m = tf.sequential()
      m.add(tf.layers.embedding({ inputDim: 20, outputDim: 6, inputLength: 7 }))
      m.add(tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 5, returnSequences: true }) as never }))
      m.add(tf.layers.gru({ units: 4 }))
      m.add(tf.layers.dense({ units: 3, activation: 'softmax' }))
      return m
    },
    batch: 3,
    vocab: 20,
    updateTol: 1e-4,
  },
}

describe('one training step of other trainable layers: wasm matches cpu', () => {
  for (const [name, c] of Object.entries(LAYER_CASES)) {
    it(name, async () => {
      await checkOneStep(c)
    })
  }
})
