import type { Database } from 'better-sqlite3'
import { trainConfigSchema } from '../../../common/contract'
import { AppError } from '../../../common/errors'
import type { Objective } from '../../../common/studies/objective'
import type { TrialParams } from '../../../common/studies/space'
import { objectiveSchema, searchSpaceSchema, storedRungsSchema, studyStrategySchema } from '../../../common/studies/schemas'
import { parseStoredJson } from './storedJson'
import { meanStd } from '../../studies/folds'
import type { CvMetric, FoldRun, StudyDetail, StudyState, StudySummary, TrialRow, TrialState } from '../../../common/studies/types'

const TRIAL_STATES: TrialState[] = ['pending', 'running', 'completed', 'pruned', 'failed', 'invalid', 'stopped', 'skipped']

interface StudyRecord {
  id: number
  name: string
  model_version_id: number
  dataset_version_id: number
  config_json: string
  space_json: string
  strategy_json: string
  objective_json: string
  max_trials: number | null
  max_seconds: number | null
  trial_model_id: number | null
  state: StudyState
  created_at: number
  ended_at: number | null
}

interface TrialRecord {
  id: number
  study_id: number
  number: number
  state: TrialState
  params_json: string
  run_id: number | null
  model_version_id: number | null
  objective: number | null
  objective_std: number | null
  rung: number
  rungs_json: string
  reason: string | null
  started_at: number | null
  ended_at: number | null
}

/** What a new study stores; each trial is its params, or the reason it cannot run. */
export interface NewStudy
  extends Pick<StudySummary, 'name' | 'modelVersionId' | 'datasetVersionId' | 'config' | 'space' | 'strategy' | 'objective' | 'maxTrials' | 'maxSeconds'> {
  trials: { params: TrialParams; invalid: string | null }[]
}

/** Inserts a study and all its trials (pending, or invalid with the reason) in one transaction. */
export function insertStudy(db: Database, s: NewStudy, now = Date.now()): number {
  return db.transaction(() => {
    const id = Number(
      db
        .prepare(
          `INSERT INTO studies (name, model_version_id, dataset_version_id, config_json, space_json, strategy_json, objective_json, max_trials, max_seconds, state, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)`,
        )
        .run(s.name, s.modelVersionId, s.datasetVersionId, JSON.stringify(s.config), JSON.stringify(s.space), JSON.stringify(s.strategy), JSON.stringify(s.objective), s.maxTrials, s.maxSeconds, now).lastInsertRowid,
    )
    const insert = db.prepare('INSERT INTO trials (study_id, number, params_json, state, reason, ended_at) VALUES (?, ?, ?, ?, ?, ?)')
    s.trials.forEach((t, i) => insert.run(id, i + 1, JSON.stringify(t.params), t.invalid ? 'invalid' : 'pending', t.invalid, t.invalid ? now : null))
    return id
  }).immediate()
}

function toTrial(r: TrialRecord, folds: FoldRun[] | null = null): TrialRow {
  return {
    number: r.number,
    state: r.state,
    params: JSON.parse(r.params_json) as TrialParams,
    runId: r.run_id,
    modelVersionId: r.model_version_id,
    objective: r.objective,
    objectiveStd: r.objective_std,
    folds,
    rung: r.rung,
    rungs: parseStoredJson(storedRungsSchema, r.rungs_json, { table: 'trials', rowId: r.id, column: 'rungs_json', label: `Study ${r.study_id} trial ${r.number}` }),
    reason: r.reason,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  }
}

function toSummary(db: Database, r: StudyRecord): StudySummary {
  const cell = (column: string) => ({ table: 'studies', rowId: r.id, column })
  const objective = parseStoredJson(objectiveSchema, r.objective_json, cell('objective_json'))
  const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<TrialState, number>
  for (const c of db.prepare('SELECT state, count(*) AS n FROM trials WHERE study_id = ? GROUP BY state').all(r.id) as { state: TrialState; n: number }[]) counts[c.state] = c.n
  const best = db
    .prepare(`SELECT number, objective, run_id, model_version_id FROM trials WHERE study_id = ? AND objective IS NOT NULL AND state = 'completed' ORDER BY objective ${objective.direction === 'min' ? 'ASC' : 'DESC'}, number LIMIT 1`)
    .get(r.id) as { number: number; objective: number; run_id: number | null; model_version_id: number | null } | undefined
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    modelVersionId: r.model_version_id,
    datasetVersionId: r.dataset_version_id,
    config: parseStoredJson(trainConfigSchema, r.config_json, cell('config_json')),
    space: parseStoredJson(searchSpaceSchema, r.space_json, cell('space_json')),
    strategy: parseStoredJson(studyStrategySchema, r.strategy_json, cell('strategy_json')),
    objective,
    maxTrials: r.max_trials,
    maxSeconds: r.max_seconds,
    createdAt: r.created_at,
    endedAt: r.ended_at,
    counts,
    best: best ? { number: best.number, objective: best.objective, runId: best.run_id, modelVersionId: best.model_version_id } : null,
  }
}

function studyRecord(db: Database, studyId: number): StudyRecord {
  const r = db.prepare('SELECT * FROM studies WHERE id = ?').get(studyId) as StudyRecord | undefined
  if (!r) throw new AppError('not_found', `Study ${studyId} does not exist.`)
  return r
}

/** Every study, newest first. */
export function listStudies(db: Database): StudySummary[] {
  return (db.prepare('SELECT * FROM studies ORDER BY id DESC').all() as StudyRecord[]).map((r) => toSummary(db, r))
}

/** One study with its trials in number order. */
export function getStudy(db: Database, studyId: number): StudyDetail {
  const summary = toSummary(db, studyRecord(db, studyId))
  const foldsOf = summary.objective.cv ? foldRunsByTrial(db, studyId, summary.objective) : null
  const trials = (db.prepare('SELECT * FROM trials WHERE study_id = ? ORDER BY number').all(studyId) as TrialRecord[]).map((r) => toTrial(r, foldsOf ? (foldsOf.get(r.number) ?? []) : null))
  return { ...summary, trials, cv: summary.strategy.kind === 'cv' ? cvSummary(db, summary.objective, trials) : null }
}

/** Metrics summarized across folds: each completed fold run's final value, and the objective (best per run). */
export const CV_METRICS = ['loss', 'accuracy', 'val_loss', 'val_accuracy']

function cvSummary(db: Database, objective: Objective, trials: TrialRow[]): CvMetric[] {
  const runs = trials.filter((t) => t.state === 'completed' && t.runId !== null).map((t) => t.runId!)
  if (runs.length === 0) return []
  const last = db.prepare('SELECT last_value FROM metric_summaries WHERE run_id = ? AND name = ?')
  const out: CvMetric[] = []
  for (const metric of CV_METRICS) {
    const values = runs.map((r) => (last.get(r, metric) as { last_value: number | null } | undefined)?.last_value).filter((v): v is number => typeof v === 'number')
    if (values.length) out.push({ metric, ...meanStd(values), folds: values.length })
  }
  const best = trials.filter((t) => t.state === 'completed' && t.objective !== null).map((t) => t.objective!)
  if (best.length) out.push({ metric: `${objective.direction === 'min' ? 'min' : 'max'} ${objective.metric} (objective)`, ...meanStd(best), folds: best.length })
  return out
}

/** The model that holds a study's trial graphs, if one was made. */
export function studyTrialModel(db: Database, studyId: number): number | null {
  return studyRecord(db, studyId).trial_model_id
}

/** Records the model that holds a study's trial graphs. */
export function setStudyTrialModel(db: Database, studyId: number, modelId: number): void {
  db.prepare('UPDATE studies SET trial_model_id = ? WHERE id = ?').run(modelId, studyId)
}

/** Moves a study to a new state; stopped and completed record the end time. */
export function setStudyState(db: Database, studyId: number, state: StudyState, now = Date.now()): void {
  db.prepare('UPDATE studies SET state = ?, ended_at = ? WHERE id = ?').run(state, state === 'stopped' || state === 'completed' ? now : null, studyId)
}

/** Ids of studies in a state. */
export function studiesIn(db: Database, state: StudyState): number[] {
  return (db.prepare('SELECT id FROM studies WHERE state = ? ORDER BY id').all(state) as { id: number }[]).map((r) => r.id)
}

/** A trial found by its run. */
export interface TrialRef {
  studyId: number
  number: number
  state: TrialState
}

/** The trial a run belongs to, if any. */
export function trialOfRun(db: Database, runId: number): TrialRef | null {
  const r = db.prepare('SELECT study_id AS studyId, number, state FROM trials WHERE run_id = ?').get(runId) as TrialRef | undefined
  return r ?? null
}

/** A trial's state (null when there is no such trial). */
export function trialState(db: Database, studyId: number, number: number): TrialState | null {
  const r = db.prepare('SELECT state FROM trials WHERE study_id = ? AND number = ?').get(studyId, number) as { state: TrialState } | undefined
  return r?.state ?? null
}

/** Trials of a study in a state, in number order. */
export function trialsIn(db: Database, studyId: number, state: TrialState): TrialRow[] {
  return (db.prepare('SELECT * FROM trials WHERE study_id = ? AND state = ? ORDER BY number').all(studyId, state) as TrialRecord[]).map((r) => toTrial(r))
}

/**
 * Each cross-validated trial's fold runs with each fold's objective (best of its epochs), by trial
 * number. One query over the metric summaries: the study view reads this on every change, so it
 * must not read every fold's series.
 */
function foldRunsByTrial(db: Database, studyId: number, objective: Objective): Map<number, FoldRun[]> {
  const best = objective.direction === 'min' ? 'min_value' : 'max_value'
  const rows = db
    .prepare(
      `SELECT f.number, f.fold, f.run_id AS runId, s.${best} AS value FROM trial_folds f
       LEFT JOIN metric_summaries s ON s.run_id = f.run_id AND s.name = ?
       WHERE f.study_id = ? ORDER BY f.number, f.fold`,
    )
    .all(objective.metric, studyId) as { number: number; fold: number; runId: number | null; value: number | null }[]
  const out = new Map<number, FoldRun[]>()
  for (const f of rows) {
    let list = out.get(f.number)
    if (!list) out.set(f.number, (list = []))
    list.push({ fold: f.fold, runId: f.runId, objective: f.value !== null && Number.isFinite(f.value) ? f.value : null })
  }
  return out
}

/** Ties a trial's fold runs to it, fold i to runIds[i] (in the caller's transaction with the runs). */
export function insertTrialFolds(db: Database, studyId: number, number: number, runIds: readonly number[]): void {
  const insert = db.prepare('INSERT INTO trial_folds (study_id, number, fold, run_id) VALUES (?, ?, ?, ?)')
  runIds.forEach((runId, fold) => insert.run(studyId, number, fold, runId))
}

/** The cross-validated trial a fold run belongs to, if any. */
export function trialOfFoldRun(db: Database, runId: number): (TrialRef & { fold: number }) | null {
  const r = db
    .prepare('SELECT f.study_id AS studyId, f.number, f.fold, t.state FROM trial_folds f JOIN trials t ON t.study_id = f.study_id AND t.number = f.number WHERE f.run_id = ?')
    .get(runId) as (TrialRef & { fold: number }) | undefined
  return r ?? null
}

/** A trial's runs: its fold runs in fold order when cross-validated, else its one run (none before it starts). */
export function trialRunIds(db: Database, studyId: number, number: number): number[] {
  const folds = db.prepare('SELECT run_id AS runId FROM trial_folds WHERE study_id = ? AND number = ? ORDER BY fold').all(studyId, number) as { runId: number | null }[]
  if (folds.length) return folds.map((f) => f.runId).filter((r): r is number => r !== null)
  const t = db.prepare('SELECT run_id AS runId FROM trials WHERE study_id = ? AND number = ?').get(studyId, number) as { runId: number | null } | undefined
  return t?.runId != null ? [t.runId] : []
}

/** How many runs of a study's running trials have not ended yet (what counts against "runs at a time"). */
export function unfinishedTrialRuns(db: Database, studyId: number): number {
  let n = 0
  for (const t of db.prepare("SELECT number FROM trials WHERE study_id = ? AND state = 'running'").all(studyId) as { number: number }[]) {
    const ids = trialRunIds(db, studyId, t.number)
    if (ids.length === 0) continue
    const unfinished = db.prepare(`SELECT count(*) AS n FROM runs WHERE id IN (${ids.map(() => '?').join(',')}) AND state IN ('queued', 'running', 'paused')`).get(...ids) as { n: number }
    n += unfinished.n
  }
  return n
}

/** Records a cross-validated trial's spread of fold objectives beside its mean objective. */
export function setTrialObjectiveStd(db: Database, studyId: number, number: number, std: number | null): void {
  db.prepare('UPDATE trials SET objective_std = ? WHERE study_id = ? AND number = ?').run(std, studyId, number)
}

/** Ties a pending trial to its run (and the model version it trains) and marks it running. */
export function startTrial(db: Database, studyId: number, number: number, runId: number, modelVersionId: number, now = Date.now()): void {
  const changed = db.prepare("UPDATE trials SET state = 'running', run_id = ?, model_version_id = ?, started_at = ? WHERE study_id = ? AND number = ? AND state = 'pending'").run(runId, modelVersionId, now, studyId, number)
  // A trial is launched once: if it was not pending, something else already took it.
  if (changed.changes !== 1) throw new AppError('conflict', `Trial ${number} of study ${studyId} is not pending.`)
}

/** Ends a trial with its state, objective and reason. */
export function endTrial(db: Database, studyId: number, number: number, state: TrialState, objective: number | null, reason: string | null, now = Date.now()): void {
  db.prepare('UPDATE trials SET state = ?, objective = coalesce(?, objective), reason = ?, ended_at = ? WHERE study_id = ? AND number = ?').run(state, objective, reason, now, studyId, number)
}

/** Records a trial's objective at an ASHA rung (and how many rungs it reached). */
export function recordRung(db: Database, studyId: number, number: number, rungEpoch: number, rungIndex: number, value: number): void {
  const row = db.prepare('SELECT id, rungs_json FROM trials WHERE study_id = ? AND number = ?').get(studyId, number) as { id: number; rungs_json: string }
  const rungs = parseStoredJson(storedRungsSchema, row.rungs_json, { table: 'trials', rowId: row.id, column: 'rungs_json' })
  rungs[String(rungEpoch)] = value
  db.prepare('UPDATE trials SET rungs_json = ?, rung = max(rung, ?), objective = ? WHERE study_id = ? AND number = ?').run(JSON.stringify(rungs), rungIndex, value, studyId, number)
}

/** Objective values every other trial of the study recorded at a rung. */
export function valuesAtRung(db: Database, studyId: number, exceptNumber: number, rungEpoch: number): number[] {
  const rows = db.prepare('SELECT id, rungs_json FROM trials WHERE study_id = ? AND number != ?').all(studyId, exceptNumber) as { id: number; rungs_json: string }[]
  const out: number[] = []
  for (const r of rows) {
    const v = parseStoredJson(storedRungsSchema, r.rungs_json, { table: 'trials', rowId: r.id, column: 'rungs_json' })[String(rungEpoch)]
    if (typeof v === 'number') out.push(v)
  }
  return out
}

/** Marks every pending trial of a study skipped (budget spent or study stopped). */
export function skipPending(db: Database, studyId: number, reason: string, now = Date.now()): number {
  return db.prepare("UPDATE trials SET state = 'skipped', reason = ?, ended_at = ? WHERE study_id = ? AND state = 'pending'").run(reason, now, studyId).changes
}

/** A run's logged series of one metric at epoch level (the objective reads it). */
export function epochSeries(db: Database, runId: number, metric: string): { epoch: number; value: number }[] {
  return (db.prepare('SELECT epoch, value FROM metrics WHERE run_id = ? AND name = ? ORDER BY step').all(runId, metric) as { epoch: number; value: number | null }[]).map((r) => ({
    epoch: r.epoch,
    value: r.value ?? NaN,
  }))
}

/** When a study's first trial started (its wall-time budget counts from there). */
export function studyStartedAt(db: Database, studyId: number): number | null {
  return (db.prepare('SELECT min(started_at) AS t FROM trials WHERE study_id = ?').get(studyId) as { t: number | null }).t
}
