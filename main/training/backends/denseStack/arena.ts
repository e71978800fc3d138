// The memory the fused dense stepper works in: one float32 block holding weights, gradients,
// optimizer state and activations, allocated once. On the wasm backend the block lives in the
// backend's heap so our SIMD kernels (nw_gemm, nw_sum_rows, nw_adam) run on it in place;
// elsewhere it is a plain Float32Array and the same products run as JavaScript loops.
// Offsets are in floats from the start of the heap view `h()`.
import { gemmScratch, nativeKernels, type NativeKernels } from '../wasm/native'
import type { WasmBackend } from '../wasm/heap'

/** A float32 block and the products the stepper needs on it. */
export interface Arena {
  /** Where the block starts in `h()` (floats). */
  readonly base: number
  /** The heap view; take it again after anything that may allocate on the wasm heap. */
  h(): Float32Array
  /**
   * C[rows, cols] (row stride ldc) = (C +) sum over t < depth of A(r, t) * B(t, n), with A(r, t) at
   * a + r*sar + t*sat and B(t, n) at b + t*sbt + n*sbn (nw_gemm's contract, in floats): any operand
   * may be read transposed through its strides, so no product needs a transposed copy.
   */
  gemm(c: number, ldc: number, a: number, sar: number, sat: number, b: number, sbt: number, sbn: number, rows: number, depth: number, cols: number, accumulate: boolean): void
  /** out[j] = sum over r of x[r*cols + j]. */
  sumRows(x: number, out: number, rows: number, cols: number): void
  /** SIMD Relu (y = max(x, 0)) and its gradient (out = dy * step(y)) when the block is in the wasm heap. */
  readonly relu: ((x: number, y: number, n: number) => void) | null
  readonly reluGrad: ((dy: number, y: number, out: number, n: number) => void) | null
  /** applyDropout (elementwise.ts) compiled, bit for bit the same masks, when the block is in the wasm heap. */
  readonly dropout: ((x: number, y: number, mask: number, n: number, rate: number, seed: number) => void) | null
  /** The SIMD Adam step (same formula as tfjs's), when the block is in the wasm heap. */
  readonly adam: NativeKernels['nw_adam'] | null
  /** What runs the products, for the stepper's label. */
  readonly kind: 'wasm-simd' | 'js'
  dispose(): void
}

/** A plain Float32Array block with loop products (any backend). */
export function jsArena(floats: number): Arena {
  const mem = new Float32Array(floats)
  return {
    base: 0,
    kind: 'js',
    adam: null,
    relu: null,
    reluGrad: null,
    dropout: null,
    h: () => mem,
    gemm(c, ldc, a, sar, sat, b, sbt, sbn, rows, depth, cols, accumulate) {
      const h = mem
      if (sbn === 1) {
        // B's rows are contiguous: C's row r gathers A(r, t) times B's row t.
        for (let r = 0; r < rows; r++) {
          const cr = c + r * ldc
          if (!accumulate) h.fill(0, cr, cr + cols)
          for (let t = 0; t < depth; t++) {
            const av = h[a + r * sar + t * sat]!
            if (av === 0) continue
            const br = b + t * sbt
            for (let j = 0; j < cols; j++) h[cr + j] = h[cr + j]! + av * h[br + j]!
          }
        }
        return
      }
      // B read transposed (B's columns contiguous or strided): one dot product per element of C.
      for (let r = 0; r < rows; r++) {
        const cr = c + r * ldc
        for (let j = 0; j < cols; j++) {
          let s = 0
          for (let t = 0; t < depth; t++) s += h[a + r * sar + t * sat]! * h[b + t * sbt + j * sbn]!
          h[cr + j] = accumulate ? h[cr + j]! + s : s
        }
      }
    },
    sumRows(x, out, rows, cols) {
      const h = mem
      for (let j = 0; j < cols; j++) {
        let s = 0
        for (let r = 0; r < rows; r++) s += h[x + r * cols + j]!
        h[out + j] = s
      }
    },
    dispose() {},
  }
}

/** A block in the wasm backend's heap with our SIMD kernels; null when they cannot be loaded. */
export function wasmArena(backend: WasmBackend, floats: number): Arena | null {
  let k: NativeKernels
  try {
    k = nativeKernels(backend)
  } catch {
    return null
  }
  const scratch = gemmScratch(backend)
  const ptr = backend.wasm._malloc(floats * 4)
  // malloc returns 8-byte aligned blocks; floats need 4.
  const base = ptr / 4
  let view = new Float32Array(backend.wasm.HEAPU8.buffer)
  const h = () => {
    if (view.buffer !== backend.wasm.HEAPU8.buffer) view = new Float32Array(backend.wasm.HEAPU8.buffer)
    return view
  }
  h().fill(0, base, base + floats)
  return {
    base,
    kind: 'wasm-simd',
    h,
    adam: k.nw_adam.bind(k),
    relu: (x, y, n) => k.nw_relu(x * 4, y * 4, n),
    reluGrad: (dy, y, out, n) => k.nw_relu_grad(dy * 4, y * 4, out * 4, n),
    dropout: (x, y, mask, n, rate, seed) => k.nw_dropout(x * 4, y * 4, mask * 4, n, 1 - rate, Math.fround(1 / (1 - rate)), seed >>> 0),
    gemm(c, ldc, a, sar, sat, b, sbt, sbn, rows, depth, cols, accumulate) {
      k.nw_gemm(c * 4, ldc, a * 4, sar, sat, b * 4, sbt, sbn, rows, depth, cols, accumulate ? 1 : 0, scratch)
    },
    sumRows(x, out, rows, cols) {
      k.nw_sum_rows(x * 4, out * 4, rows, cols)
    },
    dispose() {
      backend.wasm._free(ptr)
    },
  }
}
