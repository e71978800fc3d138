import type { EpochMetrics, RunProgress, RunState } from '../../preload/contract'

/** Messages main sends a training worker. */
export type ToWorker =
  | { type: 'start'; runId: number; dbPath: string; resume: boolean }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }

/** Messages a training worker sends main. */
export type FromWorker =
  | { type: 'backend'; name: string; reason: string }
  | { type: 'state'; state: RunState }
  | { type: 'progress'; progress: RunProgress }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'done'; state: Extract<RunState, 'completed' | 'failed' | 'stopped'>; error?: string }
