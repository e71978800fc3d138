import type { CategoricalStep, NumericStep } from '../../../common/datasets/recipeTypes'

/**
 * The arithmetic every feature goes through, shared by applyRecipe (a raw row at prediction
 * time) and the chunk reader (training): both hand these the same float32 value or the same
 * category index, so the features are bit-for-bit identical.
 */

/** Signals that the row is dropped (a missing value in a column whose missing strategy is 'drop'). */
export const DROP = Symbol('drop')

/** One numeric feature from a float32-rounded value (NaN when missing). */
export function numericFeature(step: NumericStep, x: number): number | typeof DROP {
  if (x !== x) {
    if (step.missing === 'drop') return DROP
    x = step.fill
  }
  return step.transform === 'none' ? x : (x - step.center) / step.scale
}

/**
 * Writes a categorical feature at out[at..at+width): idx is the category's index in step.categories,
 * -1 for a category training never saw, -2 for missing.
 */
export function writeCategorical(step: CategoricalStep, idx: number, fillIdx: number, out: Float32Array, at: number): boolean {
  if (idx === -2) {
    if (step.missing === 'drop') return false
    idx = fillIdx
  }
  if (step.transform === 'label') {
    out[at] = idx
  } else {
    out.fill(0, at, at + step.width)
    if (idx >= 0) out[at + idx] = 1
  }
  return true
}

/** Which stored columns make a row drop out (missing target, or a 'drop' column missing). */
export interface DropCheck {
  target: { slot: number; categorical: boolean } | null
  columns: { slot: number; categorical: boolean }[]
}

/** True when row i has a missing value the recipe cannot fill. */
export function isRowDropped(d: DropCheck, cols: readonly (Float32Array | Int32Array)[], i: number): boolean {
  if (d.target) {
    const v = cols[d.target.slot][i]
    if (d.target.categorical ? v < 0 : v !== v) return true
  }
  for (const c of d.columns) {
    const v = cols[c.slot][i]
    if (c.categorical ? v < 0 : v !== v) return true
  }
  return false
}
