import type { Database } from 'better-sqlite3'
import { readChunks } from '../datasets/chunks/read'
import { assignFolds } from '../studies/folds'

/** Which fold of k-fold cross-validation a run trains: k folds, this one held out, seeded. */
export interface FoldSpec {
  k: number
  index: number
  seed: number
}

/**
 * The rows one fold trains on and holds out, by row index: k-fold over the train and validation
 * rows together (stratified by class when there are classes); the test split is never touched.
 */
export function foldRows(db: Database, versionId: number, fold: FoldSpec): { train: Set<number>; heldOut: Set<number> } {
  const rowIndex: number[] = []
  const labels: number[] = []
  let classes = true
  for (const split of ['train', 'validation'] as const) {
    for (const b of readChunks(db, versionId, split)) {
      classes &&= b.labels instanceof Int32Array && b.labels.length === b.rows
      for (let i = 0; i < b.rows; i++) {
        rowIndex.push(b.rowIndex[i])
        labels.push(b.labels[i] ?? 0)
      }
    }
  }
  // Rows in index order, so the folds depend on the seed alone, not on how chunks are stored.
  const order = rowIndex.map((_, i) => i).sort((a, b) => rowIndex[a] - rowIndex[b])
  const folds = assignFolds(order.length, fold.k, fold.seed, classes ? order.map((i) => labels[i]) : undefined)
  const train = new Set<number>()
  const heldOut = new Set<number>()
  order.forEach((i, k) => (folds[k] === fold.index ? heldOut : train).add(rowIndex[i]))
  return { train, heldOut }
}
