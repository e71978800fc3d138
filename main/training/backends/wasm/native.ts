// Loads our SIMD kernels (native/kernels.c, compiled by native/build.sh) into the wasm backend's
// own memory, so they work on tensors where they lie. One instance per backend memory.
import type { WasmBackend } from './heap'
import { KERNELS_WASM_BASE64 } from './native/kernelsWasm'

/** The exported kernels; pointers are byte offsets in the backend heap (see kernels.c for contracts). */
export interface NativeKernels {
  nw_maxpool_grad(x: number, dy: number, dx: number, n: number, h: number, w: number, c: number, oh: number, ow: number,
    fh: number, fw: number, sh: number, sw: number, dh: number, dw: number, top: number, left: number): void
  nw_im2col(x: number, cols: number, b0: number, nb: number, h: number, w: number, c: number, oh: number, ow: number,
    fh: number, fw: number, sh: number, sw: number, dh: number, dw: number, top: number, left: number): void
  nw_gemm_atb(c: number, a: number, sam: number, sak: number, b: number, ldb: number, k: number, m: number, n: number, accumulate: number): void
  nw_sum_rows(x: number, out: number, rows: number, cols: number): void
  nw_adam(value: number, m: number, v: number, g: number, outValue: number, outM: number, outV: number, n: number,
    b1: number, oneMinusB1: number, b2: number, oneMinusB2: number, oneMinusAccB1: number, oneMinusAccB2: number, eps: number, negLr: number): void
}

/** The part of the WebAssembly global we use (the Node typings this project builds with omit it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown }
  Memory: abstract new (...args: never[]) => object
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

let compiled: object | null = null
const instances = new WeakMap<object, NativeKernels>()

/** The backend's WebAssembly.Memory (emscripten keeps the instance exports on `asm`). */
function memoryOf(backend: WasmBackend): object {
  const memory = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm?.memory
  if (!(memory instanceof wasmApi.Memory)) throw new Error('the wasm backend does not expose its memory (unexpected tfjs-backend-wasm build)')
  return memory
}

/** Our kernels bound to this backend's heap. */
export function nativeKernels(backend: WasmBackend): NativeKernels {
  const memory = memoryOf(backend)
  let kernels = instances.get(memory)
  if (!kernels) {
    compiled ??= new wasmApi.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'))
    const instance = new wasmApi.Instance(compiled, { env: { memory } })
    kernels = instance.exports as unknown as NativeKernels
    instances.set(memory, kernels)
  }
  return kernels
}
