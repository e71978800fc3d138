// The memory the fused dense stepper works in: one float32 block holding weights, gradients,
// optimizer state and activations, allocated once. On the wasm backend the block lives in the
// backend's heap so our SIMD kernels (nw_gemm_atb, nw_sum_rows, nw_adam) run on it in place;
// elsewhere it is a plain Float32Array and the same products run as JavaScript loops.
// Offsets are in floats from the start of the heap view `h()`.
import { nativeKernels, type NativeKernels } from '../wasm/native'
import type { WasmBackend } from '../wasm/heap'

/** A float32 block and the products the stepper needs on it. */
export interface Arena {
  /** Where the block starts in `h()` (floats). */
  readonly base: number
  /** The heap view; take it again after anything that may allocate on the wasm heap. */
  h(): Float32Array
  /**
   * C[k, n] (row-major) = (C +) sum over m of A(m, k) * B[m, n], with A(m, k) at a + m*sam + k*sak
   * and B's rows ldb apart (nw_gemm_atb's contract).
   */
  gemm(c: number, a: number, sam: number, sak: number, b: number, ldb: number, k: number, m: number, n: number, accumulate: boolean): void
  /** out[j] = sum over r of x[r*cols + j]. */
  sumRows(x: number, out: number, rows: number, cols: number): void
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
    h: () => mem,
    gemm(c, a, sam, sak, b, ldb, k, m, n, accumulate) {
      const h = mem
      if (!accumulate) h.fill(0, c, c + k * n)
      for (let r = 0; r < k; r++) {
        const cr = c + r * n
        for (let q = 0; q < m; q++) {
          const av = h[a + q * sam + r * sak]!
          if (av === 0) continue
          const br = b + q * ldb
          for (let j = 0; j < n; j++) h[cr + j] = h[cr + j]! + av * h[br + j]!
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
    gemm(c, a, sam, sak, b, ldb, kk, m, n, accumulate) {
      k.nw_gemm_atb(c * 4, a * 4, sam, sak, b * 4, ldb, kk, m, n, accumulate ? 1 : 0)
    },
    sumRows(x, out, rows, cols) {
      k.nw_sum_rows(x * 4, out * 4, rows, cols)
    },
    dispose() {
      backend.wasm._free(ptr)
    },
  }
}
