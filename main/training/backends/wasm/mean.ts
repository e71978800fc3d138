// Mean on wasm with a fast path for global average pooling (NHWC [n, h, w, c] reduced over h and w:
// every axis but the first and the last) and for reducing all leading axes: per-row sequential SIMD
// sums (native nw_sum_rows_blocked) divided by the count, where the stock kernel transposes the input first.
// Every other reduction goes to the stock kernel.
import { Mean, util, type KernelConfig, type MeanAttrs, type TensorInfo } from '@tensorflow/tfjs'
import { callKernel, f32, offsetOf, type WasmBackend } from './heap'
import { nativeKernels } from './native'
import { stock } from './stock'

/** Which fast path reduces `axes`: every leading axis, every middle axis (first and last kept), or neither. */
export function fastPath(axes: number[], rank: number): 'leading' | 'middle' | null {
  const sorted = [...axes].sort((a, b) => a - b)
  if (rank >= 2 && sorted.length === rank - 1 && sorted.every((a, i) => a === i)) return 'leading'
  if (rank >= 3 && sorted.length === rank - 2 && sorted.every((a, i) => a === i + 1)) return 'middle'
  return null
}

function mean(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: MeanAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x } = inputs
  const axes = util.parseAxisParam(attrs.axis, x.shape)
  const path = x.dtype === 'float32' ? fastPath(axes, x.shape.length) : null
  const size = util.sizeFromShape(x.shape)
  if (path === null || size === 0) return callKernel(stock(Mean), backend, inputs, attrs as never)
  const outer = path === 'leading' ? 1 : (x.shape[0] as number)
  const cols = x.shape[x.shape.length - 1] as number
  const rows = size / (outer * cols)
  const shape = attrs.keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : path === 'leading' ? [cols] : [outer, cols]
  const out = backend.makeOutput(shape, 'float32')
  const native = nativeKernels(backend)
  for (let b = 0; b < outer; b++) native.nw_sum_rows_blocked(offsetOf(backend, x) + b * rows * cols * 4, offsetOf(backend, out) + b * cols * 4, rows, cols)
  const values = f32(backend, out)
  for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) / rows
  return out
}

/** Kernel registration for Mean on wasm (global-average-pooling and leading-axes fast paths). */
export const meanConfig: KernelConfig = { kernelName: Mean, backendName: 'wasm', kernelFunc: mean as unknown as KernelConfig['kernelFunc'] }
