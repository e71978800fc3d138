// The data-parallel stepper against the stock one (tfjs-layers trainOnBatch): the same losses,
// accuracies and weights step by step, for dense, convolutional and recurrent models and every
// optimizer; resuming from a mid-run state; learning-rate changes; a helper that dies; and which
// stepper chooseStepper picks.
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTemplate } from '../../../common/graph'
import type { TrainConfig } from '../../../common/contract'
import { buildModel, compileModel } from '../../../main/training/buildModel'
import type { ArrayBatch } from '../../../main/training/batches'
import { installFusedRecurrent } from '../../../main/training/backends/recurrent/fusedRecurrent'
import { dataParallelStepper, macsPerSample, planParallel, planParallelNow, threadsAsked } from '../../../main/training/backends/parallel/parallelStepper'
import { readOptimizerScalars, restoreOptimizerScalars } from '../../../main/training/optimizerState'
import { chooseStepper, layersStepper, type BatchStepper, type StepperInput } from '../../../main/training/stepper'
import { maxRelError, randomData, rng, setUpBackends } from './wasmHarness'

beforeAll(async () => {
  await setUpBackends()
  await tf.setBackend('wasm')
  installFusedRecurrent(tf)
})

afterAll(async () => {
  await tf.setBackend('cpu')
})

type Kind = 'dense' | 'cnn' | 'lstm' | 'text'

/** The model of a kind (seeded initializers, so two builds start equal). */
function buildKind(kind: Kind): tf.LayersModel {
  const m = tf.sequential()
  const init = (seed: number) => tf.initializers.glorotUniform({ seed })
  if (kind === 'dense') {
    m.add(tf.layers.dense({ inputShape: [12], units: 16, activation: 'relu', kernelInitializer: init(1), kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }))
    m.add(tf.layers.dropout({ rate: 0 }))
    m.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(2) }))
  } else if (kind === 'cnn') {
    m.add(tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(3) }))
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }))
    m.add(tf.layers.flatten())
    m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(4) }))
  } else if (kind === 'text') {
    // As the text template: token ids through an embedding, a 1-D convolution and an LSTM.
    m.add(tf.layers.embedding({ inputDim: 50, outputDim: 4, inputLength: 10, embeddingsInitializer: tf.initializers.randomUniform({ seed: 8 }) }))
    m.add(tf.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: init(9) }))
    m.add(tf.layers.lstm({ units: 6, kernelInitializer: init(10), recurrentInitializer: init(11) }))
    m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(12) }))
  } else {
    m.add(tf.layers.lstm({ inputShape: [6, 4], units: 8, kernelInitializer: init(5), recurrentInitializer: init(6) }))
    m.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(7) }))
  }
  return m
}

const SHAPE: Record<Kind, number[]> = { dense: [12], cnn: [8, 8, 2], lstm: [6, 4], text: [10] }
const CLASSES: Record<Kind, number> = { dense: 2, cnn: 3, lstm: 3, text: 3 }

function configFor(kind: Kind, optimizer: TrainConfig['optimizer'], batchSize = 16): TrainConfig {
  return {
    optimizer, learningRate: 0.02, momentum: 0.9, schedule: { kind: 'none' }, batchSize, epochs: 1,
    loss: kind === 'dense' ? 'binaryCrossentropy' : 'categoricalCrossentropy', earlyStopping: null, seed: 1, backend: 'wasm', keepCheckpoints: 1,
  }
}

/** A seeded batch of `n` rows (odd sizes give uneven shards). */
function batchOf(kind: Kind, n: number, seed: number): ArrayBatch {
  const width = SHAPE[kind].reduce((a, b) => a * b, 1)
  const r = rng(seed)
  const x = kind === 'text' ? Float32Array.from(randomData(n * width, seed), (v) => Math.floor((v + 1) * 25)) : randomData(n * width, seed)
  return { n, x, shape: SHAPE[kind], labels: Int32Array.from({ length: n }, () => Math.floor(r() * CLASSES[kind])), rowIndex: new Uint32Array(n) }
}

function inputFor(kind: Kind, config: TrainConfig): StepperInput {
  const model = buildKind(kind)
  const optimizer = compileModel(tf, model, config)
  return { tf, model, optimizer, config, classes: CLASSES[kind] }
}

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Float32Array.from(w.dataSync()))

/** Runs `steps` batches through a stepper; returns the per-step results. */
async function runSteps(s: BatchStepper, kind: Kind, steps: number, from = 0, rows = 17) {
  const out: { loss: number; accuracy?: number }[] = []
  for (let k = from; k < from + steps; k++) out.push(await s.step(batchOf(kind, rows, 100 + k)))
  return out
}

function expectSameTraining(a: { loss: number; accuracy?: number }[], b: { loss: number; accuracy?: number }[], wa: Float32Array[], wb: Float32Array[]): void {
  expect(b.length).toBe(a.length)
  a.forEach((r, k) => {
    expect(Math.abs((b[k] as typeof r).loss - r.loss) / Math.abs(r.loss)).toBeLessThan(1e-4)
    if (r.accuracy === undefined) expect(b[k]?.accuracy).toBeUndefined()
    else expect(b[k]?.accuracy).toBeCloseTo(r.accuracy, 5)
  })
  expect(wb.length).toBe(wa.length)
  // Shards' gradients are summed in another order than the whole batch's; Adam's normalised step
  // carries that rounding into the weights (about 1e-4 after a few steps on the LSTM).
  wa.forEach((w, i) => expect(maxRelError(wb[i] as Float32Array, w)).toBeLessThan(5e-4))
}

const cases: [Kind, TrainConfig['optimizer']][] = [
  ['dense', 'adam'],
  ['dense', 'sgd'],
  ['dense', 'rmsprop'],
  ['dense', 'momentum'],
  ['dense', 'adagrad'],
  ['dense', 'adadelta'],
  ['cnn', 'adam'],
  ['cnn', 'sgd'],
  ['cnn', 'rmsprop'],
  ['lstm', 'adam'],
  ['lstm', 'sgd'],
  ['lstm', 'rmsprop'],
  // The one-row batch once trapped ("divide by zero") in a kernel given the empty shard.
  ['text', 'adam'],
]

describe('data-parallel stepper', () => {
  it.each(cases)('%s with %s: same losses, accuracies and weights as trainOnBatch', async (kind, optimizer) => {
    const config = configFor(kind, optimizer)
    const stock = inputFor(kind, config)
    const par = inputFor(kind, config)
    const s1 = layersStepper(stock)
    const s2 = await dataParallelStepper(par, { replicas: 2, reason: 'test' })
    try {
      expect(s2.threads).toBe(2)
      // 17 rows split 8 + 9; then an epoch's last batch of one row leaves the leader's shard empty.
      const a = [...(await runSteps(s1, kind, 4)), ...(await runSteps(s1, kind, 1, 4, 1))]
      const b = [...(await runSteps(s2, kind, 4)), ...(await runSteps(s2, kind, 1, 4, 1))]
      // Classification runs report accuracy (the fit loop averages it per epoch); it is a real fraction.
      expect(a[0]?.accuracy).toBeGreaterThanOrEqual(0)
      expectSameTraining(a, b, weightsOf(stock.model), weightsOf(par.model))
      // The optimizer state the checkpoint reads is the leader's, in the stock names and shapes.
      const [o1, o2] = [await stock.optimizer.getWeights(), await par.optimizer.getWeights()]
      expect(o2.map((w) => w.tensor.shape)).toEqual(o1.map((w) => w.tensor.shape))
      o1.forEach((w, i) => expect(maxRelError(o2[i]!.tensor.dataSync(), w.tensor.dataSync())).toBeLessThan(1e-3))
    } finally {
      await s2.dispose()
    }
  })

  it('a learning-rate change reaches every replica', async () => {
    const config = configFor('cnn', 'sgd')
    const stock = inputFor('cnn', config)
    const par = inputFor('cnn', config)
    const s1 = layersStepper(stock)
    const s2 = await dataParallelStepper(par, { replicas: 2, reason: 'test' })
    try {
      const a = [...(await runSteps(s1, 'cnn', 2)), ...(s1.setLearningRate(0.2), await runSteps(s1, 'cnn', 3, 2))]
      const b = [...(await runSteps(s2, 'cnn', 2)), ...(s2.setLearningRate(0.2), await runSteps(s2, 'cnn', 3, 2))]
      // A helper still on the old rate would diverge from the leader, and the loss from trainOnBatch's.
      expectSameTraining(a, b, weightsOf(stock.model), weightsOf(par.model))
    } finally {
      await s2.dispose()
    }
  })

  it('resumed from a mid-run state (weights and optimizer state) equals the uninterrupted run', async () => {
    const config = configFor('dense', 'adam')
    const whole = inputFor('dense', config)
    const s1 = await dataParallelStepper(whole, { replicas: 2, reason: 'test' })
    const first = inputFor('dense', config)
    const s2 = await dataParallelStepper(first, { replicas: 2, reason: 'test' })
    try {
      const a = await runSteps(s1, 'dense', 6)
      const b = await runSteps(s2, 'dense', 3)
      // What checkpointNow saves, then what fitRun restores on resume into a fresh model and optimizer.
      const weights = first.model.getWeights().map((w) => ({ values: Float32Array.from(w.dataSync()), shape: w.shape }))
      const opt = (await first.optimizer.getWeights()).map((w) => ({ name: w.name, values: Float32Array.from(w.tensor.dataSync()), shape: w.tensor.shape }))
      const scalars = readOptimizerScalars(first.optimizer)
      const resumed = inputFor('dense', config)
      resumed.model.setWeights(weights.map((w) => tf.tensor(w.values, w.shape)))
      await resumed.optimizer.setWeights(opt.map((w) => ({ name: w.name, tensor: tf.tensor(w.values, w.shape) })))
      restoreOptimizerScalars(tf, resumed.optimizer, scalars)
      const s3 = await dataParallelStepper(resumed, { replicas: 2, reason: 'test' })
      try {
        b.push(...(await runSteps(s3, 'dense', 3, 3)))
      } finally {
        await s3.dispose()
      }
      // Helpers that started from fresh optimizer state (or the initial weights) would give other losses.
      expectSameTraining(a, b, weightsOf(whole.model), weightsOf(resumed.model))
    } finally {
      await s1.dispose()
      await s2.dispose()
    }
  })

  it('a helper that dies fails the step with the reason instead of waiting forever', async () => {
    const config = configFor('cnn', 'adam')
    const s = await dataParallelStepper(inputFor('cnn', config), { replicas: 2, reason: 'test' }, { workerScript: join(__dirname, 'fixtures', 'dyingReplica.cjs') })
    try {
      await s.step(batchOf('cnn', 16, 1))
      // An AppError, so the run is marked failed with this text (and can resume from its checkpoint).
      await expect(s.step(batchOf('cnn', 16, 2))).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/helper thread 1 exited unexpectedly \(exit code 3\).*resume/) })
      // Every later step is refused too, at once.
      await expect(s.step(batchOf('cnn', 16, 3))).rejects.toThrow(/exited unexpectedly/)
    } finally {
      await s.dispose()
    }
  }, 30_000)
})

describe('choosing a stepper', () => {
  const env = { backend: 'wasm', cores: 2 }
  it('keeps a tiny MLP (2-3-1, batch 4) on the stock stepper', async () => {
    const m = tf.sequential()
    m.add(tf.layers.dense({ inputShape: [2], units: 3, activation: 'relu' }))
    m.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }))
    const config = { ...configFor('dense', 'adam', 4) }
    expect(planParallel(m, 4, env).replicas).toBe(1)
    // Even with a big batch it is too light to pay.
    expect(planParallel(m, 512, env)).toMatchObject({ replicas: 1, reason: expect.stringContaining('too light') })
    const chosen = await chooseStepper({ tf, model: m, optimizer: compileModel(tf, m, config), config, classes: 2 })
    expect(chosen.label).toBe('tfjs-layers')
    expect(chosen.threads).toBe(1)
    await chosen.dispose()
  })

  it('splits a convolutional batch over the cores, unless NW_TRAIN_THREADS=1 or another backend', () => {
    const m = tf.sequential()
    m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }))
    m.add(tf.layers.flatten())
    m.add(tf.layers.dense({ units: 10, activation: 'softmax' }))
    // 26*26 positions of 3*3*32 + 32 weights, plus the dense layer's 21632*10 + 10.
    expect(macsPerSample(m)).toBe(26 * 26 * 320 + 216330)
    // Batch 16: 6.9 M multiply-adds a step, 32 per parameter.
    expect(planParallel(m, 16, env)).toMatchObject({ replicas: 1, reason: expect.stringContaining('32 per parameter') })
    expect(planParallel(m, 64, env).replicas).toBe(2)
    expect(planParallel(m, 64, { ...env, cores: 16 }).replicas).toBe(4)
    expect(planParallel(m, 64, { ...env, threadsSetting: '1' }).replicas).toBe(1)
    expect(planParallel(m, 64, { ...env, backend: 'tensorflow' }).replicas).toBe(1)
    expect(planParallel(m, 8, env).replicas).toBe(1)
    expect(planParallel(m, 64, { ...env, cores: 1 }).replicas).toBe(1)
  })

  it('while other programs keep the cores busy, splits only heavy steps (or when NW_TRAIN_THREADS asks)', () => {
    const m = tf.sequential()
    m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }))
    m.add(tf.layers.flatten())
    m.add(tf.layers.dense({ units: 10, activation: 'softmax' }))
    expect(planParallel(m, 64, { ...env, load: 0.3 }).replicas).toBe(2)
    // 28 M multiply-adds a step: enough on idle cores, too light on busy ones; 32x the batch is not.
    expect(planParallel(m, 64, { ...env, load: 1.2 })).toMatchObject({ replicas: 1, reason: expect.stringContaining('busy') })
    expect(planParallel(m, 2048, { ...env, load: 8 }).replicas).toBe(2)
    expect(planParallel(m, 64, { ...env, cores: 8, load: 5 }).replicas).toBe(3)
    expect(planParallel(m, 64, { ...env, load: 6, threadsSetting: '2' }).replicas).toBe(2)
  })

  it("measures other programs' load only when the load average is what keeps a second thread off", async () => {
    const m = tf.sequential()
    m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }))
    m.add(tf.layers.flatten())
    m.add(tf.layers.dense({ units: 10, activation: 'softmax' }))
    const measured: number[] = []
    const measure = (load: number) => async () => (measured.push(load), load)
    // The average says busy (1.2: this app's own run just ended); others use 0.1 cores now: two threads.
    expect((await planParallelNow(m, 64, { ...env, load: 1.2 }, measure(0.1))).replicas).toBe(2)
    // Others really keep a core busy: still one thread, and the reason names that load.
    const busy = await planParallelNow(m, 64, { ...env, load: 1.2 }, measure(1.1))
    expect(busy).toMatchObject({ replicas: 1, reason: expect.stringContaining('load 1.1') })
    // A momentary lull does not lower the load below the average.
    expect((await planParallelNow(m, 64, { ...env, load: 0.2 }, measure(0))).replicas).toBe(2)
    expect(measured).toEqual([0.1, 1.1])
    // Nothing to measure where the load cannot change the answer (batch too small, another backend, idle).
    await planParallelNow(m, 8, { ...env, load: 1.2 }, measure(0))
    await planParallelNow(m, 64, { ...env, backend: 'tensorflow', load: 1.2 }, measure(0))
    await planParallelNow(m, 64, { ...env, load: 0 }, measure(0))
    expect(measured).toEqual([0.1, 1.1])
  })

  it('reads NW_TRAIN_THREADS as a thread count, or none', () => {
    expect(threadsAsked('2')).toBe(2)
    expect(threadsAsked(' 1 ')).toBe(1)
    expect(threadsAsked('')).toBeNull()
    expect(threadsAsked('many')).toBeNull()
  })

  it('keeps a model whose weights outweigh its arithmetic on one thread: the MNIST CNN, not the CIFAR-10 CNN', async () => {
    const mnist = await buildModel(tf, buildTemplate('mnist_cnn'), 1)
    const cifar = await buildModel(tf, buildTemplate('cifar10_cnn'), 1)
    // 58 M multiply-adds a step over 0.69 M parameters (84 each): averaging and updating them all in every thread eats the gain.
    expect(planParallel(mnist, 64, env)).toMatchObject({ replicas: 1, reason: expect.stringContaining('84 per parameter') })
    expect(planParallel(mnist, 64, { ...env, threadsSetting: '2' }).replicas).toBe(2)
    expect(planParallel(cifar, 64, env).replicas).toBe(2)
    mnist.dispose()
    cifar.dispose()
  })
})
