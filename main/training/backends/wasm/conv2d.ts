// Conv2D and FusedConv2D for wasm: stride-1 3x3 convolutions with channels in fours (the CIFAR
// CNN's and ResNet block's 'same' and 'valid' convs) run by Winograd (winograd.ts), with the bias and
// a relu applied as the output tiles are written; convs with few input channels (MNIST's, an RGB
// stem) by smallConv.ts, likewise; Conv1D's height-1 convs (stride 1) by one gemm per image over
// the input in place (conv1d.ts). Everything else, and any other fused activation, goes to the
// stock XNNPACK kernels.
import { backend_util, Conv2D, FusedConv2D, util, type Conv2DAttrs, type FusedConv2DAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs'
import { conv1dForward, conv1dGeometry } from './conv1d'
import { callKernel, type WasmBackend } from './heap'
import { stock } from './stock'
import { smallConv, smallConvApplies } from './smallConv'
import { winogradApplies, winogradConv } from './winograd'

/** tfjs's Conv2DInfo for a float32 NHWC conv, or null for other dtypes and ranks. */
function convInfo(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): backend_util.Conv2DInfo | null {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || x.shape.length !== 4) return null
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number], attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  )
  return info.dataFormat === 'channelsLast' ? info : null
}

/** Our kernel for this conv (Winograd or small-channel), or null when the stock one takes it. */
function ours(backend: WasmBackend, x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): ((bias: TensorInfo | null, relu: boolean) => TensorInfo) | null {
  const info = convInfo(x, filter, attrs)
  if (!info) return null
  if (winogradApplies(info)) return (bias, relu) => run(backend, x, filter, info, bias, relu)
  if (smallConvApplies(info, x, filter)) return (bias, relu) => smallConv(backend, x, filter, info, bias, relu)
  return null
}

/** Runs the Winograd convolution for `info`. */
function run(backend: WasmBackend, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo, bias: TensorInfo | null, relu: boolean): TensorInfo {
  return winogradConv(backend, x, filter, {
    batch: info.batchSize, h: info.inHeight, w: info.inWidth, c: info.inChannels, outC: info.outChannels, outH: info.outHeight, outW: info.outWidth,
    top: info.padInfo.top, left: info.padInfo.left,
  }, bias, relu)
}

/** Conv1D's shape of conv (height 1, stride 1; conv1d.ts), or null. */
function conv1dOf(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs) {
  if (x.shape.length !== 4 || filter.shape.length !== 4 || x.shape[1] !== 1 || filter.shape[0] !== 1) return null
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number], attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  )
  return conv1dGeometry(info, x, filter)
}

function conv2d(args: { inputs: { x: TensorInfo; filter: TensorInfo }; backend: WasmBackend; attrs: Conv2DAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const g = conv1dOf(inputs.x, inputs.filter, attrs)
  if (g) return conv1dForward(backend, inputs.x, inputs.filter, g)
  const kernel = ours(backend, inputs.x, inputs.filter, attrs)
  return kernel ? kernel(null, false) : callKernel(stock(Conv2D), backend, inputs, attrs as never)
}

function fusedConv2d(args: { inputs: { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo }; backend: WasmBackend; attrs: FusedConv2DAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x, filter, bias } = inputs
  const activation = attrs.activation ?? 'linear'
  const kernel = activation === 'linear' || activation === 'relu' ? ours(backend, x, filter, attrs) : null
  const outChannels = filter.shape[3]
  const biasFits = !bias || (bias.dtype === 'float32' && bias.shape.length === 1 && util.sizeFromShape(bias.shape) === outChannels)
  if (!kernel || !biasFits) return callKernel(stock(FusedConv2D), backend, inputs as Record<string, TensorInfo>, attrs as never)
  return kernel(bias ?? null, activation === 'relu')
}

/** Kernel registration for Conv2D on wasm (Winograd for stride-1 3x3, small-channel kernels for 1-4 input channels, stock otherwise). */
export const conv2dConfig: KernelConfig = { kernelName: Conv2D, backendName: 'wasm', kernelFunc: conv2d as unknown as KernelConfig['kernelFunc'] }

/** Kernel registration for FusedConv2D on wasm (ours with bias and relu, stock otherwise). */
export const fusedConv2dConfig: KernelConfig = { kernelName: FusedConv2D, backendName: 'wasm', kernelFunc: fusedConv2d as unknown as KernelConfig['kernelFunc'] }
