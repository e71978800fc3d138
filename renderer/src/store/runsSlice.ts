import type { StateCreator } from 'zustand'
import type { CheckpointEvaluation, CheckpointInfo, Evaluation, MetricPoint, PredictionFilter, PredictionPage, RunProgress, RunSummary, TrainConfig } from '../../../common/contract'
import { DEFAULT_CONFIG } from '../runs/defaults'
import type { AppState } from './index'

/** The open run's checkpoint under inspection: its evaluation and the page of predictions shown. */
export interface InspectState {
  checkpointId: number | null
  evaluation: CheckpointEvaluation | null
  page: PredictionPage | null
  filter: PredictionFilter
  /** Classification: the true and predicted class the predictions are narrowed to (a confusion-matrix cell). */
  truth: string | null
  predicted: string | null
  /** True when the checkpoint is the run's final one, opened on its own when the run was. */
  final: boolean
  /** What is being computed right now (the worker can take a while on big test splits). */
  busy: 'evaluating' | 'paging' | null
  error: string | null
}

/** The new-run form: kept in the store so it keeps its values while the person visits other sections. */
export interface NewRunDraft {
  modelId: number | null
  modelVersionId: number | null
  datasetVersionId: number | null
  config: TrainConfig
  /** Why main refused the last Train, shown beside the form. */
  refusal: string | null
}

/** An empty new-run form. */
export const EMPTY_RUN_DRAFT: NewRunDraft = { modelId: null, modelVersionId: null, datasetVersionId: null, config: DEFAULT_CONFIG, refusal: null }

/** What the Runs section holds: the list, the open run's series, live progress and evaluation. */
export interface RunsState {
  list: RunSummary[]
  selectedId: number | null
  series: Record<string, MetricPoint[]>
  progress: Record<number, RunProgress>
  evaluation: Evaluation | null
  message: { kind: 'error' | 'info'; text: string } | null
  /** The open run's stored checkpoints, newest first. */
  checkpoints: CheckpointInfo[]
  inspect: InspectState
  draft: NewRunDraft
}

/** The Runs slice. */
export interface RunsSlice {
  runs: RunsState
}

/** Nothing under inspection. */
export const EMPTY_INSPECT: InspectState = { checkpointId: null, evaluation: null, page: null, filter: 'all', truth: null, predicted: null, final: false, busy: null, error: null }

/** Initial Runs state. */
export const createRunsSlice: StateCreator<AppState, [], [], RunsSlice> = () => ({
  runs: { list: [], selectedId: null, series: {}, progress: {}, evaluation: null, message: null, checkpoints: [], inspect: EMPTY_INSPECT, draft: EMPTY_RUN_DRAFT },
})
