// Whether a model fits a dataset: the one rule shared by the Runs form (checked as soon as a model
// and a dataset are chosen), the Designer's Problems list (for a bound dataset) and main's refusal
// of a Train. Also what binding a dataset changes and the loss a dataset suggests. Pure data in,
// plain messages out, so both the renderer and main can use it.
import type { GraphChange } from './changes'
import { inferGraph, type NodeInfo } from './infer'
import { issue, type Issue } from './issues'
import type { ModelGraph } from './types'

/** What a dataset asks of a model: the sample shape, and the target as classes or a value. */
export interface DataShape {
  inputShape: number[]
  kind: 'classification' | 'regression'
  /** Number of classes (0 for regression). */
  classCount: number
  /** Token datasets: the largest id + 1 a sample can hold (the Embedding's inputDim must reach it). */
  vocabSize?: number
}

/** The loss names training accepts. */
export type LossName = 'meanSquaredError' | 'meanAbsoluteError' | 'binaryCrossentropy' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy'

/** The parts of a stored dataset version this module reads (structural, so no store types come along). */
export interface DataVersionLike {
  datasetName: string
  version: number
  schema: { kind: 'image'; height: number; width: number; channels: number; classes: string[] } | { kind: string }
  recipe: { width: number; target: { task: 'classification' | 'regression'; classes?: string[] } | null; steps: readonly { kind: string; vocabSize?: number }[] } | null
}

/** One way the model does not fit: which part, and a message that says what to change. */
export interface DataFitProblem {
  part: 'input' | 'embedding' | 'output' | 'loss'
  /** The layer to change, when there is one. */
  nodeId?: string
  message: string
}

/** Reads what a dataset version asks of a model, or why it cannot be trained on (no target). */
export function dataShapeOf(v: DataVersionLike): { ok: true; shape: DataShape } | { ok: false; message: string } {
  const s = v.schema
  if (s.kind === 'image' && 'classes' in s) {
    return { ok: true, shape: { inputShape: [s.height, s.width, s.channels], kind: 'classification', classCount: s.classes.length } }
  }
  const target = v.recipe?.target
  if (!v.recipe || !target) return { ok: false, message: `Dataset "${v.datasetName}" v${v.version} has no target column; choose one before training.` }
  const shape: DataShape = { inputShape: [v.recipe.width], kind: target.task, classCount: target.classes?.length ?? 0 }
  const tokens = v.recipe.steps.flatMap((st) => (st.kind === 'tokens' && st.vocabSize !== undefined ? [st.vocabSize] : []))
  if (tokens.length) shape.vocabSize = Math.max(...tokens)
  return { ok: true, shape }
}

/** The layers with no outgoing connection (a trainable model has exactly one). */
function outputLayers(graph: ModelGraph) {
  const sources = new Set(graph.edges.map((e) => e.source))
  return graph.nodes.filter((n) => !sources.has(n.id))
}

/**
 * Every way `graph` does not fit `data` (and `loss`, when given), most basic first: the Input
 * shape, the Embedding table, the output units, the loss. Empty when it fits.
 */
export function dataFitProblems(graph: ModelGraph, data: DataShape, loss?: LossName, inferred?: Record<string, NodeInfo>): DataFitProblem[] {
  const problems: DataFitProblem[] = []
  const inputs = graph.nodes.filter((n) => n.type === 'Input')
  if (inputs.length !== 1) return [{ part: 'input', message: `The model needs exactly one Input layer to train on one dataset (it has ${inputs.length}).` }]
  const input = inputs[0]
  const shape = input.params.shape as (number | null)[] | undefined
  if (!shape || shape.length !== data.inputShape.length || shape.some((d, i) => d !== null && d !== data.inputShape[i])) {
    problems.push({ part: 'input', nodeId: input.id, message: `Input layer "${input.name}" has shape [${shape?.join(', ') ?? ''}] but the dataset's samples are [${data.inputShape.join(', ')}]: set the Input shape to [${data.inputShape.join(', ')}].` })
  }
  if (data.vocabSize !== undefined) {
    // Token ids index the Embedding's table: an id past its inputDim fails deep inside training.
    const embedding = graph.nodes.find((n) => n.type === 'Embedding')
    const dim = embedding ? Number(embedding.params.inputDim) : NaN
    if (embedding && !(dim >= data.vocabSize)) {
      problems.push({ part: 'embedding', nodeId: embedding.id, message: `Embedding layer "${embedding.name}" has inputDim ${String(embedding.params.inputDim)} but the dataset's token ids go up to ${data.vocabSize - 1}: set inputDim to at least ${data.vocabSize}.` })
    }
  }
  const outputs = outputLayers(graph)
  if (outputs.length !== 1) {
    problems.push({ part: 'output', message: `The model needs exactly one output layer (it has ${outputs.length}).` })
    return problems
  }
  const output = outputs[0]
  const out = (inferred ?? inferGraph(graph).nodes)[output.id]?.outputShape ?? []
  const units = out[out.length - 1]
  const k = data.classCount
  const at = (part: DataFitProblem['part'], message: string) => problems.push({ part, nodeId: part === 'output' ? output.id : undefined, message })
  if (data.kind === 'regression') {
    if (loss && loss.includes('rossentropy')) at('loss', `The dataset's target is a number (regression): use meanSquaredError or meanAbsoluteError, not ${loss}.`)
    else if (units !== 1) at('output', `Regression needs 1 output unit; "${output.name}" has ${units}.`)
    return problems
  }
  if (!loss) {
    // No loss chosen yet (the Designer): either head a k-class problem can train with is fine.
    if (units !== k && !(k === 2 && units === 1)) at('output', `The dataset has ${k} classes but output "${output.name}" has ${units} units: set units to ${k === 2 ? '1 (sigmoid) or 2 (softmax)' : k}.`)
    return problems
  }
  const want = loss
  if (want === 'binaryCrossentropy') {
    if (k !== 2) at('loss', `binaryCrossentropy needs 2 classes; the dataset has ${k}. Use categoricalCrossentropy with ${k} softmax units.`)
    else if (units !== 1) at('output', `binaryCrossentropy needs 1 sigmoid output unit; "${output.name}" has ${units}.`)
  } else if (want === 'categoricalCrossentropy' || want === 'sparseCategoricalCrossentropy') {
    if (units !== k) at('output', `The dataset has ${k} classes but output "${output.name}" has ${units} units: set units to ${k}.`)
  } else if (units !== (k === 2 ? 1 : k)) {
    at('output', `With ${want} on ${k} classes the output needs ${k === 2 ? 1 : k} units; "${output.name}" has ${units}.`)
  }
  return problems
}

/** The fit problems as Designer issues (E019), so a bound model that no longer fits its data is listed. */
export function dataFitIssues(graph: ModelGraph, data: DataShape, label: string, inferred?: Record<string, NodeInfo>): Issue[] {
  return dataFitProblems(graph, data, undefined, inferred).map((p) => issue('E019', `Does not fit ${label}: ${p.message}`, p.nodeId ? { nodeId: p.nodeId } : {}))
}

/** The loss a dataset suggests: binary cross-entropy for 2 classes, categorical for more, MSE for a number. */
export function suggestedLossFor(data: Pick<DataShape, 'kind' | 'classCount'>): LossName {
  if (data.kind === 'regression') return 'meanSquaredError'
  return data.classCount === 2 ? 'binaryCrossentropy' : 'categoricalCrossentropy'
}

/** The output head a dataset asks for: 1 linear unit for a number, 1 sigmoid for 2 classes, k softmax for k. */
export function outputHeadFor(data: Pick<DataShape, 'kind' | 'classCount'>): { units: number; activation: string } {
  if (data.kind === 'regression') return { units: 1, activation: 'linear' }
  return data.classCount === 2 ? { units: 1, activation: 'sigmoid' } : { units: data.classCount, activation: 'softmax' }
}

/**
 * The edits that shape a model for a dataset: the Input's shape (int32 ids for token data), the
 * Embedding's table size, and the single Dense output's head. Empty when there is nothing to set.
 */
export function bindingChanges(graph: ModelGraph, data: DataShape): GraphChange[] {
  const changes: GraphChange[] = []
  const input = graph.nodes.find((n) => n.type === 'Input')
  const tokens = (data.vocabSize ?? 0) > 0
  if (input) changes.push({ kind: 'updateParams', id: input.id, params: tokens ? { shape: data.inputShape, dtype: 'int32' } : { shape: data.inputShape } })
  const embedding = graph.nodes.find((n) => n.type === 'Embedding')
  if (tokens && embedding) changes.push({ kind: 'updateParams', id: embedding.id, params: { inputDim: data.vocabSize } })
  const outputs = outputLayers(graph).filter((n) => n.type === 'Dense')
  if (outputs.length === 1) changes.push({ kind: 'updateParams', id: outputs[0].id, params: outputHeadFor(data) })
  return changes
}

/** One sentence on what binding did, e.g. "input [4], 3 classes (3 softmax units, categorical cross-entropy)". */
export function describeBinding(data: DataShape): string {
  const k = data.classCount
  const target = data.kind === 'regression' ? 'a number to predict (1 linear unit, MSE loss)' : `${k} classes (${k === 2 ? '1 sigmoid unit, binary cross-entropy' : `${k} softmax units, categorical cross-entropy`})`
  return `input [${data.inputShape.join(', ')}], ${target}`
}

/** Integer targets with at most this many distinct values default to classification. */
export const CLASSIFICATION_MAX_INT_CLASSES = 20

/** Column types that can be a target. */
export const TARGET_COLUMN_TYPES: ReadonlySet<string> = new Set(['integer', 'float', 'boolean', 'categorical', 'date'])

/**
 * The task a target column implies when the person does not choose: classes for categories,
 * booleans and integers with few values (`distinct` < 0: more than were counted), a number otherwise.
 */
export function defaultTargetTask(type: string, distinct: number): 'classification' | 'regression' {
  if (type === 'categorical' || type === 'boolean') return 'classification'
  if (type === 'integer' && distinct >= 0 && distinct <= CLASSIFICATION_MAX_INT_CLASSES) return 'classification'
  return 'regression'
}
