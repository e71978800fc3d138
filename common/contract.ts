/**
 * The one API contract between the renderer and the core: every request (its input schema and
 * output type) and every event. Both transports (Electron IPC via preload, WebSocket via the
 * browser host) implement it, and main validates every inbound payload against these schemas
 * before a service sees it. Keep this file free of Node and Electron imports: all three builds use it.
 */
import { z } from 'zod'
import { LAYER_TYPES, type ModelGraph } from './graph/types'
import { csvImportOptionsSchema, csvPreviewOptionsSchema, imageImportOptionsSchema, imagePreviewOptionsSchema } from './datasets/schemas'
import type { ImportProgress } from './datasets/progress'
import type { ColumnInfo, CsvPreview, DatasetSummary, DatasetVersionRecord, ImagePreviewResult, SampleDataset } from './datasets/types'
import { PROJECTOR_MAX_SAMPLES, type PermutationImportanceResult, type Projection, type ProjectionProgress, type SampleExplanation } from './explain/types'
import type { StepperInfo } from './training/stepperInfo'
import type { BackendAttemptInfo, CheckpointEvaluation, CheckpointInfo, ExportResult, PredictionPage, SampleInput, TryItResult } from './training/inferenceTypes'
import { RUN_SORT_COLUMNS, RUN_STATES } from './runs/types'
import type { MetricGoal, MetricStat, MetricSummary, RunFilter, RunListPage, RunListQuery, RunListRow, RunSeries, RunSort, SeriesX, VersionRef } from './runs/types'
import type { ArchitectureDiff, ConfigDiffRow, LayerChange, LayerRef } from './runs/diff'
import type { DeletedRuns, RunFacets } from './runs/types'
import { objectiveSchema, searchSpaceSchema, strategyObjectiveProblem, studyStrategySchema } from './studies/schemas'
import type { StudyDetail, StudySummary } from './studies/types'
export type { CvMetric, FoldRun, StudyDetail, StudyState, StudyStrategy, StudySummary, TrialRow, TrialState } from './studies/types'
export type { ParamSpec, SearchSpace } from './studies/schemas'

/** Largest request payload (serialized) that main accepts; larger ones get `payload_too_large`. */
export const MAX_REQUEST_BYTES = 1024 * 1024

/** Bytes of one upload piece before base64 (keeps each request well under MAX_REQUEST_BYTES). */
export const UPLOAD_PIECE_BYTES = 512 * 1024

/** Keys refused anywhere in a payload, so no handler can be tricked into prototype pollution. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype']

/** Why a request failed; travels as data. */
export type ErrorCode =
  | 'unknown_method'
  | 'invalid_input'
  | 'payload_too_large'
  | 'forbidden_key'
  | 'not_found'
  | 'conflict'
  | 'unavailable'
  | 'db_corrupt'
  | 'db_too_new'
  | 'db_foreign'
  | 'db_migration_failed'
  | 'locked'
  | 'native_module_mismatch'
  | 'invalid_filter'
  /** A long task (a projection) was stopped by the person; nothing was stored. */
  | 'cancelled'
  | 'internal'

/** A request's outcome: errors are values, never thrown across the bridge. */
export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; code: ErrorCode; message: string; details?: unknown }

// ---- shared shapes ---------------------------------------------------------------------------

/** The app's sections, in the order the sidebar shows them. */
export const SECTIONS = ['datasets', 'designer', 'runs', 'compare'] as const
/** One of the four sections. */
export type Section = (typeof SECTIONS)[number]

/** Settings a person can change; every field has a default. */
export const settingsSchema = z
  .object({
    theme: z.enum(['system', 'light', 'dark']),
    runConcurrency: z.number().int().min(1).max(8),
    /** A study's trials training at once: 'auto' is one per core (see common/studies/trialsAtOnce.ts). */
    studyTrialsAtOnce: z.union([z.literal('auto'), z.number().int().min(1).max(8)]),
    confirmDeletes: z.boolean(),
  })
  .strict()
/** The app settings. */
export type Settings = z.infer<typeof settingsSchema>

/** One training backend the ladder considered, and why it is or is not usable here. */
export interface BackendCandidate {
  name: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'
  packageName: string
  available: boolean
  reason: string
}

/** Which backend training would use now, and the whole ladder with reasons. */
export interface BackendReport {
  chosen: BackendCandidate['name']
  summary: string
  candidates: BackendCandidate[]
}

/** What the status bar and system panel show. */
export interface SystemStatus {
  appVersion: string
  transport: 'electron' | 'browser'
  platform: string
  nodeVersion: string
  dataDir: string
  dbPath: string
  schemaVersion: number
  backend: BackendReport
}

/** A recently touched item of a section, for the empty-state and sidebar lists. */
export interface RecentItem {
  id: number
  name: string
  detail: string
  updatedAt: number
}

/** A saved model with its newest version. */
export interface ModelSummary {
  id: number
  name: string
  latestVersion: number
  versionCount: number
  updatedAt: number
  layers: number
  trainableParams: number
}

/** What a saved version records about its graph, computed in main at save time. */
export interface GraphSummary {
  layers: number
  trainableParams: number
  nonTrainableParams: number
  macs: number
  errors: number
  warnings: number
}

/** One saved version of a model. */
export interface ModelVersionInfo {
  versionId: number
  version: number
  createdAt: number
  summary: GraphSummary
}

/** A model version with its graph, as the Designer opens it. */
export interface ModelDetail {
  modelId: number
  name: string
  versionId: number
  version: number
  graph: ModelGraph
  createdAt: number
  versions: ModelVersionInfo[]
}

/** Runtime schema of a designer graph (structure only; layer semantics are checked by common/graph). */
export const graphSchema = z
  .object({
    formatVersion: z.literal(1),
    nodes: z
      .array(
        z
          .object({
            id: z.string().min(1).max(64),
            type: z.enum(LAYER_TYPES),
            name: z.string().min(1).max(128),
            params: z.record(z.string(), z.unknown()),
            position: z.object({ x: z.number().finite(), y: z.number().finite() }).strict(),
          })
          .strict(),
      )
      .max(5000),
    edges: z
      .array(
        z
          .object({
            id: z.string().min(1).max(64),
            source: z.string().min(1).max(64),
            target: z.string().min(1).max(64),
            targetIndex: z.number().int().min(0).optional(),
          })
          .strict(),
      )
      .max(20000),
  })
  .strict()

/** Hyperparameters of a training run, validated in main before a run is created. */
export const trainConfigSchema = z
  .object({
    optimizer: z.enum(['sgd', 'momentum', 'adam', 'rmsprop', 'adadelta', 'adagrad']),
    learningRate: z.number().positive().max(10),
    momentum: z.number().min(0).max(0.9999).default(0.9),
    schedule: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('none') }).strict(),
      z.object({ kind: z.literal('step'), everyEpochs: z.number().int().min(1), factor: z.number().positive().max(1) }).strict(),
      z.object({ kind: z.literal('exponential'), decayPerEpoch: z.number().positive().max(1) }).strict(),
      z.object({ kind: z.literal('plateau'), patience: z.number().int().min(1), factor: z.number().positive().max(1), minLr: z.number().min(0).default(1e-6) }).strict(),
    ]),
    batchSize: z.number().int().min(1).max(8192),
    epochs: z.number().int().min(1).max(10000),
    loss: z.enum(['meanSquaredError', 'meanAbsoluteError', 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy']),
    earlyStopping: z
      .object({ monitor: z.enum(['val_loss', 'val_accuracy', 'loss', 'accuracy']), patience: z.number().int().min(1), restoreBest: z.boolean() })
      .strict()
      .nullable(),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
    backend: z.enum(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']),
    keepCheckpoints: z.number().int().min(1).max(100).default(3),
    /** Cross-validation: train on all but fold `index` of k-fold over train+validation rows, validate on it (test untouched). */
    fold: z
      .object({ k: z.number().int().min(2).max(20), index: z.number().int().min(0).max(19), seed: z.number().int().min(0).max(2 ** 31 - 1) })
      .strict()
      .refine((f) => f.index < f.k, 'fold index must be below k')
      .optional(),
  })
  .strict()
/** A run's hyperparameters as stored in runs.config_json. */
export type TrainConfig = z.output<typeof trainConfigSchema>

/** A run's lifecycle state. */
export type RunState = 'queued' | 'running' | 'paused' | 'completed' | 'failed' | 'stopped' | 'interrupted'

/** A run as the Runs section lists it. */
export interface RunSummary {
  id: number
  name: string
  state: RunState
  modelVersionId: number | null
  datasetVersionId: number | null
  backend: string | null
  backendReason: string | null
  /** What the backend computed on, in words (e.g. "NVIDIA GPU (CUDA)"). */
  backendDevice: string | null
  /** Faster backends the worker tried first, with their load errors verbatim (GPU setup problems). */
  backendTried: BackendAttemptInfo[]
  /** How the steps ran (threads, data-parallel or not); null before training starts and for older runs. */
  stepper: StepperInfo | null
  error: string | null
  config: TrainConfig
  createdAt: number
  startedAt: number | null
  endedAt: number | null
  epochsDone: number
}

/** One point of a metric series. */
export interface MetricPoint {
  step: number
  epoch: number
  value: number
  wallTime: number
}

/** Live progress of a running run (throttled). */
export interface RunProgress {
  runId: number
  epoch: number
  epochs: number
  step: number
  stepInEpoch: number
  stepsPerEpoch: number
  batchLoss: number
  samplesPerSecond: number
  etaSeconds: number | null
  learningRate: number
}

/** Metrics of one finished epoch. */
export interface EpochMetrics {
  runId: number
  epoch: number
  step: number
  values: Record<string, number>
  epochSeconds: number
}

/** A run's state change, with the backend it got and why. */
export interface RunStateEvent {
  runId: number
  state: RunState
  error?: string | null
  backend?: string | null
  backendReason?: string | null
}

/** The evaluation of a finished run on its test split. */
export type Evaluation =
  | {
      kind: 'classification'
      split: string
      classes: string[]
      accuracy: number
      confusion: number[][]
      perClass: { precision: number; recall: number; f1: number; support: number }[]
      loss: number
    }
  | { kind: 'regression'; split: string; mae: number; rmse: number; r2: number; loss: number }

const id = z.number().int().positive()

/** One entry of a folder listing. */
export interface FileEntry {
  name: string
  kind: 'dir' | 'file'
  size: number
}

/** A folder's listing for the file picker (the browser host has no native dialog). */
export interface FolderListing {
  path: string
  parent: string | null
  entries: FileEntry[]
}

/** A dataset import's progress, as an event. */
export interface ImportProgressEvent {
  jobId: number
  progress: ImportProgress
}

/** How a dataset import ended. */
export type ImportFinished =
  | { jobId: number; ok: true; result: { datasetId: number; versionId: number; version: number; name: string; rowCount: number } }
  | { jobId: number; ok: false; code: string; message: string; details?: unknown }


/** Which file names a tabular import reads (CSV/TSV, Parquet, JSON, JSON Lines, each maybe .gz): the renderer's table-or-folder rule. */
export { TABULAR_FILE_NAME, isTabularFileName } from './datasets/fileNames'
export type { ColumnInfo, CsvPreview, ImagePreviewResult, SampleDataset, DatasetSummary, DatasetVersionRecord, ImportProgress }

const filePath = z.string().min(1).max(4096)
const modelName = z.string().trim().min(1, 'a model needs a name').max(120)

// ---- requests --------------------------------------------------------------------------------

const empty = z.object({}).strict()

const recentListInput = z
  .object({ section: z.enum(SECTIONS), limit: z.number().int().min(1).max(50).default(10) })
  .strict()

/** Declares a request: its output type first, then its input schema (inferred). */
function request<O>() {
  return <I extends z.ZodType>(input: I): { input: I; output: O } => ({ input, output: undefined as O })
}

// ---- the runs table and run comparison (Compare section) -------------------------------------

export type { MetricGoal, MetricStat, MetricSummary, RunFilter, RunListPage, RunListQuery, RunListRow, RunSeries, RunSort, SeriesX, VersionRef }
export type { ArchitectureDiff, ConfigDiffRow, DeletedRuns, LayerChange, LayerRef, RunFacets }

/** A run's editable labels as stored after an update. */
export interface RunMeta {
  runId: number
  name: string
  note: string
  tags: string[]
}

/** One metric of several runs for a chart, with which way the metric improves. */
export interface SeriesResult {
  metric: string
  x: SeriesX
  goal: MetricGoal
  series: RunSeries[]
}

/** A CSV export written to the exports folder beside the database (streamed, never one string). */
export interface RunsCsvExport {
  fileName: string
  /** Where it lies on the machine the workbench runs on. */
  path: string
  rows: number
  bytes: number
}

/** One piece of an export file, cut at a line end, for the renderer to assemble into a download. */
export interface ExportPiece {
  text: string
  nextOffset: number
  done: boolean
  bytes: number
}

/** The architecture diff of two runs' model versions. */
export interface ArchitectureDiffResult {
  a: { runId: number; model: VersionRef }
  b: { runId: number; model: VersionRef }
  diff: ArchitectureDiff
}

/** One run's evaluation, or null where it has none. */
export interface RunEvaluationEntry {
  runId: number
  evaluation: Evaluation | null
}

/** Most runs one comparison request may name (charts, tables and exports of the selection). */
export const MAX_COMPARE_RUNS = 200

const runIdList = z.array(id).min(1).max(MAX_COMPARE_RUNS)
/** Most runs one CSV export may name: it streams to a file in the read worker, so it may be large. */
export const MAX_EXPORT_RUNS = 10_000
const metricName = z.string().min(1).max(64)
const configKeyName = z.string().max(128).regex(/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'use a plain name or dot path, e.g. schedule.kind')
const tagName = z.string().trim().min(1).max(64)
const sortDir = z.enum(['asc', 'desc']).optional()
const idFilter = z.array(id).max(1000).optional()

/** A page request of the runs table: filters, sort, the metrics and hyperparameters per row, paging. */
export const runListQuerySchema = z
  .object({
    filter: z
      .object({
        states: z.array(z.enum(RUN_STATES)).max(RUN_STATES.length).optional(),
        tags: z.array(tagName).max(20).optional(),
        datasetIds: idFilter,
        datasetVersionIds: idFilter,
        modelIds: idFilter,
        modelVersionIds: idFilter,
        runIds: idFilter,
        text: z.string().max(200).optional(),
        expression: z.string().max(1000).optional(),
      })
      .strict()
      .optional(),
    sort: z
      .union([
        z.object({ by: z.enum(RUN_SORT_COLUMNS), dir: sortDir }).strict(),
        z.object({ by: z.literal('config'), key: configKeyName, dir: sortDir }).strict(),
        z.object({ by: z.literal('metric'), metric: metricName, stat: z.enum(['best', 'min', 'max', 'last']).optional(), dir: sortDir }).strict(),
      ])
      .optional(),
    metrics: z.array(metricName).max(32).optional(),
    configKeys: z.array(configKeyName).max(32).optional(),
    limit: z.number().int().min(1).max(500).default(50),
    offset: z.number().int().min(0).max(1_000_000_000).default(0),
  })
  .strict()

// ---- checkpoints: evaluation on demand, predictions, try-it, export (Runs section) ------------

export type { BackendAttemptInfo, CheckpointEvaluation, CheckpointInfo, ExportResult, PredictionPage, TryItResult }
export type { StepperInfo }
export type { EvalSplit, PredictionFilter, PredictionRow, SampleInput, TryItImputed, TryItInput, TryItRowErrors } from './training/inferenceTypes'

export type { CamLayerInfo, ColumnAttribution, ColumnImportance, PermutationImportanceResult, Projection, ProjectionProgress, ProjectorLayerInfo, SaliencyMethod, SampleExplanation } from './explain/types'
export { PROJECTOR_MAX_SAMPLES } from './explain/types'

const evalSplit = z.enum(['test', 'validation', 'train']).default('test')
const rawCell = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()])
/** A try-it input: raw values by column name, or an image file (uploaded first) on the workbench's machine. */
const tryItInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('row'), values: z.record(z.string().max(256), rawCell) }).strict(),
  z.object({ kind: z.literal('image'), path: filePath }).strict(),
])

/** Every request main answers, by name `namespace.verb`. */
export const requests = {
  'system.status': request<SystemStatus>()(empty),
  'settings.get': request<Settings>()(empty),
  'settings.update': request<Settings>()(settingsSchema.partial()),
  'recent.list': request<RecentItem[]>()(recentListInput),
  'models.list': request<ModelSummary[]>()(empty),
  'models.get': request<ModelDetail>()(z.object({ modelId: id, version: z.number().int().positive().optional() }).strict()),
  'models.save': request<ModelDetail>()(z.object({ modelId: id.optional(), name: modelName, graph: graphSchema }).strict()),
  'models.rename': request<ModelSummary>()(z.object({ modelId: id, name: modelName }).strict()),
  'models.delete': request<{ deleted: number }>()(z.object({ modelId: id }).strict()),
  'files.list': request<FolderListing>()(z.object({ path: filePath.optional() }).strict()),
  'datasets.list': request<DatasetSummary[]>()(empty),
  'datasets.version': request<DatasetVersionRecord>()(z.object({ versionId: id }).strict()),
  'datasets.delete': request<{ deleted: number }>()(z.object({ datasetId: id }).strict()),
  'datasets.samples': request<SampleDataset[]>()(empty),
  'datasets.previewCsv': request<CsvPreview>()(z.object({ path: filePath, options: csvPreviewOptionsSchema.optional() }).strict()),
  'datasets.previewImages': request<ImagePreviewResult>()(z.object({ path: filePath, options: imagePreviewOptionsSchema.optional() }).strict()),
  'datasets.import': request<{ jobId: number }>()(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('csv'), path: filePath, options: csvImportOptionsSchema }).strict(),
      z.object({ kind: z.literal('images'), path: filePath, options: imageImportOptionsSchema }).strict(),
    ]),
  ),
  'datasets.cancelImport': request<{ cancelled: boolean }>()(z.object({ jobId: id }).strict()),
  'datasets.thumbnail': request<{ dataUrl: string }>()(z.object({ path: filePath }).strict()),
  'uploads.begin': request<{ uploadId: string }>()(empty),
  'uploads.append': request<{ written: number }>()(
    z
      .object({
        uploadId: z.string().min(1).max(64),
        path: z.string().min(1).max(1024),
        size: z.number().int().min(0),
        offset: z.number().int().min(0),
        data: z.string().max(UPLOAD_PIECE_BYTES * 2),
      })
      .strict(),
  ),
  'uploads.finish': request<{ path: string; files: number; bytes: number }>()(z.object({ uploadId: z.string().min(1).max(64) }).strict()),
  'uploads.abort': request<{ aborted: boolean }>()(z.object({ uploadId: z.string().min(1).max(64) }).strict()),
  'runs.start': request<RunSummary>()(
    z.object({ modelVersionId: id, datasetVersionId: id, name: z.string().trim().min(1).max(120).optional(), config: trainConfigSchema }).strict(),
  ),
  'runs.control': request<RunSummary>()(z.object({ runId: id, action: z.enum(['pause', 'resume', 'stop']) }).strict()),
  'runs.resume': request<RunSummary>()(z.object({ runId: id }).strict()),
  'runs.get': request<RunSummary>()(z.object({ runId: id }).strict()),
  'runs.recent': request<RunSummary[]>()(z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict()),
  'runs.metrics': request<Record<string, MetricPoint[]>>()(
    z.object({ runId: id, names: z.array(z.string().max(64)).max(32).optional(), afterStep: z.number().int().min(-1).default(-1) }).strict(),
  ),
  'runs.evaluation': request<Evaluation | null>()(z.object({ runId: id }).strict()),
  'runs.checkpoints': request<CheckpointInfo[]>()(z.object({ runId: id }).strict()),
  'runs.evaluateCheckpoint': request<CheckpointEvaluation>()(z.object({ runId: id, checkpointId: id, split: evalSplit }).strict()),
  'runs.predictions': request<PredictionPage>()(
    z
      .object({
        runId: id,
        checkpointId: id,
        split: evalSplit,
        filter: z.enum(['all', 'mistakes']).default('all'),
        /** Classification: only samples of this true class and/or this predicted class (names). */
        truth: z.string().max(256).optional(),
        predicted: z.string().max(256).optional(),
        offset: z.number().int().min(0).max(1_000_000_000).default(0),
        limit: z.number().int().min(1).max(100).default(24),
      })
      .strict(),
  ),
  'runs.predict': request<TryItResult>()(z.object({ runId: id, checkpointId: id.optional(), input: tryItInput }).strict()),
  // onnx: also write model.onnx (opset 13) beside the TF.js files.
  'runs.exportModel': request<ExportResult>()(z.object({ runId: id, checkpointId: id.optional(), folder: filePath, overwrite: z.boolean().default(false), onnx: z.boolean().default(true) }).strict()),
  'runs.explainSample': request<SampleExplanation>()(
    z
      .object({
        runId: id,
        checkpointId: id,
        split: evalSplit,
        rowIndex: z.number().int().min(0),
        /** The class to explain (index into the run's classes); the predicted one when left out. */
        classIndex: z.number().int().min(0).max(100_000).optional(),
        layer: z.string().min(1).max(256).optional(),
        method: z.enum(['gradients', 'smoothgrad', 'integrated']).default('gradients'),
        samples: z.number().int().min(1).max(200).default(25),
        sigma: z.number().min(0).max(1).default(0.15),
        steps: z.number().int().min(2).max(512).default(50),
      })
      .strict(),
  ),
  'runs.permutationImportance': request<PermutationImportanceResult>()(
    z.object({ runId: id, checkpointId: id, split: evalSplit, repeats: z.number().int().min(1).max(50).default(5) }).strict(),
  ),
  // The embedding projector: a layer's activations (default: the one feeding the output) mapped to 2-D with UMAP in the worker; stored per checkpoint, split and layer.
  'runs.project': request<Projection>()(
    z
      .object({
        runId: id,
        checkpointId: id,
        split: evalSplit,
        layer: z.string().min(1).max(256).optional(),
        samples: z.number().int().min(3).max(PROJECTOR_MAX_SAMPLES).default(PROJECTOR_MAX_SAMPLES),
      })
      .strict(),
  ),
  'runs.cancelProjection': request<{ cancelled: boolean }>()(z.object({ runId: id, checkpointId: id, split: evalSplit, layer: z.string().min(1).max(256).optional() }).strict()),
  /** Some samples' inputs (image thumbnail or row values) by row index of the run's dataset version. */
  'runs.sampleInputs': request<SampleInput[]>()(z.object({ runId: id, rowIndexes: z.array(z.number().int().min(0)).min(1).max(50) }).strict()),
  'runs.list': request<RunListPage>()(runListQuerySchema),
  'runs.facets': request<RunFacets>()(empty),
  'runs.update': request<RunMeta>()(
    z
      .object({ runId: id, name: z.string().trim().min(1).max(200).optional(), note: z.string().max(10_000).optional(), tags: z.array(tagName).max(50).optional() })
      .strict()
      .refine((v) => v.name !== undefined || v.note !== undefined || v.tags !== undefined, 'give a name, note or tags to change'),
  ),
  'runs.tag': request<{ updated: number }>()(
    z.object({ runIds: runIdList, add: z.array(tagName).max(20).optional(), remove: z.array(tagName).max(20).optional() }).strict(),
  ),
  'runs.delete': request<DeletedRuns>()(z.object({ runIds: runIdList }).strict()),
  'runs.metricNames': request<string[]>()(z.object({ runIds: runIdList.optional() }).strict()),
  'runs.series': request<SeriesResult>()(
    z
      .object({ runIds: runIdList, metric: metricName, x: z.enum(['step', 'epoch', 'wall']).default('step'), maxPoints: z.number().int().min(2).max(8192).default(1000) })
      .strict(),
  ),
  'runs.configs': request<{ runIds: number[]; rows: ConfigDiffRow[] }>()(z.object({ runIds: runIdList }).strict()),
  'runs.archDiff': request<ArchitectureDiffResult>()(z.object({ runIdA: id, runIdB: id }).strict()),
  'runs.evaluations': request<RunEvaluationEntry[]>()(z.object({ runIds: runIdList }).strict()),
  'runs.exportCsv': request<RunsCsvExport>()(z.object({ runIds: z.array(id).min(1).max(MAX_EXPORT_RUNS), metrics: z.array(metricName).min(1).max(64).optional() }).strict()),
  'runs.exportRead': request<ExportPiece>()(
    z.object({ fileName: z.string().regex(/^runs-[A-Za-z0-9-]+\.csv$/, 'an export file name (runs-….csv)'), offset: z.number().int().min(0) }).strict(),
  ),
  'studies.create': request<StudyDetail>()(
    z
      .object({
        name: z.string().trim().min(1).max(120),
        modelVersionId: id,
        datasetVersionId: id,
        config: trainConfigSchema,
        space: searchSpaceSchema,
        strategy: studyStrategySchema,
        objective: objectiveSchema,
        maxTrials: z.number().int().min(1).max(1000).optional(),
        maxSeconds: z.number().int().min(1).max(30 * 24 * 3600).optional(),
      })
      .strict()
      .superRefine((s, ctx) => {
        const problem = strategyObjectiveProblem(s.strategy, s.objective)
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['objective', 'cv'], message: problem })
      }),
  ),
  'studies.list': request<StudySummary[]>()(empty),
  'studies.get': request<StudyDetail>()(z.object({ studyId: id }).strict()),
  'studies.control': request<StudyDetail>()(z.object({ studyId: id, action: z.enum(['pause', 'resume', 'stop']) }).strict()),
} as const

/** A request name. */
export type MethodName = keyof typeof requests
/** What the caller sends for a request (defaults may be omitted). */
export type Input<M extends MethodName> = z.input<(typeof requests)[M]['input']>
/** What the handler receives after validation (defaults filled in). */
export type ParsedInput<M extends MethodName> = z.output<(typeof requests)[M]['input']>
/** What a request returns on success. */
export type Output<M extends MethodName> = (typeof requests)[M]['output']

/** Every request name, for transports that register one channel per request. */
export const METHOD_NAMES = Object.keys(requests) as MethodName[]

// ---- events ----------------------------------------------------------------------------------

/** Every event the core emits, with its payload type. */
export interface EventMap {
  'settings.changed': Settings
  'run.state': RunStateEvent
  'run.progress': RunProgress
  'run.epoch': EpochMetrics
  'import.progress': ImportProgressEvent
  'import.finished': ImportFinished
  /** A study's trials or state changed (the study view refetches it). */
  'study.changed': { studyId: number }
  /** A running projection's stage and progress. */
  'projection.progress': ProjectionProgress
}
/** An event name. */
export type EventName = keyof EventMap
/** Every event name, so subscriptions can be whitelisted at runtime. */
export const EVENT_NAMES: readonly EventName[] = ['settings.changed', 'run.state', 'run.progress', 'run.epoch', 'import.progress', 'import.finished', 'study.changed', 'projection.progress']

// ---- the API object the renderer sees ----------------------------------------------------------

type Namespace = MethodName extends `${infer NS}.${string}` ? NS : never

/** `window.workbench`: one async function per request, grouped by namespace, plus typed event subscription. */
export type WorkbenchApi = {
  [NS in Namespace]: {
    [M in MethodName as M extends `${NS}.${infer Verb}` ? Verb : never]: (input: Input<M>) => Promise<Result<Output<M>>>
  }
} & {
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void
}

/** The two things a transport supplies; `buildApi` turns them into the typed API object. */
export interface Transport {
  invoke(method: MethodName, input: unknown): Promise<Result<unknown>>
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void
}

/** Builds the API object from a transport: exactly the contract's methods and events, nothing generic. */
export function buildApi(transport: Transport): WorkbenchApi {
  const api: Record<string, unknown> = {}
  for (const method of METHOD_NAMES) {
    const [ns, verb] = method.split('.') as [string, string]
    const group = (api[ns] ??= {}) as Record<string, unknown>
    group[verb] = (input: unknown) => transport.invoke(method, input ?? {})
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!EVENT_NAMES.includes(event)) throw new Error(`Unknown event "${String(event)}"`)
    return transport.subscribe(event, listener)
  }
  return api as WorkbenchApi
}
