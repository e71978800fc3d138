import type { BackendAttemptInfo, EpochMetrics, RunProgress, RunState, StepperInfo } from '../../common/contract'
import type { RunOwner } from '../store/queries/runRecords'
import type { InferenceTask, TaskResult } from './taskProtocol'

/** Messages main sends a training worker. */
export type ToWorker =
  /** coreShare: cores this run may use (the machine's, divided among the runs allowed at once). */
  | { type: 'start'; runId: number; dbPath: string; resume: boolean; checkpointMs?: number; owner?: RunOwner; coreShare?: number }
  | { type: 'task'; id: number; dbPath: string; task: InferenceTask }
  /** Stops a task that checks for it (a projection); others finish as usual. */
  | { type: 'cancelTask'; id: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }

/** Messages a training worker sends main. */
export type FromWorker =
  | { type: 'backend'; name: string; reason: string; device: string | null; tried: BackendAttemptInfo[] }
  /** How the fit loop takes its steps (threads, data-parallel), chosen after the backend; stored with it. */
  | { type: 'stepper'; stepper: StepperInfo }
  | { type: 'taskResult'; id: number; result: TaskResult }
  /** A long task's progress (its shape is the task's own, e.g. ProjectionProgress). */
  | { type: 'taskProgress'; id: number; progress: unknown }
  | { type: 'state'; state: RunState }
  | { type: 'progress'; progress: RunProgress }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'done'; state: Extract<RunState, 'completed' | 'failed' | 'stopped'>; error?: string }
