// Identity on wasm without the copy: the stock kernel duplicates the data, and the engine clones
// (Identity) every tensor it saves for the backward pass, so training paid a full copy of each
// saved activation. Tensor data is immutable, so sharing it by reference count (as the cpu
// backend and the wasm Reshape kernel do) is safe.
import { Identity, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs'
import type { WasmBackend } from './heap'

function identity(args: { inputs: { x: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { x } = args.inputs
  args.backend.incRef(x.dataId)
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype }
}

/** Kernel registration for Identity on wasm (shares data instead of copying). */
export const identityConfig: KernelConfig = { kernelName: Identity, backendName: 'wasm', kernelFunc: identity as unknown as KernelConfig['kernelFunc'] }
