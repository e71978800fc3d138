// Whether a metric is better low (loss-like) or high (accuracy-like), guessed from its name.
import type { MetricGoal, MetricStat } from './types'

// Checked in order; the first pattern that matches a name decides. Error-like words come first
// so e.g. "val_accuracy_error" is treated as an error.
const RULES: [RegExp, MetricGoal][] = [
  [/(loss|error|err|mae|mse|rmse|mape|perplexity|entropy|hinge|distance|lr$)/i, 'min'],
  [/(acc|accuracy|precision|recall|f1|auc|r2|iou|dice|score|map)/i, 'max'],
]

/** 'min' for loss-like metrics, 'max' for accuracy-like ones; unknown names count as loss-like. */
export function metricGoal(name: string): MetricGoal {
  for (const [pattern, goal] of RULES) if (pattern.test(name)) return goal
  return 'min'
}

/** The concrete stat ('min' | 'max' | 'last') a requested stat means for this metric. */
export function resolveStat(name: string, stat: MetricStat): Exclude<MetricStat, 'best'> {
  return stat === 'best' ? metricGoal(name) : stat
}
