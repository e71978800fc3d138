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

/** Most samples of a split the embedding projector maps. */
export const PROJECTOR_MAX_SAMPLES = 10_000

/** A layer the projector can map (any layer after the input), with its flattened width. */
export interface ProjectorLayerInfo {
  name: string
  type: string
  width: number
}

/** What to project: a layer's activations for the first samples of a split of a checkpoint. */
export interface ProjectionRequest {
  runId: number
  checkpointId: number
  split: 'test' | 'validation' | 'train'
  /** The layer; the one feeding the output layer when left out. */
  layer?: string
  /** How many samples (at most PROJECTOR_MAX_SAMPLES); the split's first ones in row order. */
  samples: number
}

/** A running projection's stage and how far it is. */
export interface ProjectionProgress {
  runId: number
  checkpointId: number
  split: ProjectionRequest['split']
  /** The layer as asked (null: the default). */
  layer: string | null
  phase: 'loading' | 'activations' | 'neighbours' | 'layout'
  done: number
  total: number
}

/** A checkpoint's learned space as a 2-D map (UMAP of one layer's activations), one entry per sample. */
export interface Projection {
  runId: number
  checkpointId: number
  split: ProjectionRequest['split']
  layer: string
  /** Layers one could map instead. */
  layers: ProjectorLayerInfo[]
  /** Width of the mapped activations (before PCA). */
  width: number
  classes: string[]
  /** Per point, parallel arrays: map position, dataset row, true and predicted class (indexes into classes), confidence of the prediction. */
  x: number[]
  y: number[]
  rowIndex: number[]
  truth: number[]
  predicted: number[]
  confidence: number[]
  seed: number
  seconds: number
  /** Whether this answer came from the stored cache. */
  cached: boolean
}
