import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import type { Result } from '../../common/contract'
import { dispatch, type CallContext, type Handlers } from '../rpc/dispatch'
import { openStore, schemaVersion, type Db } from '../store'
import { getSettings, updateSettings } from '../store/queries/settings'
import { listRecent } from '../store/queries/recent'
import { deleteModel, getModel, getModelSummary, listModels, renameModel } from '../store/queries/models'
import { saveModel } from './modelService'
import { detectBackends, type BackendProbe } from '../system/backends'
import { EventBus, type EventListener } from './events'
import { DB_FILE_NAME } from './paths'
import { resumeRun, startRun } from './runService'
import { TrainingEngine, type SpawnWorker } from '../training/engine'
import { getEvaluation, getRun, interruptForeignRuns, readMetrics, recentRuns, type RunOwner } from '../store/queries/runRecords'
import { randomUUID } from 'node:crypto'
import { removeLeftoverImportFiles } from '../datasets/spool'
import { InferenceService } from '../training/inferenceService'
import { ProjectionJobs } from '../explain/projectionJobs'
import { listCheckpoints } from '../store/queries/checkpoints'
import type { CheckpointEvaluation, ExportResult, PermutationImportanceResult, PredictionPage, SampleExplanation, SampleInput, TryItResult } from '../../common/contract'
import type { Evaluation } from '../../common/contract'
import { Worker } from 'node:worker_threads'
import { ImportJobs, type ImportWorkerLike } from './importJobs'
import { listFolder } from '../system/files'
import { deleteDataset, getDatasetVersion, listDatasets } from '../store/queries/datasets'
import { previewCsv } from '../datasets/csv/preview'
import { previewImageFolder } from '../datasets/images/preview'
import { writeSampleDatasets } from '../datasets/samples'
import { thumbnail } from '../system/thumbnail'
import { Uploads } from '../system/uploads'
import { AppError } from '../../common/errors'
import { listRunFacets, updateRunTags } from '../store/queries/runs'
import { listMetricNames } from '../store/queries/metrics'
import { archDiffFor, configDiffFor, deleteRunsChecked, evaluationsFor, updateRunMeta } from './compareService'
import { ReadService, type ReadWorkerLike } from './readService'
import { exportsFolder } from '../runs/reader/handlers'
import { readExportPiece } from '../runs/exportFiles'
import type { RunListPage, RunsCsvExport, SeriesResult } from '../../common/contract'
import { StudyScheduler } from '../studies/scheduler'
import { getStudy, listStudies, studiesIn } from '../store/queries/studies'
import { trialsAtOnce } from '../../common/studies/trialsAtOnce'

/** What the core needs to start. */
export interface CoreOptions {
  dataDir: string
  transport: CallContext['transport']
  appVersion: string
  backendProbe?: BackendProbe
  /** Folder holding the built worker scripts (out/main); the entry points pass their own __dirname. */
  workerDir?: string
  /** Starts a training worker; defaults to a worker thread running workerDir/trainWorker.js. */
  spawnTrainer?: SpawnWorker
  /** Starts an import worker; defaults to a worker thread running workerDir/importWorker.js. */
  spawnImporter?: () => ImportWorkerLike
  /** Starts the read worker (runs table, series, CSV export); defaults to a worker thread running workerDir/readWorker.js. */
  spawnReader?: (dbPath: string) => ReadWorkerLike
  /** Starts the inference worker (evaluation, predictions, try-it, export); defaults to spawnTrainer's kind. */
  spawnInference?: SpawnWorker
  /** The live sweeper's period and the heartbeat age at which a worker counts as hung (tests shorten them). */
  sweepMs?: number
  staleWorkerMs?: number
  /** Interval of mid-epoch checkpoints (default: the fit loop's, a minute). */
  checkpointMs?: number
}

/** The app's core as the transports see it: one validated entry point, events, and shutdown. */
export interface Core {
  readonly db: Db
  readonly dbPath: string
  call(method: unknown, input: unknown, byteSize?: number): Promise<Result<unknown>>
  onEvent(listener: EventListener): () => void
  readonly engine: TrainingEngine
  /** The study scheduler (tests step and inspect it). */
  readonly studies: StudyScheduler
  /** This start of the app: the owner written on every run it queues or trains. */
  readonly owner: RunOwner
  /** Runs interrupted at start-up because the process that owned them is gone. */
  readonly interruptedAtStart: number[]
  close(): Promise<void>
}

/** Opens the store and wires every service handler; throws AppError when the database cannot be used. */
export function createCore(opts: CoreOptions): Core {
  const dbPath = join(opts.dataDir, DB_FILE_NAME)
  const db = openStore(dbPath)
  const events = new EventBus()
  const ctx: CallContext = { transport: opts.transport }
  // Backend detection touches the filesystem; it is cheap but constant for a process, so do it once.
  const backend = detectBackends(opts.backendProbe)
  // Callers hold the data-folder lock (one app per folder), so every unfinished run that this new
  // instance does not own was left by a process that is gone: interrupt it now, resumable.
  const owner: RunOwner = { instance: randomUUID(), pid: process.pid }
  const interruptedAtStart = interruptForeignRuns(db, owner.instance)
  // An import killed midway committed nothing (one final transaction) but may have left its spool.
  removeLeftoverImportFiles(opts.dataDir)
  const workerFile = join(opts.workerDir ?? __dirname, 'trainWorker.js')
  const spawn: SpawnWorker = opts.spawnTrainer ?? (() => new Worker(workerFile))
  // A running study may run more trials at once than "runs at a time" (one per core by default).
  const studyTrials = () => trialsAtOnce(getSettings(db).studyTrialsAtOnce, availableParallelism())
  const runsAtOnce = () => Math.max(getSettings(db).runConcurrency, studiesIn(db, 'running').length > 0 ? studyTrials() : 0)
  const engine = new TrainingEngine(db, dbPath, spawn, events, runsAtOnce, owner, {
    checkpointMs: opts.checkpointMs,
    sweepMs: opts.sweepMs,
    staleMs: opts.staleWorkerMs,
  })
  const studies = new StudyScheduler(db, engine, events, studyTrials)
  // The training worker script also serves inference tasks, so one build entry covers both.
  const inference = new InferenceService(dbPath, opts.spawnInference ?? spawn)
  const projections = new ProjectionJobs(inference, events)
  const uploads = new Uploads(join(opts.dataDir, 'uploads'))
  const importFile = join(opts.workerDir ?? __dirname, 'importWorker.js')
  // Heavy reads run in their own thread so one big query never stalls other requests.
  const readFile = join(opts.workerDir ?? __dirname, 'readWorker.js')
  const reads = new ReadService(() => (opts.spawnReader ? opts.spawnReader(dbPath) : new Worker(readFile, { workerData: { dbPath } })))
  const imports = new ImportJobs(dbPath, opts.spawnImporter ?? (() => new Worker(importFile)), events)

  const handlers: Handlers = {
    'system.status': () => ({
      appVersion: opts.appVersion,
      transport: opts.transport,
      platform: `${process.platform}-${process.arch}`,
      nodeVersion: process.versions.node,
      dataDir: opts.dataDir,
      dbPath,
      schemaVersion: schemaVersion(db),
      backend,
    }),
    'settings.get': () => getSettings(db),
    'settings.update': (patch) => {
      const settings = updateSettings(db, patch)
      events.emit('settings.changed', settings)
      if (patch.runConcurrency !== undefined || patch.studyTrialsAtOnce !== undefined) engine.refresh()
      if (patch.studyTrialsAtOnce !== undefined) for (const id of studiesIn(db, 'running')) studies.pump(id)
      return settings
    },
    'recent.list': ({ section, limit }) => listRecent(db, section, limit),
    'models.list': () => listModels(db),
    'models.get': ({ modelId, version }) => getModel(db, modelId, version),
    'models.save': (input) => saveModel(db, input),
    'models.rename': ({ modelId, name }) => {
      renameModel(db, modelId, name)
      return getModelSummary(db, modelId)
    },
    'models.delete': ({ modelId }) => ({ deleted: deleteModel(db, modelId) }),
    'files.list': ({ path }) => listFolder(path),
    'datasets.list': () => listDatasets(db),
    'datasets.version': ({ versionId }) => {
      const v = getDatasetVersion(db, versionId)
      if (!v) throw new AppError('not_found', `Dataset version ${versionId} does not exist.`)
      return v
    },
    'datasets.delete': ({ datasetId }) => deleteDataset(db, datasetId),
    'datasets.samples': () => writeSampleDatasets(join(opts.dataDir, 'samples')),
    // A preview is the step before an import: the import's worker starts loading meanwhile.
    'datasets.previewCsv': ({ path, options }) => (imports.warm(), previewCsv(path, options)),
    'datasets.previewImages': ({ path, options }) => (imports.warm(), previewImageFolder(path, options)),
    'datasets.thumbnail': ({ path }) => thumbnail(path),
    'uploads.begin': () => uploads.begin(),
    'uploads.append': ({ uploadId, path, size, offset, data }) => uploads.append(uploadId, path, size, offset, data),
    'uploads.finish': ({ uploadId }) => uploads.finish(uploadId),
    'uploads.abort': async ({ uploadId }) => {
      await uploads.abort(uploadId)
      return { aborted: true }
    },
    'datasets.import': (request) => imports.start(request),
    'datasets.cancelImport': ({ jobId }) => imports.cancel(jobId),
    'runs.start': (input) => startRun(db, engine, input),
    'runs.control': ({ runId, action }) => engine.control(runId, action),
    'runs.resume': ({ runId }) => resumeRun(db, engine, runId),
    'runs.get': ({ runId }) => getRun(db, runId),
    'runs.recent': ({ limit }) => recentRuns(db, limit),
    'runs.metrics': ({ runId, names, afterStep }) => readMetrics(db, runId, names, afterStep),
    'runs.evaluation': ({ runId }) => getEvaluation(db, runId) as Evaluation | null,
    'runs.checkpoints': ({ runId }) => (getRun(db, runId), listCheckpoints(db, runId)),
    'runs.evaluateCheckpoint': (t) => inference.run<CheckpointEvaluation>({ kind: 'evaluate', ...t }),
    'runs.predictions': (t) => inference.run<PredictionPage>({ kind: 'predictions', ...t }),
    'runs.predict': (t) => inference.run<TryItResult>({ kind: 'predict', ...t }),
    'runs.exportModel': (t) => inference.run<ExportResult>({ kind: 'export', ...t }),
    'runs.explainSample': (t) => inference.run<SampleExplanation>({ kind: 'explainSample', ...t }),
    'runs.permutationImportance': (t) => inference.run<PermutationImportanceResult>({ kind: 'permutationImportance', ...t }),
    'runs.project': (t) => projections.project(t),
    'runs.cancelProjection': (t) => projections.cancel(t),
    'runs.sampleInputs': (t) => inference.run<SampleInput[]>({ kind: 'sampleInputs', ...t }),
    'runs.list': (query) => reads.read<RunListPage>('runs.list', query),
    'runs.facets': () => listRunFacets(db),
    'runs.update': (input) => updateRunMeta(db, input),
    'runs.tag': ({ runIds, add, remove }) => {
      updateRunTags(db, runIds, { add, remove })
      return { updated: runIds.length }
    },
    'runs.delete': ({ runIds }) => deleteRunsChecked(db, runIds),
    'runs.metricNames': ({ runIds }) => listMetricNames(db, runIds),
    'runs.series': (input) => reads.read<SeriesResult>('runs.series', input),
    'runs.configs': ({ runIds }) => configDiffFor(db, runIds),
    'runs.archDiff': ({ runIdA, runIdB }) => archDiffFor(db, runIdA, runIdB),
    'runs.evaluations': ({ runIds }) => evaluationsFor(db, runIds),
    'runs.exportCsv': (input) => reads.read<RunsCsvExport>('runs.exportCsv', input),
    'runs.exportRead': ({ fileName, offset }) => readExportPiece(exportsFolder(dbPath), fileName, offset),
    'studies.create': (input) => studies.create(input),
    'studies.list': () => listStudies(db),
    'studies.get': ({ studyId }) => getStudy(db, studyId),
    'studies.control': ({ studyId, action }) => studies.control(studyId, action),
  }
  // Studies left running by a previous start continue: their interrupted trials resume, pending ones wait their turn.
  studies.recover()

  return {
    db,
    dbPath,
    call: (method, input, byteSize) => dispatch(handlers, method, input, ctx, byteSize),
    engine,
    studies,
    owner,
    interruptedAtStart,
    onEvent: (listener) => events.listen(listener),
    close: async () => {
      // First, so runs that shutdown stops stay running trials (resumed at the next start).
      studies.close()
      imports.close()
      await engine.shutdown()
      inference.close()
      reads.close()
      db.close()
    },
  }
}
