// Which kernels a model's training needs that a backend lacks, so the training engine can refuse
// with a clear message ("this model needs X, not available on wasm; use cpu") before it starts.
import { getKernel } from '@tensorflow/tfjs'

/** A layer's class name and config as they appear in a tfjs-layers model JSON. */
interface LayerJson {
  class_name?: string
  className?: string
  config?: Record<string, unknown>
}

/**
 * Kernels (forward and backward) each layer class may run while training. Layers absent here
 * (Dense, Flatten, Activation, pooling, Dropout, normalization, recurrent cells, merges...) use
 * only elementwise, matmul, reduction and reshaping kernels every backend has.
 */
const KERNELS_BY_LAYER: Record<string, string[]> = {
  Conv1D: ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'],
  Conv2D: ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'],
  Conv2DTranspose: ['Conv2DBackpropInput', 'Conv2D', 'Conv2DBackpropFilter'],
  Conv3D: ['Conv3D', 'Conv3DBackpropFilterV2', 'Conv3DBackpropInputV2'],
  DepthwiseConv2D: ['DepthwiseConv2dNative', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'],
  SeparableConv2D: ['DepthwiseConv2dNative', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'],
  MaxPooling1D: ['MaxPool', 'MaxPoolGrad'],
  MaxPooling2D: ['MaxPool', 'MaxPoolGrad'],
  MaxPooling3D: ['MaxPool3D', 'MaxPool3DGrad'],
  AveragePooling1D: ['AvgPool', 'AvgPoolGrad'],
  AveragePooling2D: ['AvgPool', 'AvgPoolGrad'],
  AveragePooling3D: ['AvgPool3D', 'AvgPool3DGrad'],
  Embedding: ['GatherV2', 'UnsortedSegmentSum'],
  UpSampling2D: ['ResizeNearestNeighbor', 'ResizeNearestNeighborGrad', 'ResizeBilinear', 'ResizeBilinearGrad'],
}

/** Every layer in a model JSON (functional or sequential, nested models and wrappers included). */
function layersOf(node: unknown, out: LayerJson[] = []): LayerJson[] {
  if (Array.isArray(node)) {
    for (const n of node) layersOf(n, out)
  } else if (node !== null && typeof node === 'object') {
    const o = node as LayerJson & Record<string, unknown>
    if (typeof (o.class_name ?? o.className) === 'string' && o.config) out.push(o)
    for (const v of Object.values(o)) if (v !== null && typeof v === 'object') layersOf(v, out)
  }
  return out
}

/**
 * The kernel names training `modelJson` needs that `backend` does not have (registered kernels
 * of tfjs's registry, so call it after loading the backend and registering our wasm kernels), in
 * first-use order; [] means the model can train there.
 */
export function unsupportedOnBackend(modelJson: unknown, backend: string): string[] {
  const missing: string[] = []
  for (const layer of layersOf(modelJson)) {
    const cls = (layer.class_name ?? layer.className) as string
    for (const kernel of KERNELS_BY_LAYER[cls] ?? []) {
      if (!getKernel(kernel, backend) && !missing.includes(kernel)) missing.push(kernel)
    }
  }
  return missing
}

/** A user-facing refusal for the kernels unsupportedOnBackend found, or null when there are none. */
export function unsupportedMessage(missing: string[], backend: string): string | null {
  if (missing.length === 0) return null
  return `This model needs ${missing.join(', ')}, not available on ${backend}; use the cpu backend.`
}
