import type { ErrorCode } from '../../common/contract'
import type { ExplainSampleRequest, ProjectionRequest } from '../../common/explain/types'
import type { EvalSplit, PredictionFilter, TryItInput } from '../../common/training/inferenceTypes'

/** Work main hands an inference worker: evaluation, predictions, try-it, export and explanations never run on main. */
export type InferenceTask =
  | { kind: 'evaluate'; runId: number; checkpointId: number; split: EvalSplit }
  | { kind: 'predictions'; runId: number; checkpointId: number; split: EvalSplit; filter: PredictionFilter; truth?: string; predicted?: string; offset: number; limit: number }
  | { kind: 'predict'; runId: number; checkpointId?: number; input: TryItInput }
  | { kind: 'export'; runId: number; checkpointId?: number; folder: string; overwrite: boolean; onnx?: boolean }
  | ({ kind: 'explainSample' } & ExplainSampleRequest)
  | { kind: 'permutationImportance'; runId: number; checkpointId: number; split: EvalSplit; repeats: number }
  | ({ kind: 'project' } & ProjectionRequest)
  | { kind: 'sampleInputs'; runId: number; rowIndexes: number[] }

/** A task's outcome; failures travel as data (code and message), like every answer across the bridge. */
export type TaskResult = { ok: true; value: unknown } | { ok: false; code: ErrorCode; message: string; details?: unknown }
