import { z } from 'zod'
import type { EventMap, EventName, RunStateEvent, TrainConfig, EpochMetrics } from '../../common/contract'
import { AppError } from '../../common/errors'
import type { EventBus } from '../core/events'
import { saveModel } from '../core/modelService'
import { seededRandom } from '../../common/datasets/prng'
import type { ModelGraph } from '../../common/graph/types'
import type { Db } from '../store'
import { withFullSync } from '../store/open'
import { getDatasetVersion } from '../store/queries/datasets'
import { updateRunTags } from '../store/queries/runs'
import {
  endTrial,
  epochSeries,
  getStudy,
  insertStudy,
  insertTrialFolds,
  recordRung,
  setStudyState,
  setStudyTrialModel,
  setTrialObjectiveStd,
  skipPending,
  startTrial,
  studiesIn,
  studyStartedAt,
  studyTrialModel,
  trialOfFoldRun,
  trialOfRun,
  trialRunIds,
  trialState,
  trialsIn,
  unfinishedTrialRuns,
  valuesAtRung,
} from '../store/queries/studies'
import { checkFit, dataTaskOf } from '../training/dataTask'
import type { TrainingEngine } from '../training/engine'
import { createRun, getRun, setRunState } from '../store/queries/runRecords'
import { ashaDecision, rungEpochs } from './asha'
import { foldObjective, objectiveValue } from '../../common/studies/objective'
import { strategyObjectiveProblem, type objectiveSchema, type searchSpaceSchema, type studyStrategySchema } from '../../common/studies/schemas'
import { applyParams, expandGrid, sampleTrials, spaceProblems, type TrialParams } from '../../common/studies/space'
import type { StudyDetail, TrialRow } from '../../common/studies/types'

/** What studies.create receives (validated by the contract). */
export interface CreateStudyInput {
  name: string
  modelVersionId: number
  datasetVersionId: number
  config: TrainConfig
  space: z.output<typeof searchSpaceSchema>
  strategy: z.output<typeof studyStrategySchema>
  objective: z.output<typeof objectiveSchema>
  maxTrials?: number
  maxSeconds?: number
}

/** Trials a random or ASHA study draws when no maximum is given. */
export const DEFAULT_RANDOM_TRIALS = 20

/** The tag every trial's run carries, so Compare can filter a study's runs. */
export function studyTag(studyId: number): string {
  return `study:${studyId}`
}

/**
 * Turns a study's trials into ordinary runs through the training queue, at most "trials at once"
 * (settings.studyTrialsAtOnce; runs, as a cross-validated trial is k runs) in flight, and reacts to their runs' events: records objectives, stops ASHA losers at
 * rungs, and finishes the study when no trial is left. Everything it decides is written to the
 * store first, so a relaunch continues from there (see recover()).
 */
export class StudyScheduler {
  private closed = false
  /** Runs being held by a pause right now: their "stopped" event is not the end of their trial. */
  private readonly holding = new Set<number>()
  private readonly unlisten: () => void

  constructor(
    private readonly db: Db,
    private readonly engine: TrainingEngine,
    private readonly events: EventBus,
    private readonly concurrency: () => number,
  ) {
    this.unlisten = events.listen(<E extends EventName>(event: E, payload: EventMap[E]) => {
      if (this.closed) return
      if (event === 'run.state') this.onRunState(payload as RunStateEvent)
      else if (event === 'run.epoch') this.onEpoch(payload as EpochMetrics)
    })
  }

  /** Validates a study, writes it with every trial (bad combinations refused with their reason), and starts it. */
  create(input: CreateStudyInput): StudyDetail {
    const mv = this.db.prepare('SELECT graph_json FROM model_versions WHERE id = ?').get(input.modelVersionId) as { graph_json: string } | undefined
    if (!mv) throw new AppError('not_found', `Model version ${input.modelVersionId} does not exist.`)
    const dv = getDatasetVersion(this.db, input.datasetVersionId)
    if (!dv) throw new AppError('not_found', `Dataset version ${input.datasetVersionId} does not exist.`)
    const graph = JSON.parse(mv.graph_json) as ModelGraph
    const task = dataTaskOf(dv)
    const pairing = strategyObjectiveProblem(input.strategy, input.objective)
    if (pairing) throw new AppError('invalid_input', pairing)
    const problems = input.strategy.kind === 'cv' ? [] : spaceProblems(input.space, graph)
    if (problems.length) throw new AppError('invalid_input', `Search space: ${problems.join(' ')}`)
    let params: TrialParams[]
    if (input.strategy.kind === 'cv') {
      // One trial per fold of the base config; the space is not searched.
      const { k, seed } = input.strategy
      params = Array.from({ length: k }, (_, index) => ({ fold: { k, index, seed } }))
    } else if (input.strategy.kind === 'grid') {
      try {
        params = expandGrid(input.space)
      } catch (e) {
        throw new AppError('invalid_input', (e as Error).message)
      }
      if (input.maxTrials) params = params.slice(0, input.maxTrials)
    } else {
      const random = seededRandom(input.strategy.seed)
      params = sampleTrials(input.space, input.maxTrials ?? DEFAULT_RANDOM_TRIALS, random)
    }
    if (input.strategy.kind === 'asha' && rungEpochs({ ...input.strategy, maxEpochs: input.config.epochs }).length === 0 && !('epochs' in input.space)) {
      throw new AppError('invalid_input', `ASHA needs more epochs (${input.config.epochs}) than its first rung (${input.strategy.minEpochs}) to stop anything early.`)
    }
    const trials = params.map((p) => {
      const applied = applyParams(input.config, graph, p)
      if (!applied.ok) return { params: p, invalid: applied.reason }
      try {
        checkFit(applied.graph, task, applied.config)
      } catch (e) {
        return { params: p, invalid: (e as Error).message }
      }
      return { params: p, invalid: null }
    })
    const id = insertStudy(this.db, {
      name: input.name,
      modelVersionId: input.modelVersionId,
      datasetVersionId: input.datasetVersionId,
      config: input.config,
      space: input.space,
      strategy: input.strategy,
      objective: input.objective,
      maxTrials: input.maxTrials ?? null,
      maxSeconds: input.maxSeconds ?? null,
      trials,
    })
    this.pump(id)
    return getStudy(this.db, id)
  }

  /** Pauses (no new trials; running ones pause), resumes, or stops a study (running trials stop, pending ones are skipped). */
  control(studyId: number, action: 'pause' | 'resume' | 'stop'): StudyDetail {
    const study = getStudy(this.db, studyId)
    if (study.state === 'stopped' || study.state === 'completed') throw new AppError('conflict', `Study ${studyId} is ${study.state}.`)
    const running = trialsIn(this.db, studyId, 'running')
    if (action === 'pause') {
      setStudyState(this.db, studyId, 'paused')
      for (const t of running) {
        for (const runId of trialRunIds(this.db, studyId, t.number)) {
          // A run still waiting in the queue would start on its own when a slot frees: take it off
          // the queue and hold it; a run already training pauses in its worker.
          if (this.engine.withdraw(runId)) this.hold(studyId, runId)
          else this.tryControl(runId, 'pause')
        }
      }
    } else if (action === 'resume') {
      setStudyState(this.db, studyId, 'running')
      for (const t of running) this.continueTrial(studyId, t)
      this.pump(studyId)
    } else {
      setStudyState(this.db, studyId, 'stopped')
      skipPending(this.db, studyId, 'The study was stopped before this trial ran.')
      for (const t of running) {
        // The trial ends first, so the run's "stopped" event finds nothing left to do.
        endTrial(this.db, studyId, t.number, 'stopped', this.objectiveOf(studyId, t.runId), 'The study was stopped.')
        for (const runId of trialRunIds(this.db, studyId, t.number)) this.tryControl(runId, 'stop')
      }
    }
    this.changed(studyId)
    return getStudy(this.db, studyId)
  }

  /**
   * After a relaunch: the app that ran a study's trials is gone and their runs were interrupted at
   * start-up. Each running trial of a running study resumes its own run from its newest checkpoint
   * (never a new run), a trial whose run finished before the crash is recorded, and pending trials
   * start as their turn comes. Paused studies wait for resume.
   */
  recover(): number[] {
    const resumed: number[] = []
    for (const studyId of studiesIn(this.db, 'running')) {
      for (const t of trialsIn(this.db, studyId, 'running')) {
        if (this.continueTrial(studyId, t)) resumed.push(t.number)
      }
      this.pump(studyId)
    }
    return resumed
  }

  /** Stops listening (the app is closing: runs stopped by shutdown stay running trials, resumed at relaunch). */
  close(): void {
    this.closed = true
    this.unlisten()
  }

  /** Starts trials of a running study up to the trials-at-once limit; finishes it when none is left. */
  pump(studyId: number): void {
    if (this.closed) return
    const study = getStudy(this.db, studyId)
    if (study.state !== 'running') return
    const started = studyStartedAt(this.db, studyId)
    if (study.maxSeconds !== null && started !== null && Date.now() - started > study.maxSeconds * 1000) {
      skipPending(this.db, studyId, `The study's wall-time budget (${study.maxSeconds} s) was spent.`)
    }
    // Runs, not trials, count against "trials at once": a cross-validated trial is k runs.
    let inFlight = unfinishedTrialRuns(this.db, studyId)
    const pending = trialsIn(this.db, studyId, 'pending')
    while (inFlight < this.concurrency() && pending.length) inFlight += this.launch(study, pending.shift()!)
    if (pending.length === 0 && trialsIn(this.db, studyId, 'running').length === 0) setStudyState(this.db, studyId, 'completed')
    this.changed(studyId)
  }

  /**
   * Saves the trial's graph as a model version (when layers vary), creates its run (one per fold
   * when the objective is cross-validated) and queues it; returns how many runs it queued.
   */
  private launch(study: StudyDetail, trial: TrialRow): number {
    try {
      const base = this.db.prepare('SELECT v.graph_json, m.name FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.id = ?').get(study.modelVersionId) as
        | { graph_json: string; name: string }
        | undefined
      if (!base) throw new AppError('not_found', `The study's model version ${study.modelVersionId} no longer exists.`)
      const applied = applyParams(study.config, JSON.parse(base.graph_json) as ModelGraph, trial.params)
      if (!applied.ok) throw new AppError('invalid_input', applied.reason)
      let modelVersionId = study.modelVersionId
      if (Object.keys(trial.params).some((k) => k.includes('.'))) {
        // Trial graphs go to one model per study, so the base model's own versions stay the person's.
        const saved = saveModel(this.db, { modelId: studyTrialModel(this.db, study.id) ?? undefined, name: `${base.name} · study ${study.id}`, graph: applied.graph })
        setStudyTrialModel(this.db, study.id, saved.modelId)
        modelVersionId = saved.versionId
      }
      const cv = study.objective.cv
      const name = `${study.name} · trial ${trial.number}`
      // Runs, tags and trial link commit together (power-loss safe): a trial is never left pending with a run of its own.
      const runIds = withFullSync(this.db, () => {
        const runs = cv
          ? Array.from({ length: cv.k }, (_, index) => ({ name: `${name} · fold ${index + 1}/${cv.k}`, config: { ...applied.config, fold: { k: cv.k, index, seed: cv.seed } }, tags: [`fold:${index + 1}`] }))
          : [{ name, config: applied.config, tags: [] as string[] }]
        const ids = runs.map((r) => {
          const id = createRun(this.db, { name: r.name, modelVersionId, datasetVersionId: study.datasetVersionId, config: r.config })
          updateRunTags(this.db, [id], { add: [studyTag(study.id), `trial:${trial.number}`, ...r.tags] })
          return id
        })
        startTrial(this.db, study.id, trial.number, ids[0], modelVersionId)
        if (cv) insertTrialFolds(this.db, study.id, trial.number, ids)
        return ids
      })
      for (const id of runIds) this.engine.enqueue(id, false)
      return runIds.length
    } catch (e) {
      endTrial(this.db, study.id, trial.number, 'failed', null, (e as Error).message)
      return 0
    }
  }

  /**
   * Gets a running trial's runs going again: records those that finished (before a crash), then
   * resumes paused ones and requeues interrupted or stopped (held) ones from their newest
   * checkpoint, the same runs, never new ones. True when any run was set going.
   */
  private continueTrial(studyId: number, t: TrialRow): boolean {
    const runIds = trialRunIds(this.db, studyId, t.number)
    if (runIds.length === 0) {
      endTrial(this.db, studyId, t.number, 'failed', null, "The trial's run was deleted.")
      return false
    }
    for (const runId of runIds) {
      const run = getRun(this.db, runId)
      if (run.state === 'completed' || run.state === 'failed') this.onRunState({ runId, state: run.state, error: run.error })
    }
    if (trialState(this.db, studyId, t.number) !== 'running') return false
    let going = false
    for (const runId of runIds) {
      const run = getRun(this.db, runId)
      if (run.state === 'paused') going = this.tryControl(runId, 'resume') || going
      else if (run.state === 'interrupted' || run.state === 'stopped') {
        this.engine.enqueue(runId, true)
        going = true
      }
    }
    return going
  }

  /** Keeps a run that a pause took off the queue: stopped, saying why, until the study resumes (continueTrial requeues it). */
  private hold(studyId: number, runId: number): void {
    const reason = `Held: study ${studyId} was paused before this run started; it starts when the study resumes.`
    setRunState(this.db, runId, 'stopped', { error: reason })
    this.holding.add(runId)
    try {
      this.events.emit('run.state', { runId, state: 'stopped', error: reason })
    } finally {
      this.holding.delete(runId)
    }
  }

  private onRunState(e: RunStateEvent): void {
    if (this.holding.has(e.runId)) return
    const fold = trialOfFoldRun(this.db, e.runId)
    if (fold) return this.onFoldState(fold.studyId, fold.number, fold.fold, fold.state, e)
    const trial = trialOfRun(this.db, e.runId)
    if (!trial) return
    if (trial.state !== 'running') {
      // A pruned or stopped trial's run ending frees a slot in the queue.
      if (['completed', 'failed', 'stopped', 'interrupted'].includes(e.state)) this.pump(trial.studyId)
      return
    }
    if (e.state === 'completed') endTrial(this.db, trial.studyId, trial.number, 'completed', this.objectiveOf(trial.studyId, e.runId), null)
    else if (e.state === 'failed') endTrial(this.db, trial.studyId, trial.number, 'failed', this.objectiveOf(trial.studyId, e.runId), e.error ?? 'The run failed.')
    else if (e.state === 'stopped') endTrial(this.db, trial.studyId, trial.number, 'stopped', this.objectiveOf(trial.studyId, e.runId), 'Its run was stopped.')
    else if (e.state === 'interrupted') {
      // A worker that died mid-study: the trial ends with the reason rather than looping on a crash;
      // a relaunch of the app, by contrast, resumes its runs (the run stays resumable by hand too).
      endTrial(this.db, trial.studyId, trial.number, 'failed', this.objectiveOf(trial.studyId, e.runId), e.error ?? 'Its run was interrupted.')
    } else return
    this.pump(trial.studyId)
  }

  /**
   * A fold run of a cross-validated trial changed state. The trial completes when every fold has,
   * with the mean (and std) of the fold objectives; one fold failing or stopping ends the trial
   * (a mean over fewer folds is not the objective) and stops its other folds.
   */
  private onFoldState(studyId: number, number: number, fold: number, state: TrialRow['state'], e: RunStateEvent): void {
    if (!['completed', 'failed', 'stopped', 'interrupted'].includes(e.state)) return
    if (state === 'running') {
      const runIds = trialRunIds(this.db, studyId, number)
      if (e.state === 'completed') {
        if (runIds.every((id) => id === e.runId || getRun(this.db, id).state === 'completed')) {
          const { objective } = getStudy(this.db, studyId)
          const scored = foldObjective(runIds.map((id) => objectiveValue(epochSeries(this.db, id, objective.metric), objective)))
          endTrial(this.db, studyId, number, 'completed', scored?.mean ?? null, scored ? null : `A fold logged no ${objective.metric}, so the fold mean is undefined.`)
          setTrialObjectiveStd(this.db, studyId, number, scored?.std ?? null)
        }
      } else {
        const how = e.state === 'stopped' ? 'was stopped' : e.state === 'failed' ? `failed (${e.error ?? 'no reason given'})` : `was interrupted (${e.error ?? 'no reason given'})`
        endTrial(this.db, studyId, number, e.state === 'stopped' ? 'stopped' : 'failed', null, `Fold ${fold + 1} of ${runIds.length} ${how}; the other folds were stopped.`)
        for (const id of runIds) if (id !== e.runId) this.tryControl(id, 'stop')
      }
    }
    // A fold ending frees a slot in the queue.
    this.pump(studyId)
  }

  private onEpoch(m: EpochMetrics): void {
    const trial = trialOfRun(this.db, m.runId)
    if (!trial || trial.state !== 'running') return
    const study = getStudy(this.db, trial.studyId)
    if (study.strategy.kind !== 'asha') return
    const config = getRun(this.db, m.runId).config
    const rungs = rungEpochs({ minEpochs: study.strategy.minEpochs, eta: study.strategy.eta, maxEpochs: config.epochs })
    const epochsDone = m.epoch + 1
    const index = rungs.indexOf(epochsDone)
    if (index < 0) return
    const value = objectiveValue(epochSeries(this.db, m.runId, study.objective.metric), study.objective, epochsDone) ?? NaN
    const others = valuesAtRung(this.db, study.id, trial.number, epochsDone)
    recordRung(this.db, study.id, trial.number, epochsDone, index + 1, value)
    if (ashaDecision(value, others, study.strategy.eta, study.objective.direction) === 'stop') {
      endTrial(this.db, study.id, trial.number, 'pruned', Number.isFinite(value) ? value : null, `Stopped at rung ${index + 1} (epoch ${epochsDone}): not in the best 1/${study.strategy.eta} of the ${others.length + 1} trials there.`)
      this.tryControl(m.runId, 'stop')
      // The next trial queues now, so it starts the moment the stopped run frees its slot.
      this.pump(study.id)
    }
    this.changed(study.id)
  }

  private objectiveOf(studyId: number, runId: number | null): number | null {
    if (runId === null) return null
    const { objective } = getStudy(this.db, studyId)
    // A cross-validated trial's objective is its fold mean, which only a completed trial has.
    if (objective.cv) return null
    return objectiveValue(epochSeries(this.db, runId, objective.metric), objective)
  }

  private tryControl(runId: number | null, action: 'pause' | 'resume' | 'stop'): boolean {
    if (runId === null) return false
    try {
      this.engine.control(runId, action)
      return true
    } catch {
      // Not running (queued elsewhere or already ended): nothing to steer.
      return false
    }
  }

  private changed(studyId: number): void {
    this.events.emit('study.changed', { studyId })
  }
}
