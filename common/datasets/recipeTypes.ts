import type { ColumnType, DateOrder, Thousands } from './types'

/** How a numeric column (integer, float, boolean, date) becomes one feature. */
export type NumericTransform = 'standardize' | 'minmax' | 'none'
/** How a categorical column becomes features: one per category, or its index as one feature. */
export type CategoricalTransform = 'onehot' | 'label'
/** How a text column becomes features: its token ids (see recipe/tokens.ts). */
export type TextTransform = 'tokens'
/** What to do with a missing value: fill it with a fitted or given value, or drop the row. */
export type MissingStrategy = 'mean' | 'median' | 'mode' | 'constant' | 'drop'
/** What the target predicts. */
export type TaskKind = 'classification' | 'regression'

/** A person's choices for one column (anything left out gets the default for its type). */
export interface ColumnChoice {
  transform?: NumericTransform | CategoricalTransform | TextTransform
  /** tokens: ids including padding (0) and out-of-vocabulary (1); default 10,000. */
  vocabSize?: number
  /** tokens: ids per sample (truncated or padded after); default 200. */
  sequenceLength?: number
  missing?: MissingStrategy
  /** The fill value for missing: 'constant'. */
  constant?: number | string
}

/** What the person chose; `resolveRecipeSpec` fills in defaults from the column types. */
export interface RecipeSpec {
  /** The column to predict; default: the last column that can be one. null: no target. */
  target?: string | null
  /** Default: classification for categorical, boolean and integer targets with at most 20 values. */
  task?: TaskKind
  /** Columns left out of the features (id columns always are; text columns unless set to 'tokens'). */
  ignore?: string[]
  columns?: Record<string, ColumnChoice>
}

/** A numeric feature step after fitting: out = (x - center) / scale, missing x = fill first. */
export interface NumericStep {
  kind: 'numeric'
  column: string
  /** Index of the column in the CSV. */
  source: number
  valueType: Exclude<ColumnType, 'categorical' | 'text' | 'id'>
  transform: NumericTransform
  missing: MissingStrategy
  center: number
  scale: number
  fill: number
  width: 1
}

/** A categorical feature step after fitting: categories seen in training, most frequent first. */
export interface CategoricalStep {
  kind: 'categorical'
  column: string
  source: number
  transform: CategoricalTransform
  missing: MissingStrategy
  /** Categories seen in the training rows; unseen ones become all zeros (one-hot) or -1 (label). */
  categories: string[]
  /** Category used for a missing value (null: encode as unseen). */
  fill: string | null
  width: number
}

/** A text column as token ids after fitting: sequenceLength features, each an id < vocabSize. */
export interface TokensStep {
  kind: 'tokens'
  column: string
  source: number
  transform: TextTransform
  /** 'drop' drops rows without text; anything else encodes them as all padding. */
  missing: MissingStrategy
  vocabSize: number
  sequenceLength: number
  /** The training split's most frequent tokens, most frequent first (ties alphabetical): id = index + 2. */
  vocabulary: string[]
  width: number
}

/** One fitted feature step. */
export type FittedStep = NumericStep | CategoricalStep | TokensStep

/** The fitted target. */
export interface FittedTarget {
  column: string
  source: number
  task: TaskKind
  valueType: ColumnType
  /** Classification: class names in label order (sorted: numbers numerically, text alphabetically). */
  classes?: string[]
}

/**
 * A fitted preprocessing recipe (recipe_json): everything needed to turn a raw row into the
 * exact features training saw. Fitted on the training split only.
 */
export interface Recipe {
  formatVersion: 1
  /** Decimal separator for numbers given as text at prediction time. */
  decimal: '.' | ','
  /** Thousands separator and order of non-ISO dates of the source (absent in older recipes: none, ISO only). */
  thousands?: Thousands
  dateOrder?: DateOrder
  target: FittedTarget | null
  steps: FittedStep[]
  /** One name per feature, e.g. "age", "color=red". */
  featureNames: string[]
  width: number
  fittedOn: { split: 'train'; rows: number }
}
