import { seededRandom, shuffleInPlace } from '../../common/datasets/prng'
import type { FeatureGroup } from './columns'
import type { ColumnImportance } from '../../common/explain/types'

/** What permutation importance needs: the test rows, how to score them, and how often to shuffle. */
export interface PermutationInput {
  /** Row-major features [n, width]. */
  x: Float32Array
  n: number
  width: number
  groups: readonly FeatureGroup[]
  /** The metric of a whole set of rows (higher is better: accuracy, R²). */
  score: (x: Float32Array) => number
  repeats: number
  seed: number
}

/**
 * Permutation importance (Breiman 2001; sklearn's permutation_importance): per original column,
 * the metric drop when that column's features are shuffled across rows (a one-hot group moves
 * together, so every row stays a valid encoding), as mean and std over `repeats` shuffles. Sorted
 * by mean drop, largest first.
 */
export function permutationImportance(p: PermutationInput): { baseline: number; columns: ColumnImportance[] } {
  const baseline = p.score(p.x)
  const random = seededRandom(p.seed)
  const work = new Float32Array(p.x)
  const order = new Uint32Array(p.n)
  const columns = p.groups.map((g) => {
    const drops: number[] = []
    for (let r = 0; r < p.repeats; r++) {
      for (let i = 0; i < p.n; i++) order[i] = i
      shuffleInPlace(order, random)
      for (let i = 0; i < p.n; i++) for (let k = 0; k < g.width; k++) work[i * p.width + g.start + k] = p.x[order[i] * p.width + g.start + k]
      drops.push(baseline - p.score(work))
    }
    // Restore the column before shuffling the next one.
    for (let i = 0; i < p.n; i++) for (let k = 0; k < g.width; k++) work[i * p.width + g.start + k] = p.x[i * p.width + g.start + k]
    const mean = drops.reduce((a, b) => a + b, 0) / drops.length
    const std = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / drops.length)
    return { column: g.column, mean, std }
  })
  columns.sort((a, b) => b.mean - a.mean)
  return { baseline, columns }
}

/** Accuracy of model outputs [n, units] against class labels (one unit: a sigmoid, class 1 above 0.5). */
export function accuracyOf(out: Float32Array, labels: ArrayLike<number>, units: number): number {
  const n = labels.length
  let right = 0
  for (let i = 0; i < n; i++) {
    let best = 0
    if (units === 1) best = out[i] > 0.5 ? 1 : 0
    else for (let k = 1; k < units; k++) if (out[i * units + k] > out[i * units + best]) best = k
    if (best === labels[i]) right++
  }
  return n ? right / n : 0
}

/** R² of predictions against values (1 - SSE / SST); 0 when the values do not vary. */
export function r2Of(pred: Float32Array, values: ArrayLike<number>): number {
  const n = values.length
  let mean = 0
  for (let i = 0; i < n; i++) mean += values[i] / n
  let sse = 0
  let sst = 0
  for (let i = 0; i < n; i++) {
    sse += (pred[i] - values[i]) ** 2
    sst += (values[i] - mean) ** 2
  }
  return sst > 0 ? 1 - sse / sst : 0
}
