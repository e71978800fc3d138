// MaxPoolGrad for wasm: one SIMD pass (native nw_maxpool_grad) that finds the first maximum of each
// window (the cpu backend's tie rule) and adds dy there. The stock kernel rescans every input
// cell's windows with scalar code. Non-overlapping windows inside the image (MNIST's 2x2 stride 2
// 'valid', channels in fours) take nw_maxpool_grad_tiled, which writes each dx cell once.
import { backend_util, MaxPoolGrad, type KernelConfig, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs'
import { offsetOf, type WasmBackend } from './heap'
import { nativeKernels } from './native'

function maxPoolGrad(args: { inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo }; backend: WasmBackend; attrs: MaxPoolGradAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const { dy, input } = inputs
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
  )
  const dx = backend.makeOutput(input.shape, 'float32')
  const tiled = info.strideHeight === info.filterHeight && info.strideWidth === info.filterWidth && info.dilationHeight === 1 && info.dilationWidth === 1 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 && info.outHeight * info.strideHeight <= info.inHeight && info.outWidth * info.strideWidth <= info.inWidth &&
    info.inChannels % 4 === 0 && input.dtype === 'float32'
  if (tiled) {
    nativeKernels(backend).nw_maxpool_grad_tiled(
      offsetOf(backend, input), offsetOf(backend, dy), offsetOf(backend, dx),
      info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.filterHeight, info.filterWidth,
    )
    return dx
  }
  nativeKernels(backend).nw_maxpool_grad(
    offsetOf(backend, input), offsetOf(backend, dy), offsetOf(backend, dx),
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
    info.effectiveFilterHeight, info.effectiveFilterWidth, info.strideHeight, info.strideWidth,
    info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left,
  )
  return dx
}

/** Kernel registration for MaxPoolGrad on wasm. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelConfig['kernelFunc'],
}
