// Shapes of checkpoint evaluation, the predictions view, try-it and export, as the contract
// carries them. Plain data only (no Node imports): the renderer build includes this file.
import type { Evaluation } from '../contract'

/** A faster backend that failed to load, with its loader's error verbatim. */
export interface BackendAttemptInfo {
  name: string
  error: string
}

/** One stored checkpoint of a run. */
export interface CheckpointInfo {
  id: number
  runId: number
  /** The epoch it was taken in (finished, or in progress when `epochFinished` is false). */
  epoch: number
  step: number
  epochFinished: boolean
  isBest: boolean
  /** The monitored metric at this checkpoint (epoch ends only). */
  metricValue: number | null
  byteSize: number
  createdAt: number
}

/** Which split an on-demand evaluation ran on; the test split unless the version has none. */
export type EvalSplit = 'test' | 'validation' | 'train'

/** An evaluation of one checkpoint, computed on demand in a worker. */
export interface CheckpointEvaluation {
  runId: number
  checkpointId: number
  epoch: number
  step: number
  split: EvalSplit
  samples: number
  /** Misclassified samples (classification); 0 for regression. */
  mistakes: number
  evaluation: Evaluation
  /** Regression: actual and predicted values of (up to 2,000 evenly chosen) samples, for a predicted-vs-actual plot. */
  scatter: { actual: number[]; predicted: number[] } | null
}

/** A sample's input, to show beside its prediction. */
export type SampleInput =
  | {
      kind: 'image'
      width: number
      height: number
      channels: 1 | 3
      /** Raw HWC uint8 pixels, base64; big images come downscaled to a thumbnail. */
      pixels: string
    }
  | { kind: 'tabular'; values: { column: string; value: string | number | null }[] }

/** One row of the predictions view. */
export interface PredictionRow {
  /** The sample's row in its dataset version. */
  rowIndex: number
  /** Class name (classification) or value (regression). */
  truth: string | number
  predicted: string | number
  /** Probability of the predicted class (classification); null for regression. */
  confidence: number | null
  /** Classification: whether the prediction is right; regression: null (see `error`). */
  correct: boolean | null
  /** Regression: predicted minus truth. */
  error: number | null
  input: SampleInput
}

/** Which predictions a page holds: all, or only the mistakes (regression: all, worst error first). */
export type PredictionFilter = 'all' | 'mistakes'

/** One page of a checkpoint's predictions. */
export interface PredictionPage {
  runId: number
  checkpointId: number
  split: EvalSplit
  filter: PredictionFilter
  /** The true and predicted class the page is narrowed to, if any. */
  truth: string | null
  predicted: string | null
  /** Rows matching the filter. */
  total: number
  offset: number
  rows: PredictionRow[]
}

/** What try-it sends: a typed-in row (raw values by column) or an image file on the workbench's machine. */
export type TryItInput = { kind: 'row'; values: Record<string, string | number | boolean | null> } | { kind: 'image'; path: string }

/** A column of a typed-in row that was left empty and filled in by the recipe (see recipe/validateRow.ts). */
export interface TryItImputed {
  column: string
  value: string
  strategy: string
}

/** A try-it prediction, with the values the recipe filled in for empty columns (typed rows only). */
export type TryItResult =
  | { kind: 'classification'; checkpointId: number; classes: string[]; probabilities: number[]; predicted: string; confidence: number; imputed: TryItImputed[] }
  | { kind: 'regression'; checkpointId: number; value: number; imputed: TryItImputed[] }

/** The details of a refused typed-in row: one message per column that cannot be used ('' = the whole row). */
export interface TryItRowErrors {
  fields: { column: string; message: string }[]
}

/** Files an export wrote. */
export interface ExportResult {
  folder: string
  checkpointId: number
  files: { name: string; bytes: number }[]
}
