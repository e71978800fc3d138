import type { Evaluation } from '../../common/contract'

/** Accumulates a classification evaluation batch by batch. */
export class ClassificationTally {
  readonly confusion: number[][]
  lossSum = 0
  n = 0
  constructor(readonly classes: string[]) {
    this.confusion = classes.map(() => classes.map(() => 0))
  }
  /** Adds a batch: true labels and predicted labels. */
  add(truth: ArrayLike<number>, predicted: ArrayLike<number>, batchLoss: number): void {
    for (let i = 0; i < truth.length; i++) this.confusion[truth[i]][predicted[i]]++
    this.lossSum += batchLoss * truth.length
    this.n += truth.length
  }
  /** Accuracy, per-class precision/recall/F1 and the confusion matrix (rows: truth, columns: predicted). */
  result(split: string): Evaluation {
    const k = this.classes.length
    let correct = 0
    const perClass = this.classes.map((_, c) => {
      const tp = this.confusion[c][c]
      let predicted = 0
      let support = 0
      for (let j = 0; j < k; j++) {
        predicted += this.confusion[j][c]
        support += this.confusion[c][j]
      }
      correct += tp
      const precision = predicted ? tp / predicted : 0
      const recall = support ? tp / support : 0
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
      return { precision, recall, f1, support }
    })
    return { kind: 'classification', split, classes: this.classes, accuracy: this.n ? correct / this.n : 0, confusion: this.confusion, perClass, loss: this.n ? this.lossSum / this.n : 0 }
  }
}

/** Accumulates a regression evaluation (MAE, RMSE, R²) batch by batch. */
export class RegressionTally {
  private absSum = 0
  private sqSum = 0
  private ySum = 0
  private y2Sum = 0
  private lossSum = 0
  private n = 0
  /** Adds a batch of targets and predictions. */
  add(truth: ArrayLike<number>, predicted: ArrayLike<number>, batchLoss: number): void {
    for (let i = 0; i < truth.length; i++) {
      const e = predicted[i] - truth[i]
      this.absSum += Math.abs(e)
      this.sqSum += e * e
      this.ySum += truth[i]
      this.y2Sum += truth[i] * truth[i]
    }
    this.lossSum += batchLoss * truth.length
    this.n += truth.length
  }
  /** The finished evaluation. */
  result(split: string): Evaluation {
    const n = this.n || 1
    const variance = this.y2Sum / n - (this.ySum / n) ** 2
    return { kind: 'regression', split, mae: this.absSum / n, rmse: Math.sqrt(this.sqSum / n), r2: variance > 0 ? 1 - this.sqSum / n / variance : 0, loss: this.lossSum / n }
  }
}
