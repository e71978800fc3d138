// Shapes of explanations as the contract carries them. Plain data only: the renderer build includes this file.

/** A layer Grad-CAM can use (its output is a feature map with more than one position). */
export interface CamLayerInfo {
  name: string
  /** The tfjs class of the layer, e.g. Conv2D, Add, MaxPooling2D. */
  type: string
  height: number
  width: number
  channels: number
}

/** One original column's attribution (tabular rows: one-hot and token features summed back). */
export interface ColumnAttribution {
  column: string
  value: number
}

/** The drop of the test metric when one original column is shuffled, over several repeats. */
export interface ColumnImportance {
  column: string
  /** Mean metric drop (baseline minus shuffled); near 0 for a column the model does not use. */
  mean: number
  std: number
}

/** Which attribution a sample's explanation uses besides Grad-CAM. */
export type SaliencyMethod = 'gradients' | 'smoothgrad' | 'integrated'

/** What to explain about one sample (a row of a dataset version) and how. */
export interface ExplainSampleRequest {
  runId: number
  checkpointId: number
  split: 'test' | 'validation' | 'train'
  rowIndex: number
  /** The class to explain; the predicted one when left out. */
  classIndex?: number
  /** Grad-CAM layer (images); the last feature map with height and width > 1 when left out. */
  layer?: string
  method: SaliencyMethod
  /** SmoothGrad: noisy copies and noise sd as a fraction of the input range. */
  samples: number
  sigma: number
  /** Integrated gradients: path points, from an all-zero baseline (black image, feature means after standardizing). */
  steps: number
}

/** One sample's explanation. */
export interface SampleExplanation {
  rowIndex: number
  checkpointId: number
  /** Class names (classification) or null (regression: one output, explained as it is). */
  classes: string[] | null
  /** Output probabilities of every class (empty for regression), and the one explained. */
  probabilities: number[]
  classIndex: number | null
  method: SaliencyMethod
  /** Images: the Grad-CAM heatmap at input size in [0, 1] and the layers one could choose instead. */
  gradCam: { layer: string; layers: CamLayerInfo[]; height: number; width: number; heatmap: number[] } | null
  /** Images: attribution magnitude per pixel scaled to [0, 1]. */
  pixels: { height: number; width: number; values: number[] } | null
  /** Tables: attribution per original column, in recipe order. */
  columns: ColumnAttribution[] | null
  /** Integrated gradients: f(x) - f(baseline) beside the attributions' sum (completeness). */
  completeness: { delta: number; sum: number } | null
  /** Whether this answer came from the stored cache. */
  cached: boolean
}

/** Permutation importance of a tabular run's checkpoint on the test split. */
export interface PermutationImportanceResult {
  runId: number
  checkpointId: number
  split: 'test' | 'validation' | 'train'
  samples: number
  repeats: number
  metric: 'accuracy' | 'r2'
  baseline: number
  /** Sorted by mean drop, largest first. */
  columns: ColumnImportance[]
  cached: boolean
}
