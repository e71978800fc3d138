import type * as TF from '@tensorflow/tfjs'
import { runGraph } from './runGraph'

/** Squashing activations whose input is the score Grad-CAM and saliency differentiate (they saturate). */
const SQUASH = new Set(['softmax', 'sigmoid'])

function activationOf(layer: TF.layers.Layer): string | null {
  const a = (layer.getConfig() as { activation?: unknown }).activation
  return typeof a === 'string' ? a : null
}

/**
 * The model's class scores [n, units] before a final softmax or sigmoid (the "y^c" of Grad-CAM:
 * probabilities saturate, so their gradients vanish for confident predictions). A Dense output with
 * such an activation is recomputed without it; an Activation layer is skipped; any other output is
 * used as it is. Everything upstream is evaluated with `feeds` (see runGraph).
 */
export function classScores(tf: typeof TF, model: TF.LayersModel, feeds: ReadonlyArray<[TF.SymbolicTensor, TF.Tensor]>): TF.Tensor2D {
  const outLayer = model.outputs[0].sourceLayer as TF.layers.Layer
  const act = activationOf(outLayer)
  const cls = outLayer.getClassName()
  if (act && SQUASH.has(act) && (cls === 'Dense' || cls === 'Activation')) {
    const h = runGraph(outLayer.input as TF.SymbolicTensor, feeds)
    if (cls === 'Activation') return h.reshape([h.shape[0], -1]) as TF.Tensor2D
    const [kernel, bias] = outLayer.trainableWeights.map((w) => w.read())
    const z = tf.matMul(h.reshape([h.shape[0], -1]) as TF.Tensor2D, kernel as TF.Tensor2D)
    return (bias ? z.add(bias) : z) as TF.Tensor2D
  }
  const out = runGraph(model.outputs[0], feeds)
  return out.reshape([out.shape[0], -1]) as TF.Tensor2D
}

/**
 * The score of one class per row, [n]: column `classIndex` of the scores. With one sigmoid unit the
 * logit scores class 1 and its negation class 0; `null` takes the single output as it is (regression).
 */
export function pickClass(scores: TF.Tensor2D, classIndex: number | null): TF.Tensor1D {
  const units = scores.shape[1]
  if (units === 1) {
    const z = scores.reshape([-1]) as TF.Tensor1D
    return classIndex === 0 ? (z.neg() as TF.Tensor1D) : z
  }
  const k = classIndex ?? 0
  if (k < 0 || k >= units) throw new Error(`class ${k} is out of range (the model has ${units} outputs)`)
  return scores.slice([0, k], [-1, 1]).reshape([-1]) as TF.Tensor1D
}
