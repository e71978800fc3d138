import type { StateCreator } from 'zustand'
import type {
  ArchitectureDiffResult,
  ConfigDiffRow,
  RunEvaluationEntry,
  RunFacets,
  RunListPage,
  RunListRow,
  RunSort,
  SeriesResult,
  SeriesX,
  TrainConfig,
} from '../../../common/contract'
import { DEFAULT_COLUMNS, type ColumnId } from '../compare/columns'
import { NO_FILTER, type TableFilter } from '../compare/tableQuery'
import type { AppState } from './index'

/** The views of the selected runs. */
export type CompareTab = 'curves' | 'hyperparameters' | 'architecture' | 'evaluation' | 'parallel'

/** One chart's data as last fetched, with the request it answers (to skip identical refetches). */
export interface ChartSeries {
  key: string
  maxPoints: number
  result: SeriesResult
}

/** What "train again with changes" hands to the Runs section's new-run form. */
export interface NewRunPrefill {
  fromRunId: number
  modelId: number
  modelVersion: number
  modelVersionId: number
  datasetVersionId: number
  config: TrainConfig
}

/** What the Compare section holds: the runs table, the selection, and the views of the selection. */
export interface CompareState {
  filter: TableFilter
  sort: RunSort | undefined
  columns: ColumnId[]
  limit: number
  offset: number
  page: RunListPage | null
  loading: boolean
  /** The value filter's parse error, with where it points. */
  filterError: { message: string; column: number | null; token: string | null } | null
  facets: RunFacets | null
  /** Selected run ids, in the order they were picked (that order is the comparison's column order). */
  selected: number[]
  /** Selected runs the current filter hides: the charts leave them out (the legend says so). */
  hiddenByFilter: number[]
  /** Each selected run's loss function: runs with different ones get separate loss charts. */
  lossOf: Record<number, string>
  /** The latest row of every selected run, so the views can name runs from other pages. */
  selectedRows: Record<number, RunListRow>
  tab: CompareTab
  /** smoothing: the EMA weight the person chose, or null for automatic (see effectiveSmoothing). */
  chart: { x: SeriesX; logY: boolean; smoothing: number | null; metrics: string[] | null }
  metricNames: string[]
  series: Record<string, ChartSeries>
  /** Bumped when a selected run logs an epoch, so charts refetch. */
  liveTick: number
  configs: { key: string; runIds: number[]; rows: ConfigDiffRow[] } | null
  onlyDifferences: boolean
  arch: { runIdA: number | null; runIdB: number | null; result: ArchitectureDiffResult | null; error: string | null }
  evaluations: { key: string; entries: RunEvaluationEntry[] } | null
  normalized: boolean
  pcMetric: string
  message: { kind: 'error' | 'info'; text: string } | null
  /** Runs awaiting delete confirmation. */
  confirmDelete: number[] | null
  newRunPrefill: NewRunPrefill | null
}

/** The Compare slice. */
export interface CompareSlice {
  compare: CompareState
}

/** Initial Compare state. */
export const initialCompareState: CompareState = {
  filter: NO_FILTER,
  sort: undefined,
  columns: DEFAULT_COLUMNS,
  limit: 50,
  offset: 0,
  page: null,
  loading: false,
  filterError: null,
  facets: null,
  selected: [],
  hiddenByFilter: [],
  lossOf: {},
  selectedRows: {},
  tab: 'curves',
  chart: { x: 'step', logY: false, smoothing: null, metrics: null },
  metricNames: [],
  series: {},
  liveTick: 0,
  configs: null,
  onlyDifferences: false,
  arch: { runIdA: null, runIdB: null, result: null, error: null },
  evaluations: null,
  normalized: false,
  pcMetric: 'val_accuracy',
  message: null,
  confirmDelete: null,
  newRunPrefill: null,
}

/** Creates the Compare slice. */
export const createCompareSlice: StateCreator<AppState, [], [], CompareSlice> = () => ({ compare: initialCompareState })
