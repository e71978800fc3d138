// Cast on wasm without the copy when the dtype does not change: tfjs's Identity gradient is
// cast(dy, 'float32'), so every Identity in a model (tfjs-layers adds them) paid a full copy of its
// gradient in the backward pass. Same-dtype casts share the data by reference count, as the cpu
// backend's Cast and our Identity do; real conversions take the stock kernel.
import { Cast, type CastAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs'
import { callKernel, type WasmBackend } from './heap'
import { stock } from './stock'

function cast(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: CastAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x } = inputs
  if (attrs.dtype !== x.dtype || x.dtype === 'complex64') return callKernel(stock(Cast), backend, inputs, attrs as never)
  backend.incRef(x.dataId)
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
}

/** Kernel registration for Cast on wasm (same-dtype casts share data, others stock). */
export const castConfig: KernelConfig = { kernelName: Cast, backendName: 'wasm', kernelFunc: cast as unknown as KernelConfig['kernelFunc'] }
