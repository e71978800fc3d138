// UnsortedSegmentSum for wasm (missing from the stock backend; it is the gradient of Gather, so an
// Embedding layer could not train). One pass: out[id] += x[i] over rows; ids outside
// [0, numSegments) are dropped, as on the cpu backend. int32 ids (an Embedding's) run in native
// nw_segment_sum (SIMD rows, same order of additions), float ids in the loop below.
import { UnsortedSegmentSum, util, type KernelConfig, type TensorInfo, type UnsortedSegmentSumAttrs } from '@tensorflow/tfjs'
import { f32, offsetOf, zeros, type WasmBackend } from './heap'
import { nativeKernels } from './native'

function unsortedSegmentSum(args: { inputs: { x: TensorInfo; segmentIds: TensorInfo }; backend: WasmBackend; attrs: UnsortedSegmentSumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args
  const { x, segmentIds } = inputs
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum on wasm supports float32 only, got ${x.dtype}`)
  const rows = util.sizeFromShape(segmentIds.shape)
  const inner = rows === 0 ? 0 : util.sizeFromShape(x.shape) / rows
  const shape = [attrs.numSegments, ...x.shape.slice(segmentIds.shape.length)]
  if (segmentIds.dtype === 'int32') {
    const out = backend.makeOutput(shape, 'float32')
    nativeKernels(backend).nw_segment_sum(offsetOf(backend, x), offsetOf(backend, segmentIds), offsetOf(backend, out), rows, inner, attrs.numSegments)
    return out
  }
  const out = zeros(backend, shape)
  const ids = Int32Array.from(f32(backend, segmentIds))
  const src = f32(backend, x)
  const dst = f32(backend, out)
  for (let r = 0; r < rows; r++) {
    const id = ids[r] as number
    if (id < 0 || id >= attrs.numSegments) continue
    const from = r * inner
    const to = id * inner
    for (let j = 0; j < inner; j++) dst[to + j] = (dst[to + j] as number) + (src[from + j] as number)
  }
  return out
}

/** Kernel registration for UnsortedSegmentSum on wasm. */
export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelConfig['kernelFunc'],
}
