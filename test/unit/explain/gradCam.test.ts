import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { camLayers, defaultCamLayer, gradCam } from '../../../main/explain/gradCam'
import { runGraph } from '../../../main/explain/runGraph'
import { buildTemplate } from '../../../common/graph'
import { buildModel } from '../../../main/training/buildModel'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** input 6x6x1 → conv 3x3x3 relu ("conv", 4x4x3) → 1x1 conv tanh ("mix", 4x4x2) → flatten → dense 3 softmax. */
function tinyConv(): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 1] })
  const conv = tf.layers.conv2d({ name: 'conv', filters: 3, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.randomNormal({ seed: 1 }) }).apply(input) as tf.SymbolicTensor
  const mix = tf.layers.conv2d({ name: 'mix', filters: 2, kernelSize: 1, activation: 'tanh', kernelInitializer: tf.initializers.randomNormal({ seed: 2 }), biasInitializer: tf.initializers.constant({ value: 0.1 }) }).apply(conv) as tf.SymbolicTensor
  const flat = tf.layers.flatten().apply(mix) as tf.SymbolicTensor
  const out = tf.layers.dense({ name: 'out', units: 3, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ seed: 3 }), biasInitializer: tf.initializers.constant({ value: 0.2 }) }).apply(flat) as tf.SymbolicTensor
  return tf.model({ inputs: input, outputs: out })
}

function sample(n: number, seed: number): Float32Array {
  let s = seed
  return Float32Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647))
}

describe('Grad-CAM', () => {
  it('equals the hand formula on a tiny conv model, with the gradient checked by finite differences', () => {
    const model = tinyConv()
    const x = sample(36, 5)
    const A = Array.from((tf.model({ inputs: model.inputs, outputs: model.getLayer('conv').output as tf.SymbolicTensor }).predict(tf.tensor(x, [1, 6, 6, 1])) as tf.Tensor).dataSync()) // 4*4*3, HWC
    const [K, b] = model.getLayer('mix').getWeights().map((w) => Array.from(w.dataSync())) // K [1,1,3,2]
    const [Wd, bd] = model.getLayer('out').getWeights().map((w) => Array.from(w.dataSync())) // Wd [32,3]
    // The class score before softmax, by hand from the conv's feature map, in float64.
    const score = (a: number[], cls: number): number => {
      let z = bd[cls]
      for (let p = 0; p < 16; p++)
        for (let j = 0; j < 2; j++) {
          let m = b[j]
          for (let c = 0; c < 3; c++) m += a[p * 3 + c] * K[c * 2 + j]
          z += Math.tanh(m) * Wd[(p * 2 + j) * 3 + cls]
        }
      return z
    }
    for (const cls of [0, 2]) {
      const eps = 1e-4
      const grad = A.map((_, i) => {
        const up = A.slice()
        const down = A.slice()
        up[i] += eps
        down[i] -= eps
        return (score(up, cls) - score(down, cls)) / (2 * eps)
      })
      const w = [0, 1, 2].map((c) => grad.filter((_, i) => i % 3 === c).reduce((s, v) => s + v, 0) / 16)
      const cam = Array.from({ length: 16 }, (_, p) => Math.max(0, w[0] * A[p * 3] + w[1] * A[p * 3 + 1] + w[2] * A[p * 3 + 2]))
      const got = gradCam(tf, model, x, [6, 6, 1], cls, 'conv')
      expect(got.height).toBe(4)
      expect(got.width).toBe(4)
      Array.from(got.weights).forEach((v, c) => expect(v).toBeCloseTo(w[c], 4))
      Array.from(got.cam).forEach((v, p) => expect(v).toBeCloseTo(cam[p], 4))
      expect(cam.some((v) => v > 0)).toBe(true)
      // The heatmap is the map upsampled to the input and scaled to a peak of 1.
      expect(got.heatmap.length).toBe(36)
      expect(Math.max(...got.heatmap)).toBeCloseTo(1, 5)
      expect(Math.min(...got.heatmap)).toBeGreaterThanOrEqual(0)
    }
  })

  it('defaults to the last feature map with height and width above 1', () => {
    const model = tinyConv()
    expect(camLayers(model).map((l) => l.name)).toEqual(['conv', 'mix'])
    expect(defaultCamLayer(model)).toBe('mix')
    expect(() => gradCam(tf, model, sample(36, 1), [6, 6, 1], 0, 'out')).toThrow(/conv, mix/)
  })

  it('works on the MNIST CNN and the residual block templates, gradients flowing through the skip path', async () => {
    for (const name of ['mnist_cnn', 'resnet_block'] as const) {
      const graph = buildTemplate(name)
      const model = await buildModel(tf, graph, 3)
      const shape = model.inputs[0].shape.slice(1) as number[]
      const x = sample(shape.reduce((a, b) => a * b, 1), 9)
      // runGraph's forward equals the model's own predict.
      const viaWalk = tf.tidy(() => runGraph(model.outputs[0], [[model.inputs[0], tf.tensor(x, [1, ...shape])]]).dataSync())
      const viaPredict = (model.predict(tf.tensor(x, [1, ...shape])) as tf.Tensor).dataSync()
      Array.from(viaWalk).forEach((v, i) => expect(v).toBeCloseTo(viaPredict[i], 5))
      const layers = camLayers(model)
      expect(layers.length).toBeGreaterThan(0)
      // The default is the last convolution (MNIST: before its pooling) or the residual block's Add.
      const def = layers.find((l) => l.name === defaultCamLayer(model))!
      expect(def.type).toBe(name === 'mnist_cnn' ? 'Conv2D' : 'Add')
      // Every usable layer gives a map; the first one (the stem) feeds both the skip and the block in the residual template.
      for (const l of [layers[0], layers[layers.length - 1]]) {
        const m = gradCam(tf, model, x, shape, 1, l.name)
        expect(m.cam.length).toBe(l.height * l.width)
        expect(m.heatmap.length).toBe(shape[0] * shape[1])
        expect(m.heatmap.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true)
        expect(m.weights.some((v) => v !== 0)).toBe(true)
      }
      model.dispose()
    }
  }, 60_000)
})
