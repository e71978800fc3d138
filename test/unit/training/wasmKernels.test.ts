// Every kernel registerWasmTrainingKernels() adds or replaces, against the cpu backend on seeded
// random inputs. Metric: max |wasm - cpu| / max |cpu| (see wasmHarness.ts), within 1e-5.
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from '../../../main/training/backends/wasmKernels'
import { setWinogradTile } from '../../../main/training/backends/wasm/winograd'
import { compareBackends, compareTo, randomData, rng, runOn, setUpBackends } from './wasmHarness'

const TOL = 1e-5

beforeAll(async () => {
  await setUpBackends()
})

/** A seeded tensor of the given shape. */
function t(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomData(shape.reduce((a, b) => a * b, 1), seed), shape)
}

describe('registration', () => {
  it('registers every kernel for wasm, and a second call changes nothing', () => {
    registerWasmTrainingKernels()
    const before = WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k.kernelName, 'wasm'))
    registerWasmTrainingKernels()
    const after = WASM_TRAINING_KERNELS.map((k) => tf.getKernel(k.kernelName, 'wasm'))
    expect(after).toEqual(before)
    for (const k of after) expect(k).toBeDefined()
  })
})

type Pad = 'same' | 'valid' | number
interface ConvCase {
  x: [number, number, number, number]
  filter: [number, number, number, number]
  strides: number | [number, number]
  pad: Pad
}

// batch 1 and >1, channels 1 and >1, odd sizes, strides 1/2/(2,1), padding same/valid/explicit.
const CONV_CASES: ConvCase[] = [
  { x: [1, 5, 5, 1], filter: [3, 3, 1, 1], strides: 1, pad: 'valid' },
  { x: [3, 7, 5, 2], filter: [3, 3, 2, 4], strides: 1, pad: 'same' },
  { x: [2, 9, 8, 3], filter: [3, 2, 3, 5], strides: 2, pad: 'same' },
  { x: [2, 9, 7, 3], filter: [5, 3, 3, 2], strides: [2, 1], pad: 'valid' },
  { x: [1, 6, 6, 4], filter: [2, 2, 4, 3], strides: 2, pad: 1 },
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 32], strides: 1, pad: 'valid' },
  { x: [2, 16, 16, 17], filter: [3, 3, 17, 9], strides: 1, pad: 'same' },
  // Conv1D as tfjs runs it (a height-1 conv2d), the text template's shape scaled down.
  { x: [3, 1, 40, 16], filter: [1, 7, 16, 8], strides: 1, pad: 'valid' },
  // 3x3 stride 1 with channels in fours (Winograd for both gradients): odd sizes leave partial
  // 2x2 tiles; 'valid', 'same', explicit padding wider than 'same'; stride 2 falls back.
  { x: [2, 9, 7, 16], filter: [3, 3, 16, 20], strides: 1, pad: 'same' },
  { x: [3, 10, 11, 20], filter: [3, 3, 20, 16], strides: 1, pad: 'valid' },
  { x: [1, 5, 6, 16], filter: [3, 3, 16, 16], strides: 1, pad: 2 },
  { x: [2, 9, 9, 16], filter: [3, 3, 16, 16], strides: 2, pad: 'same' },
  // Tiles in more than one chunk summed into the filter gradient.
  { x: [4, 12, 12, 32], filter: [3, 3, 32, 64], strides: 1, pad: 'same' },
  // Few input channels, outputs in eights (the row-at-a-time filter gradient): an RGB stem with
  // odd sizes, strides, a wide filter, and a remainder of taps past the last group of four.
  { x: [2, 11, 10, 3], filter: [3, 3, 3, 16], strides: 1, pad: 'same' },
  { x: [2, 9, 8, 2], filter: [3, 2, 2, 8], strides: 2, pad: 'same' },
  { x: [1, 7, 9, 4], filter: [5, 3, 4, 8], strides: [2, 1], pad: 'valid' },
  { x: [2, 6, 7, 1], filter: [3, 3, 1, 24], strides: 1, pad: 1 },
]

/** 3x3 stride-1 convs with channels in fours (the Winograd path) plus neighbours that fall back to stock. */
const FORWARD_CASES: ConvCase[] = [
  { x: [2, 9, 7, 16], filter: [3, 3, 16, 20], strides: 1, pad: 'same' },
  { x: [3, 10, 11, 20], filter: [3, 3, 20, 16], strides: 1, pad: 'valid' },
  { x: [1, 5, 6, 16], filter: [3, 3, 16, 16], strides: 1, pad: 1 },
  { x: [1, 1, 1, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same' },
  { x: [4, 16, 16, 64], filter: [3, 3, 64, 128], strides: 1, pad: 'same' },
  { x: [2, 9, 9, 16], filter: [3, 3, 16, 16], strides: 2, pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 32], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 18], filter: [3, 3, 18, 16], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 16], filter: [5, 5, 16, 16], strides: 1, pad: 'same' },
]

describe('Conv2D (Winograd F(2x2, 3x3) for stride-1 3x3, stock otherwise)', () => {
  for (const c of FORWARD_CASES) {
    it(`x ${c.x} filter ${c.filter} strides ${c.strides} pad ${c.pad}`, async () => {
      const err = await compareBackends(() => tf.conv2d(t(c.x, 1) as tf.Tensor4D, t(c.filter, 2) as tf.Tensor4D, c.strides, c.pad))
      expect(err).toBeLessThan(TOL)
    })
  }
})

describe('FusedConv2D (Winograd with bias and relu applied per output tile)', () => {
  for (const c of FORWARD_CASES.slice(0, 3)) {
    for (const activation of ['linear', 'relu', 'elu'] as const) {
      for (const withBias of [true, false]) {
        it(`x ${c.x} filter ${c.filter} pad ${c.pad}, ${activation}${withBias ? ' + bias' : ''}`, async () => {
          const err = await compareBackends(() =>
            tf.fused.conv2d({ x: t(c.x, 1) as tf.Tensor4D, filter: t(c.filter, 2) as tf.Tensor4D, strides: c.strides, pad: c.pad, bias: withBias ? t([c.filter[3]], 5) : undefined, activation }),
          )
          expect(err).toBeLessThan(TOL)
        })
      }
    }
  }
})

/** Convs with 1-4 input channels and outputs in eights (the direct small-channel kernels): MNIST's, an RGB stem, strides, odd widths, wide filters. */
const SMALL_CHANNEL_CASES: ConvCase[] = [
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 32], strides: 1, pad: 'valid' },
  { x: [2, 10, 10, 3], filter: [3, 3, 3, 32], strides: 1, pad: 'same' },
  { x: [2, 9, 11, 3], filter: [3, 3, 3, 16], strides: 2, pad: 'same' },
  { x: [1, 7, 6, 2], filter: [5, 3, 2, 8], strides: 1, pad: 'valid' },
  { x: [2, 6, 7, 4], filter: [2, 2, 4, 8], strides: [1, 2], pad: 1 },
]

describe('Conv2D and FusedConv2D with few input channels (direct kernels, bias and relu fused)', () => {
  for (const c of SMALL_CHANNEL_CASES) {
    it(`x ${c.x} filter ${c.filter} strides ${c.strides} pad ${c.pad}`, async () => {
      expect(await compareBackends(() => tf.conv2d(t(c.x, 1) as tf.Tensor4D, t(c.filter, 2) as tf.Tensor4D, c.strides, c.pad))).toBeLessThan(TOL)
      for (const activation of ['linear', 'relu'] as const) {
        const err = await compareBackends(() =>
          tf.fused.conv2d({ x: t(c.x, 1) as tf.Tensor4D, filter: t(c.filter, 2) as tf.Tensor4D, strides: c.strides, pad: c.pad, bias: t([c.filter[3]], 5), activation }),
        )
        expect(err).toBeLessThan(TOL)
      }
    })
  }
})

describe('Conv2DBackpropFilter (new on wasm)', () => {
  for (const c of [...CONV_CASES, ...SMALL_CHANNEL_CASES]) {
    it(`x ${c.x} filter ${c.filter} strides ${c.strides} pad ${c.pad}`, async () => {
      const err = await compareBackends(() => {
        const x = t(c.x, 1)
        const y = tf.conv2d(x as tf.Tensor4D, t(c.filter, 2) as tf.Tensor4D, c.strides, c.pad)
        const dy = t(y.shape, 3)
        return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter }) as tf.Tensor
      })
      expect(err).toBeLessThan(TOL)
    })
  }
})

describe('Conv2DBackpropInput (replaces the stock scalar kernel)', () => {
  for (const c of CONV_CASES) {
    it(`x ${c.x} filter ${c.filter} strides ${c.strides} pad ${c.pad}`, async () => {
      const err = await compareBackends(() => {
        const y = tf.conv2d(t(c.x, 1) as tf.Tensor4D, t(c.filter, 2) as tf.Tensor4D, c.strides, c.pad)
        const dy = t(y.shape, 3)
        return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: t(c.filter, 2) }, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }) as tf.Tensor
      })
      expect(err).toBeLessThan(TOL)
    })
  }
})

describe('Conv2D gradients end to end (filter and input via ours)', () => {
  for (const c of [...CONV_CASES.slice(0, 5), ...CONV_CASES.slice(8, 10)]) {
    it(`x ${c.x} filter ${c.filter} strides ${c.strides} pad ${c.pad}`, async () => {
      for (const which of [0, 1]) {
        const err = await compareBackends(() => {
          const g = tf.grads((x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad).mul(t(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.strides, c.pad).shape, 4)).sum())
          return g([t(c.x, 1), t(c.filter, 2)])[which] as tf.Tensor
        })
        expect(err).toBeLessThan(TOL)
      }
    })
  }
})

/** Stride-1 3x3 convs with channels in fours, each run with both Winograd tiles forced: odd sizes leave partial tiles of either. */
const WINOGRAD_CASES: ConvCase[] = [
  { x: [2, 9, 7, 16], filter: [3, 3, 16, 20], strides: 1, pad: 'same' },
  { x: [3, 10, 11, 20], filter: [3, 3, 20, 16], strides: 1, pad: 'valid' },
  { x: [1, 5, 6, 16], filter: [3, 3, 16, 16], strides: 1, pad: 2 },
  { x: [1, 1, 1, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same' },
  { x: [2, 13, 14, 24], filter: [3, 3, 24, 16], strides: 1, pad: 'valid' },
  // The ResNet block's channels, tiles in more than one chunk (summed into the filter gradient).
  { x: [2, 20, 22, 32], filter: [3, 3, 32, 32], strides: 1, pad: 'same' },
]

for (const tile of [2, 4] as const) {
  describe(`Winograd F(${tile}x${tile}, 3x3) forced: forward with bias and relu, both gradients`, () => {
    for (const c of WINOGRAD_CASES) {
      it(`x ${c.x} filter ${c.filter} pad ${c.pad}`, async () => {
        const previous = setWinogradTile(tile)
        try {
          const errs = [
            await compareBackends(() => tf.conv2d(t(c.x, 1) as tf.Tensor4D, t(c.filter, 2) as tf.Tensor4D, 1, c.pad)),
            await compareBackends(() => tf.fused.conv2d({ x: t(c.x, 1) as tf.Tensor4D, filter: t(c.filter, 2) as tf.Tensor4D, strides: 1, pad: c.pad, bias: t([c.filter[3]], 5), activation: 'relu' })),
            await compareBackends(() => {
              const x = t(c.x, 1)
              const dy = t(tf.conv2d(x as tf.Tensor4D, t(c.filter, 2) as tf.Tensor4D, 1, c.pad).shape, 3)
              return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter }) as tf.Tensor
            }),
            await compareBackends(() => {
              const dy = t(tf.conv2d(t(c.x, 1) as tf.Tensor4D, t(c.filter, 2) as tf.Tensor4D, 1, c.pad).shape, 3)
              return tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: t(c.filter, 2) }, { strides: 1, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }) as tf.Tensor
            }),
          ]
          if (process.env.NW_PRINT_ERR) console.log(tile, c.x, errs)
          for (const err of errs) expect(err).toBeLessThan(TOL)
        } finally {
          setWinogradTile(previous)
        }
      })
    }
  })
}

const DEPTHWISE_CASES: { x: [number, number, number, number]; filter: [number, number, number, number]; strides: number; pad: Pad; dilations: number }[] = [
  { x: [1, 5, 5, 1], filter: [3, 3, 1, 1], strides: 1, pad: 'valid', dilations: 1 },
  { x: [2, 8, 7, 3], filter: [3, 3, 3, 2], strides: 1, pad: 'same', dilations: 1 },
  { x: [3, 9, 9, 2], filter: [3, 2, 2, 1], strides: 2, pad: 'same', dilations: 1 },
  { x: [2, 11, 10, 2], filter: [3, 3, 2, 3], strides: 1, pad: 'valid', dilations: 2 },
  { x: [1, 9, 9, 4], filter: [2, 2, 4, 1], strides: 1, pad: 'same', dilations: 3 },
]

/**
 * A dilated filter as the equivalent undilated one (zeros between taps): a reference for dilation
 * that does not trust the cpu backprop kernels, which ignore `dilations` (tfjs's gradient refuses
 * dilation > 1 anyway, so only direct kernel calls reach it).
 */
function undilated(filter: tf.Tensor, d: number): tf.Tensor {
  const [fh, fw, c, m] = filter.shape as [number, number, number, number]
  const src = filter.dataSync()
  const eh = (fh - 1) * d + 1
  const ew = (fw - 1) * d + 1
  const out = new Float32Array(eh * ew * c * m)
  for (let y = 0; y < fh; y++) for (let x = 0; x < fw; x++) out.set(src.subarray((y * fw + x) * c * m, (y * fw + x + 1) * c * m), (y * d * ew + x * d) * c * m)
  return tf.tensor4d(out, [eh, ew, c, m])
}

describe('DepthwiseConv2dNativeBackpropFilter / ...Input (new on wasm)', () => {
  for (const c of DEPTHWISE_CASES) {
    it(`x ${c.x} filter ${c.filter} strides ${c.strides} pad ${c.pad} dilations ${c.dilations}`, async () => {
      const d = c.dilations
      const [fh, fw, ch, m] = c.filter
      const eff: [number, number, number, number] = [(fh - 1) * d + 1, (fw - 1) * d + 1, ch, m]
      const dy = () => t(tf.depthwiseConv2d(t(c.x, 5) as tf.Tensor4D, t(c.filter, 6) as tf.Tensor4D, c.strides, c.pad as 'same', 'NHWC', d).shape, 7)
      const filterGrad = (dilations: number, filterShape: number[]) =>
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: t(c.x, 5), dy: dy() }, { strides: c.strides, pad: c.pad, dilations, filterShape }) as tf.Tensor
      const filterErr = await compareTo(
        () => filterGrad(d, c.filter),
        () => tf.stridedSlice(filterGrad(1, eff), [0, 0, 0, 0], eff, [d, d, 1, 1]),
      )
      const inputGrad = (dilations: number, filter: tf.Tensor) =>
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: dy(), filter }, { strides: c.strides, pad: c.pad, dilations, inputShape: c.x }) as tf.Tensor
      const inputErr = await compareTo(
        () => inputGrad(d, t(c.filter, 6)),
        () => inputGrad(1, undilated(t(c.filter, 6), d)),
      )
      expect(filterErr).toBeLessThan(TOL)
      expect(inputErr).toBeLessThan(TOL)
    })
  }

  it('matches the gradient tfjs computes for depthwiseConv2d (dilation 1)', async () => {
    for (const which of [0, 1]) {
      const err = await compareBackends(() => {
        const g = tf.grads((x: tf.Tensor, f: tf.Tensor) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, 'same').mul(t([2, 4, 4, 6], 20)).sum())
        return g([t([2, 7, 8, 3], 21), t([3, 3, 3, 2], 22)])[which] as tf.Tensor
      })
      expect(err).toBeLessThan(TOL)
    }
  })
})

const POOL_CASES: { x: [number, number, number, number]; size: number | [number, number]; strides: number | [number, number]; pad: 'same' | 'valid' }[] = [
  { x: [1, 4, 4, 1], size: 2, strides: 2, pad: 'valid' },
  { x: [3, 26, 26, 32], size: 2, strides: 2, pad: 'valid' },
  { x: [2, 7, 5, 3], size: 3, strides: 1, pad: 'same' },
  { x: [2, 9, 8, 6], size: [3, 2], strides: [2, 1], pad: 'same' },
  { x: [1, 7, 7, 5], size: 3, strides: 2, pad: 'valid' },
  // Non-overlapping windows (written cell by cell): odd sizes leave a last row and column no window covers.
  { x: [2, 7, 9, 8], size: 2, strides: 2, pad: 'valid' },
  { x: [1, 10, 9, 4], size: [3, 2], strides: [3, 2], pad: 'valid' },
]

describe('MaxPoolGrad (replaces the stock scalar kernel)', () => {
  for (const c of POOL_CASES) {
    it(`x ${c.x} pool ${c.size} strides ${c.strides} pad ${c.pad}`, async () => {
      const err = await compareBackends(() => {
        const g = tf.grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, c.size, c.strides, c.pad).mul(t(tf.maxPool(x as tf.Tensor4D, c.size, c.strides, c.pad).shape, 9)).sum())
        return g(t(c.x, 8))
      })
      expect(err).toBeLessThan(TOL)
    })
  }

  it('breaks ties like the cpu backend (first maximum of the window; relu zeros)', async () => {
    const err = await compareBackends(() => {
      const g = tf.grad((x: tf.Tensor) => tf.maxPool(tf.relu(x) as tf.Tensor4D, 2, 1, 'same').mul(t([2, 6, 6, 3], 11)).sum())
      return g(t([2, 6, 6, 3], 10).round())
    })
    expect(err).toBeLessThan(TOL)
  })

  it('breaks ties the same way with non-overlapping windows (first maximum; all-zero windows after relu)', async () => {
    const err = await compareBackends(() => {
      const g = tf.grad((x: tf.Tensor) => tf.maxPool(tf.relu(x) as tf.Tensor4D, 2, 2, 'valid').mul(t([2, 3, 3, 8], 11)).sum())
      return g(t([2, 7, 7, 8], 10).round())
    })
    expect(err).toBeLessThan(TOL)
  })
})

describe('AvgPoolGrad (stock on wasm, checked because training needs it)', () => {
  for (const c of POOL_CASES) {
    it(`x ${c.x} pool ${c.size} strides ${c.strides} pad ${c.pad}`, async () => {
      const err = await compareBackends(() => {
        const g = tf.grad((x: tf.Tensor) => tf.avgPool(x as tf.Tensor4D, c.size, c.strides, c.pad).mul(t(tf.avgPool(x as tf.Tensor4D, c.size, c.strides, c.pad).shape, 9)).sum())
        return g(t(c.x, 8))
      })
      expect(err).toBeLessThan(TOL)
    })
  }
})

const MATMUL_CASES: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [
  { a: [7, 13], b: [13, 5], ta: false, tb: false },
  { a: [13, 7], b: [13, 5], ta: true, tb: false },
  { a: [7, 13], b: [5, 13], ta: false, tb: true },
  { a: [13, 7], b: [5, 13], ta: true, tb: true },
  { a: [1, 1], b: [1, 1], ta: false, tb: false },
  { a: [64, 5408], b: [5408, 128], ta: false, tb: false },
  { a: [64, 5408], b: [64, 128], ta: true, tb: false },
  { a: [64, 128], b: [5408, 128], ta: false, tb: true },
  { a: [1, 9, 33], b: [1, 33, 17], ta: false, tb: false },
  { a: [1, 33, 9], b: [1, 17, 33], ta: true, tb: true },
  { a: [3, 4, 6], b: [3, 6, 5], ta: false, tb: false },
  { a: [3, 6, 4], b: [3, 5, 6], ta: true, tb: true },
  // Past the packed GEMM's blocks (256 deep, 256 wide) with ragged edges (rows not a multiple of 4,
  // columns not of 8), in every transpose layout, and the CIFAR dense layer's a b^T.
  { a: [6, 601], b: [601, 263], ta: false, tb: false },
  { a: [601, 6], b: [601, 263], ta: true, tb: false },
  { a: [6, 601], b: [263, 601], ta: false, tb: true },
  { a: [601, 5], b: [263, 601], ta: true, tb: true },
  { a: [64, 512], b: [8192, 512], ta: false, tb: true },
]

describe('BatchMatMul (native GEMM; transposes no longer take the scalar loop)', () => {
  for (const c of MATMUL_CASES) {
    it(`${c.a}${c.ta ? 'ᵀ' : ''} x ${c.b}${c.tb ? 'ᵀ' : ''}`, async () => {
      const err = await compareBackends(() => tf.matMul(t(c.a, 12), t(c.b, 13), c.ta, c.tb))
      expect(err).toBeLessThan(TOL)
    })
  }
})

describe('_FusedMatMul (bias and activation with transposes)', () => {
  for (const c of MATMUL_CASES.slice(0, 4)) {
    for (const activation of ['linear', 'relu'] as const) {
      it(`${c.a}${c.ta ? 'ᵀ' : ''} x ${c.b}${c.tb ? 'ᵀ' : ''} + bias, ${activation}`, async () => {
        const n = c.tb ? (c.b[0] as number) : (c.b[1] as number)
        const err = await compareBackends(() => tf.fused.matMul({ a: t(c.a, 12), b: t(c.b, 13), transposeA: c.ta, transposeB: c.tb, bias: t([n], 14), activation }))
        expect(err).toBeLessThan(TOL)
      })
    }
    it(`${c.a}${c.ta ? 'ᵀ' : ''} x ${c.b}${c.tb ? 'ᵀ' : ''} with nothing fused`, async () => {
      const err = await compareBackends(() => tf.fused.matMul({ a: t(c.a, 12), b: t(c.b, 13), transposeA: c.ta, transposeB: c.tb }))
      expect(err).toBeLessThan(TOL)
    })
  }
})

describe('Sum (leading-axes fast path, other reductions stock)', () => {
  const cases: { shape: number[]; axis: number[] | number; keepDims: boolean }[] = [
    { shape: [64, 26, 26, 32], axis: [0, 1, 2], keepDims: false },
    { shape: [5, 7, 3], axis: [1, 0], keepDims: true },
    { shape: [9, 1], axis: 0, keepDims: false },
    { shape: [6, 37], axis: [0], keepDims: false },
    { shape: [4, 5, 6], axis: [2], keepDims: false },
    { shape: [4, 5, 6], axis: [0, 2], keepDims: true },
  ]
  for (const c of cases) {
    it(`${c.shape} over ${c.axis} keepDims ${c.keepDims}`, async () => {
      const err = await compareBackends(() => tf.sum(t(c.shape, 15), c.axis, c.keepDims))
      expect(err).toBeLessThan(TOL)
    })
  }

  it('keeps a long sum (a ResNet bias gradient: 65536 rows) within 1e-6 of the cpu backend, which sums in double', async () => {
    // Positive values, so rounding errors do not cancel: one running float32 sum drifts ~1e-5 here.
    const err = await compareBackends(() => tf.sum(t([64, 32, 32, 20], 18).abs(), [0, 1, 2]))
    expect(err).toBeLessThan(1e-6)
  })
})

describe('Cast (same-dtype casts share data; conversions stock)', () => {
  it('keeps values through a same-dtype cast that outlives its source, and converts float32 and int32 as cpu does', async () => {
    const err = await compareBackends(() => {
      const x = t([3, 5], 17)
      const y = tf.cast(x, 'float32')
      x.dispose()
      return y.add(1)
    })
    expect(err).toBe(0)
    const values = [-2.7, -0.5, 0, 0.4, 1.5, 3.9]
    // (float32 -> bool is left out: the stock wasm Cast truncates into a Uint8Array, e.g. -2.7 -> 254, where cpu gives 1.)
    for (const [from, to] of [['float32', 'int32'], ['int32', 'float32'], ['int32', 'int32']] as const) {
      const f = () => tf.cast(tf.cast(tf.tensor1d(values), from), to).cast('float32')
      expect(Array.from(await runOn('wasm', f))).toEqual(Array.from(await runOn('cpu', f)))
    }
  })
})

describe('Identity (shares data instead of copying)', () => {
  it('returns the same values and survives disposing the source', async () => {
    const err = await compareBackends(() => {
      const x = t([3, 4], 16)
      const y = tf.clone(x)
      x.dispose()
      return y.add(1)
    })
    expect(err).toBe(0)
  })
})

describe('GatherV2 (row-copy fast path on wasm)', () => {
  it('gathers rows of a table by a 2-D id tensor (an Embedding lookup), repeats included', async () => {
    const err = await compareBackends(() => tf.gather(t([50, 3, 4], 21), tf.tensor2d([[1, 49, 3, 3], [0, 9, 1, 7]], [2, 4], 'int32')))
    expect(err).toBeLessThan(TOL)
  })
  it('other axes take the stock kernel', async () => {
    const err = await compareBackends(() => tf.gather(t([5, 6, 3], 22), tf.tensor1d([2, 0, 5, 5], 'int32'), 1))
    expect(err).toBeLessThan(TOL)
  })
})

describe('UnsortedSegmentSum (new on wasm; the gradient of Gather/Embedding)', () => {
  it('sums rows by id, drops out-of-range ids', async () => {
    const err = await compareBackends(() => tf.unsortedSegmentSum(t([7, 3, 2], 17), tf.tensor1d([0, 2, 2, 4, 1, 0, 3], 'int32'), 5))
    expect(err).toBeLessThan(TOL)
  })
  it('is the Embedding gradient: gather rows with repeats', async () => {
    const err = await compareBackends(() => {
      const ids = tf.tensor2d([[1, 3, 3], [0, 9, 1]], [2, 3], 'int32')
      return tf.grad((table: tf.Tensor) => tf.gather(table, ids).mul(t([2, 3, 4], 18)).sum())(t([10, 4], 19))
    })
    expect(err).toBeLessThan(TOL)
  })
})

describe('NwMeanGrad (Mean gradient in one pass on wasm for global average pooling and leading-axes means)', () => {
  const cases: { shape: number[]; axes: number[]; keepDims: boolean; fused: boolean }[] = [
    { shape: [3, 5, 7, 6], axes: [1, 2], keepDims: false, fused: true },
    { shape: [2, 4, 3, 5], axes: [2, 1], keepDims: true, fused: true },
    { shape: [4, 5, 3], axes: [0, 1], keepDims: false, fused: true },
    { shape: [2, 3, 4, 5], axes: [1], keepDims: false, fused: false },
    { shape: [6, 7], axes: [1], keepDims: false, fused: false },
  ]
  for (const c of cases) {
    it(`${c.shape} over ${c.axes}${c.keepDims ? ' keepDims' : ''}: matches cpu${c.fused ? ', and wasm runs the fused kernel' : ' (tfjs formula)'}`, async () => {
      const f = () => {
        const outShape = tf.mean(tf.zeros(c.shape), c.axes, c.keepDims).shape
        return tf.grad((x: tf.Tensor) => tf.mean(x, c.axes, c.keepDims).mul(t(outShape, 41)).sum())(t(c.shape, 40))
      }
      expect(await compareBackends(f)).toBeLessThan(TOL)
      await tf.setBackend('wasm')
      const profile = await tf.profile(() => tf.tidy(f))
      if (c.fused) expect(profile.kernelNames).toContain('NwMeanGrad')
      else expect(profile.kernelNames).not.toContain('NwMeanGrad')
    })
  }
})

describe('NwReluGrad (Relu gradient in one pass on wasm)', () => {
  it('matches the cpu gradient on an odd-sized tensor, and wasm runs the fused kernel', async () => {
    const f = () => tf.grad((x: tf.Tensor) => tf.relu(x).mul(t([3, 7, 5, 3], 31)).sum())(t([3, 7, 5, 3], 30))
    expect(await compareBackends(f)).toBeLessThan(TOL)
    await tf.setBackend('wasm')
    const profile = await tf.profile(() => tf.tidy(f))
    expect(profile.kernelNames).toContain('NwReluGrad')
    expect(profile.kernelNames).not.toContain('Step')
  })
  it('keeps NaN, infinities and signed zeros exactly as Step, Cast and Multiply do', async () => {
    const x = [Number.NaN, -0, 0, 1, -1, Infinity, -Infinity, 1e-40, 2, -2, Number.NaN]
    const dy = [1, 2, Infinity, -3, Infinity, 5, 6, -7, -0, -Infinity, Number.NaN]
    const f = () => tf.grad((v: tf.Tensor) => tf.relu(v).mul(tf.tensor1d(dy)).sum())(tf.tensor1d(x))
    const wasm = Array.from(await runOn('wasm', f))
    const cpu = Array.from(await runOn('cpu', f))
    expect(wasm.map((v, i) => Object.is(v, cpu[i]))).toEqual(cpu.map(() => true))
  })
})

describe('Mean (global-average-pooling and leading-axes fast paths, other reductions stock)', () => {
  const cases: { shape: number[]; axis: number[]; keepDims: boolean }[] = [
    { shape: [5, 7, 9, 12], axis: [1, 2], keepDims: false },
    // One image (a single prediction): the batch axis stays.
    { shape: [1, 4, 5, 8], axis: [1, 2], keepDims: false },
    { shape: [3, 6, 5, 7], axis: [2, 1], keepDims: true },
    { shape: [4, 11, 6], axis: [1], keepDims: false },
    { shape: [9, 5, 3], axis: [0, 1], keepDims: false },
    { shape: [9, 5, 3], axis: [0, 1], keepDims: true },
    { shape: [6, 5, 4, 3], axis: [0, 2], keepDims: false },
    { shape: [6, 5], axis: [1], keepDims: false },
  ]
  for (const c of cases) {
    it(`${c.shape} over ${c.axis}${c.keepDims ? ' keepDims' : ''}`, async () => {
      const shapeOn = async (backend: 'cpu' | 'wasm') => {
        await tf.setBackend(backend)
        return tf.tidy(() => tf.mean(t(c.shape, 40), c.axis, c.keepDims).shape)
      }
      expect(await shapeOn('wasm')).toEqual(await shapeOn('cpu'))
      expect(await compareBackends(() => tf.mean(t(c.shape, 40), c.axis, c.keepDims))).toBeLessThan(TOL)
    })
  }
})

// Conv1D as tfjs runs it (height-1 conv2d): stride 1 goes through one gemm per image over the
// input in place (conv1d.ts). 'valid' and 'same' (odd and even widths: unequal left/right), k 1,
// odd channel counts, a depth k*c over one gemm block (the text template's k7 x 64), and stride 2
// that falls back.
const CONV1D_CASES: ConvCase[] = [
  { x: [3, 1, 40, 16], filter: [1, 7, 16, 8], strides: 1, pad: 'valid' },
  { x: [2, 1, 23, 5], filter: [1, 7, 5, 3], strides: 1, pad: 'same' },
  { x: [2, 1, 17, 6], filter: [1, 4, 6, 9], strides: 1, pad: 'same' },
  { x: [1, 1, 9, 3], filter: [1, 1, 3, 2], strides: 1, pad: 'valid' },
  { x: [2, 1, 30, 64], filter: [1, 7, 64, 32], strides: 1, pad: 'valid' },
  { x: [2, 1, 15, 4], filter: [1, 3, 4, 4], strides: [1, 2], pad: 'same' },
]

describe('Conv1D (height-1 conv2d by gemm over the input in place)', () => {
  for (const c of CONV1D_CASES) {
    it(`x ${c.x} filter ${c.filter} strides ${c.strides} pad ${c.pad}: forward, both gradients, end to end`, async () => {
      expect(await compareBackends(() => tf.conv2d(t(c.x, 1) as tf.Tensor4D, t(c.filter, 2) as tf.Tensor4D, c.strides, c.pad)), 'forward').toBeLessThan(TOL)
      const dyOf = () => t(tf.conv2d(t(c.x, 1) as tf.Tensor4D, t(c.filter, 2) as tf.Tensor4D, c.strides, c.pad).shape, 3)
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' }
      const dw = await compareBackends(() => tf.engine().runKernel('Conv2DBackpropFilter', { x: t(c.x, 1), dy: dyOf() }, { ...attrs, filterShape: c.filter }) as tf.Tensor)
      expect(dw, 'filter gradient').toBeLessThan(TOL)
      const dx = await compareBackends(() => tf.engine().runKernel('Conv2DBackpropInput', { dy: dyOf(), filter: t(c.filter, 2) }, { ...attrs, inputShape: c.x }) as tf.Tensor)
      expect(dx, 'input gradient').toBeLessThan(TOL)
      for (const which of [0, 1]) {
        const err = await compareBackends(() => {
          const g = tf.grads((x: tf.Tensor, f: tf.Tensor) => tf.relu(tf.conv1d(tf.squeeze(x, [1]) as tf.Tensor3D, tf.squeeze(f, [0]) as tf.Tensor3D, c.strides === 1 ? 1 : 2, c.pad as 'same')).mul(4).sum())
          return g([t(c.x, 1), t(c.filter, 2)])[which] as tf.Tensor
        })
        expect(err, `end to end, gradient ${which}`).toBeLessThan(TOL)
      }
    })
  }
})

describe('Transpose (shares data when no axis of size > 1 moves, stock otherwise)', () => {
  const cases: [number[], number[]][] = [
    [[6, 5], [0, 1]],
    [[1, 5, 1, 3], [2, 1, 0, 3]],
    [[2, 1, 3], [0, 2, 1]],
    [[3, 4], [1, 0]],
    [[2, 3, 4], [0, 2, 1]],
    [[2, 1, 3], [2, 1, 0]],
  ]
  for (const [shape, perm] of cases) {
    it(`shape ${shape} perm ${perm}, after the source is disposed`, async () => {
      const err = await compareBackends(() => {
        const x = t(shape, 23)
        const y = tf.transpose(x, perm)
        x.dispose()
        return y.add(1)
      })
      expect(err).toBe(0)
    })
  }
})

describe('Embedding gather and gradient at the text template width (native rows)', () => {
  it('gathers and sums 64-wide rows of a 300-row table, ids repeated', async () => {
    const r = rng(31)
    const ids = Int32Array.from({ length: 8 * 25 }, () => Math.floor(r() * 300))
    for (const which of ['gather', 'gradient'] as const) {
      const err = await compareBackends(() => {
        const idTensor = tf.tensor2d(ids, [8, 25], 'int32')
        if (which === 'gather') return tf.gather(t([300, 64], 32), idTensor)
        return tf.grad((table: tf.Tensor) => tf.gather(table, idTensor).mul(t([8, 25, 64], 33)).sum())(t([300, 64], 32))
      })
      expect(err, which).toBeLessThan(TOL)
    }
  })
})
