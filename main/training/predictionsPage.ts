import type { SplitPredictions } from './evaluateSplit'
import type { PredictionFilter, PredictionRow, SampleInput } from './inferenceTypes'

/** Sample positions (into a split's predictions) that a filter keeps, in the order the view lists them. */
export function filterPredictions(p: SplitPredictions, classification: boolean, filter: PredictionFilter): Uint32Array {
  const n = p.rowIndex.length
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
