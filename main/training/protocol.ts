import type { BackendAttemptInfo, EpochMetrics, RunProgress, RunState } from '../../common/contract'
import type { RunOwner } from '../store/queries/runRecords'
import type { InferenceTask, TaskResult } from './taskProtocol'

/** Messages main sends a training worker. */
export type ToWorker =
  | { type: 'start'; runId: number; dbPath: string; resume: boolean; checkpointMs?: number; owner?: RunOwner }
  | { type: 'task'; id: number; dbPath: string; task: InferenceTask }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }

/** Messages a training worker sends main. */
export type FromWorker =
  | { type: 'backend'; name: string; reason: string; device: string | null; tried: BackendAttemptInfo[] }
  | { type: 'taskResult'; id: number; result: TaskResult }
  | { type: 'state'; state: RunState }
  | { type: 'progress'; progress: RunProgress }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'done'; state: Extract<RunState, 'completed' | 'failed' | 'stopped'>; error?: string }
