import { CLASSIFICATION_MAX_INT_CLASSES, defaultTargetTask, TARGET_COLUMN_TYPES } from '../../../common/graph/dataFit'
import { badInput } from '../errors'
import type { ColumnSchema } from '../../../common/datasets/types'
import { DEFAULT_SEQUENCE_LENGTH, DEFAULT_VOCAB_SIZE } from './tokens'
import type { CategoricalTransform, ColumnChoice, MissingStrategy, NumericTransform, RecipeSpec, TaskKind, TextTransform } from '../../../common/datasets/recipeTypes'

/** Categorical columns with more categories than this default to label encoding instead of one-hot. */
export const ONE_HOT_MAX = 50
/** Integer targets with at most this many distinct values default to classification. */
export { CLASSIFICATION_MAX_INT_CLASSES }

/** A feature column with its choices settled. */
export interface ResolvedFeature {
  column: ColumnSchema
  transform: NumericTransform | CategoricalTransform | TextTransform
  missing: MissingStrategy
  constant: number | string | undefined
  /** tokens only. */
  vocabSize?: number
  sequenceLength?: number
}

/** The spec with every default filled in, checked against the columns. */
export interface ResolvedSpec {
  target: { column: ColumnSchema; task: TaskKind } | null
  features: ResolvedFeature[]
}

const TARGET_TYPES = TARGET_COLUMN_TYPES

/** The task a target column implies when the person does not choose (the rule lives in common/graph, shared with the preview's picker). */
export function defaultTask(col: ColumnSchema, distinct: number): TaskKind {
  return defaultTargetTask(col.type, distinct)
}

/**
 * Fills in defaults and checks the spec: the target must be a usable column, ignored and chosen
 * columns must exist, transforms must fit the column type. `distinct` gives each column's
 * distinct-value count (-1 when more than the counter keeps). Errors name the file and column.
 */
export function resolveRecipeSpec(file: string, columns: readonly ColumnSchema[], distinct: readonly number[], spec: RecipeSpec = {}): ResolvedSpec {
  const byName = new Map(columns.map((c) => [c.name, c]))
  const need = (name: string, what: string): ColumnSchema => {
    const c = byName.get(name)
    if (!c) throw badInput(file, `${what} "${name}" is not a column (columns: ${columns.map((x) => x.name).join(', ')})`)
    return c
  }
  for (const n of spec.ignore ?? []) need(n, 'ignored column')
  for (const n of Object.keys(spec.columns ?? {})) need(n, 'recipe column')

  let target: ResolvedSpec['target'] = null
  let targetCol: ColumnSchema | undefined
  if (spec.target === undefined) {
    targetCol = [...columns].reverse().find((c) => TARGET_TYPES.has(c.type) && !(spec.ignore ?? []).includes(c.name))
  } else if (spec.target !== null) {
    targetCol = need(spec.target, 'target column')
    if (!TARGET_TYPES.has(targetCol.type)) {
      throw badInput(file, `column "${targetCol.name}" is ${targetCol.type}; a target must be a number, boolean, date or categorical column`)
    }
  }
  if (targetCol) {
    const task = spec.task ?? defaultTask(targetCol, distinct[targetCol.index])
    if (task === 'classification' && (targetCol.type === 'float' || targetCol.type === 'date')) {
      throw badInput(file, `column "${targetCol.name}" is ${targetCol.type}; classification needs a categorical, boolean or integer target`)
    }
    if (task === 'classification' && targetCol.type === 'integer' && distinct[targetCol.index] < 0) {
      throw badInput(file, `column "${targetCol.name}" has too many distinct values to be classes; use regression`)
    }
    if (task === 'regression' && targetCol.type === 'categorical') {
      throw badInput(file, `column "${targetCol.name}" is categorical; regression needs a numeric target`)
    }
    target = { column: targetCol, task }
  }

  const ignored = new Set(spec.ignore ?? [])
  const features: ResolvedFeature[] = []
  for (const c of columns) {
    if (c === targetCol || ignored.has(c.name)) continue
    const choice: ColumnChoice = spec.columns?.[c.name] ?? {}
    if (c.type === 'text' && choice.transform === 'tokens') {
      // Text is a feature only when asked for: its ids need a model that starts with an Embedding.
      const missing = choice.missing ?? 'constant'
      if (missing !== 'constant' && missing !== 'drop') throw badInput(file, `column "${c.name}" is tokenized text: missing text is empty (all padding) or its rows dropped, not the ${missing}`)
      features.push({ column: c, transform: 'tokens', missing, constant: undefined, vocabSize: choice.vocabSize ?? DEFAULT_VOCAB_SIZE, sequenceLength: choice.sequenceLength ?? DEFAULT_SEQUENCE_LENGTH })
      continue
    }
    if (c.type === 'text' || c.type === 'id') {
      if (spec.columns?.[c.name]) {
        throw badInput(file, `column "${c.name}" is ${c.type === 'id' ? 'an id' : 'free text'} and cannot be a feature; leave it out, or override its type (to categorical${c.type === 'id' ? ' or integer' : ''}) if its values carry meaning${c.type === 'text' ? ', or set its transform to "tokens" to feed its words to an Embedding' : ''}`)
      }
      continue
    }
    features.push(resolveFeature(file, c, choice))
  }
  return { target, features }
}

function resolveFeature(file: string, c: ColumnSchema, choice: ColumnChoice): ResolvedFeature {
  const categorical = c.type === 'categorical'
  if (choice.transform === 'tokens') throw badInput(file, `column "${c.name}" is ${c.type}: only text columns can be tokens`)
  const transform = choice.transform ?? (categorical ? ((c.categories?.length ?? 0) <= ONE_HOT_MAX ? 'onehot' : 'label') : c.type === 'boolean' ? 'none' : 'standardize')
  const numericTransforms = ['standardize', 'minmax', 'none']
  if (categorical ? !['onehot', 'label'].includes(transform) : !numericTransforms.includes(transform)) {
    throw badInput(file, `column "${c.name}" is ${c.type}: transform "${transform}" does not apply (use ${categorical ? 'onehot or label' : 'standardize, minmax or none'})`)
  }
  const missing = choice.missing ?? (categorical || c.type === 'boolean' ? 'mode' : c.type === 'date' ? 'median' : 'mean')
  if (categorical && (missing === 'mean' || missing === 'median')) {
    throw badInput(file, `column "${c.name}" is categorical: missing values can be filled with the mode or a constant, or their rows dropped, not the ${missing}`)
  }
  if (missing === 'constant') {
    if (choice.constant === undefined) throw badInput(file, `column "${c.name}": missing "constant" needs a constant value`)
    if (!categorical && typeof choice.constant !== 'number') throw badInput(file, `column "${c.name}": the constant for a ${c.type} column must be a number`)
  }
  return { column: c, transform, missing, constant: choice.constant }
}
