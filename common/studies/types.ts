// Plain data shapes of studies that the renderer reads (type-only; the contract re-exports them).
import type { TrainConfig } from '../contract'
import type { Objective } from './objective'
import type { SearchSpace, TrialParams } from './space'

/** How trials are chosen: every combination, seeded random draws, or random draws with ASHA stopping. */
export type StudyStrategy =
  | { kind: 'grid' }
  | { kind: 'random'; seed: number }
  | { kind: 'asha'; seed: number; minEpochs: number; eta: number }
  | { kind: 'cv'; k: number; seed: number }

/** A study's lifecycle. */
export type StudyState = 'running' | 'paused' | 'stopped' | 'completed'

/** A trial's lifecycle: invalid ones were refused before running (shape or config errors). */
export type TrialState = 'pending' | 'running' | 'completed' | 'pruned' | 'failed' | 'invalid' | 'stopped' | 'skipped'

/** One fold run of a cross-validated trial, with that fold's objective once it has one. */
export interface FoldRun {
  fold: number
  runId: number | null
  objective: number | null
}

/** One trial as the study view lists it. */
export interface TrialRow {
  number: number
  state: TrialState
  params: TrialParams
  runId: number | null
  modelVersionId: number | null
  /** The objective; for a cross-validated trial, the mean over its folds. */
  objective: number | null
  /** Sample std of the fold objectives (cross-validated trials), else null. */
  objectiveStd: number | null
  /** A cross-validated trial's fold runs, in fold order (null for a trial of one run). */
  folds: FoldRun[] | null
  /** How many ASHA rungs it passed. */
  rung: number
  /** Objective at each rung reached, by rung epoch. */
  rungs: Record<string, number>
  reason: string | null
  startedAt: number | null
  endedAt: number | null
}

/** A study with its trial counts and best trial. */
export interface StudySummary {
  id: number
  name: string
  state: StudyState
  modelVersionId: number
  datasetVersionId: number
  config: TrainConfig
  space: SearchSpace
  strategy: StudyStrategy
  objective: Objective
  maxTrials: number | null
  maxSeconds: number | null
  createdAt: number
  endedAt: number | null
  counts: Record<TrialState, number>
  best: { number: number; objective: number; runId: number | null; modelVersionId: number | null } | null
}

/** One metric across the folds of a cross-validation: mean and sample std of each fold run's final value. */
export interface CvMetric {
  metric: string
  mean: number
  std: number
  folds: number
}

/** A study with every trial, numbered in order (and, for cross-validation, the per-metric summary). */
export interface StudyDetail extends StudySummary {
  trials: TrialRow[]
  cv: CvMetric[] | null
}
