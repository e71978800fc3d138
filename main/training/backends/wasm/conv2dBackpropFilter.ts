// Conv2DBackpropFilter for wasm (the stock backend has none, so Conv2D layers could not train):
// unfold the input into patch rows [M, K] (M = batch*outH*outW, K = kh*kw*inC) with native
// nw_im2col, then dW[K, outC] = patches^T dy with native nw_gemm, in batch chunks that bound
// the scratch memory. Stride-1 3x3 filters with channels in fours take Winograd (winograd.ts:
// 2.25-4x fewer multiply-adds); few input channels (MNIST's 1, an RGB stem's 3) take
// smallConv.ts, which reads taps straight from the input instead of a patch matrix; Conv1D's
// height-1 ones a gemm per image over the input in place (conv1d.ts).
import { backend_util, Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs'
import { conv1dFilterGradient, conv1dGeometry } from './conv1d'
import { offsetOf, release, type WasmBackend } from './heap'
import { gemm, nativeKernels } from './native'
import { smallConvApplies, smallFilterGradient } from './smallConv'
import { winogradApplies, winogradFilterGradient } from './winograd'

/** Patch matrices larger than this many floats are built and multiplied in batch chunks. */
const CHUNK_FLOATS = 4 * 1024 * 1024

function conv2dBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: Conv2DBackpropFilterAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const info = backend_util.computeConv2DInfo(
    inputs.x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  )
  if (info.dataFormat !== 'channelsLast') throw new Error('Conv2DBackpropFilter on wasm supports NHWC (channelsLast) only')
  return filterGradient(backend, inputs.x, inputs.dy, info)
}

/** dW [fh, fw, inC, outC] of an NHWC convolution described by `info`. */
export function filterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const g = conv1dGeometry(info, x, dy)
  if (g) return conv1dFilterGradient(backend, x, dy, g)
  if (winogradApplies(info) && x.dtype === 'float32' && dy.dtype === 'float32') {
    return winogradFilterGradient(backend, x, dy, {
      batch: info.batchSize, h: info.inHeight, w: info.inWidth, c: info.inChannels, outC: info.outChannels, outH: info.outHeight, outW: info.outWidth,
      top: info.padInfo.top, left: info.padInfo.left,
    })
  }
  if (smallConvApplies(info, x, dy)) return smallFilterGradient(backend, x, dy, info)
  const native = nativeKernels(backend)
  const k = info.filterHeight * info.filterWidth * info.inChannels
  const co = info.outChannels
  const perImage = info.outHeight * info.outWidth
  const imagesPerChunk = Math.max(1, Math.min(info.batchSize, Math.floor(CHUNK_FLOATS / (k * perImage))))
  const dw = backend.makeOutput([info.filterHeight, info.filterWidth, info.inChannels, co], 'float32')
  const cols = backend.makeOutput([imagesPerChunk * perImage, k], 'float32')
  const colsAt = offsetOf(backend, cols)
  for (let b0 = 0; b0 < info.batchSize; b0 += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, info.batchSize - b0)
    native.nw_im2col(
      offsetOf(backend, x), colsAt, b0, images, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
      info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
      info.padInfo.top, info.padInfo.left,
    )
    // dW(r, o) += sum over patch rows t of cols[t, r] dy[t, o].
    gemm(backend, {
      c: offsetOf(backend, dw), ldc: co, a: colsAt, sar: 1, sat: k, b: offsetOf(backend, dy) + b0 * perImage * co * 4, sbt: co, sbn: 1,
      rows: k, depth: images * perImage, cols: co, accumulate: b0 > 0,
    })
  }
  release(backend, cols)
  return dw
}

/** Kernel registration for Conv2DBackpropFilter on wasm. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelConfig['kernelFunc'],
}
