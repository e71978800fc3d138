// Access to the tfjs wasm backend's heap and kernels from JavaScript kernels. The backend's class is
// exported by @tensorflow/tfjs-backend-wasm, but the fields kernels need (heap, tensor table) are
// not in its public typings, so this file describes exactly the part we use.
import type { DataType, KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs'

/** What our kernels use of the wasm backend instance. */
export interface WasmBackend extends KernelBackend {
  wasm: { HEAPU8: Uint8Array; _malloc(bytes: number): number; _free(ptr: number): void }
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number; shape: number[]; dtype: DataType } | undefined }
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo
  disposeData(dataId: object, force?: boolean): boolean
}

/** The byte offset of a tensor's data in the wasm heap. */
export function offsetOf(backend: WasmBackend, t: TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId)
  if (!data) throw new Error('tensor is not on the wasm backend')
  return data.memoryOffset
}

/** A float32 view of a tensor's data in the heap; take it again after anything that may allocate (the heap can grow). */
export function f32(backend: WasmBackend, t: TensorInfo): Float32Array {
  const size = t.shape.reduce((a, b) => a * b, 1)
  return new Float32Array(backend.wasm.HEAPU8.buffer, offsetOf(backend, t), size)
}

/** An int32 view of a tensor's data in the heap (same caveat as f32). */
export function i32(backend: WasmBackend, t: TensorInfo): Int32Array {
  const size = t.shape.reduce((a, b) => a * b, 1)
  return new Int32Array(backend.wasm.HEAPU8.buffer, offsetOf(backend, t), size)
}

/** A new zero-filled float32 output tensor in the heap. */
export function zeros(backend: WasmBackend, shape: number[]): TensorInfo {
  const out = backend.makeOutput(shape, 'float32')
  f32(backend, out).fill(0)
  return out
}

/** Frees an intermediate tensor a kernel made and does not return. */
export function release(backend: WasmBackend, t: TensorInfo): void {
  backend.disposeData(t.dataId)
}

/** Calls another kernel's function directly (no engine bookkeeping; the result is ours to return or release). */
export function callKernel(config: KernelConfig, backend: WasmBackend, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
  const fn = config.kernelFunc as KernelFunc
  return fn({ inputs, backend, attrs }) as TensorInfo
}
