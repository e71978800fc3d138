// DepthwiseConv2dNativeBackpropFilter and ...BackpropInput for wasm (the stock backend has neither,
// so DepthwiseConv2D and SeparableConv2D layers could not train). Plain JavaScript over the heap:
// these layers are rare in our templates, and correctness against the cpu backend is what matters.
import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs'
import { f32, zeros, type WasmBackend } from './heap'

/**
 * Visits every (output cell, filter tap) pair of a depthwise conv that lands inside the input:
 * visit(inputBase, outputBase, tapBase) with element offsets of channel 0 for the input and output
 * cells and of [ky, kx, 0, 0] in the filter.
 */
function forEachTap(info: backend_util.Conv2DInfo, visit: (inBase: number, outBase: number, tapBase: number) => void): void {
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, outChannels: oc } = info
  const mult = oc / c
  for (let b = 0; b < batchSize; b++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++) {
        const outBase = ((b * oh + y) * ow + x) * oc
        for (let ky = 0; ky < info.filterHeight; ky++) {
          const iy = y * info.strideHeight + ky * info.dilationHeight - info.padInfo.top
          if (iy < 0 || iy >= h) continue
          for (let kx = 0; kx < info.filterWidth; kx++) {
            const ix = x * info.strideWidth + kx * info.dilationWidth - info.padInfo.left
            if (ix < 0 || ix >= w) continue
            visit(((b * h + iy) * w + ix) * c, outBase, (ky * info.filterWidth + kx) * c * mult)
          }
        }
      }
}

function backpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: DepthwiseConv2dNativeBackpropFilterAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const info = backend_util.computeConv2DInfo(
    inputs.x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true,
  )
  const dw = zeros(backend, attrs.filterShape)
  const x = f32(backend, inputs.x)
  const dy = f32(backend, inputs.dy)
  const out = f32(backend, dw)
  const c = info.inChannels
  const mult = info.outChannels / c
  forEachTap(info, (inBase, outBase, tapBase) => {
    for (let ch = 0; ch < c; ch++) {
      const xv = x[inBase + ch] as number
      for (let q = 0; q < mult; q++) out[tapBase + ch * mult + q] = (out[tapBase + ch * mult + q] as number) + xv * (dy[outBase + ch * mult + q] as number)
    }
  })
  return dw
}

function backpropInput(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: WasmBackend; attrs: DepthwiseConv2dNativeBackpropInputAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const info = backend_util.computeConv2DInfo(
    attrs.inputShape, inputs.filter.shape as [number, number, number, number], attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true,
  )
  const dx = zeros(backend, attrs.inputShape)
  const dy = f32(backend, inputs.dy)
  const filter = f32(backend, inputs.filter)
  const out = f32(backend, dx)
  const c = info.inChannels
  const mult = info.outChannels / c
  forEachTap(info, (inBase, outBase, tapBase) => {
    for (let ch = 0; ch < c; ch++) {
      let s = 0
      for (let q = 0; q < mult; q++) s += (dy[outBase + ch * mult + q] as number) * (filter[tapBase + ch * mult + q] as number)
      out[inBase + ch] = (out[inBase + ch] as number) + s
    }
  })
  return dx
}

/** Kernel registration for DepthwiseConv2dNativeBackpropFilter on wasm. */
export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: backpropFilter as unknown as KernelConfig['kernelFunc'],
}

/** Kernel registration for DepthwiseConv2dNativeBackpropInput on wasm. */
export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: backpropInput as unknown as KernelConfig['kernelFunc'],
}
