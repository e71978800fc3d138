import type { TrainConfig } from '../../common/contract'
import { AppError } from '../../common/errors'
import type { DatasetVersionRecord } from '../store/queries/datasets'
import { dataFitProblems, dataShapeOf, suggestedLossFor, type DataShape, type ModelGraph } from '../../common/graph'

/** What a dataset version asks of a model: input shape, and the target as classes or a value. */
export interface DataTask {
  inputShape: number[]
  kind: 'classification' | 'regression'
  classes: string[]
  /** Token datasets: the largest id + 1 a sample can hold (the Embedding's inputDim must reach it). */
  vocabSize?: number
}

/** Reads the task from a dataset version (its recipe's target, or an image set's classes). */
export function dataTaskOf(v: DatasetVersionRecord): DataTask {
  const read = dataShapeOf(v)
  if (!read.ok) throw new AppError('invalid_input', read.message)
  const { inputShape, kind, vocabSize } = read.shape
  const classes = v.schema.kind === 'image' ? v.schema.classes : (v.recipe?.target?.classes ?? [])
  return { inputShape, kind, classes, ...(vocabSize !== undefined ? { vocabSize } : {}) }
}

/** The graph module's view of a task: the same shape with the class count. */
export function dataShapeOfTask(task: DataTask): DataShape {
  return { inputShape: task.inputShape, kind: task.kind, classCount: task.classes.length, ...(task.vocabSize !== undefined ? { vocabSize: task.vocabSize } : {}) }
}

/**
 * Checks that a model fits a dataset and a loss before any training starts, with messages that
 * say what to change: the Input shape, the output units, or the loss. The rule itself lives in
 * common/graph/dataFit (the Runs form and the Designer use it too); this refuses on its first problem.
 */
export function checkFit(graph: ModelGraph, task: DataTask, config: TrainConfig): void {
  const [first] = dataFitProblems(graph, dataShapeOfTask(task), config.loss)
  if (first) throw new AppError('invalid_input', first.message)
}

/** The loss and output a dataset suggests: sigmoid + binary for 2 classes, softmax + categorical for more, MSE for values. */
export function suggestedLoss(task: DataTask): TrainConfig['loss'] {
  return suggestedLossFor(dataShapeOfTask(task))
}
