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
  nw_gemm(c: number, ldc: number, a: number, sar: number, sat: number, b: number, sbt: number, sbn: number,
    rows: number, depth: number, cols: number, accumulate: number, scratch: number): void
  nw_gemm_scratch_floats(): number
  nw_winograd_filter(w: number, u: number, c: number, co: number): void
  nw_winograd_input(x: number, v: number, h: number, w: number, c: number, tilesH: number, tilesW: number, top: number, left: number, t0: number, nt: number): void
  nw_winograd_output(m: number, y: number, bias: number, relu: number, oh: number, ow: number, co: number, tilesH: number, tilesW: number, t0: number, nt: number): void
  nw_winograd_dy(dy: number, z: number, oh: number, ow: number, co: number, tilesH: number, tilesW: number, t0: number, nt: number): void
  nw_winograd_filter_grad(du: number, dw: number, c: number, co: number): void
  nw_wino4_filter(w: number, u: number, c: number, co: number): void
  nw_wino4_input(x: number, v: number, h: number, w: number, c: number, tilesH: number, tilesW: number, top: number, left: number, t0: number, nt: number): void
  nw_wino4_output(m: number, y: number, bias: number, relu: number, oh: number, ow: number, co: number, tilesH: number, tilesW: number, t0: number, nt: number): void
  nw_wino4_dy(dy: number, z: number, oh: number, ow: number, co: number, tilesH: number, tilesW: number, t0: number, nt: number): void
  nw_wino4_filter_grad(du: number, dw: number, c: number, co: number): void
  nw_pad_nhwc(x: number, xp: number, n: number, h: number, w: number, c: number, top: number, left: number, hp: number, wp: number): void
  nw_conv_filter_grad_small(xp: number, dy: number, dw: number, n: number, hp: number, wp: number, c: number, oh: number, ow: number, co: number,
    fh: number, fw: number, sh: number, sw: number): void
  nw_conv_small(xp: number, w: number, bias: number, y: number, relu: number, n: number, hp: number, wp: number, c: number, oh: number, ow: number, co: number,
    fh: number, fw: number, sh: number, sw: number): void
  nw_maxpool_grad_tiled(x: number, dy: number, dx: number, n: number, h: number, w: number, c: number, oh: number, ow: number, fh: number, fw: number): void
  nw_gemm_planes(c: number, ldc: number, spc: number, a: number, sar: number, sat: number, spa: number, b: number, ldb: number, spb: number,
    rows: number, depth: number, cols: number, planes: number, accumulate: number): void
  nw_mean_grad(dy: number, dx: number, outer: number, rows: number, cols: number, divisor: number): void
  nw_relu_grad(dy: number, x: number, out: number, n: number): void
  nw_relu(x: number, y: number, n: number): void
  nw_dropout(x: number, y: number, mask: number, n: number, keep: number, scale: number, seed: number): void
  nw_lstm_forward(z: number, u: number, cells: number, hidden: number, batch: number, time: number, units: number, scratch: number): void
  nw_lstm_backward(gates: number, cells: number, dHidden: number, ut: number, dz: number, dh: number, dc: number,
    batch: number, time: number, units: number, scratch: number): void
  nw_segment_sum(x: number, ids: number, out: number, rows: number, inner: number, segments: number): void
  nw_gather_rows(x: number, ids: number, out: number, count: number, width: number): void
  nw_transpose2d(x: number, out: number, rows: number, cols: number): void
  nw_scaled_add(out: number, a: number, w: number, n: number, first: number): void
  nw_rows_gemm_scratch_floats(t: number, n: number): number
  nw_rows_gemm(c: number, ldc: number, cImage: number, a: number, sar: number, aImage: number, b: number, images: number,
    rows: number, depth: number, cols: number, scratch: number): void
  nw_sum_rows(x: number, out: number, rows: number, cols: number): void
  nw_sum_rows_blocked(x: number, out: number, rows: number, cols: number): void
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
const scratches = new WeakMap<object, number>()

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

/**
 * nw_gemm's packing scratch in this backend's heap: malloc'd once per memory and kept for the
 * process (heap offsets stay valid when the memory grows), so a product allocates nothing.
 */
export function gemmScratch(backend: WasmBackend): number {
  const memory = memoryOf(backend)
  let at = scratches.get(memory)
  if (at === undefined) {
    at = backend.wasm._malloc(nativeKernels(backend).nw_gemm_scratch_floats() * 4)
    scratches.set(memory, at)
  }
  return at
}

/** Operand layout of one nw_gemm product: C[rows, cols] (+)= sum over t < depth of A(r, t) B(t, n). */
export interface GemmOperands {
  /** C's byte offset and row stride (floats). */
  c: number
  ldc: number
  /** A(r, t) at a + 4 * (r * sar + t * sat). */
  a: number
  sar: number
  sat: number
  /** B(t, n) at b + 4 * (t * sbt + n * sbn). */
  b: number
  sbt: number
  sbn: number
  rows: number
  depth: number
  cols: number
  /** Adds to C instead of overwriting it. */
  accumulate?: boolean
}

/** Runs native nw_gemm (packed, any strides) on the backend heap. */
export function gemm(backend: WasmBackend, o: GemmOperands): void {
  nativeKernels(backend).nw_gemm(o.c, o.ldc, o.a, o.sar, o.sat, o.b, o.sbt, o.sbn, o.rows, o.depth, o.cols, o.accumulate ? 1 : 0, gemmScratch(backend))
}
