import type * as TF from '@tensorflow/tfjs'
import { seededRandom } from '../../common/datasets/prng'
import { classScores, pickClass } from './classScore'

/** Rows differentiated at once: bounds memory for SmoothGrad and integrated-gradient steps. */
const GRAD_BATCH = 32

/**
 * The gradient of the class score with respect to each of `n` inputs (rows of `xs`, each of
 * `shape`), flattened like xs. Rows are independent (inference mode), so the gradient of the batch's
 * summed score is every row's own gradient.
 */
export function inputGradients(tf: typeof TF, model: TF.LayersModel, xs: Float32Array, n: number, shape: readonly number[], classIndex: number | null): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1)
  const out = new Float32Array(n * size)
  const input = model.inputs[0]
  for (let at = 0; at < n; at += GRAD_BATCH) {
    const m = Math.min(GRAD_BATCH, n - at)
    const g = tf.tidy(() => {
      const x = tf.tensor(xs.subarray(at * size, (at + m) * size), [m, ...shape])
      const f = (t: TF.Tensor): TF.Scalar => pickClass(classScores(tf, model, [[input, t]]), classIndex).sum() as TF.Scalar
      return tf.grad(f)(x).dataSync() as Float32Array
    })
    out.set(g, at * size)
  }
  return out
}

/** The class scores of `n` inputs (the same pre-softmax score the gradients are of). */
export function scoresOf(tf: typeof TF, model: TF.LayersModel, xs: Float32Array, n: number, shape: readonly number[], classIndex: number | null): Float32Array {
  return tf.tidy(() => pickClass(classScores(tf, model, [[model.inputs[0], tf.tensor(xs, [n, ...shape])]]), classIndex).dataSync() as Float32Array)
}

/** Vanilla gradients (Simonyan et al. 2013): d score / d input for one sample. */
export function vanillaGradients(tf: typeof TF, model: TF.LayersModel, x: Float32Array, shape: readonly number[], classIndex: number | null): Float32Array {
  return inputGradients(tf, model, x, 1, shape, classIndex)
}

/** SmoothGrad settings: `samples` noisy copies, noise sd = `sigma` times the input's value range; seeded. */
export interface SmoothGradOptions {
  samples: number
  sigma: number
  seed: number
}

/** One standard normal draw (Box-Muller) from a uniform source. */
function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/** SmoothGrad (Smilkov et al. 2017): the mean gradient over noisy copies of the sample. */
export function smoothGrad(tf: typeof TF, model: TF.LayersModel, x: Float32Array, shape: readonly number[], classIndex: number | null, o: SmoothGradOptions): Float32Array {
  if (!(o.samples >= 1)) throw new Error('SmoothGrad needs at least 1 sample.')
  let lo = Infinity
  let hi = -Infinity
  for (const v of x) {
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  const sd = o.sigma * (hi - lo > 0 ? hi - lo : 1)
  const random = seededRandom(o.seed)
  const noisy = new Float32Array(o.samples * x.length)
  for (let s = 0; s < o.samples; s++) for (let i = 0; i < x.length; i++) noisy[s * x.length + i] = x[i] + sd * gaussian(random)
  const g = inputGradients(tf, model, noisy, o.samples, shape, classIndex)
  const out = new Float32Array(x.length)
  for (let s = 0; s < o.samples; s++) for (let i = 0; i < x.length; i++) out[i] += g[s * x.length + i] / o.samples
  return out
}

/** Integrated gradients' answer: attributions and the scores that completeness compares them with. */
export interface IntegratedGradients {
  attributions: Float32Array
  /** f(x) and f(baseline): the attributions sum to about their difference (completeness). */
  score: number
  baselineScore: number
}

/**
 * Integrated gradients (Sundararajan et al. 2017): (x - baseline) times the mean gradient along the
 * straight path from the baseline to x, by the midpoint rule over `steps` points.
 */
export function integratedGradients(
  tf: typeof TF,
  model: TF.LayersModel,
  x: Float32Array,
  shape: readonly number[],
  classIndex: number | null,
  o: { baseline?: Float32Array; steps: number },
): IntegratedGradients {
  const base = o.baseline ?? new Float32Array(x.length)
  if (base.length !== x.length) throw new Error(`baseline has ${base.length} values; the input has ${x.length}.`)
  const steps = Math.max(1, Math.floor(o.steps))
  const path = new Float32Array(steps * x.length)
  for (let s = 0; s < steps; s++) {
    const a = (s + 0.5) / steps
    for (let i = 0; i < x.length; i++) path[s * x.length + i] = base[i] + a * (x[i] - base[i])
  }
  const g = inputGradients(tf, model, path, steps, shape, classIndex)
  const attributions = new Float32Array(x.length)
  for (let s = 0; s < steps; s++) for (let i = 0; i < x.length; i++) attributions[i] += g[s * x.length + i]
  for (let i = 0; i < x.length; i++) attributions[i] *= (x[i] - base[i]) / steps
  const both = new Float32Array(2 * x.length)
  both.set(x)
  both.set(base, x.length)
  const [score, baselineScore] = scoresOf(tf, model, both, 2, shape, classIndex)
  return { attributions, score, baselineScore }
}

/** An image attribution as one value per pixel: the largest magnitude over channels, [h * w]. */
export function pixelMagnitudes(attr: Float32Array, height: number, width: number, channels: number): Float32Array {
  const out = new Float32Array(height * width)
  for (let p = 0; p < height * width; p++) {
    let m = 0
    for (let c = 0; c < channels; c++) m = Math.max(m, Math.abs(attr[p * channels + c]))
    out[p] = m
  }
  return out
}
