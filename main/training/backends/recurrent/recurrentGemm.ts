// The two matrix products a recurrence does every step, h · U (forward) and dz · U^T (backward),
// over all the batch's rows at once. On the wasm backend they run in our SIMD gemm (native
// nw_gemm_atb) on scratch memory in the backend's heap; elsewhere in plain loops. Everything else
// per step is element-wise and stays in JavaScript.
import { nativeKernels } from '../wasm/native'
import type { WasmBackend } from '../wasm/heap'

/** Per-step products with one recurrent kernel U ([units, width] row-major; width = gates * units). */
export interface RecurrentGemm {
  /** z[batch, cols] += h[batch, units] · U[:, col0 .. col0 + cols]. */
  hU(h: Float32Array, z: Float32Array, col0: number, cols: number): void
  /** dh[batch, units] (+)= dz[batch, cols] · U[:, col0 .. col0 + cols]^T. */
  dzUT(dz: Float32Array, col0: number, cols: number, dh: Float32Array, accumulate: boolean): void
  /** Frees what it holds (heap scratch on wasm). */
  dispose(): void
}

/** Plain-loop products (any backend). */
export function jsGemm(recurrent: Float32Array, batch: number, units: number, width: number): RecurrentGemm {
  return {
    hU(h, z, col0, cols) {
      for (let b = 0; b < batch; b++) {
        const zo = b * cols
        for (let k = 0; k < units; k++) {
          const hk = h[b * units + k] as number
          const row = k * width + col0
          for (let j = 0; j < cols; j++) z[zo + j] = (z[zo + j] as number) + hk * (recurrent[row + j] as number)
        }
      }
    },
    dzUT(dz, col0, cols, dh, accumulate) {
      for (let b = 0; b < batch; b++) {
        for (let k = 0; k < units; k++) {
          const row = k * width + col0
          let s = 0
          for (let j = 0; j < cols; j++) s += (dz[b * cols + j] as number) * (recurrent[row + j] as number)
          dh[b * units + k] = accumulate ? (dh[b * units + k] as number) + s : s
        }
      }
    },
    dispose() {},
  }
}

/** Products in the wasm backend's heap with our SIMD gemm. */
export function wasmGemm(backend: WasmBackend, recurrent: Float32Array, batch: number, units: number, width: number): RecurrentGemm {
  const k = nativeKernels(backend)
  const floats = units * width * 2 + batch * width * 2
  const base = backend.wasm._malloc(floats * 4)
  const uPtr = base
  const utPtr = uPtr + units * width * 4
  const aPtr = utPtr + units * width * 4
  const outPtr = aPtr + batch * width * 4
  // Views are taken per use: the heap's buffer changes when it grows.
  const view = (ptr: number, n: number) => new Float32Array(backend.wasm.HEAPU8.buffer, ptr, n)
  view(uPtr, units * width).set(recurrent)
  const ut = view(utPtr, units * width)
  for (let r = 0; r < units; r++) for (let c = 0; c < width; c++) ut[c * units + r] = recurrent[r * width + c] as number
  return {
    hU(h, z, col0, cols) {
      view(aPtr, batch * units).set(h.subarray(0, batch * units))
      const out = view(outPtr, batch * cols)
      out.set(z.subarray(0, batch * cols))
      // C[b, j] += sum over u of A(u, b) * U[u, col0 + j], A(u, b) = h[b * units + u].
      k.nw_gemm_atb(outPtr, aPtr, 1, units, uPtr + col0 * 4, width, batch, units, cols, 1)
      z.set(view(outPtr, batch * cols))
    },
    dzUT(dz, col0, cols, dh, accumulate) {
      view(aPtr, batch * cols).set(dz.subarray(0, batch * cols))
      const out = view(outPtr, batch * units)
      if (accumulate) out.set(dh.subarray(0, batch * units))
      // C[b, u] (+)= sum over j of A(j, b) * U^T[col0 + j, u], A(j, b) = dz[b * cols + j].
      k.nw_gemm_atb(outPtr, aPtr, 1, cols, utPtr + col0 * units * 4, units, batch, cols, units, accumulate ? 1 : 0)
      dh.set(view(outPtr, batch * units))
    },
    dispose() {
      backend.wasm._free(base)
    },
  }
}
