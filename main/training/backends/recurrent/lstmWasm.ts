// The LSTM recurrence (lstmSequence.ts's maths) run whole in our native kernels on the wasm backend:
// nw_lstm_forward / nw_lstm_backward do every time step's product (nw_gemm) and gate maths (SIMD,
// a float exp) in one call each, where the JavaScript loop spent most of an LSTM step in Math.exp
// and Math.tanh. The trace comes back as plain arrays, so the backward pass is the same either way.
import { gemmScratch, nativeKernels } from '../wasm/native'
import type { WasmBackend } from '../wasm/heap'
import type { LstmTrace } from './lstmSequence'

/** Heap scratch for one call: `floats` floats, views taken per use (the heap's buffer changes when it grows). */
function withHeap<T>(backend: WasmBackend, floats: number, run: (at: number, view: (ptr: number, n: number) => Float32Array) => T): T {
  const base = backend.wasm._malloc(floats * 4)
  try {
    return run(base, (ptr, n) => new Float32Array(backend.wasm.HEAPU8.buffer, ptr, n))
  } finally {
    backend.wasm._free(base)
  }
}

/** lstmForward on the wasm heap: `xw` = x W + b [batch, time, 4 * units], `recurrent` = U [units, 4 * units]. */
export function lstmForwardWasm(backend: WasmBackend, xw: Float32Array, recurrent: Float32Array, batch: number, time: number, units: number): LstmTrace {
  const g4 = 4 * units
  const zN = batch * time * g4
  const sN = batch * time * units
  const scratch = gemmScratch(backend)
  return withHeap(backend, zN + units * g4 + 2 * sN, (z, view) => {
    const u = z + zN * 4
    const cells = u + units * g4 * 4
    const hidden = cells + sN * 4
    view(z, zN).set(xw.subarray(0, zN))
    view(u, units * g4).set(recurrent)
    nativeKernels(backend).nw_lstm_forward(z, u, cells, hidden, batch, time, units, scratch)
    return { batch, time, units, gates: view(z, zN).slice(), cells: view(cells, sN).slice(), hidden: view(hidden, sN).slice() }
  })
}

/** lstmBackward on the wasm heap: dZ [batch, time, 4 * units] from the trace and dHidden [batch, time, units]. */
export function lstmBackwardWasm(backend: WasmBackend, trace: LstmTrace, recurrent: Float32Array, dHidden: Float32Array): Float32Array {
  const { batch, time, units, gates, cells } = trace
  const g4 = 4 * units
  const zN = batch * time * g4
  const sN = batch * time * units
  const scratch = gemmScratch(backend)
  return withHeap(backend, 2 * zN + 2 * sN + 2 * units * g4 + 2 * batch * units, (gatesAt, view) => {
    const dzAt = gatesAt + zN * 4
    const cellsAt = dzAt + zN * 4
    const dHiddenAt = cellsAt + sN * 4
    const uAt = dHiddenAt + sN * 4
    const utAt = uAt + units * g4 * 4
    const dhAt = utAt + units * g4 * 4
    const dcAt = dhAt + batch * units * 4
    view(gatesAt, zN).set(gates)
    view(cellsAt, sN).set(cells)
    view(dHiddenAt, sN).set(dHidden.subarray(0, sN))
    view(uAt, units * g4).set(recurrent)
    const k = nativeKernels(backend)
    k.nw_transpose2d(uAt, utAt, units, g4)
    k.nw_lstm_backward(gatesAt, cellsAt, dHiddenAt, utAt, dzAt, dhAt, dcAt, batch, time, units, scratch)
    return view(dzAt, zN).slice()
  })
}
