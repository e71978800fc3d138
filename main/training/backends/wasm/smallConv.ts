// Convolutions with few input channels (MNIST's 1-channel conv, an RGB stem's 3) on native kernels
// that read each tap straight from the (zero-padded) input: nw_conv_small for the forward pass (with
// the bias and a relu when fused) and nw_conv_filter_grad_small for dW. im2col + GEMM would build a
// patch matrix of K = fh*fw*c columns, mostly copying when c is this small.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs'
import { offsetOf, release, type WasmBackend } from './heap'
import { nativeKernels } from './native'

/** Input channels up to which these kernels beat im2col + GEMM (and Winograd needs 16+). */
const SMALL_CHANNELS = 4

/** Whether the small-channel kernels take this conv: float32 NHWC, few input channels, outputs in eights, no dilation. */
export function smallConvApplies(info: backend_util.Conv2DInfo, ...tensors: TensorInfo[]): boolean {
  return info.dataFormat === 'channelsLast' && info.inChannels <= SMALL_CHANNELS && info.outChannels % 8 === 0 &&
    info.dilationHeight === 1 && info.dilationWidth === 1 && tensors.every((t) => t.dtype === 'float32')
}

/** The input as the kernels read it: x itself when the conv does not pad, else a zero-padded copy (the caller releases it when `padded`). */
function paddedInput(backend: WasmBackend, x: TensorInfo, info: backend_util.Conv2DInfo): { at: number; hp: number; wp: number; padded: TensorInfo | null } {
  const { top, left } = info.padInfo
  const hp = (info.outHeight - 1) * info.strideHeight + info.filterHeight
  const wp = (info.outWidth - 1) * info.strideWidth + info.filterWidth
  if (top === 0 && left === 0 && hp <= info.inHeight && wp <= info.inWidth) return { at: offsetOf(backend, x), hp: info.inHeight, wp: info.inWidth, padded: null }
  const padded = backend.makeOutput([info.batchSize, hp, wp, info.inChannels], 'float32')
  nativeKernels(backend).nw_pad_nhwc(offsetOf(backend, x), offsetOf(backend, padded), info.batchSize, info.inHeight, info.inWidth, info.inChannels, top, left, hp, wp)
  return { at: offsetOf(backend, padded), hp, wp, padded }
}

/** y = conv(x, filter) (+ bias, then relu when asked) for a conv smallConvApplies takes; returns a new [batch, outH, outW, outC] tensor. */
export function smallConv(backend: WasmBackend, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo, bias: TensorInfo | null, relu: boolean): TensorInfo {
  const y = backend.makeOutput([info.batchSize, info.outHeight, info.outWidth, info.outChannels], 'float32')
  const input = paddedInput(backend, x, info)
  nativeKernels(backend).nw_conv_small(
    input.at, offsetOf(backend, filter), bias ? offsetOf(backend, bias) : 0, offsetOf(backend, y), relu ? 1 : 0, info.batchSize, input.hp, input.wp, info.inChannels,
    info.outHeight, info.outWidth, info.outChannels, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
  )
  if (input.padded) release(backend, input.padded)
  return y
}

/** dW [fh, fw, inC, outC] of a conv smallConvApplies takes, from x and dy [batch, outH, outW, outC]. */
export function smallFilterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const dw = backend.makeOutput([info.filterHeight, info.filterWidth, info.inChannels, info.outChannels], 'float32')
  const input = paddedInput(backend, x, info)
  nativeKernels(backend).nw_conv_filter_grad_small(
    input.at, offsetOf(backend, dy), offsetOf(backend, dw), info.batchSize, input.hp, input.wp, info.inChannels,
    info.outHeight, info.outWidth, info.outChannels, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
  )
  if (input.padded) release(backend, input.padded)
  return dw
}
