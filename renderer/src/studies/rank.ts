import type { TrialRow } from '../../../common/contract'

/** Trials with an objective first, best first; the rest by trial number. */
export function rankTrials(trials: readonly TrialRow[], direction: 'min' | 'max'): TrialRow[] {
  return [...trials].sort((a, b) => {
    if (a.objective === null || b.objective === null) return a.objective === null && b.objective === null ? a.number - b.number : a.objective === null ? 1 : -1
    return direction === 'min' ? a.objective - b.objective : b.objective - a.objective
  })
}

/** The best objective after each trial number (nulls carry the previous best). */
export function runningBest(values: readonly (number | null)[], direction: 'min' | 'max'): (number | null)[] {
  let best: number | null = null
  return values.map((v) => {
    if (v !== null && (best === null || (direction === 'min' ? v < best : v > best))) best = v
    return best
  })
}

/** A parameter value as the table shows it (short numbers, words, or JSON for objects): the plots' axis label rule. */
export { axisLabel as formatParam } from '../../../common/studies/plotAxes'

/** Parses "0.1, 0.01" or "adam, sgd" into values: numbers where they read as numbers, words otherwise. */
export function parseChoiceValues(text: string): (number | string)[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .map((t) => (t !== '' && Number.isFinite(Number(t)) ? Number(t) : t))
}
