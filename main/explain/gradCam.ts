import type * as TF from '@tensorflow/tfjs'
import { classScores, pickClass } from './classScore'
import { runGraph } from './runGraph'
import type { CamLayerInfo } from '../../common/explain/types'

/**
 * Layers whose output is a feature map Grad-CAM can use: rank 4 (batch, height, width, channels)
 * with more than one spatial position. Conv2D, and whatever keeps the map's shape after it (pooling,
 * batch norm, activation, the Add of a residual block), in graph order.
 */
export function camLayers(model: TF.LayersModel): CamLayerInfo[] {
  const out: CamLayerInfo[] = []
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue
    const shape = (layer.outputShape as (number | null)[]) ?? []
    if (!Array.isArray(shape) || shape.length !== 4 || Array.isArray(shape[0])) continue
    const [, h, w, c] = shape as number[]
    if (h * w > 1) out.push({ name: layer.name, type: layer.getClassName(), height: h, width: w, channels: c })
  }
  return out
}

/** Layers whose map Grad-CAM prefers: convolutions, and merges (a residual block's output is its Add). */
const PREFERRED = /Conv|^Add$|^Concatenate$/

/**
 * The default Grad-CAM layer: the last convolution (or residual merge) whose map is bigger than
 * 1x1, else the last feature map of any kind (null: the model has none).
 */
export function defaultCamLayer(model: TF.LayersModel): string | null {
  const all = camLayers(model)
  const preferred = all.filter((l) => PREFERRED.test(l.type))
  const pick = preferred.length ? preferred : all
  return pick.length ? pick[pick.length - 1].name : null
}

/** A Grad-CAM heatmap of one sample for one class. */
export interface GradCamMap {
  layer: string
  classIndex: number
  /** The raw map at the layer's resolution, ReLU(sum_k w_k A_k), row-major [height, width]. */
  cam: Float32Array
  height: number
  width: number
  /** Channel weights w_k: the spatial mean of d score / d A_k. */
  weights: Float32Array
  /** The map bilinearly upsampled to the input's size and scaled to [0, 1] (all zeros when the map is). */
  heatmap: Float32Array
  inputHeight: number
  inputWidth: number
}

/**
 * Grad-CAM (Selvaraju et al. 2017) of one sample: the feature map A of `layerName`, the gradient of
 * the class's pre-softmax score with respect to A, channel weights = spatial mean of that gradient,
 * map = ReLU of the weighted channel sum. Works on any functional graph (the gradient is taken by
 * feeding A back into the rest of the graph, so skip connections count).
 */
export function gradCam(tf: typeof TF, model: TF.LayersModel, x: Float32Array, shape: readonly number[], classIndex: number, layerName?: string): GradCamMap {
  const name = layerName ?? defaultCamLayer(model)
  if (!name) throw new Error('This model has no convolutional feature map (a layer with height and width > 1) for Grad-CAM.')
  const info = camLayers(model).find((l) => l.name === name)
  if (!info) throw new Error(`Layer "${name}" has no feature map Grad-CAM can use; choose one of: ${camLayers(model).map((l) => l.name).join(', ') || 'none'}.`)
  const layerOut = model.getLayer(name).output as TF.SymbolicTensor
  const input = model.inputs[0]
  const [H, W] = shape
  return tf.tidy(() => {
    const xt = tf.tensor(x, [1, ...shape])
    const A = runGraph(layerOut, [[input, xt]])
    // Other branches (a residual skip) are fed from the input too, so only the paths through A vary.
    const score = (a: TF.Tensor): TF.Scalar => pickClass(classScores(tf, model, [[input, xt], [layerOut, a]]), classIndex).sum() as TF.Scalar
    const grads = tf.grad(score)(A) as TF.Tensor4D
    const weights = grads.mean([0, 1, 2]) as TF.Tensor1D
    const cam = tf.relu(A.mul(weights).sum(3)) as TF.Tensor3D // [1, h, w]
    const up = tf.image.resizeBilinear(cam.expandDims(3) as TF.Tensor4D, [H, W], true).reshape([H, W])
    const peak = up.max()
    const heatmap = tf.where(peak.greater(0), up.div(tf.maximum(peak, 1e-12)), tf.zerosLike(up))
    return {
      layer: name,
      classIndex,
      cam: cam.dataSync() as Float32Array,
      height: info.height,
      width: info.width,
      weights: weights.dataSync() as Float32Array,
      heatmap: heatmap.dataSync() as Float32Array,
      inputHeight: H,
      inputWidth: W,
    }
  })
}
