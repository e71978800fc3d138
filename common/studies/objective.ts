/** What a study optimizes: one logged metric, minimized or maximized. */
export interface Objective {
  metric: string
  direction: 'min' | 'max'
  /** Score each trial by k-fold cross-validation: the mean over its fold runs. */
  cv?: { k: number; seed: number }
}

/** One point of a logged series (epoch-level metrics carry their epoch). */
export interface SeriesPoint {
  epoch: number
  value: number
}

/**
 * A run's objective: the best (min or max) value of the metric over its epochs, optionally only
 * those before `throughEpoch` (exclusive, counting epochs from 1 as rungs do). Null when the metric
 * was never logged or every value is non-finite.
 */
export function objectiveValue(series: readonly SeriesPoint[] | undefined, objective: Objective, throughEpoch?: number): number | null {
  let best: number | null = null
  for (const p of series ?? []) {
    if (throughEpoch !== undefined && p.epoch >= throughEpoch) continue
    if (!Number.isFinite(p.value)) continue
    if (best === null || (objective.direction === 'min' ? p.value < best : p.value > best)) best = p.value
  }
  return best
}

/** True when a is better than b under the objective (null is never better). */
export function isBetter(a: number | null, b: number | null, direction: 'min' | 'max'): boolean {
  if (a === null) return false
  if (b === null) return true
  return direction === 'min' ? a < b : a > b
}

/** The running best of a sequence of objective values (nulls carry the previous best). */
export function bestSoFar(values: readonly (number | null)[], direction: 'min' | 'max'): (number | null)[] {
  let best: number | null = null
  return values.map((v) => (isBetter(v, best, direction) ? (best = v) : best))
}

/**
 * A cross-validated trial's objective: the mean (and sample std) over folds of each fold run's
 * objective. Null until every fold has a value, so a trial is never ranked on part of its folds.
 */
export function foldObjective(perFold: readonly (number | null)[]): { mean: number; std: number } | null {
  if (perFold.length === 0 || perFold.some((v) => v === null || !Number.isFinite(v))) return null
  return meanStd(perFold as number[])
}

/** Mean and sample standard deviation of values (std 0 for one value). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length
  if (n === 0) return { mean: NaN, std: NaN }
  const mean = values.reduce((a, b) => a + b, 0) / n
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0
  return { mean, std }
}
