import type { StateCreator } from 'zustand'
import type { Evaluation, MetricPoint, RunProgress, RunSummary } from '../../../preload/contract'
import type { AppState } from './index'

/** What the Runs section holds: the list, the open run's series, live progress and evaluation. */
export interface RunsState {
  list: RunSummary[]
  selectedId: number | null
  series: Record<string, MetricPoint[]>
  progress: Record<number, RunProgress>
  evaluation: Evaluation | null
  message: { kind: 'error' | 'info'; text: string } | null
}

/** The Runs slice. */
export interface RunsSlice {
  runs: RunsState
}

/** Initial Runs state. */
export const createRunsSlice: StateCreator<AppState, [], [], RunsSlice> = () => ({
  runs: { list: [], selectedId: null, series: {}, progress: {}, evaluation: null, message: null },
})
