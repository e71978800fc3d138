// Conv2DBackpropInput for wasm (a Conv2D layer's input gradient; the stock kernel is a scalar loop
// that dominated training time of every network with a conv after its first layer, e.g. the text
// CNN's Conv1D after its Embedding). Stride 1 (every template's convs): the gradient is a forward
// convolution of dy with the filter flipped and its channels swapped, padded to 'full', which runs
// by Winograd F(2x2, 3x3) for 3x3 filters (winograd.ts), for Conv1D's height-1 filters by a gemm
// per image (conv1d.ts), and in the stock XNNPACK Conv2D otherwise.
// Other strides: patch gradients cols[M, K] = dy · W^T (M = batch*outH*outW, K = kh*kw*inC) with
// native nw_gemm, then each patch row added back onto the input positions it was unfolded from
// (col2im), in batch chunks that bound the scratch memory.
import { backend_util, Conv2D, Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs'
import { conv1dGeometry, conv1dInputGradient } from './conv1d'
import { callKernel, f32, offsetOf, release, type WasmBackend } from './heap'
import { gemm } from './native'
import { stock } from './stock'
import { winogradApplies, winogradConv } from './winograd'

/** Patch matrices larger than this many floats are built in batch chunks. */
const CHUNK_FLOATS = 4 * 1024 * 1024

function conv2dBackpropInput(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: WasmBackend; attrs: Conv2DBackpropInputAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const { dy, filter } = inputs
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  )
  if (info.dataFormat !== 'channelsLast' || dy.dtype !== 'float32' || filter.dtype !== 'float32') return callKernel(stock(Conv2DBackpropInput), backend, inputs, attrs as never)
  const g = conv1dGeometry(info, dy, filter)
  if (g) return conv1dInputGradient(backend, dy, filter, g)
  const viaConv = fullConvolution(backend, dy, filter, info)
  if (viaConv) return viaConv
  const k = info.filterHeight * info.filterWidth * info.inChannels
  const co = info.outChannels
  const perImage = info.outHeight * info.outWidth
  const imagesPerChunk = Math.max(1, Math.min(info.batchSize, Math.floor(CHUNK_FLOATS / (k * perImage))))
  const dx = backend.makeOutput([info.batchSize, info.inHeight, info.inWidth, info.inChannels], 'float32')
  const cols = backend.makeOutput([imagesPerChunk * perImage, k], 'float32')
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, filterHeight: fh, filterWidth: fw } = info
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info
  const { top, left } = info.padInfo
  f32(backend, dx).fill(0)
  for (let b0 = 0; b0 < info.batchSize; b0 += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, info.batchSize - b0)
    const rows = images * perImage
    // cols[p, j] = sum over o of dy[p, o] * W[j, o] (W as [K, outC], read transposed through its strides).
    gemm(backend, {
      c: offsetOf(backend, cols), ldc: k, a: offsetOf(backend, dy) + b0 * perImage * co * 4, sar: co, sat: 1,
      b: offsetOf(backend, filter), sbt: 1, sbn: co, rows, depth: co, cols: k,
    })
    const patches = f32(backend, cols)
    const out = f32(backend, dx)
    for (let n = 0; n < images; n++) {
      const image = (b0 + n) * h * w * c
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          const row = ((n * oh + y) * ow + x) * k
          for (let i = 0; i < fh; i++) {
            const iy = y * sh - top + i * dh
            if (iy < 0 || iy >= h) continue
            for (let j = 0; j < fw; j++) {
              const ix = x * sw - left + j * dw
              if (ix < 0 || ix >= w) continue
              const src = row + (i * fw + j) * c
              const dst = image + (iy * w + ix) * c
              for (let ch = 0; ch < c; ch++) out[dst + ch] = (out[dst + ch] as number) + (patches[src + ch] as number)
            }
          }
        }
      }
    }
  }
  release(backend, cols)
  return dx
}

/**
 * dx as the stock (XNNPACK) Conv2D of dy with W'[i, j, o, c] = W[fh-1-i, fw-1-j, c, o] and padding
 * fh-1-top / fh-1-bottom (and the same across), or null when that does not apply (strides or
 * dilations above 1, or padding wider than the filter).
 */
function fullConvolution(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | null {
  const { filterHeight: fh, filterWidth: fw, inChannels: c, outChannels: co } = info
  const { top, bottom, left, right } = info.padInfo
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1) return null
  const pads = [fh - 1 - top, fh - 1 - bottom, fw - 1 - left, fw - 1 - right]
  if (pads.some((p) => p < 0)) return null
  const flipped = backend.makeOutput([fh, fw, co, c], 'float32')
  const src = f32(backend, filter)
  const dst = f32(backend, flipped)
  for (let i = 0; i < fh; i++)
    for (let j = 0; j < fw; j++) {
      const from = ((fh - 1 - i) * fw + (fw - 1 - j)) * c * co
      const to = (i * fw + j) * co * c
      for (let ch = 0; ch < c; ch++) for (let o = 0; o < co; o++) dst[to + o * c + ch] = src[from + ch * co + o] as number
    }
  const [pt, pb, pl, pr] = pads as [number, number, number, number]
  // As a forward conv: input dy (co channels), output dx (c channels).
  const asForward = { filterHeight: fh, filterWidth: fw, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, inChannels: co, outChannels: c }
  if (winogradApplies(asForward)) {
    const dx = winogradConv(backend, dy, flipped, {
      batch: info.batchSize, h: info.outHeight, w: info.outWidth, c: co, outC: c, outH: info.inHeight, outW: info.inWidth, top: pt, left: pl,
    })
    release(backend, flipped)
    return dx
  }
  const dx = callKernel(stock(Conv2D), backend, { x: dy, filter: flipped }, { strides: [1, 1], dilations: [1, 1], pad: [[0, 0], [pt, pb], [pl, pr], [0, 0]] as never, dataFormat: 'NHWC' })
  release(backend, flipped)
  return dx
}

/** Kernel registration for Conv2DBackpropInput on wasm (replaces the stock scalar kernel). */
export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelConfig['kernelFunc'],
}
