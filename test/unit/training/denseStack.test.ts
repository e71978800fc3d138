// The fused dense stepper against tfjs-layers' trainOnBatch on the cpu backend: on random shapes
// and data, several steps of each give the same weights, optimizer state, loss and accuracy (to
// float rounding) for every supported activation, loss and optimizer; unsupported models get null.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TrainConfig } from '../../../common/contract'
import type { LayerType } from '../../../common/graph/types'
import { seededRandom } from '../../../common/datasets/prng'
import { buildTemplate } from '../../../common/graph'
import { denseStackStepper } from '../../../main/training/backends/denseStack/denseStackStepper'
import { applyDropout } from '../../../main/training/backends/denseStack/elementwise'
import type { ArrayBatch } from '../../../main/training/batches'
import { buildModel, compileModel } from '../../../main/training/buildModel'
import { layersStepper, type BatchStepper, type StepperInput } from '../../../main/training/stepper'
import { CPU_CONFIG, chain } from './support'
import { maxRelError } from './wasmHarness'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const TOL = 1e-5
type Loss = 'meanSquaredError' | 'meanAbsoluteError' | 'binaryCrossentropy' | 'categoricalCrossentropy'
type Layers = [LayerType, Record<string, unknown>][]

/** A model compiled for `config`, as the fit loop builds it (same seed: same starting weights). */
async function compiled(layers: Layers, config: TrainConfig, classes: number): Promise<StepperInput> {
  const model = await buildModel(tf, chain(layers), config.seed)
  const optimizer = compileModel(tf, model, config)
  return { tf, model, optimizer, config, classes }
}

/** Random batches for a loss: x in [-1, 1), labels 0/1 (binary), a class (categorical) or a value. */
function batches(count: number, batch: number, inputs: number, loss: Loss, classes: number, seed: number): ArrayBatch[] {
  const r = seededRandom(seed)
  return Array.from({ length: count }, (_, k) => {
    const n = k === count - 1 ? Math.max(1, batch - 1) : batch // a short last batch too
    const x = Float32Array.from({ length: n * inputs }, () => r() * 2 - 1)
    const labels = loss === 'meanSquaredError' || loss === 'meanAbsoluteError' ? Float32Array.from({ length: n }, () => r() * 2 - 1) : Int32Array.from({ length: n }, () => Math.floor(r() * (loss === 'binaryCrossentropy' ? 2 : classes)))
    return { n, x, shape: [inputs], labels, rowIndex: new Uint32Array(n) }
  })
}

/** Steps both steppers on the same batches; returns every step's results and the synced state. */
async function compare(layers: Layers, config: TrainConfig, classes: number, data: ArrayBatch[]) {
  const stock = await compiled(layers, config, classes)
  const fused = await compiled(layers, config, classes)
  const fusedStepper = await denseStackStepper(fused)
  expect(fusedStepper, 'the fused stepper takes this model').not.toBeNull()
  const steppers: [StepperInput, BatchStepper][] = [
    [stock, layersStepper(stock)],
    [fused, fusedStepper as BatchStepper],
  ]
  const results = []
  for (const [input, s] of steppers) {
    const steps = []
    for (const b of data) steps.push(await s.step(b))
    await s.sync()
    const weights = input.model.getWeights().map((w) => w.dataSync() as Float32Array)
    const state = (await input.optimizer.getWeights()).map((w) => ({ name: w.name, values: w.tensor.dataSync() as Float32Array }))
    results.push({ steps, weights, state })
    await s.dispose()
  }
  const [a, b] = results as [(typeof results)[0], (typeof results)[0]]
  return { stock: a, fused: b }
}

/** A state name without the per-model suffix tfjs adds to variable names ("dense_2/kernel_7/m" → "dense_2/kernel/m"). */
const stateName = (name: string) => name.replace(/_\d+\//g, '/')

/** The kind of an optimizer state tensor: "iter", or the suffix after the variable name ("m", "momentum"). */
const kindOf = (name: string) => (name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name)

/** Tensors end to end. */
function concat(list: ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(list.reduce((a, t) => a + t.length, 0))
  let at = 0
  for (const t of list) {
    out.set(t, at)
    at += t.length
  }
  return out
}

function expectSame(r: Awaited<ReturnType<typeof compare>>, what: string): void {
  r.stock.steps.forEach((s, k) => {
    const f = r.fused.steps[k]!
    // Relative to the loss, floored at 0.1: a small MSE is the square of a difference of nearly
    // equal numbers, whose relative rounding error is large however exact the step is.
    expect(Math.abs(f.loss - s.loss) / Math.max(0.1, Math.abs(s.loss)), `${what}: loss of step ${k + 1} (${f.loss} vs ${s.loss})`).toBeLessThan(TOL)
    if (s.accuracy === undefined) expect(f.accuracy, `${what}: no accuracy`).toBeUndefined()
    else expect(f.accuracy, `${what}: accuracy of step ${k + 1}`).toBeCloseTo(s.accuracy, 6)
  })
  // Relative to the largest entry of all weights (of each kind of optimizer state): a tiny
  // tensor such as a single bias is a sum of terms of both signs, whose relative rounding error
  // alone can exceed 1e-5, while a wrong formula shows as an error of the size of an update.
  expect(r.fused.weights.length).toBe(r.stock.weights.length)
  expect(maxRelError(concat(r.fused.weights), concat(r.stock.weights)), `${what}: weights`).toBeLessThan(TOL)
  expect(r.fused.state.map((s) => stateName(s.name)), `${what}: optimizer state names`).toEqual(r.stock.state.map((s) => stateName(s.name)))
  const kinds = new Set(r.stock.state.map((s) => kindOf(s.name)))
  for (const kind of kinds) {
    const of = (list: { name: string; values: Float32Array }[]) => concat(list.filter((s) => kindOf(s.name) === kind).map((s) => s.values))
    expect(maxRelError(of(r.fused.state), of(r.stock.state)), `${what}: optimizer state ${kind}`).toBeLessThan(TOL)
  }
}

const OPTIMIZERS: { optimizer: TrainConfig['optimizer']; momentum: number; learningRate: number }[] = [
  { optimizer: 'sgd', momentum: 0.9, learningRate: 0.1 },
  { optimizer: 'momentum', momentum: 0.8, learningRate: 0.05 },
  { optimizer: 'adam', momentum: 0.9, learningRate: 0.01 },
  { optimizer: 'rmsprop', momentum: 0.9, learningRate: 0.01 }, // momentum 0.9 means none for rmsprop (makeOptimizer)
  { optimizer: 'rmsprop', momentum: 0.5, learningRate: 0.01 },
  { optimizer: 'adadelta', momentum: 0.9, learningRate: 1 },
  { optimizer: 'adagrad', momentum: 0.9, learningRate: 0.1 },
]
const HIDDEN = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'] as const
const OUTPUT: Record<Loss, string> = { meanSquaredError: 'tanh', meanAbsoluteError: 'linear', binaryCrossentropy: 'sigmoid', categoricalCrossentropy: 'softmax' }

describe('fused dense stepper = tfjs-layers trainOnBatch (cpu backend)', () => {
  ;(['meanSquaredError', 'meanAbsoluteError', 'binaryCrossentropy', 'categoricalCrossentropy'] as const).forEach((loss, li) =>
    OPTIMIZERS.forEach((o, oi) =>
      it(`${loss}, ${o.optimizer}${o.optimizer === 'rmsprop' ? ` (momentum ${o.momentum})` : ''}: every hidden activation`, async () => {
        let seed = 11 + 100 * li + 10 * oi
        for (const hidden of HIDDEN) {
          const r = seededRandom(seed++)
          const inputs = 2 + Math.floor(r() * 8)
          const units = 2 + Math.floor(r() * 10)
          const batch = 1 + Math.floor(r() * 9)
          const classes = loss === 'categoricalCrossentropy' ? 2 + Math.floor(r() * 4) : 2
          const outputs = loss === 'categoricalCrossentropy' ? classes : 1
          const useBias = r() < 0.7
          // Weight decay (L2) and L1 on some layers, as the app's kernel/bias regularizers emit them.
          const decay = r() < 0.5 ? { kernelL2: 0.01, biasL1: 0.005 } : {}
          const layers: Layers = [
            ['Input', { shape: [inputs] }],
            ['Dense', { units, activation: hidden, useBias, ...decay }],
            ['Dropout', { rate: 0 }],
            ['Dense', { units: Math.max(2, units - 1), activation: 'linear' }],
            ['Activation', { activation: hidden }],
            ['Dense', { units: outputs, activation: OUTPUT[loss], kernelL1: r() < 0.5 ? 0.001 : 0 }],
          ]
          const config: TrainConfig = { ...CPU_CONFIG, ...o, loss, batchSize: batch, seed: seed * 31 }
          const what = `${hidden} hidden, ${inputs}-${units}-${outputs}, batch ${batch}, bias ${useBias}, decay ${JSON.stringify(decay)}`
          expectSame(await compare(layers, config, classes, batches(5, batch, inputs, loss, classes, seed)), what)
        }
      }),
    ),
  )

  it('matches where cross-entropy clips: probabilities outside [eps, 1 - eps] and unnormalized categorical outputs', async () => {
    // A linear output under binary CE leaves [0, 1] (clipped, no gradient there); sigmoid outputs
    // under categorical CE do not sum to 1, so the loss's renormalization matters.
    const bce: Layers = [['Input', { shape: [4] }], ['Dense', { units: 5, activation: 'relu' }], ['Dense', { units: 1, activation: 'linear' }]]
    const bceConfig: TrainConfig = { ...CPU_CONFIG, optimizer: 'sgd', learningRate: 0.2, loss: 'binaryCrossentropy', batchSize: 6 }
    const data = batches(4, 6, 4, 'binaryCrossentropy', 2, 3).map((b) => ({ ...b, x: b.x.map((v) => v * 4) }))
    expectSame(await compare(bce, bceConfig, 2, data), 'linear output, binary CE')
    const cce: Layers = [['Input', { shape: [3] }], ['Dense', { units: 4, activation: 'sigmoid' }]]
    const cceConfig: TrainConfig = { ...CPU_CONFIG, optimizer: 'adam', learningRate: 0.05, loss: 'categoricalCrossentropy', batchSize: 5 }
    expectSame(await compare(cce, cceConfig, 4, batches(4, 5, 3, 'categoricalCrossentropy', 4, 4)), 'sigmoid outputs, categorical CE')
  })

  it('takes a flattened image input (Flatten of [h, w, c] is the identity on row-major rows)', async () => {
    const layers: Layers = [['Input', { shape: [3, 2, 2] }], ['Flatten', {}], ['Dense', { units: 3, activation: 'softmax' }]]
    const config: TrainConfig = { ...CPU_CONFIG, loss: 'categoricalCrossentropy', batchSize: 4 }
    const data = batches(3, 4, 12, 'categoricalCrossentropy', 3, 9).map((b) => ({ ...b, shape: [3, 2, 2] }))
    expectSame(await compare(layers, config, 3, data), 'flattened input')
  })

  it('continues from a stepped optimizer: state made by tfjs is read, state made by the stepper is written back', async () => {
    const layers: Layers = [['Input', { shape: [3] }], ['Dense', { units: 4, activation: 'tanh' }], ['Dense', { units: 1, activation: 'sigmoid' }]]
    const config: TrainConfig = { ...CPU_CONFIG, optimizer: 'adam', learningRate: 0.02, batchSize: 4 }
    const data = batches(6, 4, 3, 'binaryCrossentropy', 2, 21)
    const reference = await compiled(layers, config, 2)
    const ref = layersStepper(reference)
    for (const b of data) await ref.step(b)
    // Three stock steps, then three fused steps on the same model and optimizer.
    const mixed = await compiled(layers, config, 2)
    const stock = layersStepper(mixed)
    for (const b of data.slice(0, 3)) await stock.step(b)
    const fused = (await denseStackStepper(mixed)) as BatchStepper
    for (const b of data.slice(3)) await fused.step(b)
    await fused.sync()
    reference.model.getWeights().forEach((w, k) => expect(maxRelError(mixed.model.getWeights()[k]!.dataSync(), w.dataSync()), `weight ${k}`).toBeLessThan(TOL))
    const [a, b] = [await reference.optimizer.getWeights(), await mixed.optimizer.getWeights()]
    expect(b.map((w) => stateName(w.name))).toEqual(a.map((w) => stateName(w.name)))
    a.forEach((w, k) => expect(maxRelError(b[k]!.tensor.dataSync(), w.tensor.dataSync()), w.name).toBeLessThan(TOL))
    const scalars = (o: tf.Optimizer) => [(o as unknown as { accBeta1: tf.Variable }).accBeta1.dataSync()[0], (o as unknown as { accBeta2: tf.Variable }).accBeta2.dataSync()[0]]
    expect(scalars(mixed.optimizer)).toEqual(scalars(reference.optimizer))
  })
})

describe('learning rate changes (schedules, resume)', () => {
  for (const optimizer of ['sgd', 'momentum', 'adam'] as const)
    it(`${optimizer}: both steppers step with the rate last set (SGD and Momentum cache -lr in a scalar)`, async () => {
      const layers: Layers = [['Input', { shape: [3] }], ['Dense', { units: 2, activation: 'tanh' }], ['Dense', { units: 1, activation: 'sigmoid' }]]
      const config: TrainConfig = { ...CPU_CONFIG, optimizer, learningRate: 0.5, batchSize: 4 }
      const [b] = batches(1, 4, 3, 'binaryCrossentropy', 2, 5)
      for (const fused of [false, true]) {
        const input = await compiled(layers, config, 2)
        const s = fused ? ((await denseStackStepper(input)) as BatchStepper) : layersStepper(input)
        const before = input.model.getWeights().map((w) => Array.from(w.dataSync()))
        s.setLearningRate(0)
        await s.step(b!)
        await s.sync()
        expect(input.model.getWeights().map((w) => Array.from(w.dataSync())), `${fused ? 'fused' : 'stock'}: lr 0 leaves the weights`).toEqual(before)
        await s.dispose()
      }
    })
})

describe('fused dense stepper: what it declines', () => {
  const config: TrainConfig = { ...CPU_CONFIG }
  const cases: [string, Layers, Partial<TrainConfig>?][] = [
    ['a convolution', [['Input', { shape: [6, 1] }], ['Conv1D', { filters: 2, kernelSize: 3 }], ['Flatten', {}], ['Dense', { units: 1, activation: 'sigmoid' }]]],
    ['a Dense on a non-flat input', [['Input', { shape: [3, 2] }], ['Dense', { units: 1, activation: 'sigmoid' }], ['Flatten', {}]]],
    ['an unsupported activation', [['Input', { shape: [3] }], ['Dense', { units: 2, activation: 'elu' }], ['Dense', { units: 1, activation: 'sigmoid' }]]],
    ['batch normalization', [['Input', { shape: [3] }], ['BatchNormalization', {}], ['Dense', { units: 1, activation: 'sigmoid' }]]],
    ['an unsupported loss', [['Input', { shape: [3] }], ['Dense', { units: 3, activation: 'softmax' }]], { loss: 'sparseCategoricalCrossentropy' }],
  ]
  for (const [what, layers, extra] of cases)
    it(`returns null for ${what}`, async () => {
      const c = { ...config, ...extra }
      const input = await compiled(layers, c, 3)
      expect(await denseStackStepper(input)).toBeNull()
    })

  it('returns null for a branching model (the resnet block template)', async () => {
    const model = await buildModel(tf, buildTemplate('resnet_block'), 1)
    const c = { ...config, loss: 'categoricalCrossentropy' as const }
    expect(await denseStackStepper({ tf, model, optimizer: compileModel(tf, model, c), config: c, classes: 10 })).toBeNull()
  })

  it('takes the starting MLP templates', async () => {
    for (const t of ['and_xor_mlp', 'spam_mlp'] as const) {
      const model = await buildModel(tf, buildTemplate(t), 1)
      const s = await denseStackStepper({ tf, model, optimizer: compileModel(tf, model, config), config, classes: 2 })
      expect([s?.label, s?.reason], t).toEqual(['dense-stack', expect.stringContaining('(js kernels)')])
      await s?.dispose()
    }
  })
})

describe('fused dense stepper: dropout', () => {
  it('keeps each value with probability 1 - rate and scales kept values by 1 / (1 - rate), so the mean is kept', () => {
    const size = 200_000
    const rate = 0.3
    const h = new Float32Array(size * 3)
    h.fill(2, 0, size)
    applyDropout(h, 0, size, 2 * size, size, rate, 5)
    let zeros = 0
    let sum = 0
    const values = new Set<number>()
    let maskMismatches = 0
    for (let j = 0; j < size; j++) {
      const y = h[size + j]!
      if (y === 0) zeros++
      else values.add(y)
      sum += y
      if (h[2 * size + j] !== y / 2) maskMismatches++ // the mask is what the backward pass multiplies by
    }
    expect([...values]).toEqual([Math.fround(2 * Math.fround(1 / (1 - rate)))])
    expect(maskMismatches).toBe(0)
    expect(zeros / size).toBeCloseTo(rate, 2)
    // The mask follows the run's generator (seededRandom): value j is dropped when u_j < rate.
    const r = seededRandom(5)
    const expected = Array.from({ length: 1000 }, () => (r() < rate ? 0 : 1))
    expect(Array.from(h.subarray(size, size + 1000), (v) => (v === 0 ? 0 : 1))).toEqual(expected)
    expect(sum / size).toBeCloseTo(2, 1)
  })

  it('draws new masks every step, the same for the same seed and step (so resume is exact)', async () => {
    const layers: Layers = [['Input', { shape: [8] }], ['Dropout', { rate: 0.5 }], ['Dense', { units: 1, activation: 'sigmoid' }]]
    const config: TrainConfig = { ...CPU_CONFIG, optimizer: 'sgd', learningRate: 0.1, batchSize: 16 }
    const data = batches(3, 16, 8, 'binaryCrossentropy', 2, 8)
    const losses = async () => {
      const s = (await denseStackStepper(await compiled(layers, config, 2))) as BatchStepper
      const out = []
      for (const b of [data[0]!, data[0]!, data[1]!]) out.push((await s.step(b)).loss)
      return out
    }
    const [a, b] = [await losses(), await losses()]
    expect(a).toEqual(b)
    expect(a[1], 'the same batch twice sees different masks').not.toBe(a[0])
  })
})
