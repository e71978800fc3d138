// GatherV2 for wasm with a fast path for whole rows (axis 0, no batch dims, float32): each index
// copies one row inside the heap (an Embedding lookup is exactly this), in native nw_gather_rows. The stock kernel computes
// every element's source index separately, which made one Embedding lookup of the text template
// (6,400 ids of 64 floats) cost tens of milliseconds. Anything else, and any out-of-range index
// (so the stock kernel's behaviour holds), goes to the stock kernel.
import { GatherV2, util, type GatherV2Attrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs'
import { callKernel, offsetOf, type WasmBackend } from './heap'
import { nativeKernels } from './native'
import { stock } from './stock'

function gather(args: { inputs: { x: TensorInfo; indices: TensorInfo }; backend: WasmBackend; attrs: GatherV2Attrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x, indices } = inputs
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0]
  if (axis !== 0 || (attrs.batchDims ?? 0) !== 0 || x.dtype !== 'float32' || indices.dtype !== 'int32' || x.shape.length < 1) {
    return callKernel(stock(GatherV2), backend, inputs, attrs as never)
  }
  const rows = x.shape[0] as number
  const width = util.sizeFromShape(x.shape.slice(1))
  const count = util.sizeFromShape(indices.shape)
  const heap = backend.wasm.HEAPU8.buffer
  const ids = new Int32Array(heap, offsetOf(backend, indices), count)
  for (let i = 0; i < count; i++) {
    const id = ids[i] as number
    if (id < 0 || id >= rows) return callKernel(stock(GatherV2), backend, inputs, attrs as never)
  }
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], 'float32')
  nativeKernels(backend).nw_gather_rows(offsetOf(backend, x), offsetOf(backend, indices), offsetOf(backend, out), count, width)
  return out
}

/** Kernel registration for GatherV2 on wasm (row-copy fast path). */
export const gatherConfig: KernelConfig = { kernelName: GatherV2, backendName: 'wasm', kernelFunc: gather as unknown as KernelConfig['kernelFunc'] }
