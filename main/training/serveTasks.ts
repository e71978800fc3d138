import * as tf from '@tensorflow/tfjs'
import type Database from 'better-sqlite3'
import type { ErrorCode } from '../../common/contract'
import { AppError, isAppError } from '../../common/errors'
import { explainSample, permutationTask } from '../explain/explainTasks'
import { projectionTask } from '../explain/projectionTask'
import type { ProjectionProgress } from '../../common/explain/types'
import { checkpointStamp, getExplanation, putExplanation, type ExplanationOwner } from '../store/queries/explanations'
import { splitRows } from './batches'
import { finalCheckpointId } from './checkpoint'
import { getRun } from '../store/queries/runRecords'
import { selectBackend } from './backends/select'
import { evaluateSplit, type SplitPredictions } from './evaluateSplit'
import { exportModel } from './exportModel'
import type { CheckpointEvaluation, EvalSplit, PredictionPage } from '../../common/training/inferenceTypes'
import { loadRunModel, type LoadedModel } from './loadRunModel'
import { countMistakes, filterPredictions, predictionRows, scatterPoints } from './predictionsPage'
import { readSampleInputs } from './sampleInputs'
import type { InferenceTask, TaskResult } from './taskProtocol'
import { predictOne, sampleFromInput } from './tryIt'
import { openWorkerDb } from '../store/workerDb'
import { checkpointCreatedAt } from '../store/queries/checkpoints'

/** Models kept loaded (try-it asks the same one again and again). */
const MODEL_CACHE = 2
/** Split predictions kept, so paging through them does not re-run the evaluation. */
const PREDICTION_CACHE = 4

interface Evaluated {
  result: CheckpointEvaluation
  predictions: SplitPredictions
  classes: string[] | null
}

/** A tiny least-recently-used map; `onEvict` frees what an entry holds. */
class Lru<V> {
  private readonly map = new Map<string, V>()
  constructor(
    private readonly size: number,
    private readonly onEvict: (v: V) => void = () => {},
  ) {}
  get(key: string): V | undefined {
    const v = this.map.get(key)
    if (v !== undefined) {
      this.map.delete(key)
      this.map.set(key, v)
    }
    return v
  }
  set(key: string, v: V): void {
    this.map.delete(key)
    this.map.set(key, v)
    while (this.map.size > this.size) {
      const [k, old] = this.map.entries().next().value as [string, V]
      this.map.delete(k)
      this.onEvict(old)
    }
  }
  clear(): void {
    for (const v of this.map.values()) this.onEvict(v)
    this.map.clear()
  }
}

/**
 * A cache key for one checkpoint that stays unique after deletes: SQLite may hand a deleted row's
 * id to the next run or checkpoint, so the key also carries the checkpoint's creation time.
 */
function stampKey(db: Database.Database, runId: number, checkpointId: number): string {
  return `${runId}:${checkpointId}:${checkpointCreatedAt(db, runId, checkpointId) ?? 'missing'}`
}

/** The split an evaluation uses: the one asked for, else the next that has rows (test, validation, train). */
function splitWithRows(db: Database.Database, versionId: number, wanted: EvalSplit): EvalSplit {
  for (const s of [wanted, 'test', 'validation', 'train'] as const) if (splitRows(db, versionId, s) > 0) return s
  return wanted
}

/**
 * Serves inference tasks in a worker: on-demand checkpoint evaluation with every sample's
 * prediction, pages of those predictions with their inputs, try-it predictions, model
 * export and explanations (Grad-CAM, saliency, permutation importance; stored per checkpoint).
 * Keeps its database connection, a few loaded models and recent predictions between tasks;
 * every failure comes back as data.
 */
export class TaskServer {
  private db: Database.Database | null = null
  private dbPath = ''
  private backend: string | null = null
  private readonly models = new Lru<LoadedModel>(MODEL_CACHE, (m) => m.model.dispose())
  private readonly evaluations = new Lru<Evaluated>(PREDICTION_CACHE)

  /** Ids of tasks asked to stop; a task that checks (a projection) ends with 'cancelled'. */
  private readonly cancelledIds = new Set<number>()

  /** Asks task `id` to stop (before it starts or while it runs). */
  cancel(id: number): void {
    this.cancelledIds.add(id)
  }

  /** Runs one task to its result; `report` carries a long task's progress. */
  async handle(dbPath: string, task: InferenceTask, id = 0, report: (progress: unknown) => void = () => {}): Promise<TaskResult> {
    try {
      return { ok: true, value: await this.run(dbPath, task, id, report) }
    } catch (e) {
      if (isAppError(e)) return { ok: false, code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) }
      const err = e as { code?: string; message?: string }
      const code: ErrorCode = err?.code === 'SQLITE_BUSY' ? 'unavailable' : 'internal'
      return { ok: false, code, message: err?.message ?? String(e) }
    } finally {
      this.cancelledIds.delete(id)
    }
  }

  /** Frees the models and closes the connection. */
  close(): void {
    this.models.clear()
    this.evaluations.clear()
    this.db?.close()
    this.db = null
  }

  private conn(dbPath: string): Database.Database {
    if (!this.db || this.dbPath !== dbPath) {
      this.close()
      this.db = openWorkerDb(dbPath)
      this.dbPath = dbPath
    }
    return this.db
  }

  private async model(db: Database.Database, runId: number, checkpointId?: number): Promise<LoadedModel> {
    const run = getRun(db, runId)
    const preference = run.config.backend ?? 'auto'
    // Inference uses the backend the run asked for; models built on another backend are dropped.
    if (this.backend !== preference) {
      this.models.clear()
      await selectBackend(preference)
      this.backend = preference
    }
    // Resolve "the run's model" to a checkpoint id first: a run still training gets newer ones.
    const id = checkpointId ?? finalCheckpointId(db, runId, run.config.earlyStopping?.restoreBest ?? false)
    const key = stampKey(db, runId, id)
    const cached = this.models.get(key)
    if (cached) return cached
    const loaded = await loadRunModel(tf, db, runId, id)
    this.models.set(key, loaded)
    return loaded
  }

  private async evaluate(db: Database.Database, runId: number, checkpointId: number, wanted: EvalSplit): Promise<Evaluated> {
    const key = `${stampKey(db, runId, checkpointId)}:${wanted}`
    const hit = this.evaluations.get(key)
    if (hit) return hit
    const m = await this.model(db, runId, checkpointId)
    const split = splitWithRows(db, m.version.id, wanted)
    const r = await evaluateSplit(tf, m.model, { db, versionId: m.version.id, split, config: m.run.config, task: m.task, keepPredictions: true })
    const classification = m.task.kind === 'classification'
    const predictions = r.predictions as SplitPredictions
    const result: CheckpointEvaluation = {
      runId,
      checkpointId,
      epoch: m.checkpoint.epoch,
      step: m.checkpoint.step,
      split,
      samples: r.n,
      mistakes: countMistakes(predictions, classification),
      evaluation: r.evaluation,
      scatter: classification ? null : scatterPoints(predictions),
    }
    const entry: Evaluated = { result, predictions, classes: classification ? m.task.classes : null }
    this.evaluations.set(key, entry)
    return entry
  }

  /** An explanation from the store when this checkpoint has one, else computed and stored. */
  private async cached(db: Database.Database, runId: number, checkpointId: number, kind: string, key: string, compute: () => Promise<object>): Promise<unknown> {
    const stamp = checkpointStamp(db, runId, checkpointId)
    if (stamp === null) throw new AppError('not_found', `Run ${runId} has no checkpoint ${checkpointId}.`)
    const owner: ExplanationOwner = { runId, checkpointId, stamp }
    const hit = getExplanation(db, owner, kind, key)
    if (hit !== null) return { ...(JSON.parse(hit) as object), cached: true }
    const value = await compute()
    putExplanation(db, owner, kind, key, JSON.stringify(value))
    return { ...value, cached: false }
  }

  private async run(dbPath: string, task: InferenceTask, id: number, report: (progress: unknown) => void): Promise<unknown> {
    const db = this.conn(dbPath)
    switch (task.kind) {
      case 'evaluate':
        return (await this.evaluate(db, task.runId, task.checkpointId, task.split)).result
      case 'predictions': {
        const ev = await this.evaluate(db, task.runId, task.checkpointId, task.split)
        const classIndex = (field: 'truth' | 'predicted'): number | undefined => {
          const name = task[field]
          if (name === undefined) return undefined
          const k = ev.classes?.indexOf(name) ?? -1
          if (k < 0) throw new AppError('invalid_input', `${field}: "${name}" is not a class of this run${ev.classes ? ` (${ev.classes.join(', ')})` : ': it predicts a value'}.`)
          return k
        }
        const positions = filterPredictions(ev.predictions, ev.classes !== null, task.filter, { truth: classIndex('truth'), predicted: classIndex('predicted') })
        const page = positions.subarray(task.offset, task.offset + task.limit)
        const version = (await this.model(db, task.runId, task.checkpointId)).version
        const inputs = readSampleInputs(db, version, Array.from(page, (i) => ev.predictions.rowIndex[i]))
        const out: PredictionPage = {
          runId: task.runId,
          checkpointId: task.checkpointId,
          split: ev.result.split,
          filter: task.filter,
          truth: task.truth ?? null,
          predicted: task.predicted ?? null,
          total: positions.length,
          offset: task.offset,
          rows: predictionRows(ev.predictions, ev.classes, page, inputs),
        }
        return out
      }
      case 'predict': {
        const m = await this.model(db, task.runId, task.checkpointId)
        const sample = await sampleFromInput(m.version, task.input)
        return predictOne(tf, m.model, sample, m.task.kind === 'classification' ? m.task.classes : null, m.checkpoint.id)
      }
      case 'export': {
        const m = await this.model(db, task.runId, task.checkpointId)
        return exportModel(tf, m, task.folder, task.overwrite, task.onnx ?? true)
      }
      case 'explainSample': {
        const { kind, runId, checkpointId, ...rest } = task
        // Only what changes the answer goes into the key (SmoothGrad's noise and IG's steps only for their method).
        const key = JSON.stringify([rest.split, rest.rowIndex, rest.classIndex ?? null, rest.layer ?? null, rest.method, rest.method === 'smoothgrad' ? [rest.samples, rest.sigma] : rest.method === 'integrated' ? rest.steps : null])
        return this.cached(db, runId, checkpointId, kind, key, async () => explainSample(tf, db, await this.model(db, runId, checkpointId), task))
      }
      case 'permutationImportance': {
        const key = JSON.stringify([task.split, task.repeats])
        return this.cached(db, task.runId, task.checkpointId, task.kind, key, async () => {
          const m = await this.model(db, task.runId, task.checkpointId)
          return permutationTask(tf, db, m, splitWithRows(db, m.version.id, task.split), task.repeats)
        })
      }
      case 'project': {
        const { kind, ...req } = task
        const asked = { runId: req.runId, checkpointId: req.checkpointId, split: req.split, layer: req.layer ?? null }
        const progress = (phase: ProjectionProgress['phase'], done: number, total: number) => report({ ...asked, phase, done, total } satisfies ProjectionProgress)
        const cancelled = () => this.cancelledIds.has(id)
        // The layer as asked (null: the default) keys the store, so reopening needs no model.
        const key = JSON.stringify([req.split, req.layer ?? null, req.samples])
        return this.cached(db, req.runId, req.checkpointId, kind, key, async () => {
          progress('loading', 0, 1)
          const m = await this.model(db, req.runId, req.checkpointId)
          return projectionTask(tf, db, m, { ...req, split: splitWithRows(db, m.version.id, req.split) }, { progress, cancelled })
        })
      }
      case 'sampleInputs': {
        const m = await this.model(db, task.runId)
        return readSampleInputs(db, m.version, task.rowIndexes)
      }
    }
  }
}
