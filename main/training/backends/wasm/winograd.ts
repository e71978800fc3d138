// Stride-1 3x3 convolutions (NHWC, float32) by Winograd on native kernels: filter, input-tile and
// output-tile transforms around one packed GEMM (nw_gemm) per transformed element. F(4x4, 3x3)
// (nw_wino4_*: 36 GEMMs, 4x fewer multiply-adds than direct) where its 4x4 output tiles cover the
// output with less waste than F(2x2, 3x3)'s 2x2 ones (nw_winograd_*: 16 GEMMs, 2.25x fewer), which
// takes tiny outputs. Tiles are processed in chunks whose transformed planes stay near the cache.
// Used by Conv2D, FusedConv2D, the stride-1 Conv2DBackpropInput (a convolution of dy with the
// flipped filter) and Conv2DBackpropFilter.
import type { TensorInfo } from '@tensorflow/tfjs'
import { offsetOf, release, type WasmBackend } from './heap'
import { gemm, nativeKernels, type NativeKernels } from './native'

/** The geometry of one convolution: NHWC input [batch, h, w, c], output [batch, outH, outW, outC]. */
export interface WinogradGeometry {
  batch: number
  h: number
  w: number
  c: number
  outC: number
  outH: number
  outW: number
  /** Rows and columns of zero padding before the input (the output cell (0, 0) reads from (-top, -left)). */
  top: number
  left: number
}

/** Transformed planes (planes x tiles x channels, input and output) kept to about this many floats per chunk. */
const CHUNK_FLOATS = 128 * 1024

/** One Winograd variant: output tile side `m` (input tile m + 2), (m + 2)^2 planes, and its native transforms. */
interface Variant {
  m: 2 | 4
  planes: number
  filter: (k: NativeKernels) => NativeKernels['nw_winograd_filter']
  input: (k: NativeKernels) => NativeKernels['nw_winograd_input']
  output: (k: NativeKernels) => NativeKernels['nw_winograd_output']
  dy: (k: NativeKernels) => NativeKernels['nw_winograd_dy']
  filterGrad: (k: NativeKernels) => NativeKernels['nw_winograd_filter_grad']
}

const F2: Variant = {
  m: 2, planes: 16,
  filter: (k) => k.nw_winograd_filter, input: (k) => k.nw_winograd_input, output: (k) => k.nw_winograd_output, dy: (k) => k.nw_winograd_dy, filterGrad: (k) => k.nw_winograd_filter_grad,
}
const F4: Variant = {
  m: 4, planes: 36,
  filter: (k) => k.nw_wino4_filter, input: (k) => k.nw_wino4_input, output: (k) => k.nw_wino4_output, dy: (k) => k.nw_wino4_dy, filterGrad: (k) => k.nw_wino4_filter_grad,
}

/** Which output tile Winograd uses: 'auto' (the fewer GEMM multiply-adds for the output size) or a fixed one (tests, benchmarks). */
export type WinogradTile = 'auto' | 2 | 4
let tileChoice: WinogradTile = process.env.NW_WINOGRAD_TILE === '2' ? 2 : process.env.NW_WINOGRAD_TILE === '4' ? 4 : 'auto'

/** Fixes the Winograd output tile (2 or 4) or returns to 'auto'; returns the previous choice. */
export function setWinogradTile(tile: WinogradTile): WinogradTile {
  const previous = tileChoice
  tileChoice = tile
  return previous
}

/** The variant for an outH x outW output: GEMM work is planes x tiles, so F(4x4) unless its partial edge tiles cost more. */
function variantFor(outH: number, outW: number): Variant {
  if (tileChoice !== 'auto') return tileChoice === 2 ? F2 : F4
  const f2 = 16 * Math.ceil(outH / 2) * Math.ceil(outW / 2)
  const f4 = 36 * Math.ceil(outH / 4) * Math.ceil(outW / 4)
  return f4 < f2 ? F4 : F2
}

/** Whether the Winograd path takes this convolution: a 3x3 filter, stride and dilation 1, channels in fours, and enough of them to pay for the transforms. */
export function winogradApplies(g: { filterHeight: number; filterWidth: number; strideHeight: number; strideWidth: number; dilationHeight: number; dilationWidth: number; inChannels: number; outChannels: number }): boolean {
  return g.filterHeight === 3 && g.filterWidth === 3 && g.strideHeight === 1 && g.strideWidth === 1 && g.dilationHeight === 1 && g.dilationWidth === 1 &&
    g.inChannels % 4 === 0 && g.outChannels % 4 === 0 && g.inChannels >= 16 && g.outChannels >= 16
}

/** Floats of one plane's filter (c x outC) up to which nw_gemm_planes reads operands in place (they stay in L1); larger ones take the packed nw_gemm. */
const UNPACKED_PLANE_FLOATS = 64 * 128

/** Whether this convolution's per-plane products take nw_gemm_planes (output channels in eights, planes small). */
function unpacked(g: WinogradGeometry): boolean {
  return g.outC % 8 === 0 && g.c * g.outC <= UNPACKED_PLANE_FLOATS
}

/** The tile variant for g's output, its planes, the tile grid, and how many tiles a chunk transforms at once. */
function tilePlan(g: WinogradGeometry): { vt: Variant; P: number; tilesH: number; tilesW: number; tiles: number; chunk: number } {
  const vt = variantFor(g.outH, g.outW)
  const P = vt.planes
  const tilesH = Math.ceil(g.outH / vt.m)
  const tilesW = Math.ceil(g.outW / vt.m)
  const tiles = g.batch * tilesH * tilesW
  const chunk = Math.max(32, Math.min(tiles, Math.floor(CHUNK_FLOATS / (P * (g.c + g.outC)))))
  return { vt, P, tilesH, tilesW, tiles, chunk }
}

/** y = conv(x, filter) (+ bias, then relu when asked), filter [3, 3, c, outC]; returns a new [batch, outH, outW, outC] tensor. */
export function winogradConv(backend: WasmBackend, x: TensorInfo, filter: TensorInfo, g: WinogradGeometry, bias: TensorInfo | null = null, relu = false): TensorInfo {
  const native = nativeKernels(backend)
  const { vt, P, tilesH, tilesW, tiles, chunk } = tilePlan(g)
  const y = backend.makeOutput([g.batch, g.outH, g.outW, g.outC], 'float32')
  const u = backend.makeOutput([P, g.c, g.outC], 'float32')
  const v = backend.makeOutput([P, chunk, g.c], 'float32')
  const m = backend.makeOutput([P, chunk, g.outC], 'float32')
  const [uAt, vAt, mAt] = [offsetOf(backend, u), offsetOf(backend, v), offsetOf(backend, m)]
  vt.filter(native)(offsetOf(backend, filter), uAt, g.c, g.outC)
  for (let t0 = 0; t0 < tiles; t0 += chunk) {
    const nt = Math.min(chunk, tiles - t0)
    vt.input(native)(offsetOf(backend, x), vAt, g.h, g.w, g.c, tilesH, tilesW, g.top, g.left, t0, nt)
    if (unpacked(g)) {
      // M_e[nt, outC] = V_e[nt, c] U_e[c, outC] for every plane in one call (small enough to skip packing).
      native.nw_gemm_planes(mAt, g.outC, nt * g.outC, vAt, g.c, 1, nt * g.c, uAt, g.outC, g.c * g.outC, nt, g.c, g.outC, P, 0)
    } else {
      for (let e = 0; e < P; e++) {
        gemm(backend, {
          c: mAt + e * nt * g.outC * 4, ldc: g.outC, a: vAt + e * nt * g.c * 4, sar: g.c, sat: 1,
          b: uAt + e * g.c * g.outC * 4, sbt: g.outC, sbn: 1, rows: nt, depth: g.c, cols: g.outC,
        })
      }
    }
    vt.output(native)(mAt, offsetOf(backend, y), bias ? offsetOf(backend, bias) : 0, relu ? 1 : 0, g.outH, g.outW, g.outC, tilesH, tilesW, t0, nt)
  }
  release(backend, u)
  release(backend, v)
  release(backend, m)
  return y
}

/** dW [3, 3, c, outC] of y = conv(x, W) from dy [batch, outH, outW, outC]: dU_e = sum over tiles of V_e^T Z_e, then dW = G^T dU G. */
export function winogradFilterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: WinogradGeometry): TensorInfo {
  const native = nativeKernels(backend)
  const { vt, P, tilesH, tilesW, tiles, chunk } = tilePlan(g)
  const dw = backend.makeOutput([3, 3, g.c, g.outC], 'float32')
  const du = backend.makeOutput([P, g.c, g.outC], 'float32')
  const v = backend.makeOutput([P, chunk, g.c], 'float32')
  const z = backend.makeOutput([P, chunk, g.outC], 'float32')
  const [duAt, vAt, zAt] = [offsetOf(backend, du), offsetOf(backend, v), offsetOf(backend, z)]
  for (let t0 = 0; t0 < tiles; t0 += chunk) {
    const nt = Math.min(chunk, tiles - t0)
    vt.input(native)(offsetOf(backend, x), vAt, g.h, g.w, g.c, tilesH, tilesW, g.top, g.left, t0, nt)
    vt.dy(native)(offsetOf(backend, dy), zAt, g.outH, g.outW, g.outC, tilesH, tilesW, t0, nt)
    if (unpacked(g)) {
      // dU_e(ci, co) += sum over tiles t of V_e[t, ci] Z_e[t, co], every plane in one call.
      native.nw_gemm_planes(duAt, g.outC, g.c * g.outC, vAt, 1, g.c, nt * g.c, zAt, g.outC, nt * g.outC, g.c, nt, g.outC, P, t0 > 0 ? 1 : 0)
    } else {
      for (let e = 0; e < P; e++) {
        gemm(backend, {
          c: duAt + e * g.c * g.outC * 4, ldc: g.outC, a: vAt + e * nt * g.c * 4, sar: 1, sat: g.c,
          b: zAt + e * nt * g.outC * 4, sbt: g.outC, sbn: 1, rows: g.c, depth: nt, cols: g.outC, accumulate: t0 > 0,
        })
      }
    }
  }
  vt.filterGrad(native)(duAt, offsetOf(backend, dw), g.c, g.outC)
  release(backend, du)
  release(backend, v)
  release(backend, z)
  return dw
}
