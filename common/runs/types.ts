// Shapes of the runs table, metric series and their queries. Pure types: safe for the contract.
import type { RunState } from '../contract'

export type { RunState }

/** Every state a run can be in (the CHECK constraint on runs.state), for validating filters. */
export const RUN_STATES = ['queued', 'running', 'paused', 'completed', 'failed', 'stopped', 'interrupted'] as const satisfies readonly RunState[]
// Compile-time check that the list above names every state of the contract.
const _everyState: [Exclude<RunState, (typeof RUN_STATES)[number]>] extends [never] ? true : never = true
void _everyState

/** Which way a metric improves: 'min' for loss-like metrics, 'max' for accuracy-like ones. */
export type MetricGoal = 'min' | 'max'

/** A statistic of a metric series: the best (by goal), min, max or final (last step) value. */
export type MetricStat = 'best' | 'min' | 'max' | 'last'

/** One metric value as written by training: step = global batch step, wallTime = s since run start. */
export interface MetricRow {
  runId: number
  name: string
  step: number
  epoch: number
  /** NaN and ±Infinity are stored (NaN as NULL) and shown, never dropped. */
  value: number
  wallTime: number
}

/** Best and final values of one metric of one run (min/max over finite values only). */
export interface MetricSummary {
  goal: MetricGoal
  count: number
  /** How many stored values are NaN or ±Infinity. */
  nonFinite: number
  best: number | null
  bestStep: number | null
  min: number | null
  minStep: number | null
  max: number | null
  maxStep: number | null
  /** The value at the highest step; NaN when the run ended on NaN. */
  last: number
  lastStep: number
  lastEpoch: number
  lastWallTime: number
}

/** A model or dataset version a run points at. */
export interface VersionRef {
  id: number
  name: string
  versionId: number
  version: number
}

/** One row of the runs table. Times are ms since the epoch; durationMs is null before a run starts. */
export interface RunListRow {
  id: number
  name: string
  state: RunState
  backend: string | null
  error: string | null
  model: VersionRef | null
  dataset: VersionRef | null
  /** The requested hyperparameters (dot paths into config_json), undefined ones left out. */
  config: Record<string, unknown>
  tags: string[]
  note: string
  createdAt: number
  startedAt: number | null
  endedAt: number | null
  durationMs: number | null
  /** Summaries of the requested metrics; null where the run has not logged that metric. */
  metrics: Record<string, MetricSummary | null>
}

/** Columns the runs table sorts by without extra arguments. */
export const RUN_SORT_COLUMNS = ['name', 'state', 'model', 'dataset', 'backend', 'createdAt', 'startedAt', 'duration'] as const
/** One of RUN_SORT_COLUMNS. */
export type RunSortColumn = (typeof RUN_SORT_COLUMNS)[number]

/** How to sort the runs table; runs lacking the sorted value always come last. */
export type RunSort =
  | { by: RunSortColumn; dir?: 'asc' | 'desc' }
  | { by: 'config'; key: string; dir?: 'asc' | 'desc' }
  | { by: 'metric'; metric: string; stat?: MetricStat; dir?: 'asc' | 'desc' }

/** Filters of the runs table; all given ones must hold (AND). */
export interface RunFilter {
  states?: RunState[]
  /** Runs carrying every one of these tags. */
  tags?: string[]
  datasetIds?: number[]
  datasetVersionIds?: number[]
  modelIds?: number[]
  modelVersionIds?: number[]
  runIds?: number[]
  /** Case-insensitive substring of the name, note or a tag. */
  text?: string
  /** e.g. `val_accuracy > 0.9 AND loss.last < 0.3` (see main/runs/filter.ts). */
  expression?: string
}

/** One request for a page of the runs table. */
export interface RunListQuery {
  filter?: RunFilter
  sort?: RunSort
  /** Metrics to summarize per row (default: loss, accuracy, val_loss, val_accuracy). */
  metrics?: string[]
  /** Config keys (dot paths) to return per row (default: DEFAULT_CONFIG_KEYS). */
  configKeys?: string[]
  /** Page size, 1..1000 (default 50). */
  limit?: number
  offset?: number
}

/** A page of the runs table with the number of runs matching the filter. */
export interface RunListPage {
  rows: RunListRow[]
  total: number
  limit: number
  offset: number
}

/** Which stored column a chart's x axis shows. */
export type SeriesX = 'step' | 'epoch' | 'wall'

/** NaN/±Infinity found in a series, so a chart can flag them even where a transport turns them into null. */
export interface NonFiniteReport {
  nan: number
  posInf: number
  negInf: number
  /** The x of the first non-finite value, or null. */
  firstX: number | null
}

/** One run's series, downsampled for a chart, points in x order. */
export interface RunSeries {
  runId: number
  metric: string
  x: number[]
  y: number[]
  /** Rows stored for this run and metric. */
  total: number
  downsampled: boolean
  nonFinite: NonFiniteReport
}

/** Options of getSeries. */
export interface SeriesOptions {
  x?: SeriesX
  /** The chart's width in pixels: one bucket per pixel, at most 4 points each (default 1500). */
  maxPoints?: number
  /** 'minmax' (default) keeps every bucket's first, min, max and last; 'lttb' keeps maxPoints points by shape. */
  mode?: 'minmax' | 'lttb'
}

/** What the runs table's filter menus offer: tags, states, models and datasets in use, metric names. */
export interface RunFacets {
  tags: { tag: string; count: number }[]
  states: { state: RunState; count: number }[]
  models: { id: number; name: string; count: number }[]
  datasets: { id: number; name: string; count: number }[]
  metrics: string[]
}

/** How many rows a delete removed, per table. */
export interface DeletedRuns {
  runs: number
  metrics: number
  checkpoints: number
}
