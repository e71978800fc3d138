// BatchMatMul and _FusedMatMul for wasm. The stock kernel sends only the plain 2-D product to
// XNNPACK (re-packing the weights each call) and everything transposed or batched to a scalar
// triple loop. Here every single-batch float32 product runs on native nw_gemm, which packs its
// operands through strides, so a^T b, a b^T and a b cost the same and nothing is transposed first.
// Batched products and fused bias/activation go to the stock kernels.
import { _FusedMatMul, BatchMatMul, Transpose, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs'
import { callKernel, offsetOf, release, type WasmBackend } from './heap'
import { gemm } from './native'
import { stock } from './stock'

interface MatMulArgs {
  inputs: { a: TensorInfo; b: TensorInfo } & Record<string, TensorInfo>
  backend: WasmBackend
  attrs: NamedAttrMap & { transposeA: boolean; transposeB: boolean; activation?: string }
}

/** Product of the outer (batch) dims of a shape. */
function batchOf(shape: number[]): number {
  let n = 1
  for (let i = 0; i < shape.length - 2; i++) n *= shape[i] as number
  return n
}

/** A [cols, rows] copy of the last two dims of a single-batch [.., rows, cols] tensor. */
function transposed2d(backend: WasmBackend, t: TensorInfo): TensorInfo {
  const rows = t.shape[t.shape.length - 2] as number
  const cols = t.shape[t.shape.length - 1] as number
  const flat = { dataId: t.dataId, dtype: t.dtype, shape: [rows, cols] }
  return callKernel(stock(Transpose), backend, { x: flat }, { perm: [1, 0] })
}

/** op(a) op(b) for single-batch float32 operands, op = transpose where flagged (read in place through strides). */
export function matMul2d(backend: WasmBackend, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  const ar = a.shape[a.shape.length - 2] as number
  const ac = a.shape[a.shape.length - 1] as number
  const br = b.shape[b.shape.length - 2] as number
  const bc = b.shape[b.shape.length - 1] as number
  const m = transposeA ? ac : ar
  const k = transposeA ? ar : ac
  const n = transposeB ? br : bc
  const outer = (a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2)
  const out = backend.makeOutput([...outer, m, n], 'float32')
  gemm(backend, {
    c: offsetOf(backend, out), ldc: n,
    a: offsetOf(backend, a), sar: transposeA ? 1 : ac, sat: transposeA ? ac : 1,
    b: offsetOf(backend, b), sbt: transposeB ? 1 : bc, sbn: transposeB ? bc : 1,
    rows: m, depth: k, cols: n,
  })
  return out
}

function makeMatMul(kernelName: string): KernelConfig['kernelFunc'] {
  return ((args: MatMulArgs): TensorInfo => {
    const { inputs, backend, attrs } = args
    const { a, b } = inputs
    const fused = kernelName === _FusedMatMul && (inputs.bias != null || (attrs.activation ?? 'linear') !== 'linear' || inputs.preluActivationWeights != null)
    const simple = !fused && batchOf(a.shape) === 1 && batchOf(b.shape) === 1 && a.dtype === 'float32' && b.dtype === 'float32'
    if (simple) return matMul2d(backend, a, b, attrs.transposeA, attrs.transposeB)
    if (!attrs.transposeA && !attrs.transposeB) return callKernel(stock(kernelName), backend, inputs, attrs)
    // Fused or batched with transposes: make the operands plain so the stock kernel takes XNNPACK
    // where it can (single batch) instead of its scalar loop.
    if (batchOf(a.shape) !== 1 || batchOf(b.shape) !== 1) return callKernel(stock(kernelName), backend, inputs, attrs)
    const a2 = attrs.transposeA ? reshape3d(transposed2d(backend, a)) : a
    const b2 = attrs.transposeB ? reshape3d(transposed2d(backend, b)) : b
    const out = callKernel(stock(kernelName), backend, { ...inputs, a: a2, b: b2 }, { ...attrs, transposeA: false, transposeB: false })
    if (a2 !== a) release(backend, a2)
    if (b2 !== b) release(backend, b2)
    const outer = (a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2)
    return { dataId: out.dataId, dtype: out.dtype, shape: [...outer, ...out.shape.slice(-2)] }
  }) as unknown as KernelConfig['kernelFunc']
}

/** The same data seen as [1, rows, cols]. */
function reshape3d(t: TensorInfo): TensorInfo {
  return { dataId: t.dataId, dtype: t.dtype, shape: [1, ...t.shape.slice(-2)] }
}

/** BatchMatMul on wasm (native GEMM for single-batch float32 products). */
export const batchMatMulConfig: KernelConfig = { kernelName: BatchMatMul, backendName: 'wasm', kernelFunc: makeMatMul(BatchMatMul) }

/** _FusedMatMul on wasm (native GEMM when nothing is fused; transposes made plain otherwise). */
export const fusedMatMulConfig: KernelConfig = { kernelName: _FusedMatMul, backendName: 'wasm', kernelFunc: makeMatMul(_FusedMatMul) }
