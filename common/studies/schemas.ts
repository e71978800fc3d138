// Zod schemas of a study's input (pure: only zod), so the contract can import them without cycles.
import { z } from 'zod'

/** A value a choice may hold: numbers, words, or a whole object (a schedule, an early-stopping rule). */
const choiceValue = z.union([z.number(), z.string().max(64), z.boolean(), z.null(), z.record(z.string(), z.unknown())])

/** How one parameter varies: a list of values, a uniform range, or a log-uniform range (learning rates). */
export const paramSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('choice'), values: z.array(choiceValue).min(1).max(64) }).strict(),
  z.object({ kind: z.literal('uniform'), min: z.number(), max: z.number(), integer: z.boolean().default(false), gridPoints: z.number().int().min(2).max(32).optional() }).strict(),
  z.object({ kind: z.literal('loguniform'), min: z.number().positive(), max: z.number().positive(), gridPoints: z.number().int().min(2).max(32).optional() }).strict(),
])
/** One parameter's range. */
export type ParamSpec = z.output<typeof paramSpecSchema>

/** A search space: parameter path (a TrainConfig field, or `layer_name.param`) to its range. */
export const searchSpaceSchema = z.record(z.string().min(1).max(128), paramSpecSchema)
/** A whole search space. */
export type SearchSpace = z.output<typeof searchSpaceSchema>

/** How trials are chosen: every combination, seeded random draws, random draws with ASHA stopping, or k-fold cross-validation of the base config (one trial per fold). */
export const studyStrategySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('grid') }).strict(),
  z.object({ kind: z.literal('random'), seed: z.number().int().min(0).max(2 ** 31 - 1) }).strict(),
  z
    .object({ kind: z.literal('asha'), seed: z.number().int().min(0).max(2 ** 31 - 1), minEpochs: z.number().int().min(1).max(1000).default(1), eta: z.number().int().min(2).max(10).default(3) })
    .strict(),
  z.object({ kind: z.literal('cv'), k: z.number().int().min(2).max(20), seed: z.number().int().min(0).max(2 ** 31 - 1) }).strict(),
])

/** Cross-validated objective: each trial trains k fold runs (seeded folds over train+validation) and scores their mean. */
export const cvObjectiveSchema = z.object({ k: z.number().int().min(2).max(20), seed: z.number().int().min(0).max(2 ** 31 - 1) }).strict()

/** What a study optimizes: any logged metric, min or max; with `cv`, the mean of that metric's best value over k folds. */
export const objectiveSchema = z.object({ metric: z.string().min(1).max(64), direction: z.enum(['min', 'max']), cv: cvObjectiveSchema.optional() }).strict()

/**
 * Why a strategy and an objective cannot go together, or null. ASHA with a cross-validated objective
 * is refused: its rungs judge a trial by its epochs as they come, but a trial's folds queue one
 * after another at "runs at a time", so by the time every fold reached a rung the early folds had
 * already trained to the end and nothing would be saved. The cv strategy already is k-fold of one config.
 */
export function strategyObjectiveProblem(strategy: { kind: string }, objective: { cv?: unknown }): string | null {
  if (!objective.cv) return null
  if (strategy.kind === 'asha') return 'ASHA cannot use a cross-validated objective (its rungs stop single runs early, and the folds of a trial run one after another, so nothing would be saved): use grid or random search with cross-validation, or ASHA without it.'
  if (strategy.kind === 'cv') return 'The cross-validation strategy already trains k folds of one config: choose grid or random search to cross-validate each trial.'
  return null
}

/** trials.rungs_json: a trial's objective at each ASHA rung it reached, by epoch. */
export const storedRungsSchema = z.record(z.string(), z.number())
