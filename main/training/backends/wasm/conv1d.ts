// Conv1D as tfjs runs it (a conv2d of height-1 input and filter) straight through our packed gemm,
// without im2col: at stride 1 with no dilation a patch of positions p .. p+k-1 is one run of k*c
// floats in the input, so the patch matrix is the input itself read with a row stride of c floats
// (overlapping rows), and nw_gemm packs it as it goes. Forward, filter gradient and input
// gradient (a forward conv of zero-padded dy with the filter flipped) are products over all images
// in nw_rows_gemm, which streams those rows straight from the input without packing them; the
// filter gradient is nw_gemm per image over the same in-place patch matrix.
// The text template's Conv1D (k7 over 64 channels) spent most of its time in im2col copies and
// XNNPACK's height-1 convolutions before.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs'
import { f32, offsetOf, release, type WasmBackend } from './heap'
import { gemm, nativeKernels } from './native'

/** A height-1 convolution along the width: batch, input width and channels, filter width, output channels and width, width padding. */
export interface Conv1dGeometry {
  batch: number
  w: number
  c: number
  k: number
  co: number
  ow: number
  left: number
  right: number
}

let enabled = true

/** Turns the direct Conv1D path on or off (on by default), so benches can compare it with the general conv kernels. */
export function setConv1dEnabled(on: boolean): void {
  enabled = on
}

/** The 1-D geometry of a float32 NHWC conv when it is a stride-1, undilated height-1 convolution, else null. */
export function conv1dGeometry(info: backend_util.Conv2DInfo, ...tensors: TensorInfo[]): Conv1dGeometry | null {
  if (!enabled) return null
  if (tensors.some((t) => t.dtype !== 'float32')) return null
  if (info.dataFormat !== 'channelsLast' || info.inHeight !== 1 || info.filterHeight !== 1 || info.outHeight !== 1) return null
  if (info.strideWidth !== 1 || info.dilationWidth !== 1 || info.dilationHeight !== 1 || info.padInfo.top !== 0 || info.padInfo.bottom !== 0) return null
  const { left, right } = info.padInfo
  if (left < 0 || right < 0 || left >= info.filterWidth || right >= info.filterWidth) return null
  return { batch: info.batchSize, w: info.inWidth, c: info.inChannels, k: info.filterWidth, co: info.outChannels, ow: info.outWidth, left, right }
}

/** `x` [batch, width, channels] with `before` and `after` zero positions added to each sequence (x itself when both are 0). */
function padded(backend: WasmBackend, x: TensorInfo, batch: number, width: number, channels: number, before: number, after: number): TensorInfo {
  if (before === 0 && after === 0) return x
  const pw = width + before + after
  const out = backend.makeOutput([batch, 1, pw, channels], 'float32')
  const dst = f32(backend, out)
  const src = f32(backend, x)
  dst.fill(0)
  for (let b = 0; b < batch; b++) dst.set(src.subarray(b * width * channels, (b + 1) * width * channels), (b * pw + before) * channels)
  return out
}

/**
 * For each image i: C_i[rows, cols] = A_i B with A_i's rows `depth` contiguous floats `sar` apart
 * (overlapping windows of a sequence), B [depth, cols] row-major, in native nw_rows_gemm (c, a, b:
 * heap byte offsets; cImage, aImage, sar: floats).
 */
function rowsGemm(backend: WasmBackend, o: { c: number; cImage: number; a: number; sar: number; aImage: number; b: number; images: number; rows: number; depth: number; cols: number }): void {
  const k = nativeKernels(backend)
  const scratch = backend.wasm._malloc(k.nw_rows_gemm_scratch_floats(o.depth, o.cols) * 4)
  try {
    k.nw_rows_gemm(o.c, o.cols, o.cImage, o.a, o.sar, o.aImage, o.b, o.images, o.rows, o.depth, o.cols, scratch)
  } finally {
    backend.wasm._free(scratch)
  }
}

/** y [batch, 1, ow, co] = x conv filter ([1, k, c, co]). */
export function conv1dForward(backend: WasmBackend, x: TensorInfo, filter: TensorInfo, g: Conv1dGeometry): TensorInfo {
  const xp = padded(backend, x, g.batch, g.w, g.c, g.left, g.right)
  const pw = g.w + g.left + g.right
  const y = backend.makeOutput([g.batch, 1, g.ow, g.co], 'float32')
  const yAt = offsetOf(backend, y)
  const xAt = offsetOf(backend, xp)
  const fAt = offsetOf(backend, filter)
  // y[b, p, o] = sum over t < k*c of xp[b, p*c + t] * filter[t, o].
  rowsGemm(backend, { c: yAt, cImage: g.ow * g.co, a: xAt, sar: g.c, aImage: pw * g.c, b: fAt, images: g.batch, rows: g.ow, depth: g.k * g.c, cols: g.co })
  if (xp !== x) release(backend, xp)
  return y
}

/** dW [1, k, c, co] = sum over images and output positions of patch^T dy (nw_gemm per image: its packing of the patch rows beat streaming them here). */
export function conv1dFilterGradient(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: Conv1dGeometry): TensorInfo {
  const xp = padded(backend, x, g.batch, g.w, g.c, g.left, g.right)
  const pw = g.w + g.left + g.right
  const dw = backend.makeOutput([1, g.k, g.c, g.co], 'float32')
  const dwAt = offsetOf(backend, dw)
  const xAt = offsetOf(backend, xp)
  const dyAt = offsetOf(backend, dy)
  for (let b = 0; b < g.batch; b++) {
    // dW[t, o] (+)= sum over p of xp[b, p*c + t] * dy[b, p, o].
    gemm(backend, {
      c: dwAt, ldc: g.co, a: xAt + b * pw * g.c * 4, sar: 1, sat: g.c, b: dyAt + b * g.ow * g.co * 4, sbt: g.co, sbn: 1,
      rows: g.k * g.c, depth: g.ow, cols: g.co, accumulate: b > 0,
    })
  }
  if (g.batch === 0) f32(backend, dw).fill(0)
  if (xp !== x) release(backend, xp)
  return dw
}

/** dx [batch, 1, w, c]: dy padded by k-1-left before and k-1-right after, convolved with the filter flipped to [k, co, c]. */
export function conv1dInputGradient(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, g: Conv1dGeometry): TensorInfo {
  const before = g.k - 1 - g.left
  const after = g.k - 1 - g.right
  const dyp = padded(backend, dy, g.batch, g.ow, g.co, before, after)
  const pw = g.ow + before + after
  const flipped = backend.makeOutput([g.k, g.co, g.c], 'float32')
  const src = f32(backend, filter)
  const dst = f32(backend, flipped)
  for (let j = 0; j < g.k; j++) {
    const from = (g.k - 1 - j) * g.c * g.co
    const to = j * g.co * g.c
    for (let ch = 0; ch < g.c; ch++) for (let o = 0; o < g.co; o++) dst[to + o * g.c + ch] = src[from + ch * g.co + o] as number
  }
  const dx = backend.makeOutput([g.batch, 1, g.w, g.c], 'float32')
  const dxAt = offsetOf(backend, dx)
  const dyAt = offsetOf(backend, dyp)
  const flAt = offsetOf(backend, flipped)
  // dx[b, q, ch] = sum over t < k*co of dyp[b, q*co + t] * flipped[t, ch].
  rowsGemm(backend, { c: dxAt, cImage: g.w * g.c, a: dyAt, sar: g.co, aImage: pw * g.co, b: flAt, images: g.batch, rows: g.w, depth: g.k * g.co, cols: g.c })
  release(backend, flipped)
  if (dyp !== dy) release(backend, dyp)
  return dx
}
