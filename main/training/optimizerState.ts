import type * as TF from '@tensorflow/tfjs'
import type { Tf } from './buildModel'

// tfjs optimizers keep some scalar state outside getWeights(): Adam's running powers of beta1 and
// beta2. Adam.setWeights recomputes them as pow(beta, iterations + 1), while training multiplies
// them step by step in float32; the two differ in the last bits after a few dozen steps, so a
// resumed run drifts from the uninterrupted one. Saving and restoring them keeps resume exact.
const SCALAR_FIELDS = ['accBeta1', 'accBeta2'] as const

type WithScalars = Partial<Record<(typeof SCALAR_FIELDS)[number], TF.Variable>>

/** The optimizer's hidden scalar state (float32 values, exact in JSON), by field name. */
export function readOptimizerScalars(opt: TF.Optimizer): Record<string, number> {
  const out: Record<string, number> = {}
  for (const f of SCALAR_FIELDS) {
    const v = (opt as unknown as WithScalars)[f]
    if (v && typeof v.dataSync === 'function') out[f] = v.dataSync()[0]
  }
  return out
}

/** Puts saved scalar state back (after optimizer.setWeights, which overwrites it with an approximation). */
export function restoreOptimizerScalars(tf: Tf, opt: TF.Optimizer, saved: Record<string, number> | undefined): void {
  if (!saved) return
  for (const f of SCALAR_FIELDS) {
    const v = (opt as unknown as WithScalars)[f]
    const value = saved[f]
    if (v && typeof value === 'number') tf.tidy(() => v.assign(tf.scalar(value)))
  }
}
