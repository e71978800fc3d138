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
