// Sum on wasm with a fast path for reducing every axis but the last (how a bias gradient is made
// from dy): one SIMD pass (native nw_sum_rows_blocked, summing blocks of rows first so a long sum
// stays as close to the cpu backend's double-precision one as float32 allows). The stock kernel
// transposes the input first. Every other reduction goes to the stock kernel.
import { Sum, util, type KernelConfig, type SumAttrs, type TensorInfo } from '@tensorflow/tfjs'
import { callKernel, offsetOf, type WasmBackend } from './heap'
import { nativeKernels } from './native'
import { stock } from './stock'

/** Whether `axes` are exactly 0..rank-2 (all leading axes, the last one kept). */
function reducesLeadingAxes(axes: number[], rank: number): boolean {
  if (rank < 2 || axes.length !== rank - 1) return false
  const sorted = [...axes].sort((a, b) => a - b)
  return sorted.every((a, i) => a === i)
}

function sum(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x } = inputs
  const axes = util.parseAxisParam(attrs.axis, x.shape)
  if (x.dtype !== 'float32' || !reducesLeadingAxes(axes, x.shape.length)) return callKernel(stock(Sum), backend, inputs, attrs as never)
  const cols = x.shape[x.shape.length - 1] as number
  const rows = util.sizeFromShape(x.shape) / cols
  const shape = attrs.keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols]
  const out = backend.makeOutput(shape, 'float32')
  nativeKernels(backend).nw_sum_rows_blocked(offsetOf(backend, x), offsetOf(backend, out), rows, cols)
  return out
}

/** Kernel registration for Sum on wasm (leading-axes fast path). */
export const sumConfig: KernelConfig = { kernelName: Sum, backendName: 'wasm', kernelFunc: sum as unknown as KernelConfig['kernelFunc'] }
