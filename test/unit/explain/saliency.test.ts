import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { columnAttributions, featureGroups } from '../../../main/explain/columns'
import { integratedGradients, pixelMagnitudes, scoresOf, smoothGrad, vanillaGradients } from '../../../main/explain/saliency'
import type { Recipe } from '../../../common/datasets/recipeTypes'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** 5 features → 8 tanh → 2 softmax, seeded. */
function mlp(): tf.LayersModel {
  const m = tf.sequential()
  m.add(tf.layers.dense({ inputShape: [5], units: 8, activation: 'tanh', kernelInitializer: tf.initializers.randomNormal({ seed: 4, stddev: 1 }) }))
  m.add(tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.randomNormal({ seed: 5, stddev: 1 }) }))
  return m
}

const x = Float32Array.from([0.9, -1.2, 0.4, 1.5, -0.3])

describe('saliency', () => {
  it('vanilla gradients match finite differences of the class score', () => {
    const model = mlp()
    const g = vanillaGradients(tf, model, x, [5], 1)
    const eps = 1e-2
    for (let i = 0; i < 5; i++) {
      const up = Float32Array.from(x)
      const down = Float32Array.from(x)
      up[i] += eps
      down[i] -= eps
      const both = new Float32Array(10)
      both.set(up)
      both.set(down, 5)
      const [a, b] = scoresOf(tf, model, both, 2, [5], 1)
      expect(g[i]).toBeCloseTo((a - b) / (2 * eps), 2)
    }
  })

  it('integrated gradients sum to f(x) - f(baseline) within 1%', () => {
    const model = mlp()
    for (const baseline of [undefined, Float32Array.from([-1, 1, -1, 1, -1])]) {
      const ig = integratedGradients(tf, model, x, [5], 0, { steps: 64, baseline })
      const sum = ig.attributions.reduce((a, b) => a + b, 0)
      const diff = ig.score - ig.baselineScore
      expect(Math.abs(diff)).toBeGreaterThan(0.05)
      expect(Math.abs(sum - diff)).toBeLessThan(0.01 * Math.abs(diff))
    }
  })

  it('SmoothGrad is seeded, and with no noise equals the vanilla gradient', () => {
    const model = mlp()
    const a = smoothGrad(tf, model, x, [5], 1, { samples: 8, sigma: 0.15, seed: 3 })
    const b = smoothGrad(tf, model, x, [5], 1, { samples: 8, sigma: 0.15, seed: 3 })
    expect(Array.from(a)).toEqual(Array.from(b))
    const c = smoothGrad(tf, model, x, [5], 1, { samples: 8, sigma: 0.15, seed: 4 })
    expect(Array.from(a)).not.toEqual(Array.from(c))
    const plain = vanillaGradients(tf, model, x, [5], 1)
    const still = smoothGrad(tf, model, x, [5], 1, { samples: 3, sigma: 0, seed: 3 })
    Array.from(still).forEach((v, i) => expect(v).toBeCloseTo(plain[i], 5))
  })

  it('sums one-hot features back to their original column', () => {
    const recipe = {
      steps: [
        { kind: 'numeric', column: 'age', width: 1 },
        { kind: 'categorical', column: 'colour', width: 3 },
        { kind: 'numeric', column: 'size', width: 1 },
      ],
    } as unknown as Recipe
    const groups = featureGroups(recipe)
    expect(groups).toEqual([
      { column: 'age', start: 0, width: 1 },
      { column: 'colour', start: 1, width: 3 },
      { column: 'size', start: 4, width: 1 },
    ])
    const cols = columnAttributions(groups, Float32Array.from([0.5, 0.1, -0.3, 0.4, 2]))
    expect(cols.map((c) => c.column)).toEqual(['age', 'colour', 'size'])
    expect(cols[1].value).toBeCloseTo(0.2, 6)
    expect(cols[2].value).toBeCloseTo(2, 6)
  })

  it('reduces an image attribution to the largest channel magnitude per pixel', () => {
    expect(Array.from(pixelMagnitudes(Float32Array.from([1, -3, 0.5, 0.2, 0, -0.1]), 1, 2, 3))).toEqual([3, Math.fround(0.2)])
  })
})
