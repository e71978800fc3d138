import type * as TF from '@tensorflow/tfjs'
import type { WeightTensor } from './builder'

/** Reads a tfjs model's weights per layer name (layer.getWeights() order), for toOnnx's weightsOf. */
export function tfjsWeightsOf(model: TF.LayersModel): (layerName: string) => WeightTensor[] {
  return (layerName) =>
    model.getLayer(layerName).getWeights().map((t) => ({ shape: t.shape.slice(), values: Float32Array.from(t.dataSync() as Float32Array) }))
}
