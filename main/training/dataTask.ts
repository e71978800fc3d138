import type { TrainConfig } from '../../preload/contract'
import { AppError } from '../core/errors'
import type { DatasetVersionRecord } from '../store/queries/datasets'
import type { ModelGraph } from '../graph'
import { inferGraph } from '../graph'

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
  if (v.schema.kind === 'image') {
    return { inputShape: [v.schema.height, v.schema.width, v.schema.channels], kind: 'classification', classes: v.schema.classes }
  }
  const target = v.recipe?.target
  if (!v.recipe || !target) throw new AppError('invalid_input', `Dataset "${v.datasetName}" v${v.version} has no target column; choose one before training.`)
  const task: DataTask = { inputShape: [v.recipe.width], kind: target.task, classes: target.classes ?? [] }
  const tokens = v.recipe.steps.flatMap((s) => (s.kind === 'tokens' ? [s.vocabSize] : []))
  if (tokens.length) task.vocabSize = Math.max(...tokens)
  return task
}

/**
 * Checks that a model fits a dataset and a loss before any training starts, with messages that
 * say what to change: the Input shape, the output units, or the loss.
 */
export function checkFit(graph: ModelGraph, task: DataTask, config: TrainConfig): void {
  const inputs = graph.nodes.filter((n) => n.type === 'Input')
  if (inputs.length !== 1) throw new AppError('invalid_input', `The model needs exactly one Input layer to train on one dataset (it has ${inputs.length}).`)
  const shape = inputs[0].params.shape as (number | null)[] | undefined
  if (!shape || shape.length !== task.inputShape.length || shape.some((d, i) => d !== null && d !== task.inputShape[i])) {
    throw new AppError('invalid_input', `Input layer "${inputs[0].name}" has shape [${shape?.join(', ')}] but the dataset's samples are [${task.inputShape.join(', ')}]: set the Input shape to [${task.inputShape.join(', ')}].`)
  }
  if (task.vocabSize !== undefined) {
    // Token ids index the Embedding's table: an id past its inputDim fails deep inside training.
    const embedding = graph.nodes.find((n) => n.type === 'Embedding')
    const dim = embedding ? Number(embedding.params.inputDim) : NaN
    if (embedding && !(dim >= task.vocabSize)) {
      throw new AppError('invalid_input', `Embedding layer "${embedding.name}" has inputDim ${embedding.params.inputDim} but the dataset's token ids go up to ${task.vocabSize - 1}: set inputDim to at least ${task.vocabSize}.`)
    }
  }
  const info = inferGraph(graph)
  const targets = new Set(graph.edges.map((e) => e.source))
  const outputs = graph.nodes.filter((n) => !targets.has(n.id))
  if (outputs.length !== 1) throw new AppError('invalid_input', `The model needs exactly one output layer (it has ${outputs.length}).`)
  const out = info.nodes[outputs[0].id]?.outputShape ?? []
  const units = out[out.length - 1]
  const k = task.classes.length
  const loss = config.loss
  if (task.kind === 'regression') {
    if (loss.includes('rossentropy')) throw new AppError('invalid_input', `The dataset's target is a number (regression): use meanSquaredError or meanAbsoluteError, not ${loss}.`)
    if (units !== 1) throw new AppError('invalid_input', `Regression needs 1 output unit; "${outputs[0].name}" has ${units}.`)
    return
  }
  if (loss === 'binaryCrossentropy') {
    if (k !== 2) throw new AppError('invalid_input', `binaryCrossentropy needs 2 classes; the dataset has ${k}. Use categoricalCrossentropy with ${k} softmax units.`)
    if (units !== 1) throw new AppError('invalid_input', `binaryCrossentropy needs 1 sigmoid output unit; "${outputs[0].name}" has ${units}.`)
    return
  }
  if (loss === 'categoricalCrossentropy' || loss === 'sparseCategoricalCrossentropy') {
    if (units !== k) throw new AppError('invalid_input', `The dataset has ${k} classes but output "${outputs[0].name}" has ${units} units: set units to ${k}.`)
    return
  }
  if (units !== (k === 2 ? 1 : k)) throw new AppError('invalid_input', `With ${loss} on ${k} classes the output needs ${k === 2 ? 1 : k} units; "${outputs[0].name}" has ${units}.`)
}

/** The loss and output a dataset suggests: sigmoid + binary for 2 classes, softmax + categorical for more, MSE for values. */
export function suggestedLoss(task: DataTask): TrainConfig['loss'] {
  if (task.kind === 'regression') return 'meanSquaredError'
  return task.classes.length === 2 ? 'binaryCrossentropy' : 'categoricalCrossentropy'
}
