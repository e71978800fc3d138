import type { StateCreator } from 'zustand'
import type { EvalSplit, PermutationImportanceResult, PredictionRow, Projection, ProjectionProgress, SaliencyMethod, SampleExplanation, SampleInput } from '../../../common/contract'
import type { AppState } from './index'

/** The sample opened for explanation, what was asked about it and the answer. */
export interface SampleExplainState {
  runId: number
  checkpointId: number
  split: EvalSplit
  row: PredictionRow
  method: SaliencyMethod
  /** The class explained; null: the predicted one. */
  classIndex: number | null
  /** The Grad-CAM layer; null: the default (last feature map with height and width > 1). */
  layer: string | null
  result: SampleExplanation | null
  busy: boolean
  error: string | null
}

/** Permutation importance of the inspected checkpoint (tabular runs). */
export interface ImportanceState {
  runId: number
  checkpointId: number
  result: PermutationImportanceResult | null
  busy: boolean
  error: string | null
}

/** The embedding projector of the inspected checkpoint: what was asked, its progress and the map. */
export interface ProjectorState {
  runId: number
  checkpointId: number
  split: EvalSplit
  /** The layer asked for; null: the one feeding the output. */
  layer: string | null
  result: Projection | null
  busy: boolean
  progress: ProjectionProgress | null
  error: string | null
  /** The point under the pointer (index into the map) and its sample once fetched. */
  hover: { index: number; input: SampleInput | null } | null
}

/** Explanations shown in the Runs section. */
export interface ExplainState {
  sample: SampleExplainState | null
  /** Heatmap opacity over the image, 0..1. */
  opacity: number
  importance: ImportanceState | null
  /** Grad-CAM over every tile of the predictions grid: on/off, and the heatmaps fetched so far by checkpoint and row. */
  gridHeatmaps: boolean
  tiles: Record<string, { width: number; height: number; values: number[] } | 'none'>
  projector: ProjectorState | null
}

/** The explain slice. */
export interface ExplainSlice {
  explain: ExplainState
}

/** Nothing opened. */
export const EMPTY_EXPLAIN: ExplainState = { sample: null, opacity: 0.5, importance: null, gridHeatmaps: false, tiles: {}, projector: null }

/** Initial explain state. */
export const createExplainSlice: StateCreator<AppState, [], [], ExplainSlice> = () => ({ explain: EMPTY_EXPLAIN })
