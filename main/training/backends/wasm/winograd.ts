// Stride-1 3x3 convolutions (NHWC, float32) by Winograd F(2x2, 3x3) on native kernels: filter,
// input-tile and output-tile transforms (nw_winograd_*) around 16 packed GEMMs (nw_gemm), 2.25x
// fewer multiply-adds than a direct or im2col convolution. Tiles are processed in chunks whose
// transformed planes stay near the cache. Used by Conv2D, FusedConv2D and the stride-1
// Conv2DBackpropInput (a convolution of dy with the flipped filter).
import type { TensorInfo } from '@tensorflow/tfjs'
import { offsetOf, release, type WasmBackend } from './heap'
import { gemm, nativeKernels } from './native'

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

/** Transformed planes (16 x tiles x channels, input and output) kept to about this many floats per chunk. */
const CHUNK_FLOATS = 128 * 1024

/** Whether the Winograd path takes this convolution: a 3x3 filter, stride and dilation 1, channels in fours, and enough of them to pay for the transforms. */
export function winogradApplies(g: { filterHeight: number; filterWidth: number; strideHeight: number; strideWidth: number; dilationHeight: number; dilationWidth: number; inChannels: number; outChannels: number }): boolean {
  return g.filterHeight === 3 && g.filterWidth === 3 && g.strideHeight === 1 && g.strideWidth === 1 && g.dilationHeight === 1 && g.dilationWidth === 1 &&
    g.inChannels % 4 === 0 && g.outChannels % 4 === 0 && g.inChannels >= 16 && g.outChannels >= 16
}

/** y = conv(x, filter) (+ bias, then relu when asked), filter [3, 3, c, outC]; returns a new [batch, outH, outW, outC] tensor. */
export function winogradConv(backend: WasmBackend, x: TensorInfo, filter: TensorInfo, g: WinogradGeometry, bias: TensorInfo | null = null, relu = false): TensorInfo {
  const native = nativeKernels(backend)
  const tilesH = Math.ceil(g.outH / 2)
  const tilesW = Math.ceil(g.outW / 2)
  const tiles = g.batch * tilesH * tilesW
  const chunk = Math.max(32, Math.min(tiles, Math.floor(CHUNK_FLOATS / (16 * (g.c + g.outC)))))
  const y = backend.makeOutput([g.batch, g.outH, g.outW, g.outC], 'float32')
  const u = backend.makeOutput([16, g.c, g.outC], 'float32')
  const v = backend.makeOutput([16, chunk, g.c], 'float32')
  const m = backend.makeOutput([16, chunk, g.outC], 'float32')
  const [uAt, vAt, mAt] = [offsetOf(backend, u), offsetOf(backend, v), offsetOf(backend, m)]
  native.nw_winograd_filter(offsetOf(backend, filter), uAt, g.c, g.outC)
  for (let t0 = 0; t0 < tiles; t0 += chunk) {
    const nt = Math.min(chunk, tiles - t0)
    native.nw_winograd_input(offsetOf(backend, x), vAt, g.h, g.w, g.c, tilesH, tilesW, g.top, g.left, t0, nt)
    for (let e = 0; e < 16; e++) {
      gemm(backend, {
        c: mAt + e * nt * g.outC * 4, ldc: g.outC, a: vAt + e * nt * g.c * 4, sar: g.c, sat: 1,
        b: uAt + e * g.c * g.outC * 4, sbt: g.outC, sbn: 1, rows: nt, depth: g.c, cols: g.outC,
      })
    }
    native.nw_winograd_output(mAt, offsetOf(backend, y), bias ? offsetOf(backend, bias) : 0, relu ? 1 : 0, g.outH, g.outW, g.outC, tilesH, tilesW, t0, nt)
  }
  release(backend, u)
  release(backend, v)
  release(backend, m)
  return y
}

/** dW [3, 3, c, outC] of y = conv(x, W) from dy [batch, outH, outW, outC]: dU_e = sum over tiles of V_e^T Z_e, then dW = G^T dU G. */
export function winogradFilterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: WinogradGeometry): TensorInfo {
  const native = nativeKernels(backend)
  const tilesH = Math.ceil(g.outH / 2)
  const tilesW = Math.ceil(g.outW / 2)
  const tiles = g.batch * tilesH * tilesW
  const chunk = Math.max(32, Math.min(tiles, Math.floor(CHUNK_FLOATS / (16 * (g.c + g.outC)))))
  const dw = backend.makeOutput([3, 3, g.c, g.outC], 'float32')
  const du = backend.makeOutput([16, g.c, g.outC], 'float32')
  const v = backend.makeOutput([16, chunk, g.c], 'float32')
  const z = backend.makeOutput([16, chunk, g.outC], 'float32')
  const [duAt, vAt, zAt] = [offsetOf(backend, du), offsetOf(backend, v), offsetOf(backend, z)]
  for (let t0 = 0; t0 < tiles; t0 += chunk) {
    const nt = Math.min(chunk, tiles - t0)
    native.nw_winograd_input(offsetOf(backend, x), vAt, g.h, g.w, g.c, tilesH, tilesW, g.top, g.left, t0, nt)
    native.nw_winograd_dy(offsetOf(backend, dy), zAt, g.outH, g.outW, g.outC, tilesH, tilesW, t0, nt)
    for (let e = 0; e < 16; e++) {
      // dU_e(ci, co) += sum over tiles t of V_e[t, ci] Z_e[t, co].
      gemm(backend, {
        c: duAt + e * g.c * g.outC * 4, ldc: g.outC, a: vAt + e * nt * g.c * 4, sar: 1, sat: g.c,
        b: zAt + e * nt * g.outC * 4, sbt: g.outC, sbn: 1, rows: g.c, depth: nt, cols: g.outC, accumulate: t0 > 0,
      })
    }
  }
  native.nw_winograd_filter_grad(duAt, offsetOf(backend, dw), g.c, g.outC)
  release(backend, du)
  release(backend, v)
  release(backend, z)
  return dw
}
