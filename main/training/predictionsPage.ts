import type { SplitPredictions } from './evaluateSplit'
import type { PredictionFilter, PredictionRow, SampleInput } from '../../common/training/inferenceTypes'

/** Class indexes a classification page is narrowed to (a confusion-matrix cell, a row or a column). */
export interface ClassFilter {
  truth?: number
  predicted?: number
}

/**
 * Sample positions (into a split's predictions) that a filter keeps, in the order the view lists
 * them. `classes` narrows classification samples to a true and/or predicted class.
 */
export function filterPredictions(p: SplitPredictions, classification: boolean, filter: PredictionFilter, classes: ClassFilter = {}): Uint32Array {
  const n = p.rowIndex.length
  if (classification && (classes.truth !== undefined || classes.predicted !== undefined)) {
    let k = 0
    const out = new Uint32Array(n)
    for (let i = 0; i < n; i++) {
      if (classes.truth !== undefined && p.truth[i] !== classes.truth) continue
      if (classes.predicted !== undefined && p.predicted[i] !== classes.predicted) continue
      if (filter === 'mistakes' && p.predicted[i] === p.truth[i]) continue
      out[k++] = i
    }
    return out.slice(0, k)
  }
  if (filter === 'all') return Uint32Array.from({ length: n }, (_, i) => i)
  if (classification) {
    let k = 0
    const out = new Uint32Array(n)
    for (let i = 0; i < n; i++) if (p.predicted[i] !== p.truth[i]) out[k++] = i
    return out.slice(0, k)
  }
  // A regression prediction is never simply right or wrong: "mistakes" lists the worst first.
  const order = Uint32Array.from({ length: n }, (_, i) => i)
  return order.sort((a, b) => Math.abs(p.predicted[b] - p.truth[b]) - Math.abs(p.predicted[a] - p.truth[a]) || a - b)
}

/** Number of misclassified samples (0 for regression). */
export function countMistakes(p: SplitPredictions, classification: boolean): number {
  if (!classification) return 0
  let m = 0
  for (let i = 0; i < p.rowIndex.length; i++) if (p.predicted[i] !== p.truth[i]) m++
  return m
}

/** The view's rows for some sample positions, with their inputs already read. */
export function predictionRows(p: SplitPredictions, classes: string[] | null, positions: ArrayLike<number>, inputs: SampleInput[]): PredictionRow[] {
  return Array.from(positions, (i, k) => {
    const truth = p.truth[i]
    const predicted = p.predicted[i]
    if (classes) {
      return {
        rowIndex: p.rowIndex[i],
        truth: classes[truth] ?? String(truth),
        predicted: classes[predicted] ?? String(predicted),
        confidence: p.confidence ? p.confidence[i] : null,
        correct: truth === predicted,
        error: null,
        input: inputs[k],
      }
    }
    return { rowIndex: p.rowIndex[i], truth, predicted, confidence: null, correct: null, error: predicted - truth, input: inputs[k] }
  })
}

/** Most points the predicted-vs-actual plot gets; bigger splits are thinned evenly (every k-th sample). */
export const SCATTER_MAX_POINTS = 2000

/** Regression: (actual, predicted) pairs for the predicted-vs-actual plot, thinned evenly to at most `max`. */
export function scatterPoints(p: SplitPredictions, max = SCATTER_MAX_POINTS): { actual: number[]; predicted: number[] } {
  const n = p.rowIndex.length
  const step = Math.max(1, Math.ceil(n / max))
  const actual: number[] = []
  const predicted: number[] = []
  for (let i = 0; i < n; i += step) {
    actual.push(p.truth[i])
    predicted.push(p.predicted[i])
  }
  return { actual, predicted }
}
