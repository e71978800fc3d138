// On the wasm backend the fused dense stepper keeps its block in the backend's heap and runs our
// SIMD gemm, row sums and Adam kernel on it; its steps equal tfjs-layers' trainOnBatch on wasm
// (XNNPACK products) to float rounding, on the spam MLP's shape and on odd sizes.
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrainConfig } from '../../../common/contract'
import type { LayerType } from '../../../common/graph/types'
import { seededRandom } from '../../../common/datasets/prng'
import { denseStackStepper } from '../../../main/training/backends/denseStack/denseStackStepper'
import { wasmArena } from '../../../main/training/backends/denseStack/arena'
import { activate, applyDropout } from '../../../main/training/backends/denseStack/elementwise'
import type { WasmBackend } from '../../../main/training/backends/wasm/heap'
import type { ArrayBatch } from '../../../main/training/batches'
import { buildModel, compileModel } from '../../../main/training/buildModel'
import { layersStepper, type BatchStepper, type StepperInput } from '../../../main/training/stepper'
import { CPU_CONFIG, chain } from './support'
import { maxRelError, setUpBackends } from './wasmHarness'

beforeAll(async () => {
  await setUpBackends()
  await tf.setBackend('wasm')
})
afterAll(async () => {
  await tf.setBackend('cpu')
})

type Layers = [LayerType, Record<string, unknown>][]

async function trained(layers: Layers, config: TrainConfig, data: ArrayBatch[], fused: boolean): Promise<{ label: string; reason?: string; losses: number[]; weights: Float32Array; state: Float32Array }> {
  const model = await buildModel(tf, chain(layers), config.seed)
  const optimizer = compileModel(tf, model, config)
  const input: StepperInput = { tf, model, optimizer, config, classes: 2 }
  const s = fused ? ((await denseStackStepper(input)) as BatchStepper) : layersStepper(input)
  const losses = []
  for (const b of data) losses.push((await s.step(b)).loss)
  await s.sync()
  const weights = Float32Array.from(model.getWeights().flatMap((w) => Array.from(w.dataSync())))
  const state = Float32Array.from((await optimizer.getWeights()).slice(1).flatMap((w) => Array.from(w.tensor.dataSync())))
  await s.dispose()
  return { label: s.label, reason: s.reason, losses, weights, state }
}

function batches(count: number, batch: number, inputs: number, seed: number): ArrayBatch[] {
  const r = seededRandom(seed)
  return Array.from({ length: count }, () => {
    const x = Float32Array.from({ length: batch * inputs }, () => r() * 4 - 2)
    return { n: batch, x, shape: [inputs], labels: Int32Array.from({ length: batch }, () => (r() < 0.4 ? 1 : 0)), rowIndex: new Uint32Array(batch) }
  })
}

describe('fused dense stepper on wasm (SIMD gemm in the heap)', () => {
  const cases: [string, Layers, number, number][] = [
    ['57-512-256-1 relu (the spam MLP, dropout 0)', [['Input', { shape: [57] }], ['Dense', { units: 512, activation: 'relu' }], ['Dropout', { rate: 0 }], ['Dense', { units: 256, activation: 'relu' }], ['Dense', { units: 1, activation: 'sigmoid' }]], 57, 64],
    ['13-37-11-1 tanh, odd sizes and batch', [['Input', { shape: [13] }], ['Dense', { units: 37, activation: 'tanh' }], ['Dense', { units: 11, activation: 'sigmoid', useBias: false }], ['Dense', { units: 1, activation: 'sigmoid' }]], 13, 7],
  ]
  for (const [what, layers, inputs, batch] of cases)
    for (const optimizer of ['adam', 'sgd', 'rmsprop'] as const)
      it(`${what}, ${optimizer}: equals trainOnBatch on wasm`, async () => {
        const config: TrainConfig = { ...CPU_CONFIG, optimizer, learningRate: optimizer === 'sgd' ? 0.05 : 0.002, batchSize: batch, backend: 'wasm' }
        const data = batches(4, batch, inputs, inputs + batch)
        const stock = await trained(layers, config, data, false)
        const fused = await trained(layers, config, data, true)
        expect([fused.label, fused.reason]).toEqual(['dense-stack', expect.stringContaining('(wasm-simd kernels)')])
        fused.losses.forEach((l, k) => expect(Math.abs(l - stock.losses[k]!) / Math.max(0.1, Math.abs(stock.losses[k]!)), `loss ${k + 1}`).toBeLessThan(1e-5))
        // Adam's step is about ±lr for any gradient far below its running scale, so where a
        // gradient is rounding noise (different summation orders) the step's sign is noise too.
        // The bound is 1e-5 or, if larger, twice what tfjs itself differs by between cpu and wasm.
        await tf.setBackend('cpu')
        const cpu = await trained(layers, { ...config, backend: 'cpu' }, data, false)
        await tf.setBackend('wasm')
        const floor = Math.max(1e-5, 2 * maxRelError(cpu.weights, stock.weights))
        expect(maxRelError(fused.weights, stock.weights), 'weights').toBeLessThan(floor)
        expect(maxRelError(fused.state, stock.state), 'optimizer state').toBeLessThan(Math.max(1e-5, 2 * maxRelError(cpu.state, stock.state)))
      })

  it('keeps its block when tfjs grows the wasm heap between steps (views are taken again)', async () => {
    const layers: Layers = [['Input', { shape: [13] }], ['Dense', { units: 16, activation: 'relu' }], ['Dense', { units: 1, activation: 'sigmoid' }]]
    const config: TrainConfig = { ...CPU_CONFIG, optimizer: 'adam', learningRate: 0.01, batchSize: 8, backend: 'wasm' }
    const data = batches(4, 8, 13, 77)
    const stock = await trained(layers, config, data, false)
    const model = await buildModel(tf, chain(layers), config.seed)
    const optimizer = compileModel(tf, model, config)
    const s = (await denseStackStepper({ tf, model, optimizer, config, classes: 2 })) as BatchStepper
    const before = (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer
    await s.step(data[0]!)
    await s.step(data[1]!)
    // 256 MB more than the heap holds now: the heap grows and its old ArrayBuffer is detached.
    const big = tf.zeros([64 * 1024 * 1024])
    expect((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer).not.toBe(before)
    await s.step(data[2]!)
    await s.step(data[3]!)
    await s.sync()
    big.dispose()
    const weights = Float32Array.from(model.getWeights().flatMap((w) => Array.from(w.dataSync())))
    expect(maxRelError(weights, stock.weights)).toBeLessThan(1e-5)
    await s.dispose()
  })

  it('draws the same dropout masks as the JavaScript loop, bit for bit, and computes Relu like it (a run resumes on either backend)', () => {
    const n = 4099
    const arena = wasmArena(tf.backend() as unknown as WasmBackend, 3 * n)!
    const r = seededRandom(5)
    const x = Float32Array.from({ length: n }, () => r() * 4 - 2)
    x[7] = NaN
    x[8] = -0
    for (const [rate, seed] of [[0.5, 1], [0.3, 0xdeadbeef], [0.05, 42]] as const) {
      const js = new Float32Array(3 * n)
      js.set(x)
      applyDropout(js, 0, n, 2 * n, n, rate, seed)
      arena.h().set(x, arena.base)
      arena.dropout!(arena.base, arena.base + n, arena.base + 2 * n, n, rate, seed)
      const got = arena.h().slice(arena.base, arena.base + 3 * n)
      expect(Buffer.from(got.buffer).equals(Buffer.from(js.buffer)), `rate ${rate}`).toBe(true)
      const kept = js.subarray(2 * n).filter((m) => m !== 0).length / n
      expect(Math.abs(kept - (1 - rate))).toBeLessThan(0.03)
    }
    const js = new Float32Array(2 * n)
    js.set(x)
    activate(js, 'relu', 0, n, n, 1)
    arena.h().set(x, arena.base)
    arena.relu!(arena.base, arena.base + n, n)
    expect(Array.from(arena.h().slice(arena.base + n, arena.base + 2 * n))).toEqual(Array.from(js.subarray(n)))
    arena.dispose()
  })
})
