// Transpose on wasm without the copy when the permutation moves no data (identity once size-1 axes
// are ignored): the stock kernel then copies the whole tensor through its own Identity. Gather's
// gradient transposes by [0, 1] twice per step, which copied the Embedding's whole 10000x64
// gradient and its 6400x64 input gradient. Data is shared by reference count, as our Identity does.
import { Transpose, type KernelConfig, type TensorInfo, type TransposeAttrs } from '@tensorflow/tfjs'
import { callKernel, type WasmBackend } from './heap'
import { stock } from './stock'

function transpose(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: TransposeAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x } = inputs
  const moved = attrs.perm.filter((axis) => (x.shape[axis] as number) !== 1)
  if (x.dtype === 'string' || moved.some((axis, i) => i > 0 && axis < (moved[i - 1] as number))) return callKernel(stock(Transpose), backend, inputs, attrs as never)
  backend.incRef(x.dataId)
  return { dataId: x.dataId, shape: attrs.perm.map((axis) => x.shape[axis] as number), dtype: x.dtype }
}

/** Kernel registration for Transpose on wasm (shares data when nothing moves, stock otherwise). */
export const transposeConfig: KernelConfig = { kernelName: Transpose, backendName: 'wasm', kernelFunc: transpose as unknown as KernelConfig['kernelFunc'] }
